// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QTcpSocket>

// A blocking HTTP/1.1 client on one TCP connection, for tests and benches
// that must choose the Host header and the exact bytes sent (which a
// QNetworkAccessManager does not allow). Understands Content-Length,
// chunked and close-delimited bodies.
class PreviewClient
{
public:
    struct Response
    {
        int status = 0; // 0: no (complete) answer; `error` says why
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
        QString error;
        QByteArray describe() const;
    };

    PreviewClient(quint16 port, int timeoutMs = 30000);

    // Connects to this name, found by the system's resolver (as a browser
    // finds `3000-sbx_….localhost`), instead of 127.0.0.1.
    void setHostName(const QString &name) { m_hostName = name; }

    bool connectToProxy();
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // Sends the bytes as they are and reads one answer.
    Response exchange(const QByteArray &request);
    // The two halves of exchange(), for pipelined requests.
    bool send(const QByteArray &bytes, QString *error = nullptr);
    Response receive();
    // After a 101: the next `bytes` bytes the peer sends ("" if they do not come).
    QByteArray readExactly(qsizetype bytes);
    // A GET with the given Host ("" sends none) on this connection.
    Response get(const QByteArray &host, const QByteArray &path = "/", bool keepAlive = false);

private:
    bool fill(qsizetype bytes); // until the buffer holds `bytes` or the peer closes

    QString m_hostName;
    quint16 m_port;
    int m_timeoutMs;
    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_peerClosed = false;
};
