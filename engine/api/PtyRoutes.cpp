// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtyRoutes.h"

#include "AgentCalls.h"
#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "Limits.h"
#include "PtySocket.h"
#include "runtime/ActivityLog.h"
#include "runtime/AgentClient.h"
#include "runtime/SandboxManager.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>

namespace {

constexpr int kMaxTerminalSize = 1000;

Status checkPtyId(const QString &ptyId)
{
    static const QRegularExpression re(QStringLiteral("^pty_[a-z0-9]{1,64}\\z"));
    if (!re.match(ptyId).hasMatch())
        return ApiError::notFound(QStringLiteral("No terminal %1.").arg(ptyId));
    return Done{};
}

Result<int> terminalSize(const QJsonObject &o, const QString &field, int fallback)
{
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < 1 ||
        v.toDouble() > kMaxTerminalSize)
        return ApiError::badRequest(
            QStringLiteral("'%1' must be a whole number from 1 to %2.").arg(field).arg(kMaxTerminalSize));
    return int(v.toDouble());
}

Result<QJsonObject> startHeader(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, true);
    if (!obj)
        return obj.error();
    const QJsonObject &o = *obj;
    if (auto s = Validate::onlyKnownFields(o, {QStringLiteral("cols"), QStringLiteral("rows"), QStringLiteral("cwd"),
                                               QStringLiteral("env"), QStringLiteral("user"), QStringLiteral("cmd")});
        !s)
        return s.error();
    const auto cols = terminalSize(o, QStringLiteral("cols"), 80);
    if (!cols)
        return cols.error();
    const auto rows = terminalSize(o, QStringLiteral("rows"), 24);
    if (!rows)
        return rows.error();
    QJsonObject h{{QStringLiteral("op"), QStringLiteral("pty_start")},
                  {QStringLiteral("cols"), *cols},
                  {QStringLiteral("rows"), *rows}};
    for (const QString &f : {QStringLiteral("cwd"), QStringLiteral("cmd")}) {
        if (auto s = AgentCalls::copyPath(o, f, &h); !s)
            return s.error();
    }
    if (auto s = AgentCalls::copyEnv(o, &h); !s)
        return s.error();
    if (auto s = AgentCalls::copyUser(o, &h); !s)
        return s.error();
    return h;
}

} // namespace

void PtyRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes/<arg>/pty", M::Post, [sm](ApiCall &c, const QString &id) {
        const auto h = startHeader(c.body);
        if (!h) {
            c.reply->error(h.error());
            return;
        }
        const QJsonObject request = *h;
        AgentCalls::relay(sm, c, id, *h, {}, AgentCalls::kDefaultTimeoutMs,
                          [sm, id, request](HttpReply &reply, const AgentReply &r) {
                              if (sm->activity())
                                  sm->activity()->record(
                                      id, QStringLiteral("pty"),
                                      {{QStringLiteral("event"), QStringLiteral("opened")},
                                       {QStringLiteral("pty_id"), r.header.value(QStringLiteral("pty_id"))},
                                       {QStringLiteral("cmd"), request.value(QStringLiteral("cmd"))},
                                       {QStringLiteral("user"), request.value(QStringLiteral("user"))},
                                       {QStringLiteral("cols"), request.value(QStringLiteral("cols"))},
                                       {QStringLiteral("rows"), request.value(QStringLiteral("rows"))}});
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
        const auto obj = Validate::jsonObject(c.body, false);
        if (!obj) {
            c.reply->error(obj.error());
            return;
        }
        if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("cols"), QStringLiteral("rows")}); !s) {
            c.reply->error(s.error());
            return;
        }
        if (!obj->contains(QStringLiteral("cols")) || !obj->contains(QStringLiteral("rows"))) {
            c.reply->error(ApiError::badRequest(QStringLiteral("Both 'cols' and 'rows' are required.")));
            return;
        }
        const auto cols = terminalSize(*obj, QStringLiteral("cols"), 0);
        const auto rows = terminalSize(*obj, QStringLiteral("rows"), 0);
        if (!cols || !rows) {
            c.reply->error(!cols ? cols.error() : rows.error());
            return;
        }
        perPty(c, id, p,
               QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_resize")},
                           {QStringLiteral("cols"), *cols},
                           {QStringLiteral("rows"), *rows}},
               {}, [](HttpReply &reply, const AgentReply &) { reply.json(200, QJsonObject()); });
    });

    api.on("/v1/sandboxes/<arg>/pty/<arg>", M::Delete, [sm, perPty](ApiCall &c, const QString &id, const QString &p) {
        perPty(c, id, p, QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_kill")}}, {},
               [sm, id, p](HttpReply &reply, const AgentReply &) {
                   if (sm->activity())
                       sm->activity()->record(id, QStringLiteral("pty"),
                                              {{QStringLiteral("event"), QStringLiteral("closed")},
                                               {QStringLiteral("pty_id"), p}});
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
