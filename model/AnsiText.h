// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

// Program output as a log shows it: SGR escape sequences (colours, bold,
// italic, underline, inverse) become styled spans; every other escape or
// control sequence is dropped. A carriage return not followed by a newline
// lets the rest of the line replace what came before (progress bars show
// their last state), a backspace removes one character. Pure and linear in
// the input: hostile bytes (unterminated sequences, absurd parameters) never
// make it slow or throw.
class AnsiText
{
public:
    struct Style
    {
        std::optional<quint32> fg; // 0xRRGGBB; nullopt = the viewer's default
        std::optional<quint32> bg;
        bool bold = false;
        bool faint = false;
        bool italic = false;
        bool underline = false;
        bool inverse = false;

        bool isPlain() const { return *this == Style(); }
        bool operator==(const Style &o) const = default;
    };
    struct Span
    {
        QString text;
        Style style;
        bool operator==(const Span &o) const = default;
    };

    // Adjacent text with the same style is one span; empty text gives none.
    static QList<Span> parse(QStringView text);
    // The text without any escape sequence or stray control character.
    static QString strip(QStringView text);
    // Spans as HTML for a rich-text viewer: one <pre> with styled <span>s.
    // Inverse swaps the colours, the defaults standing in for missing ones.
    static QString toHtml(const QList<Span> &spans, quint32 defaultFg, quint32 defaultBg);
    // The 256-colour palette (0–15 the basic and bright colours, 16–231 the
    // colour cube, 232–255 the grey ramp); an index outside is black.
    static quint32 paletteColor(int index);

private:
    static QList<Span> run(QStringView text, bool keepStyle);
};
