// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiError.h"

#include <QHttpServerResponder>
#include <QJsonObject>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

// The answer to one HTTP request, which may be sent long after the route
// handler returned. Sending twice, or after the client went away, is harmless.
class HttpReply
{
public:
    explicit HttpReply(QHttpServerResponder &&responder);

    void json(int status, const QJsonObject &body, const QByteArray &etag = {});
    void bytes(int status, const QByteArray &body, const QByteArray &mimeType);
    void empty(int status, const QByteArray &etag = {});
    void error(const ApiError &e);

    // A chunked body sent piece by piece (NDJSON event streams).
    void beginChunked(int status, const QByteArray &mimeType);
    void chunk(const QByteArray &bytes);
    void endChunked();
    // A body of known length sent piece by piece (a file on its way from
    // the agent); once `length` bytes have gone, the answer is complete.
    void beginSized(int status, const QByteArray &mimeType, qint64 length);
    void piece(const QByteArray &bytes);
    // False once the client has gone away.
    bool connected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

    bool sent() const { return m_sent; }
    // A chunked body has begun and not yet ended.
    bool streaming() const { return m_chunked || m_sizedLeft > 0; }

    // Pacing a stream: what still waits in the engine to go out to the
    // client, and the connection whose bytesWritten says it moved on.
    static constexpr qint64 kStreamWindow = 1024 * 1024;
    qint64 unsent() const { return connected() ? m_socket->bytesToWrite() : 0; }
    bool congested() const { return unsent() > kStreamWindow; }
    QTcpSocket *socket() const { return m_socket; }

private:
    bool canSend();
    void send(int status, const QByteArray &mimeType, const QByteArray &body, const QByteArray &etag);

    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    bool m_sent = false;
    bool m_chunked = false;
    qint64 m_sizedLeft = 0; // of a sized body still to send
};

using HttpReplyPtr = std::shared_ptr<HttpReply>;
