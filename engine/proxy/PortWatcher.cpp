// SPDX-License-Identifier: GPL-3.0-or-later
#include "PortWatcher.h"

#include "AgentClient.h"
#include "ProxyLog.h"
#include "runtime/SandboxManager.h"

#include <QJsonArray>
#include <QPointer>

#include <algorithm>

namespace {
constexpr int kMaxInFlight = 8;
constexpr int kAnswerTimeoutMs = 3000;
} // namespace

PortWatcher::PortWatcher(SandboxManager *sandboxes, QObject *parent)
    : QObject(parent)
    , m_sandboxes(sandboxes)
{
    connect(&m_timer, &QTimer::timeout, this, &PortWatcher::tick);
}

void PortWatcher::start(int intervalMs)
{
    m_timer.start(intervalMs);
    tick();
}

QList<quint16> PortWatcher::ports(const QString &sandboxId) const
{
    return m_ports.value(sandboxId);
}

void PortWatcher::tick()
{
    const QStringList running = m_sandboxes->runningIds();
    // Paused, killed and vanished sandboxes listen on nothing.
    for (auto it = m_ports.begin(); it != m_ports.end();) {
        if (!running.contains(it.key()))
            it = m_ports.erase(it);
        else
            ++it;
    }
    // A round still being worked through is replaced, not appended to: the
    // queue never holds more than one entry per sandbox.
    m_queue.clear();
    for (const QString &id : running) {
        if (!m_pending.contains(id))
            m_queue.append(id);
    }
    askMore();
}

void PortWatcher::askMore()
{
    while (m_pending.size() < kMaxInFlight && !m_queue.isEmpty()) {
        const QString id = m_queue.takeFirst();
        m_pending.insert(id);
        QPointer<PortWatcher> self(this);
        m_sandboxes->queryAgent(id, QJsonObject{{QStringLiteral("op"), QStringLiteral("ports")}}, kAnswerTimeoutMs,
                                [self, id](Result<AgentReply> r) {
                                    if (!self)
                                        return;
                                    self->m_pending.remove(id);
                                    if (r) {
                                        QList<quint16> ports;
                                        const QJsonArray arr = r->header.value(QStringLiteral("ports")).toArray();
                                        for (const QJsonValue &v : arr) {
                                            const int p = v.toObject().value(QStringLiteral("port")).toInt();
                                            if (p >= 1 && p <= 65535 && !ports.contains(quint16(p)))
                                                ports.append(quint16(p));
                                        }
                                        std::sort(ports.begin(), ports.end());
                                        if (self->m_sandboxes->runningIds().contains(id))
                                            self->m_ports.insert(id, ports);
                                    } else {
                                        // An agent without the op (older) or one that is busy
                                        // starting: keep what was known, try again next tick.
                                        qCDebug(lcProxy) << "ports of" << id << ":" << r.error().message;
                                    }
                                    self->askMore();
                                });
    }
}
