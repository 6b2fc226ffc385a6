// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileIconDelegate.h"

#include "FileEntry.h"
#include "RemoteFileModel.h"

#include <QApplication>
#include <QHash>
#include <QMimeDatabase>
#include <QStyle>

FileIconDelegate::FileIconDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QIcon FileIconDelegate::iconFor(const QString &name, bool isDir, bool isLink)
{
    QStyle *style = QApplication::style();
    if (isDir)
        return style->standardIcon(QStyle::SP_DirIcon);
    if (isLink)
        return style->standardIcon(QStyle::SP_FileLinkIcon);
    // By the name alone: the content is in the sandbox, not here.
    static QHash<QString, QIcon> byType;
    const QMimeType type = QMimeDatabase().mimeTypeForFile(name, QMimeDatabase::MatchExtension);
    const auto it = byType.constFind(type.name());
    if (it != byType.cend())
        return *it;
    QIcon icon = QIcon::fromTheme(type.iconName(), QIcon::fromTheme(type.genericIconName()));
    if (icon.isNull())
        icon = style->standardIcon(QStyle::SP_FileIcon);
    byType.insert(type.name(), icon);
    return icon;
}

void FileIconDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() != RemoteFileModel::NameColumn)
        return;
    const bool isDir = index.data(RemoteFileModel::IsDirRole).toBool();
    const bool isLink = index.data(RemoteFileModel::EntryTypeRole).toInt() == int(FileEntry::Type::Symlink);
    option->icon = iconFor(index.data(Qt::DisplayRole).toString(), isDir, isLink);
    option->features |= QStyleOptionViewItem::HasDecoration;
}
