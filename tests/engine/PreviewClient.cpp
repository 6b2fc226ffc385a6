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
    if (m_hostName.isEmpty())
        m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    else
        m_socket.connectToHost(m_hostName, m_port);
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

bool PreviewClient::send(const QByteArray &bytes, QString *error)
{
    if (!isConnected() && !connectToProxy()) {
        if (error)
            *error = m_socket.errorString();
        return false;
    }
    m_socket.write(bytes);
    if (!m_socket.waitForBytesWritten(m_timeoutMs) && m_socket.bytesToWrite() > 0) {
        if (error)
            *error = QStringLiteral("cannot send: ") + m_socket.errorString();
        return false;
    }
    return true;
}

PreviewClient::Response PreviewClient::exchange(const QByteArray &request)
{
    Response r;
    if (!send(request, &r.error))
        return r;
    return receive();
}

QByteArray PreviewClient::readExactly(qsizetype bytes)
{
    if (!fill(bytes))
        return {};
    const QByteArray out = m_buffer.left(bytes);
    m_buffer.remove(0, bytes);
    return out;
}

PreviewClient::Response PreviewClient::receive()
{
    Response r;
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
    if (r.status == 101 || r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200))
        return r;
    if (r.headers.value("transfer-encoding").toLower() == "chunked") {
        for (;;) {
            qsizetype eol;
            while ((eol = m_buffer.indexOf("\r\n")) < 0) {
                if (!fill(m_buffer.size() + 1)) {
                    r.error = QStringLiteral("chunked body cut short");
                    r.status = 0;
                    return r;
                }
            }
            const qsizetype size = m_buffer.left(eol).split(';').first().trimmed().toLongLong(nullptr, 16);
            m_buffer.remove(0, eol + 2);
            if (size == 0) {
                // Trailers, then the blank line.
                while (!m_buffer.startsWith("\r\n")) {
                    const qsizetype end = m_buffer.indexOf("\r\n");
                    if (end >= 0) {
                        m_buffer.remove(0, end + 2);
                        continue;
                    }
                    if (!fill(m_buffer.size() + 1)) {
                        r.status = 0;
                        r.error = QStringLiteral("chunked trailer cut short");
                        return r;
                    }
                }
                m_buffer.remove(0, 2);
                return r;
            }
            if (!fill(size + 2)) {
                r.error = QStringLiteral("chunk cut short");
                r.status = 0;
                return r;
            }
            r.body += m_buffer.left(size);
            m_buffer.remove(0, size + 2);
        }
    }
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
