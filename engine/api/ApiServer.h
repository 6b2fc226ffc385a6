// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiCall.h"
#include "ApiListener.h"
#include "Limits.h"
#include "Result.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QObject>

#include <QHash>
#include <QRegularExpression>
#include <QTimer>
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
    // `maxConnections`: per listening address (0: ApiListener's default).
    ApiServer(KeyStore *keys, QString nodeId, int maxConnections = 0, QObject *parent = nullptr);

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

    // Request bodies: JSON at most 1 MiB; the byte-carrying routes (file
    // content, command stdin, terminal input) the file limit plus framing.
    static constexpr qint64 kMaxJsonBody = 1024 * 1024;
    static constexpr qint64 kMaxUploadBody = Limits::kMaxFileBytes + 64 * 1024;
    // Large bodies in flight at once, per team; more answer 429.
    static constexpr int kMaxTransfersPerTeam = 8;
    // The largest WebSocket message the engine takes from a client.
    static constexpr qint64 kMaxWebSocketMessage = 4 * 1024 * 1024;
    // How often live sessions are checked against revoked keys.
    static constexpr int kRevocationCheckMs = 250;

    // A slot for one large transfer of `team`, or an error when it has
    // kMaxTransfersPerTeam already. The slot is freed when dropped.
    Result<std::shared_ptr<void>> acquireTransfer(const QString &team);
    // For a clean shutdown: closes the listening sockets; requests that still
    // arrive on open connections are answered 503.
    void stopListening();
    // Requests accepted and not yet fully answered (streams included) whose
    // client is still connected.
    int inFlight();
    // Answers every request still waiting with `error`.
    void failInFlight(const ApiError &error);

private:
    RequestGate::Verdict admit(ApiConnection &socket, const RequestHead &head);
    void closeRevokedSessions();
    // The key a request carries (header, or a WebSocket's access_token).
    static Result<QString> keyOf(const QByteArray &authorization, const QString &accessToken);
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
    QList<ApiListener *> m_listeners;
    int m_maxConnections = 0;
    QHash<QString, int> m_transfers;
    QTimer m_revocationTimer;
    qint64 m_keysStamp = -1;
    std::vector<std::weak_ptr<HttpReply>> m_open; // for inFlight()
    size_t m_openPruneAt = 64;
    bool m_stopping = false;
    KeyStore *m_keys;
    QString m_nodeId;
};
