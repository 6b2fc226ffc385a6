// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QLoggingCategory>
#include <QObject>
#include <QStringList>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcRuntime)

// Drives the OCI runtime (runc, or a drop-in such as runsc) as a command line,
// always asynchronously, with the engine's own state directory (`--root`).
class QProcess;

class RuncDriver : public QObject
{
    Q_OBJECT
public:
    RuncDriver(QString runtimePath, QString stateRoot, QObject *parent = nullptr);

    using Callback = std::function<void(Status)>;

    // `runc run --detach`: the container's PID 1 gets `listenFd` as fd 3 and
    // writes its stdout/stderr to `logPath`.
    // `pidFile` receives the pid of the container's first process.
    void run(const QString &id, const QString &bundle, int listenFd, const QString &logPath, const QString &pidFile,
             Callback done);
    // Kills every process of the container and deletes it; an absent
    // container is fine.
    void remove(const QString &id, Callback done);
    // `runc pause` / `runc resume`: freezes every process of the container in
    // its cgroup (memory kept) and thaws it again.
    void pause(const QString &id, Callback done);
    void resume(const QString &id, Callback done);
    // The runtime's status word ("running", "stopped", …), or "" when the
    // runtime does not know the container.
    void state(const QString &id, std::function<void(Result<QString>)> done);
    // Ids of every container in our state directory.
    void list(std::function<void(Result<QStringList>)> done);

    QString runtimePath() const { return m_runtime; }
    QString stateRoot() const { return m_root; }

private:
    void startRuntime(QProcess *p, const QStringList &args);
    struct Outcome
    {
        int exitCode = -1;
        bool crashed = false;
        QByteArray out;
        QByteArray err;
        QString startError;
    };
    void exec(const QStringList &args, std::function<void(const Outcome &)> done);
    static QString errorSentence(const QByteArray &runtimeOutput);

    QString m_runtime;
    QString m_root;
};
