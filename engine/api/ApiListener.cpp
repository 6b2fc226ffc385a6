// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiListener.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {
// Descriptors kept for everything but API connections.
constexpr rlim_t kReservedDescriptors = 512;
constexpr int kDescriptorsPerConnection = 3; // the client's, and a socket pair to Qt's server
} // namespace

ApiListener::ApiListener(ApiConnection::Admission admit, int maxConnections, QObject *parent)
    : QTcpServer(parent)
    , m_admit(std::move(admit))
    , m_maxConnections(maxConnections)
{
}

int ApiListener::defaultMaxConnections()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 100000;
    const rlim_t usable = limit.rlim_cur > kReservedDescriptors * 2 ? limit.rlim_cur - kReservedDescriptors
                                                                   : limit.rlim_cur / 2;
    return int(qBound<rlim_t>(64, usable / kDescriptorsPerConnection, 100000));
}

void ApiListener::turnAway(qintptr descriptor, int open)
{
    // Nothing of this connection is read: a short answer fits the socket's
    // buffer, and the connection goes.
    const QByteArray body = QByteArrayLiteral("{\"error\": {\"code\": \"unavailable\", \"message\": \"The engine has ") +
                            QByteArray::number(open) +
                            QByteArrayLiteral(" connections open, the most it takes; retry when some have closed.\"}}");
    const QByteArray answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
                              QByteArray::number(body.size()) + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body;
    const int fd = int(descriptor);
    (void)::send(fd, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
}

void ApiListener::incomingConnection(qintptr descriptor)
{
    m_sockets.removeAll(nullptr);
    if (m_sockets.size() >= m_maxConnections) {
        turnAway(descriptor, int(m_sockets.size()));
        return;
    }
    auto *connection = new ApiConnection(m_admit, this);
    QTcpSocket *inner = connection->open(descriptor);
    if (!inner) {
        delete connection;
        return;
    }
    m_sockets.removeAll(nullptr);
    m_sockets.append(connection);
    addPendingConnection(inner);
}

QList<ApiConnection *> ApiListener::connections() const
{
    m_sockets.removeAll(nullptr);
    QList<ApiConnection *> out;
    for (const auto &s : m_sockets)
        out.append(s.data());
    return out;
}
