// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

class SandboxManager;

// Keeps, for every running sandbox, the TCP ports something listens on, by
// asking each agent for `ports` once a second. Asking is not activity: a
// watched sandbox is still reaped when idle. A sandbox whose previous answer
// is still pending is skipped, and only a few requests are in flight at once.
class PortWatcher : public QObject
{
    Q_OBJECT
public:
    explicit PortWatcher(SandboxManager *sandboxes, QObject *parent = nullptr);

    void start(int intervalMs = 1000);
    // Sorted; empty for a sandbox that is not running or not yet asked.
    QList<quint16> ports(const QString &sandboxId) const;

private:
    void tick();
    void askMore();

    SandboxManager *m_sandboxes;
    QTimer m_timer;
    QHash<QString, QList<quint16>> m_ports;
    QSet<QString> m_pending; // asked, no answer yet
    QStringList m_queue;     // still to ask in this round
};
