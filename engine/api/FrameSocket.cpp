// SPDX-License-Identifier: GPL-3.0-or-later
#include "FrameSocket.h"

#include "runtime/AgentStream.h"
#include "runtime/SandboxManager.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QWebSocket>

namespace {
// Output the client has not taken yet; beyond it the agent is asked to wait.
constexpr qint64 kMaxPendingBytes = 1024 * 1024;
} // namespace

FrameSocket::FrameSocket(SandboxManager *sm, QString team, QString sandboxId, QWebSocket *ws, QObject *parent)
    : QObject(parent)
    , m_sm(sm)
    , m_team(std::move(team))
    , m_id(std::move(sandboxId))
    , m_ws(ws)
{
    ws->setParent(this);
    // Keystrokes and echoes are tiny writes: send them at once instead of
    // letting Nagle's algorithm hold them for an acknowledgement.
    if (auto *tcp = ws->findChild<QTcpSocket *>())
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(ws, &QWebSocket::disconnected, this, [this] { finish({}); });
    connect(ws, &QWebSocket::bytesWritten, this, &FrameSocket::pace);
}

void FrameSocket::start(const QJsonObject &header)
{
    auto stream = m_sm->stream(m_team, m_id, AgentStream::Mode::Frames, this);
    if (!stream) {
        finish(stream.error().message);
        return;
    }
    m_stream = *stream;
    connect(m_stream, &AgentStream::failed, this, [this](const ApiError &e) { finish(e.message); });
    connect(m_stream, &AgentStream::closed, this, [this] { finish(QStringLiteral("The stream ended.")); });
    connect(m_stream, &AgentStream::opened, this, [this](const QJsonObject &h) { onOpened(h); });
    connect(m_stream, &AgentStream::frame, this, [this](const QJsonObject &h, const QByteArray &body) {
        if (m_ws)
            onFrame(h, body);
    });
    m_stream->open(header);
}

void FrameSocket::sendJson(const QJsonObject &o)
{
    if (m_ws)
        m_ws->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    pace();
}

void FrameSocket::sendBinary(const QByteArray &bytes)
{
    if (m_ws)
        m_ws->sendBinaryMessage(bytes);
    pace();
}

void FrameSocket::pace()
{
    if (m_stream && m_ws)
        m_stream->setPaused(m_ws->bytesToWrite() > kMaxPendingBytes);
}

void FrameSocket::finish(const QString &reason)
{
    if (m_done)
        return;
    m_done = true;
    if (m_stream)
        m_stream->close();
    if (m_ws && m_ws->state() == QAbstractSocket::ConnectedState) {
        // A close reason is at most 123 bytes on the wire.
        QByteArray r = reason.toUtf8().left(120);
        m_ws->close(QWebSocketProtocol::CloseCodeNormal, QString::fromUtf8(r));
    }
    workDone();
}

void FrameSocket::workDone()
{
    if (m_done && !hasPendingWork())
        deleteLater();
}
