// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiServer.h"

#include "store/KeyStore.h"

#include <QJsonObject>
#include <QTcpServer>

Q_LOGGING_CATEGORY(lcApi, "ai2in.engine.api")

namespace {

QByteArray headerValue(const QHttpServerRequest &req, const QByteArray &name)
{
    for (const auto &[key, value] : req.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get: return QStringLiteral("GET");
    case QHttpServerRequest::Method::Put: return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete: return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Post: return QStringLiteral("POST");
    case QHttpServerRequest::Method::Head: return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Options: return QStringLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch: return QStringLiteral("PATCH");
    default: return QStringLiteral("this method to");
    }
}

} // namespace

ApiServer::ApiServer(KeyStore *keys, QString nodeId, QObject *parent)
    : QObject(parent)
    , m_keys(keys)
    , m_nodeId(std::move(nodeId))
{
    m_http.route("/v1/health", Method::Get, [this](const QHttpServerRequest &, QHttpServerResponder &&resp) {
        HttpReply(std::move(resp))
            .json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                   {QStringLiteral("version"), QStringLiteral(AI2IN_VERSION)},
                                   {QStringLiteral("node_id"), m_nodeId}});
    });
    connect(&m_http, &QHttpServer::newWebSocketConnection, this, &ApiServer::acceptWebSocket);
    m_http.setMissingHandler([](const QHttpServerRequest &req, QHttpServerResponder &&resp) {
        HttpReply(std::move(resp))
            .error(ApiError::notFound(QStringLiteral("There is no endpoint %1 %2.")
                                          .arg(methodName(req.method()),
                                               req.url().path())));
    });
}

Result<QString> ApiServer::authenticate(const QByteArray &authorization, const QString &accessToken) const
{
    QString key = accessToken;
    if (key.isEmpty()) {
        const QByteArray auth = authorization.trimmed();
        if (auth.isEmpty())
            return ApiError::unauthorized(
                QStringLiteral("No API key was sent; send it as 'Authorization: Bearer ai2in_live_…'."));
        if (!auth.startsWith("Bearer "))
            return ApiError::unauthorized(
                QStringLiteral("The Authorization header must be 'Bearer <key>' with a key such as ai2in_live_…"));
        key = QString::fromLatin1(auth.mid(7).trimmed());
    }
    const auto team = m_keys->teamOf(key);
    if (!team)
        return team.error();
    if (!team->has_value())
        return ApiError::unauthorized(QStringLiteral("The API key is not valid: it is unknown or was revoked."));
    return **team;
}

std::optional<ApiCall> ApiServer::begin(const QHttpServerRequest &req, QHttpServerResponder &&responder)
{
    auto reply = std::make_shared<HttpReply>(std::move(responder));
    if (m_stopping) {
        reply->error(ApiError::unavailable(QStringLiteral("The engine is shutting down; try again once it is back.")));
        return std::nullopt;
    }
    const auto team = authenticate(headerValue(req, "Authorization"), QString());
    if (!team) {
        reply->error(team.error());
        return std::nullopt;
    }
    m_open.push_back(reply);
    ApiCall call;
    call.team = *team;
    call.body = req.body();
    call.query = req.query();
    call.ifNoneMatch = headerValue(req, "If-None-Match").trimmed();
    call.reply = reply;
    return call;
}

void ApiServer::on(const char *path, Method method, Handler0 h)
{
    m_http.route(path, method, [this, h](const QHttpServerRequest &req, QHttpServerResponder &&resp) {
        if (auto call = begin(req, std::move(resp)))
            h(*call);
    });
}

void ApiServer::on(const char *path, Method method, Handler1 h)
{
    m_http.route(path, method,
                 [this, h](const QString &a, const QHttpServerRequest &req, QHttpServerResponder &&resp) {
                     if (auto call = begin(req, std::move(resp)))
                         h(*call, a);
                 });
}

void ApiServer::on(const char *path, Method method, Handler2 h)
{
    m_http.route(path, method,
                 [this, h](const QString &a, const QString &b, const QHttpServerRequest &req,
                           QHttpServerResponder &&resp) {
                     if (auto call = begin(req, std::move(resp)))
                         h(*call, a, b);
                 });
}

void ApiServer::onWebSocket(const char *routePath, const QString &pattern, WsHandler h)
{
    m_wsRoutes.append({QRegularExpression(QStringLiteral("^") + pattern + QStringLiteral("\\z")), std::move(h)});
    // QHttpServer upgrades only requests whose path matches a route that
    // writes nothing; a plain GET gets a sentence instead.
    auto route = [](const QHttpServerRequest &req, QHttpServerResponder &&resp) {
        if (headerValue(req, "Upgrade").toLower() == "websocket")
            return;
        HttpReply(std::move(resp)).error(ApiError::badRequest(
            QStringLiteral("This endpoint is a WebSocket; connect with an 'Upgrade: websocket' request.")));
    };
    const int args = QString::fromLatin1(routePath).count(QStringLiteral("<arg>"));
    if (args == 1)
        m_http.route(routePath, Method::Get, [route](const QString &, const QHttpServerRequest &req,
                                                      QHttpServerResponder &&resp) { route(req, std::move(resp)); });
    else
        m_http.route(routePath, Method::Get,
                     [route](const QString &, const QString &, const QHttpServerRequest &req,
                             QHttpServerResponder &&resp) { route(req, std::move(resp)); });
}

void ApiServer::acceptWebSocket()
{
    while (m_http.hasPendingWebSocketConnections()) {
        QWebSocket *ws = m_http.nextPendingWebSocketConnection().release();
        ws->setParent(this);
        const QUrl url = ws->requestUrl();
        const auto team = authenticate(ws->request().rawHeader("Authorization"),
                                       QUrlQuery(url).queryItemValue(QStringLiteral("access_token")));
        if (!team) {
            ws->close(QWebSocketProtocol::CloseCodePolicyViolated, team.error().message);
            ws->deleteLater();
            continue;
        }
        bool handled = false;
        for (const WsRoute &r : m_wsRoutes) {
            const auto m = r.pattern.match(url.path());
            if (!m.hasMatch())
                continue;
            QStringList args = m.capturedTexts();
            args.removeFirst();
            r.handler(*team, ws, args);
            handled = true;
            break;
        }
        if (!handled) {
            ws->close(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("There is no WebSocket endpoint here."));
            ws->deleteLater();
        }
    }
}

quint16 ApiServer::listen(const QHostAddress &address, quint16 port)
{
    return m_http.listen(address, port);
}

void ApiServer::stopListening()
{
    m_stopping = true;
    for (QTcpServer *server : m_http.servers())
        server->close();
}

int ApiServer::inFlight()
{
    std::erase_if(m_open, [](const std::weak_ptr<HttpReply> &w) {
        const auto r = w.lock();
        return !r || !r->connected() || (r->sent() && !r->streaming());
    });
    return int(m_open.size());
}

void ApiServer::failInFlight(const ApiError &error)
{
    for (const std::weak_ptr<HttpReply> &w : m_open) {
        if (const auto r = w.lock(); r && !r->sent())
            r->error(error);
    }
    m_open.clear();
}
