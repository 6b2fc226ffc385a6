// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QString>
#include <QUrl>

#include <functional>

class EngineClient;
class QObject;
class QWebSocket;

// The engine's WebSockets (a terminal, a file watch): made with one "closed"
// callback, opened with the API key, and dropped without another word to
// their owner.
namespace EngineSocket {

// A socket owned by `owner`. `closed` runs when it closes or cannot open (a
// refused connection may report only an error, never "disconnected"), maybe
// twice: the owner ignores a socket it no longer holds.
QWebSocket *make(QObject *owner, std::function<void(QWebSocket *)> closed);
// Opens `url` (ws:// or wss://), sending the key when there is one.
void open(QWebSocket *ws, const QUrl &url, const QString &apiKey);
// Opens `pathAndQuery` of `client`'s engine, with its key.
void open(QWebSocket *ws, const EngineClient &client, const QString &pathAndQuery);
// Cuts `ws`'s connections to `owner`, closes and deletes it; `ws` is null after.
void drop(QPointer<QWebSocket> &ws, QObject *owner);

} // namespace EngineSocket
