// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentFrameReader.h"

#include "AgentClient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

bool AgentFrameReader::open(const QString& socketPath, const QJsonObject& header)
{
    close();
    m_fd = AgentClient(socketPath).connectSocket();
    if (m_fd < 0) {
        m_error = QStringLiteral("cannot connect to ") + socketPath;
        return false;
    }
    QByteArray bytes = QJsonDocument(header).toJson(QJsonDocument::Compact) + '\n';
    if (!AgentClient::sendAll(m_fd, bytes)) {
        m_error = QStringLiteral("cannot send the request");
        return false;
    }
    auto first = next();
    if (!first)
        return false;
    m_answer = first->header;
    return true;
}

void AgentFrameReader::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_buffer.clear();
    m_eof = false;
}

bool AgentFrameReader::fill(int timeoutMs, int chunk)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        pollfd p{m_fd, POLLIN, 0};
        int left = int(deadline.remainingTime());
        if (left <= 0) {
            m_error = QStringLiteral("timed out waiting for a frame");
            return false;
        }
        int r = ::poll(&p, 1, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        QByteArray buf(chunk, Qt::Uninitialized);
        ssize_t n = ::recv(m_fd, buf.data(), size_t(chunk), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        if (n == 0) {
            m_eof = true;
            return false;
        }
        m_buffer.append(buf.constData(), n);
        return true;
    }
}

std::optional<AgentFrameReader::Frame> AgentFrameReader::parse()
{
    qsizetype newline = m_buffer.indexOf('\n');
    if (newline < 0)
        return std::nullopt;
    QJsonParseError err{};
    QJsonDocument doc = QJsonDocument::fromJson(m_buffer.left(newline), &err);
    Frame f;
    f.header = doc.object();
    qint64 bodyLen = f.header.value(QLatin1String("body_len")).toInteger(0);
    if (m_buffer.size() - newline - 1 < bodyLen)
        return std::nullopt;
    f.body = m_buffer.mid(newline + 1, bodyLen);
    m_buffer.remove(0, newline + 1 + bodyLen);
    return f;
}

std::optional<AgentFrameReader::Frame> AgentFrameReader::next(int timeoutMs, int chunk)
{
    if (m_fd < 0)
        return std::nullopt;
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (auto f = parse())
            return f;
        if (m_eof || !fill(int(std::max<qint64>(1, deadline.remainingTime())), chunk))
            return std::nullopt;
    }
}

bool AgentFrameReader::atEnd(int timeoutMs)
{
    if (!m_buffer.isEmpty())
        return false;
    while (!m_eof) {
        if (!fill(timeoutMs, 4096))
            break;
    }
    return m_eof && m_buffer.isEmpty();
}
