// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TerminalColor.h"

#include <QString>

#include <array>

// One character cell of the screen or of the scrollback. A plain value with
// no heap memory, so a scrollback of many thousand lines stays cheap. A wide
// character occupies its cell with width 2 and the next one with width 0.
struct TerminalCell
{
    static constexpr int kMaxChars = 6; // a base character and its combining marks

    std::array<char32_t, kMaxChars> chars{};
    qint8 width = 1;
    bool bold = false;
    bool italic = false;
    bool blink = false;
    bool reverse = false;
    bool strike = false;
    quint8 underline = 0; // 0 none, 1 single, 2 double, 3 curly
    TerminalColor fg;
    TerminalColor bg;

    bool isEmpty() const { return chars[0] == 0; }
    // The cell's text: "" for an empty cell, one grapheme otherwise.
    QString text() const
    {
        int n = 0;
        while (n < kMaxChars && chars[size_t(n)] != 0)
            ++n;
        return QString::fromUcs4(chars.data(), n);
    }
    bool sameStyle(const TerminalCell &o) const
    {
        return bold == o.bold && italic == o.italic && blink == o.blink && reverse == o.reverse && strike == o.strike
            && underline == o.underline && fg == o.fg && bg == o.bg;
    }
};
