// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtyRoutes.h"

#include "ActivityFields.h"
#include "AgentCalls.h"
#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "Limits.h"
#include "RequestBodies.h"
#include "PtySocket.h"
#include "runtime/ActivityLog.h"
#include "runtime/AgentClient.h"
#include "runtime/SandboxManager.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>

namespace {

Status checkPtyId(const QString &ptyId)
{
    static const QRegularExpression re(QStringLiteral("^pty_[a-z0-9]{1,64}\\z"));
    if (!re.match(ptyId).hasMatch())
        return ApiError::notFound(QStringLiteral("No terminal %1.").arg(ptyId));
    return Done{};
}

} // namespace

void PtyRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes/<arg>/pty", M::Post, [sm](ApiCall &c, const QString &id) {
        const auto h = RequestBodies::ptyStart(c.body);
        if (!h) {
            c.reply->error(h.error());
            return;
        }
        const QJsonObject request = *h;
        AgentCalls::relay(sm, c, id, *h, {}, AgentCalls::kDefaultTimeoutMs,
                          [sm, id, request](HttpReply &reply, const AgentReply &r) {
                              if (sm->activity())
                                  sm->activity()->record(
                                      id, ActivityFields::kKindPty,
                                      {{ActivityFields::kEvent, QStringLiteral("opened")},
                                       {ActivityFields::kPtyId, r.header.value(QStringLiteral("pty_id"))},
                                       {ActivityFields::kCmd, request.value(QStringLiteral("cmd"))},
                                       {ActivityFields::kUser, request.value(QStringLiteral("user"))},
                                       {ActivityFields::kCols, request.value(QStringLiteral("cols"))},
                                       {ActivityFields::kRows, request.value(QStringLiteral("rows"))}});
                              reply.json(201, QJsonObject{{QStringLiteral("pty_id"), r.header.value(QStringLiteral("pty_id"))},
                                                          {QStringLiteral("pid"), r.header.value(QStringLiteral("pid"))}});
                          });
    });

    api.on("/v1/sandboxes/<arg>/pty", M::Get, [sm](ApiCall &c, const QString &id) {
        AgentCalls::relay(sm, c, id, QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_list")}}, {},
                          AgentCalls::kDefaultTimeoutMs, [](HttpReply &reply, const AgentReply &r) {
                              QJsonArray out;
                              for (const QJsonValue &v : r.header.value(QStringLiteral("ptys")).toArray()) {
                                  QJsonObject p = v.toObject();
                                  p.insert(QStringLiteral("started_at"),
                                           AgentCalls::msToTime(p.value(QStringLiteral("started_at_ms"))));
                                  p.remove(QStringLiteral("started_at_ms"));
                                  out.append(p);
                              }
                              reply.json(200, QJsonObject{{QStringLiteral("ptys"), out}});
                          });
    });

    // Every per-terminal endpoint starts the same way.
    auto perPty = [sm](ApiCall &c, const QString &id, const QString &ptyId, QJsonObject header, const QByteArray &body,
                       std::function<void(HttpReply &, const AgentReply &)> ok) {
        if (auto s = checkPtyId(ptyId); !s) {
            c.reply->error(s.error());
            return;
        }
        header.insert(QStringLiteral("pty_id"), ptyId);
        AgentCalls::relay(sm, c, id, header, body, AgentCalls::kDefaultTimeoutMs, ok);
    };

    api.on("/v1/sandboxes/<arg>/pty/<arg>/input", M::Post, [perPty](ApiCall &c, const QString &id, const QString &p) {
        if (c.body.size() > Limits::kMaxFileBytes) {
            c.reply->error(ApiError::tooLarge(QStringLiteral("At most 32 MiB can be sent to a terminal at once.")));
            return;
        }
        perPty(c, id, p, QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_send")}}, c.body,
               [](HttpReply &reply, const AgentReply &r) {
                   reply.json(200, QJsonObject{{QStringLiteral("written"), r.header.value(QStringLiteral("written"))}});
               });
    });

    api.on("/v1/sandboxes/<arg>/pty/<arg>/output", M::Get, [perPty](ApiCall &c, const QString &id, const QString &p) {
        perPty(c, id, p, QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_read")}}, {},
               [](HttpReply &reply, const AgentReply &r) {
                   reply.json(200, QJsonObject{
                                       {QStringLiteral("data"), QString::fromLatin1(r.body.toBase64())},
                                       {QStringLiteral("alive"), r.header.value(QStringLiteral("alive"))},
                                       {QStringLiteral("exit_code"), r.header.value(QStringLiteral("exit_code"))},
                                       {QStringLiteral("dropped"), r.header.value(QStringLiteral("dropped"))},
                                       {QStringLiteral("offset"), r.header.value(QStringLiteral("offset"))},
                                   });
               });
    });

    api.on("/v1/sandboxes/<arg>/pty/<arg>/resize", M::Post, [perPty](ApiCall &c, const QString &id, const QString &p) {
        const auto h = RequestBodies::ptyResize(c.body);
        if (!h) {
            c.reply->error(h.error());
            return;
        }
        perPty(c, id, p, *h,
               {}, [](HttpReply &reply, const AgentReply &) { reply.json(200, QJsonObject()); });
    });

    api.on("/v1/sandboxes/<arg>/pty/<arg>", M::Delete, [sm, perPty](ApiCall &c, const QString &id, const QString &p) {
        perPty(c, id, p, QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_kill")}}, {},
               [sm, id, p](HttpReply &reply, const AgentReply &) {
                   if (sm->activity())
                       sm->activity()->record(id, ActivityFields::kKindPty,
                                              {{ActivityFields::kEvent, QStringLiteral("closed")},
                                               {ActivityFields::kPtyId, p}});
                   reply.empty(204);
               });
    });

    api.onWebSocket("/v1/sandboxes/<arg>/pty/<arg>/ws", QStringLiteral("/v1/sandboxes/([^/]+)/pty/([^/]+)/ws"),
                    [sm](const QString &team, QWebSocket *ws, const QStringList &args) {
                        bool ok = false;
                        const QString fromText = QUrlQuery(ws->requestUrl()).queryItemValue(QStringLiteral("from"));
                        qint64 from = fromText.isEmpty() ? -1 : fromText.toLongLong(&ok);
                        if (!fromText.isEmpty() && (!ok || from < 0)) {
                            ws->close(QWebSocketProtocol::CloseCodeBadOperation,
                                      QStringLiteral("'from' must be a byte offset (0 or more)."));
                            ws->deleteLater();
                            return;
                        }
                        if (auto s = checkPtyId(args.at(1)); !s) {
                            ws->close(QWebSocketProtocol::CloseCodeBadOperation, s.error().message);
                            ws->deleteLater();
                            return;
                        }
                        new PtySocket(sm, team, args.at(0), args.at(1), ws, from, sm);
                    });
}
