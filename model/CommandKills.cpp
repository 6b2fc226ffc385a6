// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandKills.h"

#include "EngineClient.h"
#include "Formatting.h"
#include "ModelLogging.h"

CommandKills::CommandKills(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_context(new QObject(this))
{
}

bool CommandKills::isKillable(const ActivityEntry &entry)
{
    return entry.isRunning() && !entry.commandId.isEmpty();
}

bool CommandKills::mayHaveLeftovers(const ActivityEntry &entry)
{
    return entry.kind == ActivityEntry::Kind::Command && !entry.commandId.isEmpty()
        && (entry.status == QLatin1String("exited") || entry.status == QLatin1String("timeout"));
}

bool CommandKills::isPendingHere(const ActivityEntry &entry) const
{
    return m_pending.contains(keyOf(m_sandbox, entry.commandId));
}

bool CommandKills::canKill(const ActivityEntry &entry) const
{
    return isKillable(entry) && !isPendingHere(entry);
}

bool CommandKills::canKillLeftovers(const ActivityEntry &entry) const
{
    return mayHaveLeftovers(entry) && !isPendingHere(entry);
}

bool CommandKills::isPending(const QString &sandboxId, const QString &commandId) const
{
    return m_pending.contains(keyOf(sandboxId, commandId));
}

QString CommandKills::keyOf(const QString &sandboxId, const QString &commandId)
{
    return sandboxId + QLatin1Char('/') + commandId;
}

bool CommandKills::kill(const QString &sandboxId, const ActivityEntry &entry)
{
    const bool running = isKillable(entry);
    if (sandboxId.isEmpty() || (!running && !mayHaveLeftovers(entry)))
        return false;
    if (sandboxId != m_sandbox)
        forget();
    m_sandbox = sandboxId;
    const QString key = keyOf(sandboxId, entry.commandId);
    if (m_pending.contains(key))
        return false;
    m_pending.insert(key);
    const QString commandId = entry.commandId;
    const QString shown = Formatting::shortCommand(entry.cmd);
    qCInfo(lcModelActivity) << "killing" << commandId << "in" << sandboxId;
    Q_EMIT pendingChanged();
    m_client->killCommand(sandboxId, commandId, m_context, [this, key, sandboxId, commandId, shown, running](Result<Done> r) {
        m_pending.remove(key);
        QString sentence;
        if (r) {
            sentence = running ? tr("Killed “%1” and what it started.").arg(shown)
                               : tr("Killed whatever “%1” had left running.").arg(shown);
        } else {
            qCInfo(lcModelActivity) << "kill of" << commandId << "failed:" << r.error().message;
            sentence = running ? tr("“%1” was not killed: %2").arg(shown, r.error().message)
                               : tr("What “%1” left running was not killed: %2").arg(shown, r.error().message);
        }
        Q_EMIT pendingChanged();
        Q_EMIT finished(sandboxId, commandId, r.ok(), sentence);
    });
    return true;
}

void CommandKills::forget()
{
    // A new context: handlers bound to the old one never run.
    delete m_context;
    m_context = new QObject(this);
    const bool had = !m_pending.isEmpty();
    m_pending.clear();
    m_sandbox.clear();
    if (had)
        Q_EMIT pendingChanged();
}
