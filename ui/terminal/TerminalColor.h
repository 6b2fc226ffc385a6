// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QtGlobal>

// One cell colour as the program asked for it: the terminal's default, an
// entry of the 256-colour palette, or a 24-bit value. The view resolves it to
// a QColor only when painting, so a palette change repaints old output too.
struct TerminalColor
{
    enum Kind : quint8 { Default, Indexed, Rgb };

    Kind kind = Default;
    quint8 index = 0;
    QRgb rgb = 0;

    static TerminalColor indexed(int i) { return {Indexed, quint8(i), 0}; }
    static TerminalColor fromRgb(int r, int g, int b) { return {Rgb, 0, qRgb(r, g, b)}; }

    bool isDefault() const { return kind == Default; }
    // The xterm 256-colour palette: 16 ANSI colours, a 6×6×6 cube, 24 greys.
    static QRgb paletteEntry(int index);
    // The colour to paint; `fallback` stands for the default.
    QColor resolve(const QColor &fallback) const;

    friend bool operator==(const TerminalColor &a, const TerminalColor &b)
    {
        return a.kind == b.kind && (a.kind == Default || (a.kind == Indexed ? a.index == b.index : a.rgb == b.rgb));
    }
};
