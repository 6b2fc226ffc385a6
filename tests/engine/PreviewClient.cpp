// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewClient.h"

#include <QDeadlineTimer>
#include <QHostAddress>

QByteArray PreviewClient::Response::describe() const
{
    if (status == 0)
        return "no answer: " + error.toUtf8();
    return QByteArray::number(status) + ' ' + body.left(400);
}

PreviewClient::PreviewClient(quint16 port, int timeoutMs)
    : m_port(port)
    , m_timeoutMs(timeoutMs)
{
}

bool PreviewClient::connectToProxy()
{
    m_buffer.clear();
    m_peerClosed = false;
    m_socket.abort();
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    return m_socket.waitForConnected(m_timeoutMs);
}

bool PreviewClient::fill(qsizetype bytes)
{
    QDeadlineTimer deadline(m_timeoutMs);
    while (m_buffer.size() < bytes) {
        m_buffer += m_socket.readAll();
        if (m_buffer.size() >= bytes)
            break;
        if (m_socket.state() != QAbstractSocket::ConnectedState) {
            m_peerClosed = true;
            return false;
        }
        if (deadline.hasExpired())
            return false;
        if (!m_socket.waitForReadyRead(int(qMin<qint64>(deadline.remainingTime(), 1000)))) {
            if (m_socket.state() != QAbstractSocket::ConnectedState) {
                m_buffer += m_socket.readAll();
                m_peerClosed = true;
                return m_buffer.size() >= bytes;
            }
        }
    }
    return true;
}

PreviewClient::Response PreviewClient::exchange(const QByteArray &request)
{
    Response r;
    if (!isConnected() && !connectToProxy()) {
        r.error = m_socket.errorString();
        return r;
    }
    m_socket.write(request);
    if (!m_socket.waitForBytesWritten(m_timeoutMs) && m_socket.bytesToWrite() > 0) {
        r.error = QStringLiteral("cannot send: ") + m_socket.errorString();
        return r;
    }
    qsizetype headEnd = -1;
    while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0) {
        if (!fill(m_buffer.size() + 1)) {
            r.error = QStringLiteral("the head did not arrive (%1 bytes so far)").arg(m_buffer.size());
            return r;
        }
    }
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    r.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            r.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    m_buffer.remove(0, headEnd + 4);
    if (r.headers.contains("content-length")) {
        const qsizetype len = r.headers.value("content-length").toLongLong();
        if (!fill(len)) {
            r.error = QStringLiteral("body cut short: %1 of %2 bytes").arg(m_buffer.size()).arg(len);
            r.status = 0;
            return r;
        }
        r.body = m_buffer.left(len);
        m_buffer.remove(0, len);
    } else {
        fill(std::numeric_limits<qsizetype>::max()); // until the server closes
        r.body = m_buffer;
        m_buffer.clear();
    }
    return r;
}

PreviewClient::Response PreviewClient::get(const QByteArray &host, const QByteArray &path, bool keepAlive)
{
    QByteArray req = "GET " + path + " HTTP/1.1\r\n";
    if (!host.isEmpty())
        req += "Host: " + host + "\r\n";
    req += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    req += "\r\n";
    return exchange(req);
}
