// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineSocket.h"

#include "EngineClient.h"

#include <QNetworkRequest>
#include <QTimer>
#include <QWebSocket>

QWebSocket *EngineSocket::make(QObject *owner, std::function<void(QWebSocket *)> closed)
{
    auto *ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, owner);
    QObject::connect(ws, &QWebSocket::disconnected, owner, [ws, closed] { closed(ws); });
    QObject::connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), owner,
                     [ws, closed](QAbstractSocket::SocketError) {
                         QTimer::singleShot(0, ws, [ws, closed] {
                             if (ws->state() == QAbstractSocket::UnconnectedState)
                                 closed(ws);
                         });
                     });
    return ws;
}

void EngineSocket::open(QWebSocket *ws, const QUrl &url, const QString &apiKey)
{
    QNetworkRequest req(url);
    if (!apiKey.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    ws->open(req);
}

void EngineSocket::open(QWebSocket *ws, const EngineClient &client, const QString &pathAndQuery)
{
    open(ws, client.urlFor(pathAndQuery, true), client.apiKeyFor(pathAndQuery));
}

void EngineSocket::drop(QPointer<QWebSocket> &ws, QObject *owner)
{
    QWebSocket *socket = ws;
    ws = nullptr;
    if (!socket)
        return;
    socket->disconnect(owner);
    socket->close();
    socket->deleteLater();
}
