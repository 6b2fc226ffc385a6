// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AgentReply.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

// Speaks the agent's framing over plain unix sockets, so tests can also send
// broken bytes, half a request, or hang up early.
class AgentClient {
public:
    explicit AgentClient(QString socketPath) : m_path(std::move(socketPath)) {}

    // body_len is filled in from `body`.
    AgentReply request(QJsonObject header, const QByteArray& body = {}, int timeoutMs = 20000) const;
    // Sends the bytes as they are, then reads one reply.
    AgentReply raw(const QByteArray& bytes, int timeoutMs = 20000) const;

    // A connected socket for hand-made exchanges; the caller closes it.
    int connectSocket() const;
    static bool sendAll(int fd, const QByteArray& bytes);
    static AgentReply readReply(int fd, int timeoutMs);

private:
    QString m_path;
};
