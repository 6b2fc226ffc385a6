// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpReply.h"

#include <QHttpServerResponse>
#include <QJsonDocument>

HttpReply::HttpReply(QHttpServerResponder &&responder)
    : m_responder(std::move(responder))
    , m_socket(m_responder.socket())
{
}

bool HttpReply::canSend()
{
    if (m_sent)
        return false;
    m_sent = true;
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpReply::send(int status, const QByteArray &mimeType, const QByteArray &body, const QByteArray &etag)
{
    if (!canSend())
        return;
    QHttpServerResponse r(mimeType, body, QHttpServerResponder::StatusCode(status));
    if (!etag.isEmpty())
        r.setHeader(QByteArrayLiteral("ETag"), etag);
    r.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    r.write(std::move(m_responder));
}

void HttpReply::json(int status, const QJsonObject &body, const QByteArray &etag)
{
    send(status, QByteArrayLiteral("application/json"), QJsonDocument(body).toJson(QJsonDocument::Compact), etag);
}

void HttpReply::bytes(int status, const QByteArray &body, const QByteArray &mimeType)
{
    send(status, mimeType, body, {});
}

void HttpReply::empty(int status, const QByteArray &etag)
{
    if (!canSend())
        return;
    QHttpServerResponse r{QHttpServerResponder::StatusCode(status)};
    if (!etag.isEmpty())
        r.setHeader(QByteArrayLiteral("ETag"), etag);
    r.write(std::move(m_responder));
}

void HttpReply::error(const ApiError &e)
{
    json(e.httpStatus, e.toJson());
}

void HttpReply::beginChunked(int status, const QByteArray &mimeType)
{
    if (!canSend())
        return;
    m_chunked = true;
    // Events are small writes spread over time; without this, Nagle's
    // algorithm holds each one until the client's delayed acknowledgement.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    m_responder.writeHeader(QByteArrayLiteral("Content-Type"), mimeType);
    m_responder.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    m_responder.writeHeader(QByteArrayLiteral("Transfer-Encoding"), QByteArrayLiteral("chunked"));
}

void HttpReply::chunk(const QByteArray &bytes)
{
    if (!m_chunked || bytes.isEmpty() || !connected())
        return;
    m_responder.writeBody(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
}

void HttpReply::endChunked()
{
    if (!m_chunked || !connected())
        return;
    m_chunked = false;
    m_responder.writeBody(QByteArrayLiteral("0\r\n\r\n"));
}

void HttpReply::beginSized(int status, const QByteArray &mimeType, qint64 length)
{
    if (!canSend())
        return;
    m_sizedLeft = length;
    m_responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    m_responder.writeHeader(QByteArrayLiteral("Content-Type"), mimeType);
    m_responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(length));
    m_responder.writeHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    // Ends the head even when the body is empty.
    m_responder.writeBody(QByteArray());
}

void HttpReply::piece(const QByteArray &bytes)
{
    if (m_sizedLeft <= 0 || bytes.isEmpty() || !connected())
        return;
    const QByteArray part = bytes.size() > m_sizedLeft ? bytes.first(m_sizedLeft) : bytes;
    m_sizedLeft -= part.size();
    m_responder.writeBody(part);
}
