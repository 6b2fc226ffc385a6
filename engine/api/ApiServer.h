// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiCall.h"
#include "Result.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QObject>

#include <QRegularExpression>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

class KeyStore;

// The engine's HTTP front: authentication, routing and the error format.
// Route groups (sandboxes, commands, files) register themselves through `on`.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    ApiServer(KeyStore *keys, QString nodeId, QObject *parent = nullptr);

    using Method = QHttpServerRequest::Method;
    using Handler0 = std::function<void(ApiCall &)>;
    using Handler1 = std::function<void(ApiCall &, const QString &)>;
    using Handler2 = std::function<void(ApiCall &, const QString &, const QString &)>;

    // `path` uses `<arg>` for each id in it, as QHttpServer does.
    void on(const char *path, Method method, Handler0 h);
    void on(const char *path, Method method, Handler1 h);
    void on(const char *path, Method method, Handler2 h);

    // A WebSocket endpoint: `routePath` as for `on`, `pattern` the same path
    // as a regular expression whose groups are the ids. The handler gets the
    // team and an open socket it then owns.
    using WsHandler = std::function<void(const QString &team, QWebSocket *ws, const QStringList &args)>;
    void onWebSocket(const char *routePath, const QString &pattern, WsHandler h);

    quint16 listen(const QHostAddress &address, quint16 port);

    // For a clean shutdown: closes the listening sockets; requests that still
    // arrive on open connections are answered 503.
    void stopListening();
    // Requests accepted and not yet fully answered (streams included) whose
    // client is still connected.
    int inFlight();
    // Answers every request still waiting with `error`.
    void failInFlight(const ApiError &error);

private:
    Result<QString> authenticate(const QByteArray &authorization, const QString &accessToken) const;
    void acceptWebSocket();

    struct WsRoute
    {
        QRegularExpression pattern;
        WsHandler handler;
    };
    QList<WsRoute> m_wsRoutes;

    std::optional<ApiCall> begin(const QHttpServerRequest &req, QHttpServerResponder &&responder);

    QHttpServer m_http;
    std::vector<std::weak_ptr<HttpReply>> m_open; // for inFlight()
    bool m_stopping = false;
    KeyStore *m_keys;
    QString m_nodeId;
};
