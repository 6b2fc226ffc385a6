// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiCall.h"
#include "Result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

struct AgentReply;
class SandboxManager;

// What the command and file routes share: validating the few field kinds
// they have in common and relaying an agent's answer.
namespace AgentCalls {
inline constexpr int kDefaultTimeoutMs = 30000;

// A user name as the sandbox's /etc/passwd could hold it.
Status checkUser(const QString &user);
// A path: not empty, no NUL, not absurdly long.
Status checkPath(const QString &path, const QString &what);
// Copies optional fields of a request body into an agent header, checking
// them: `user` (a user name), a path-like string field, `env` (strings).
Status copyUser(const QJsonObject &from, QJsonObject *header);
Status copyPath(const QJsonObject &from, const QString &field, QJsonObject *header);
Status copyEnv(const QJsonObject &from, QJsonObject *header);
// Agent milliseconds → API timestamps.
QJsonValue msToTime(const QJsonValue &ms);

// Sends `header` to the sandbox's agent; on success hands the reply to
// `onOk`, on failure answers the error.
void relay(SandboxManager *sm, ApiCall &c, const QString &id, const QJsonObject &header, const QByteArray &body,
           int timeoutMs, std::function<void(HttpReply &, const AgentReply &)> onOk);
} // namespace AgentCalls
