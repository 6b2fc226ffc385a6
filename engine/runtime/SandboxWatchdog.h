// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QSocketNotifier;
class RuncDriver;

// Watches the PID 1 (the agent) of every running sandbox from the host:
// protects it from the OOM killer (oom_score_adj -1000; inside its user
// namespace the agent may not lower its own score) and reports its death at
// once through a pidfd, which becomes readable when the process exits. The
// kernel wakes us; nothing polls runc.
class SandboxWatchdog : public QObject
{
    Q_OBJECT
public:
    SandboxWatchdog(RuncDriver *runc, QObject *parent = nullptr);
    ~SandboxWatchdog() override;

    // Finds the container's PID 1 (`runc state`, unless the caller knows it
    // from the pid file of the start it just made), protects and watches it.
    // Watching again replaces an earlier watch of the same sandbox.
    void watch(const QString &id, std::optional<qint64> knownPid = std::nullopt);
    // Stops watching (the engine is about to stop or remove the container).
    void forget(const QString &id);
    bool isWatching(const QString &id) const { return m_watches.contains(id); }

    // `runc state`'s JSON → the host pid of the container's init; nullopt
    // when the container is not running or the text is not runc's.
    static std::optional<qint64> initPid(const QByteArray &runcStateJson);

Q_SIGNALS:
    // The PID 1 of a watched sandbox is gone; `reason` is a sentence for users.
    void agentDied(const QString &id, const QString &reason);

private:
    struct Watch
    {
        quint64 generation = 0;
        qint64 pid = 0;
        int pidfd = -1;
        QSocketNotifier *notifier = nullptr;
    };
    void arm(const QString &id, quint64 generation, qint64 pid);
    void died(const QString &id, const QString &reason);
    void release(Watch &w);

    RuncDriver *m_runc;
    QHash<QString, Watch> m_watches;
    quint64 m_nextGeneration = 1;
};
