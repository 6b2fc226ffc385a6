// SPDX-License-Identifier: GPL-3.0-or-later
#include "DiffHighlighter.h"

#include <QTextCharFormat>

DiffHighlighter::DiffHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
}

void DiffHighlighter::highlightBlock(const QString &text)
{
    QTextCharFormat f;
    if (text.startsWith(QLatin1String("+++")) || text.startsWith(QLatin1String("---"))) {
        f.setFontWeight(QFont::Bold);
    } else if (text.startsWith(QLatin1String("@@"))) {
        f.setBackground(hunkColor());
    } else if (text.startsWith(QLatin1Char('+'))) {
        f.setBackground(addedColor());
    } else if (text.startsWith(QLatin1Char('-'))) {
        f.setBackground(removedColor());
    } else if (text.startsWith(QLatin1Char('\\'))) {
        f.setFontItalic(true);
    } else {
        return;
    }
    setFormat(0, int(text.size()), f);
}
