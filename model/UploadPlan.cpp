// SPDX-License-Identifier: GPL-3.0-or-later
#include "UploadPlan.h"

#include "FileNames.h"

#include <QDir>
#include <QFileInfo>

namespace {

void addTree(UploadPlan &plan, const QFileInfo &dir, const QString &remoteDir)
{
    plan.items.append({dir.absoluteFilePath(), remoteDir, 0, true});
    const QFileInfoList children = QDir(dir.absoluteFilePath())
                                       .entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                                                      QDir::Name | QDir::DirsLast);
    for (const QFileInfo &child : children) {
        const QString remote = FileNames::join(remoteDir, child.fileName());
        if (child.isDir()) {
            if (!child.isSymLink())
                addTree(plan, child, remote);
        } else if (child.isFile()) {
            plan.items.append({child.absoluteFilePath(), remote, child.size(), false});
        }
    }
}

} // namespace

UploadPlan UploadPlan::fromUrls(const QList<QUrl> &urls, const QString &remoteDir)
{
    UploadPlan plan;
    for (const QUrl &url : urls) {
        if (!url.isLocalFile()) {
            plan.problems.append(QObject::tr("%1 is not a local file; only files from this computer can be uploaded.")
                                     .arg(url.toDisplayString()));
            continue;
        }
        const QFileInfo info(url.toLocalFile());
        const QString name = info.fileName();
        if (!info.exists() || name.isEmpty()) {
            plan.problems.append(QObject::tr("%1 does not exist.").arg(QDir::toNativeSeparators(url.toLocalFile())));
            continue;
        }
        const QString remote = FileNames::join(remoteDir, name);
        if (info.isDir())
            addTree(plan, info, remote);
        else if (info.isFile())
            plan.items.append({info.absoluteFilePath(), remote, info.size(), false});
        else
            plan.problems.append(QObject::tr("%1 is not a regular file.").arg(QDir::toNativeSeparators(info.filePath())));
    }
    return plan;
}
