// SPDX-License-Identifier: GPL-3.0-or-later
#include "WatchRoutes.h"

#include "AgentCalls.h"
#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "RequestBodies.h"
#include "WatchSocket.h"
#include "runtime/AgentClient.h"
#include "runtime/SandboxManager.h"

#include <QRegularExpression>

namespace {

Status checkWatchId(const QString &watchId)
{
    static const QRegularExpression re(QStringLiteral("^wch_[a-z0-9]{1,64}\\z"));
    if (!re.match(watchId).hasMatch())
        return ApiError::notFound(QStringLiteral("No watch %1.").arg(watchId));
    return Done{};
}

} // namespace

void WatchRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes/<arg>/watches", M::Post, [sm](ApiCall &c, const QString &id) {
        const auto h = RequestBodies::watchStart(c.body);
        if (!h) {
            c.reply->error(h.error());
            return;
        }
        AgentCalls::relay(sm, c, id, *h, {}, AgentCalls::kDefaultTimeoutMs, [](HttpReply &reply, const AgentReply &r) {
            reply.json(201, QJsonObject{{QStringLiteral("watch_id"), r.header.value(QStringLiteral("watch_id"))},
                                        {QStringLiteral("path"), r.header.value(QStringLiteral("path"))}});
        });
    });

    api.on("/v1/sandboxes/<arg>/watches/<arg>/events", M::Get, [sm](ApiCall &c, const QString &id, const QString &w) {
        if (auto s = checkWatchId(w); !s) {
            c.reply->error(s.error());
            return;
        }
        AgentCalls::relay(sm, c, id,
                          QJsonObject{{QStringLiteral("op"), QStringLiteral("watch_poll")},
                                      {QStringLiteral("watch_id"), w}},
                          {}, AgentCalls::kDefaultTimeoutMs, [](HttpReply &reply, const AgentReply &r) {
                              reply.json(200, QJsonObject{{QStringLiteral("events"), r.header.value(QStringLiteral("events"))},
                                                          {QStringLiteral("dropped"), r.header.value(QStringLiteral("dropped"))}});
                          });
    });

    api.on("/v1/sandboxes/<arg>/watches/<arg>", M::Delete, [sm](ApiCall &c, const QString &id, const QString &w) {
        if (auto s = checkWatchId(w); !s) {
            c.reply->error(s.error());
            return;
        }
        AgentCalls::relay(sm, c, id,
                          QJsonObject{{QStringLiteral("op"), QStringLiteral("watch_stop")},
                                      {QStringLiteral("watch_id"), w}},
                          {}, AgentCalls::kDefaultTimeoutMs, [](HttpReply &reply, const AgentReply &) { reply.empty(204); });
    });

    api.onWebSocket("/v1/sandboxes/<arg>/watches/<arg>/ws", QStringLiteral("/v1/sandboxes/([^/]+)/watches/([^/]+)/ws"),
                    [sm](const QString &team, QWebSocket *ws, const QStringList &args) {
                        if (auto s = checkWatchId(args.at(1)); !s) {
                            ws->close(QWebSocketProtocol::CloseCodeBadOperation, s.error().message);
                            ws->deleteLater();
                            return;
                        }
                        new WatchSocket(sm, team, args.at(0), args.at(1), ws, sm);
                    });
}
