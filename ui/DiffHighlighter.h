// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QSyntaxHighlighter>

// Colours a unified diff by its lines: additions green, removals red, hunk
// heads and file heads set apart. Translucent, so light and dark themes both
// keep their text colour.
class DiffHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit DiffHighlighter(QTextDocument *document);

    static QColor addedColor() { return QColor(46, 160, 67, 70); }
    static QColor removedColor() { return QColor(218, 54, 51, 70); }
    static QColor hunkColor() { return QColor(56, 139, 253, 50); }

protected:
    void highlightBlock(const QString &text) override;
};
