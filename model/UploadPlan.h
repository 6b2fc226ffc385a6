// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

// What a drop of local files and folders means for the sandbox: the
// directories to make (parents first) and the files to send, each with its
// remote path. Folders are walked recursively; links to directories are not
// followed (a loop would never end).
struct UploadPlan
{
    struct Item
    {
        QString localPath;
        QString remotePath;
        qint64 size = 0;
        bool isDir = false;
        bool operator==(const Item &o) const
        {
            return localPath == o.localPath && remotePath == o.remotePath && size == o.size && isDir == o.isDir;
        }
    };
    QList<Item> items;
    // Sentences for what was dropped but cannot be sent (not a local file…).
    QStringList problems;

    // Reads the local file system only.
    static UploadPlan fromUrls(const QList<QUrl> &urls, const QString &remoteDir);
};
