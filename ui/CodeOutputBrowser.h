// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextBrowser>

// A code cell's output view. HTML and markdown from a sandbox may name any
// URL as an image; only the images the cell itself added as resources are
// shown, every other one is a grey square. Left to QTextBrowser, a name like
// "/dev/zero" or a file of the user's would be read from this machine's disk.
class CodeOutputBrowser : public QTextBrowser
{
    Q_OBJECT
public:
    static constexpr int kPlaceholderSide = 16;

    explicit CodeOutputBrowser(QWidget *parent = nullptr);

    QVariant loadResource(int type, const QUrl &name) override;
};
