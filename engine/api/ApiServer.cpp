// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiServer.h"

#include "store/KeyStore.h"

#include <QJsonObject>
#include <QPointer>
#include <QUrlQuery>

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

ApiServer::ApiServer(KeyStore *keys, QString nodeId, int maxConnections, QObject *parent)
    : QObject(parent)
    , m_keys(keys)
    , m_nodeId(std::move(nodeId))
    , m_maxConnections(maxConnections > 0 ? maxConnections : ApiListener::defaultMaxConnections())
{
    m_http.route("/v1/health", Method::Get, [this](const QHttpServerRequest &, QHttpServerResponder &&resp) {
        HttpReply(std::move(resp))
            .json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                   {QStringLiteral("version"), QStringLiteral(AI2IN_VERSION)},
                                   {QStringLiteral("node_id"), m_nodeId}});
    });
    connect(&m_http, &QHttpServer::newWebSocketConnection, this, &ApiServer::acceptWebSocket);
    m_keysStamp = m_keys->changeStamp();
    m_revocationTimer.setInterval(kRevocationCheckMs);
    m_revocationTimer.callOnTimeout(this, &ApiServer::closeRevokedSessions);
    m_revocationTimer.start();
    m_http.setMissingHandler([](const QHttpServerRequest &req, QHttpServerResponder &&resp) {
        HttpReply(std::move(resp))
            .error(ApiError::notFound(QStringLiteral("There is no endpoint %1 %2.")
                                          .arg(methodName(req.method()),
                                               req.url().path())));
    });
}

Result<QString> ApiServer::keyOf(const QByteArray &authorization, const QString &accessToken)
{
    if (!accessToken.isEmpty())
        return accessToken;
    const QByteArray auth = authorization.trimmed();
    if (auth.isEmpty())
        return ApiError::unauthorized(
            QStringLiteral("No API key was sent; send it as 'Authorization: Bearer ai2in_live_…'."));
    if (!auth.startsWith("Bearer "))
        return ApiError::unauthorized(
            QStringLiteral("The Authorization header must be 'Bearer <key>' with a key such as ai2in_live_…"));
    return QString::fromLatin1(auth.mid(7).trimmed());
}

Result<QString> ApiServer::authenticate(const QByteArray &authorization, const QString &accessToken) const
{
    const auto key = keyOf(authorization, accessToken);
    if (!key)
        return key.error();
    const auto team = m_keys->teamOf(*key);
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
    // Answered requests drop out now and then, so the list (and the memory
    // its weak pointers hold) stays the size of what is in flight.
    if (m_open.size() >= m_openPruneAt) {
        inFlight();
        m_openPruneAt = std::max<size_t>(64, 2 * m_open.size());
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
        ws->setMaxAllowedIncomingMessageSize(kMaxWebSocketMessage);
        ws->setMaxAllowedIncomingFrameSize(kMaxWebSocketMessage);
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
    auto *listener = new ApiListener([this](ApiConnection &s, const RequestHead &h) { return admit(s, h); },
                                     m_maxConnections, this);
    if (!listener->listen(address, port)) {
        delete listener;
        return 0;
    }
    m_http.bind(listener);
    m_listeners.append(listener);
    return listener->serverPort();
}

RequestGate::Verdict ApiServer::admit(ApiConnection &socket, const RequestHead &head)
{
    const QUrl url = QUrl::fromEncoded(head.target);
    const QString path = url.path();
    if (path == QLatin1String("/v1/health"))
        return RequestGate::Admit{kMaxJsonBody};
    const bool upgrade = !head.value("Upgrade").isEmpty();
    // Browsers cannot set headers on a WebSocket: those may carry the key
    // in the query instead.
    const QString token =
        upgrade ? QUrlQuery(url).queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded) : QString();
    const auto team = authenticate(head.value("Authorization"), token);
    if (!team)
        return team.error();
    socket.setKey(*keyOf(head.value("Authorization"), token)); // valid: authenticate took it
    static const QRegularExpression uploads(
        QStringLiteral("^/v1/sandboxes/[^/]+/(files/content|commands/[^/]+/stdin|pty/[^/]+/input)\\z"));
    const bool upload = head.method != "GET" && uploads.match(path).hasMatch();
    const qint64 maxBody = upload ? kMaxUploadBody : kMaxJsonBody;
    if (upload && (head.body.kind() == BodyFraming::Kind::Chunked || head.body.declaredLength() > kMaxJsonBody)) {
        auto slot = acquireTransfer(*team);
        if (!slot)
            return slot.error();
        socket.holdTransfer(std::move(*slot));
    }
    // A download (up to 32 MiB; the changes' archive a file at a time) is in
    // the engine's memory from the agent's answer until the client has taken
    // it: it counts until then.
    static const QRegularExpression downloads(QStringLiteral("^/v1/sandboxes/[^/]+/(files/content|changes/archive)\\z"));
    if (head.method == "GET" && downloads.match(path).hasMatch()) {
        auto slot = acquireTransfer(*team);
        if (!slot)
            return slot.error();
        socket.holdUntilAnswered(std::move(*slot));
    }
    RequestGate::Admit admit{maxBody, {}};
    // A file's bytes of declared length go to the agent as they arrive
    // (FileStreaming), at most the file limit, refused from the head.
    static const QRegularExpression files(QStringLiteral("^/v1/sandboxes/[^/]+/files/content\\z"));
    if (head.method == "PUT" && head.body.kind() == BodyFraming::Kind::Length && files.match(path).hasMatch()) {
        admit.maxBody = Limits::kMaxFileBytes;
        if (head.body.declaredLength() > 0 && head.body.declaredLength() <= admit.maxBody)
            socket.streamBody(admit, head.body.declaredLength());
    }
    return admit;
}

Result<std::shared_ptr<void>> ApiServer::acquireTransfer(const QString &team)
{
    int &inFlight = m_transfers[team];
    if (inFlight >= kMaxTransfersPerTeam)
        return ApiError::quotaExceeded(
            QStringLiteral("This team already has %1 large transfers in flight, the most at once; retry when one has "
                           "finished.")
                .arg(kMaxTransfersPerTeam));
    ++inFlight;
    QPointer<ApiServer> self(this);
    return std::shared_ptr<void>(nullptr, [self, team](void *) {
        if (self && --self->m_transfers[team] <= 0)
            self->m_transfers.remove(team);
    });
}

void ApiServer::closeRevokedSessions()
{
    const qint64 stamp = m_keys->changeStamp();
    if (stamp == m_keysStamp)
        return;
    m_keysStamp = stamp;
    QHash<QString, bool> valid;
    for (ApiListener *listener : std::as_const(m_listeners)) {
        for (ApiConnection *socket : listener->connections()) {
            const QString key = socket->key();
            if (key.isEmpty())
                continue;
            auto known = valid.find(key);
            if (known == valid.end()) {
                const auto team = m_keys->teamOf(key);
                // A failed lookup is not a revocation: keep the session.
                known = valid.insert(key, !team || team->has_value());
            }
            if (*known)
                continue;
            qCInfo(lcApi) << "closing a session of a revoked key from" << socket->peerAddress().toString();
            socket->terminate(QStringLiteral("The API key was revoked."));
        }
    }
}

void ApiServer::stopListening()
{
    m_stopping = true;
    for (ApiListener *listener : std::as_const(m_listeners))
        listener->close();
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
