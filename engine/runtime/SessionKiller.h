// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

// Ends every process of one session inside a sandbox — a command and all it
// started, including processes that moved to process groups of their own —
// even while they fork. A signal to a process group misses those, and a scan
// followed by kills races with new forks, so each round freezes the
// sandbox's cgroup (the freezer: nobody forks or runs while frozen), signals
// every process of the cgroup whose session is the command's, then thaws;
// with SIGKILL, rounds repeat until the session is empty. The agent and the
// other commands are frozen for a moment and go on afterwards. A process that
// called setsid() has left the session and is not reached.
class SessionKiller : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        int signalled = 0; // processes signalled, all rounds together
        int rounds = 0;
    };

    // `cgroupRoot`: where the host mounts cgroups; v1 (a freezer hierarchy)
    // and v2 (the unified hierarchy) are told apart as CgroupStats does.
    SessionKiller(const QString &cgroupsPath, qint64 session, int signal, QObject *parent,
                  const QString &cgroupRoot = QStringLiteral("/sys/fs/cgroup"));

    // Runs the rounds; `done` is called once, then the object deletes itself.
    void start(std::function<void(Result<Outcome>)> done);

    // The session id, as seen inside the process's innermost pid namespace,
    // from the text of /proc/<pid>/status (its `NSsid:` line).
    static std::optional<qint64> innerSession(const QByteArray &procStatus);
    // Pids of a `cgroup.procs` file; nullopt if a line is not a pid.
    static std::optional<QList<qint64>> parseProcs(const QByteArray &text);

private:
    void round();
    void waitFrozen();
    void signalAndThaw();
    bool setFrozen(bool frozen);
    std::optional<bool> isFrozen() const;
    void finish(Result<Outcome> r);

    QString m_freezeDir; // the cgroup directory holding the freezer files
    bool m_unified = false;
    qint64 m_session;
    int m_signal;
    Outcome m_outcome;
    int m_lastRoundSignalled = 0;
    QElapsedTimer m_elapsed;
    QElapsedTimer m_freezing;
    std::function<void(Result<Outcome>)> m_done;
};
