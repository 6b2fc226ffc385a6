// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>

#include <functional>

// One answer of the agent: its header and, for reads, the raw bytes after it.
struct AgentReply
{
    QJsonObject header;
    QByteArray body;
};

// Sends one request to a sandbox's agent over its unix socket and delivers
// the answer (agent/PROTOCOL.md). Asynchronous; errors become ApiErrors with
// the HTTP status the API should answer.
class AgentClient : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(Result<AgentReply>)>;

    static void request(const QString &socketPath, const QString &sandboxId, const QJsonObject &header,
                        const QByteArray &body, int timeoutMs, Callback done, QObject *context);

    // The API error for an agent's `{"ok": false, "error": …}`.
    static ApiError errorFromAgent(const QJsonObject &header);
};
