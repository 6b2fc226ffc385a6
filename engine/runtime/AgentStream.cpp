// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentStream.h"

#include "AgentClient.h"
#include "AgentFrame.h"

#include <QJsonDocument>

namespace {
constexpr qint64 kMaxHeaderBytes = 1024 * 1024;
// What the stream may hold for a slow consumer before it stops reading.
constexpr qint64 kReadBufferBytes = 1024 * 1024;
} // namespace

AgentStream::AgentStream(QString socketPath, QString sandboxId, Mode mode, QObject *parent)
    : QObject(parent)
    , m_path(std::move(socketPath))
    , m_sandboxId(std::move(sandboxId))
    , m_mode(mode)
{
}

AgentStream::~AgentStream()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void AgentStream::open(const QJsonObject &header, const QByteArray &body)
{
    if (m_state != State::Idle)
        return;
    m_state = State::WaitingForAnswer;
    m_socket = new QLocalSocket(this);
    m_socket->setReadBufferSize(kReadBufferBytes);
    QJsonObject h = header;
    if (!body.isEmpty())
        h.insert(QStringLiteral("body_len"), body.size());
    QByteArray out = QJsonDocument(h).toJson(QJsonDocument::Compact);
    out.append('\n');
    out.append(body);
    connect(m_socket, &QLocalSocket::connected, this, [this, out] { m_socket->write(out); });
    connect(m_socket, &QLocalSocket::readyRead, this, &AgentStream::onReadyRead);
    connect(m_socket, &QLocalSocket::bytesWritten, this, &AgentStream::bytesWritten);
    connect(m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError err) {
        if (m_state == State::WaitingForAnswer)
            fail(ApiError::unavailable(QStringLiteral("The agent of sandbox %1 does not answer (%2).")
                                           .arg(m_sandboxId, m_socket->errorString())));
        else if (err != QLocalSocket::PeerClosedError && m_state == State::Open)
            close();
    });
    connect(m_socket, &QLocalSocket::disconnected, this, [this] {
        if (m_state == State::WaitingForAnswer) {
            consume();
            if (m_state == State::WaitingForAnswer)
                fail(ApiError::unavailable(
                    QStringLiteral("The agent of sandbox %1 closed the connection before answering.").arg(m_sandboxId)));
            return;
        }
        if (m_state == State::Open) {
            // What the agent sent before it left is still the consumer's,
            // even what a paused consumer has not pulled out of the socket.
            m_buffer.append(m_socket->readAll());
            m_peerGone = true;
            if (m_mode == Mode::Frames) {
                // Closes once every whole frame is delivered (after a pause).
                consume();
                return;
            }
            if (!m_buffer.isEmpty())
                Q_EMIT readyRead();
            m_state = State::Closed;
            Q_EMIT closed();
        }
    });
    m_socket->connectToServer(m_path);
}

void AgentStream::fail(const ApiError &e)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT failed(e);
}

bool AgentStream::nextMessage(QJsonObject *header, QByteArray *body, bool *bad)
{
    const AgentFrame f = AgentFrame::parse(m_buffer, kMaxHeaderBytes);
    *bad = f.bad();
    // Raw mode: what follows the answer's header is the pipe's first bytes
    // (a file the agent reads out), not a body to wait for whole.
    if (m_mode == Mode::Raw && m_state == State::WaitingForAnswer && f.ok()) {
        *header = f.header;
        m_buffer.remove(0, f.headerSize);
        return true;
    }
    if (!f.complete(m_buffer))
        return false;
    *header = f.header;
    *body = m_buffer.mid(f.headerSize, f.bodyLen);
    m_buffer.remove(0, f.headerSize + f.bodyLen);
    return true;
}

void AgentStream::onReadyRead()
{
    if (m_paused && m_state == State::Open && m_mode == Mode::Raw)
        return;
    consume();
}

void AgentStream::consume()
{
    if (!m_socket)
        return;
    // A paused consumer leaves the bytes in the socket, whose bounded read
    // buffer then stops the agent: that is the back-pressure.
    const bool holding = m_paused && m_state == State::Open;
    if (m_mode == Mode::Raw && m_state == State::Open) {
        if (holding)
            return;
        m_buffer.append(m_socket->readAll());
        if (!m_buffer.isEmpty())
            Q_EMIT readyRead();
        return;
    }
    if (!holding)
        m_buffer.append(m_socket->readAll());
    while (m_state == State::WaitingForAnswer || m_state == State::Open) {
        if (m_state == State::Open && m_mode == Mode::Raw) {
            if (!m_buffer.isEmpty())
                Q_EMIT readyRead();
            return;
        }
        if (m_paused && m_state == State::Open)
            return;
        QJsonObject header;
        QByteArray body;
        bool bad = false;
        if (!nextMessage(&header, &body, &bad)) {
            if (bad) {
                fail(ApiError::internal(
                    QStringLiteral("The agent of sandbox %1 sent an unreadable stream.").arg(m_sandboxId)));
            } else if (m_peerGone && m_state == State::Open) {
                m_state = State::Closed;
                Q_EMIT closed();
            }
            return;
        }
        if (m_state == State::WaitingForAnswer) {
            if (!header.value(QStringLiteral("ok")).toBool()) {
                fail(AgentClient::errorFromAgent(header));
                return;
            }
            m_state = State::Open;
            Q_EMIT opened(header);
            continue;
        }
        Q_EMIT frame(header, body);
    }
}

void AgentStream::write(const QByteArray &bytes)
{
    // Before the answer: the body of a request sent with its body_len only.
    const bool sending = m_state == State::WaitingForAnswer && m_socket &&
                         m_socket->state() == QLocalSocket::ConnectedState;
    if (m_socket && (m_state == State::Open || sending))
        m_socket->write(bytes);
}

qint64 AgentStream::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

QByteArray AgentStream::take()
{
    QByteArray out;
    out.swap(m_buffer);
    return out;
}

qint64 AgentStream::bytesAvailable() const
{
    return m_buffer.size();
}

void AgentStream::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused)
        QMetaObject::invokeMethod(this, &AgentStream::consume, Qt::QueuedConnection);
}

void AgentStream::close()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT closed();
}
