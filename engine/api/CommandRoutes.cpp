// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandRoutes.h"

#include "AgentCalls.h"
#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "Limits.h"
#include "RequestBodies.h"
#include "runtime/ActivityLog.h"
#include "runtime/AgentClient.h"
#include "runtime/RuncDriver.h"
#include "runtime/SandboxManager.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>

#include <QTimer>

#include <cmath>
#include <csignal>

namespace {

// As the agent's CommandTable::kKillGraceMs: SIGTERM, then SIGKILL.
constexpr int kKillGraceMs = 2000;

Status checkCommandId(const QString &cmdId)
{
    static const QRegularExpression re(QStringLiteral("^cmd_[a-z0-9]{1,64}\\z"));
    if (!re.match(cmdId).hasMatch())
        return ApiError::notFound(QStringLiteral("No command %1.").arg(cmdId));
    return Done{};
}

QJsonObject commandSummary(const QJsonObject &c)
{
    QJsonObject o = c;
    o.remove(QStringLiteral("started_at_ms"));
    o.remove(QStringLiteral("ended_at_ms"));
    o.insert(QStringLiteral("started_at"), AgentCalls::msToTime(c.value(QStringLiteral("started_at_ms"))));
    o.insert(QStringLiteral("ended_at"), AgentCalls::msToTime(c.value(QStringLiteral("ended_at_ms"))));
    o.insert(QStringLiteral("touched"), ActivityLog::touchedField(c));
    return o;
}

// The keys of an agent's answer a client sees; `touched` checked.
QJsonObject pick(const QJsonObject &from, const QStringList &keys)
{
    QJsonObject o;
    for (const QString &k : keys) {
        if (from.contains(k))
            o.insert(k, from.value(k));
    }
    if (keys.contains(QLatin1String("touched")))
        o.insert(QStringLiteral("touched"), ActivityLog::touchedField(from));
    return o;
}

} // namespace

void CommandRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes/<arg>/commands", M::Post, [sm](ApiCall &c, const QString &id) {
        int timeoutMs = 0;
        const auto header = RequestBodies::command(c.body, &timeoutMs);
        if (!header) {
            c.reply->error(header.error());
            return;
        }
        const bool background = header->value(QStringLiteral("op")).toString() == QLatin1String("start");
        const QJsonObject request = *header;
        const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
        HttpReplyPtr httpReply = c.reply;
        sm->callAgent(c.team, id, request, {}, timeoutMs, [sm, id, request, startedMs, background, httpReply](Result<AgentReply> res) {
            if (sm->activity())
                sm->activity()->command(id, request, startedMs, res);
            if (!res) {
                httpReply->error(res.error());
                return;
            }
            HttpReply &reply = *httpReply;
            const AgentReply &r = *res;
            if (background)
                reply.json(201, pick(r.header, {QStringLiteral("command_id"), QStringLiteral("pid")}));
            else
                reply.json(200, pick(r.header, {QStringLiteral("command_id"), QStringLiteral("pid"),
                                                QStringLiteral("stdout"), QStringLiteral("stderr"),
                                                QStringLiteral("exit_code"), QStringLiteral("error"),
                                                QStringLiteral("truncated"), QStringLiteral("touched")}));
        });
    });

    api.on("/v1/sandboxes/<arg>/commands", M::Get, [sm](ApiCall &c, const QString &id) {
        AgentCalls::relay(sm, c, id, QJsonObject{{QStringLiteral("op"), QStringLiteral("list")}}, {},
                          AgentCalls::kDefaultTimeoutMs, [sm, id](HttpReply &reply, const AgentReply &r) {
                              if (sm->activity())
                                  sm->activity()->commandsListed(id, r.header.value(QStringLiteral("commands")).toArray());
                              QJsonArray out;
                              for (const QJsonValue &v : r.header.value(QStringLiteral("commands")).toArray())
                                  out.append(commandSummary(v.toObject()));
                              reply.json(200, QJsonObject{{QStringLiteral("commands"), out}});
                          });
    });

    api.on("/v1/sandboxes/<arg>/commands/<arg>", M::Get, [sm](ApiCall &c, const QString &id, const QString &cmdId) {
        if (auto s = checkCommandId(cmdId); !s) {
            c.reply->error(s.error());
            return;
        }
        AgentCalls::relay(sm, c, id,
                          QJsonObject{{QStringLiteral("op"), QStringLiteral("logs")},
                                      {QStringLiteral("command_id"), cmdId}},
                          {}, AgentCalls::kDefaultTimeoutMs, [sm, id, cmdId](HttpReply &reply, const AgentReply &r) {
                              if (sm->activity())
                                  sm->activity()->commandLogs(id, cmdId, r.header);
                              reply.json(200, pick(r.header, {QStringLiteral("stdout"), QStringLiteral("stderr"),
                                                              QStringLiteral("status"), QStringLiteral("exit_code"),
                                                              QStringLiteral("error"), QStringLiteral("truncated"),
                                                              QStringLiteral("touched")}));
                          });
    });

    api.on("/v1/sandboxes/<arg>/commands/<arg>/kill", M::Post,
           [sm](ApiCall &c, const QString &id, const QString &cmdId) {
               if (auto s = checkCommandId(cmdId); !s) {
                   c.reply->error(s.error());
                   return;
               }
               const auto parsed = RequestBodies::kill(c.body, cmdId);
               if (!parsed) {
                   c.reply->error(parsed.error());
                   return;
               }
               const QJsonObject h = *parsed;
               // The agent signals the command's process group; what left the
               // group (setpgid, `set -m`) is reached through the cgroup, by
               // session, while the sandbox is frozen (SessionKiller). The
               // answer comes after that first sweep; a SIGTERM is followed
               // by a SIGKILL sweep after the agent's grace period, as the
               // agent does for the group.
               const int signal = h.value(QStringLiteral("signal")).toInt(SIGTERM);
               const QString team = c.team;
               HttpReplyPtr httpReply = c.reply;
               sm->callAgent(team, id, h, {}, AgentCalls::kDefaultTimeoutMs,
                             [sm, team, id, signal, httpReply](Result<AgentReply> r) {
                                 if (!r) {
                                     httpReply->error(r.error());
                                     return;
                                 }
                                 const QJsonValue session = r->header.value(QStringLiteral("session"));
                                 if (!session.isDouble()) {
                                     httpReply->json(200, QJsonObject());
                                     return;
                                 }
                                 const qint64 sid = qint64(session.toDouble());
                                 sm->killSession(team, id, sid, signal, [sm, team, id, sid, signal, httpReply](Status s) {
                                     if (!s) {
                                         httpReply->error(s.error());
                                         return;
                                     }
                                     httpReply->json(200, QJsonObject());
                                     if (signal != SIGTERM)
                                         return;
                                     QTimer::singleShot(kKillGraceMs, sm, [sm, team, id, sid] {
                                         sm->killSession(team, id, sid, SIGKILL, [id](Status s) {
                                             if (!s)
                                                 qCWarning(lcRuntime) << id << s.error().message;
                                         });
                                     });
                                 });
                             });
           });

    api.on("/v1/sandboxes/<arg>/commands/<arg>/stdin", M::Post,
           [sm](ApiCall &c, const QString &id, const QString &cmdId) {
               if (auto s = checkCommandId(cmdId); !s) {
                   c.reply->error(s.error());
                   return;
               }
               if (c.body.size() > Limits::kMaxFileBytes) {
                   c.reply->error(ApiError::tooLarge(QStringLiteral("At most 32 MiB can be written to stdin at once.")));
                   return;
               }
               const QString eof = c.param(QStringLiteral("eof"));
               QJsonObject h{{QStringLiteral("op"), QStringLiteral("stdin")}, {QStringLiteral("command_id"), cmdId}};
               if (eof == QLatin1String("true") || eof == QLatin1String("1"))
                   h.insert(QStringLiteral("eof"), true);
               AgentCalls::relay(sm, c, id, h, c.body, AgentCalls::kDefaultTimeoutMs,
                                 [](HttpReply &reply, const AgentReply &r) {
                                     reply.json(200, pick(r.header, {QStringLiteral("written")}));
                                 });
           });
}
