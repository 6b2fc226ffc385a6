// SPDX-License-Identifier: GPL-3.0-or-later
#include "UploadLeftovers.h"

#include "RuncDriver.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

QStringList UploadLeftovers::findArguments(const QString &upperDir)
{
    // mkostemp() fills the six X with letters and digits. Regular files only:
    // whiteouts (character devices) and directories are never leftovers.
    // -xdev and find's default of never following symbolic links keep the
    // walk inside the sandbox's own files.
    return {upperDir,
            QStringLiteral("-xdev"),
            QStringLiteral("-regextype"),
            QStringLiteral("posix-extended"),
            QStringLiteral("-regex"),
            QStringLiteral(".*/\\.([^/]+\\.)?ai2in-[A-Za-z0-9]{6}"),
            QStringLiteral("-type"),
            QStringLiteral("f"),
            QStringLiteral("-delete")};
}

void UploadLeftovers::sweep(const QString &upperDir, QObject *context, std::function<void()> done)
{
    // A sandbox that never wrote a file (the first start of a new one) has
    // nothing to sweep: no process for it.
    if (!QFileInfo(upperDir).isDir() ||
        QDir(upperDir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)) {
        done();
        return;
    }
    auto *find = new QProcess(context);
    find->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(find, &QProcess::finished, context, [find, upperDir, done](int code, QProcess::ExitStatus) {
        if (code != 0)
            qCWarning(lcRuntime).noquote() << "cannot remove every unfinished upload under" << upperDir << ":"
                                           << QString::fromLocal8Bit(find->readAll()).trimmed();
        find->deleteLater();
        done();
    });
    QObject::connect(find, &QProcess::errorOccurred, context, [find, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        qCWarning(lcRuntime) << "cannot start find to remove unfinished uploads:" << find->errorString();
        find->deleteLater();
        done();
    });
    find->start(QStringLiteral("find"), findArguments(upperDir));
}
