// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"

#include <QObject>
#include <QSet>
#include <QString>

class EngineClient;

// The command log's Kill: which entries may be killed and the kills in
// flight. A command can be killed while the log says it runs, it has an id
// and no kill of it is already waiting for the engine's answer. A kill goes
// to `POST …/commands/{command_id}/kill`, which ends the command and every
// process of its session through the sandbox's cgroup; each answer comes
// back as `finished` with a sentence. Nothing here waits: the log learns
// that the command ended from its next read.
//
// A command that ended by itself (or by its timeout, which ends only its
// process group) may have left processes running: background jobs, or a
// fork bomb, whose first shell returns at once. The same request reaches
// them (the engine keeps the command's session), so such an entry can have
// its leftovers killed. The log cannot tell whether anything is left; the
// engine answers the same either way.
class CommandKills : public QObject
{
    Q_OBJECT
public:
    explicit CommandKills(EngineClient *client, QObject *parent = nullptr);

    // Pure: whether the entry is a command the log shows running, with an id.
    static bool isKillable(const ActivityEntry &entry);
    // Pure: whether the entry is a command with an id that ended by itself
    // or by its timeout (so what it started may still run).
    static bool mayHaveLeftovers(const ActivityEntry &entry);
    // isKillable, and no kill of it in flight.
    bool canKill(const ActivityEntry &entry) const;
    // mayHaveLeftovers, and no kill of it in flight.
    bool canKillLeftovers(const ActivityEntry &entry) const;
    bool isPending(const QString &sandboxId, const QString &commandId) const;
    int pendingCount() const { return int(m_pending.size()); }

    // Sends the kill; false (and nothing sent) when `entry` is neither
    // killable nor may have leftovers, or a kill of it is in flight.
    bool kill(const QString &sandboxId, const ActivityEntry &entry);
    // Another sandbox, or none: answers still in flight are dropped.
    void forget();

Q_SIGNALS:
    // A kill was sent or answered: what canKill says may have changed.
    void pendingChanged();
    // The engine's answer: ok once the signal is delivered; otherwise the
    // engine's sentence (e.g. the sandbox is paused, the command is gone).
    void finished(const QString &sandboxId, const QString &commandId, bool ok, const QString &sentence);

private:
    static QString keyOf(const QString &sandboxId, const QString &commandId);
    bool isPendingHere(const ActivityEntry &entry) const;

    EngineClient *m_client;
    QObject *m_context = nullptr; // answers arrive while it lives
    QSet<QString> m_pending;      // "sandbox/command"
    QString m_sandbox;            // the sandbox of the kills in flight
};
