// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeOutputBrowser.h"

#include <QImage>

CodeOutputBrowser::CodeOutputBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setSearchPaths({});
}

QVariant CodeOutputBrowser::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(name);
    // Anything but a drawable image makes Qt's image handler read the name
    // as a file path itself: answer a small grey square instead.
    if (type == QTextDocument::ImageResource) {
        QImage placeholder(kPlaceholderSide, kPlaceholderSide, QImage::Format_ARGB32_Premultiplied);
        placeholder.fill(QColor(128, 128, 128, 96));
        return placeholder;
    }
    // Not null, so QTextDocument does not fall back to reading a file.
    return QVariant(QByteArray());
}
