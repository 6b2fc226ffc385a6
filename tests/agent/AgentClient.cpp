// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentClient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int AgentClient::connectSocket() const
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    QByteArray path = m_path.toLocal8Bit();
    if (path.size() >= int(sizeof addr.sun_path)) {
        ::close(fd);
        return -1;
    }
    std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool AgentClient::sendAll(int fd, const QByteArray& bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

AgentReply AgentClient::readReply(int fd, int timeoutMs)
{
    AgentReply reply;
    QByteArray data;
    QDeadlineTimer deadline(timeoutMs);
    char buf[65536];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        int left = int(deadline.remainingTime());
        if (left <= 0) {
            reply.transportError = QStringLiteral("timed out waiting for the agent");
            break;
        }
        int r = ::poll(&p, 1, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            reply.transportError = QString::fromLocal8Bit(std::strerror(errno));
            break;
        }
        if (n == 0)
            break;
        data.append(buf, n);
    }
    qsizetype newline = data.indexOf('\n');
    if (newline < 0) {
        if (reply.transportError.isEmpty())
            reply.transportError = QStringLiteral("connection closed without a header line");
        return reply;
    }
    QJsonParseError err{};
    QJsonDocument doc = QJsonDocument::fromJson(data.left(newline), &err);
    if (!doc.isObject()) {
        reply.transportError = QStringLiteral("header is not a JSON object: ") + err.errorString();
        return reply;
    }
    reply.header = doc.object();
    reply.body = data.mid(newline + 1);
    qint64 bodyLen = reply.header.value(QLatin1String("body_len")).toInteger(0);
    if (reply.body.size() != bodyLen) {
        reply.transportError = QStringLiteral("body has %1 bytes, body_len says %2")
                                   .arg(reply.body.size()).arg(bodyLen);
        return reply;
    }
    reply.received = true;
    return reply;
}

AgentReply AgentClient::request(QJsonObject header, const QByteArray& body, int timeoutMs) const
{
    if (!body.isEmpty())
        header.insert(QLatin1String("body_len"), body.size());
    QByteArray bytes = QJsonDocument(header).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    bytes.append(body);
    return raw(bytes, timeoutMs);
}

AgentReply AgentClient::raw(const QByteArray& bytes, int timeoutMs) const
{
    int fd = connectSocket();
    if (fd < 0) {
        AgentReply r;
        r.transportError = QStringLiteral("cannot connect to ") + m_path;
        return r;
    }
    // A refused request may be answered before everything was sent; the
    // answer is still waiting to be read.
    sendAll(fd, bytes);
    AgentReply reply = readReply(fd, timeoutMs);
    ::close(fd);
    return reply;
}
