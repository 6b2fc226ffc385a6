// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStyledItemDelegate>

// Draws an icon before each name in the Files tab: a folder, a link, or the
// file's kind as its name says (the icon theme's for its MIME type where the
// desktop has a theme, the style's plain file icon where it has none).
// Presentation only: RemoteFileModel holds no icons.
class FileIconDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit FileIconDelegate(QObject *parent = nullptr);

    // The icon for an entry of that name and kind.
    static QIcon iconFor(const QString &name, bool isDir, bool isLink);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
