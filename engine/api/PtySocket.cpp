// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtySocket.h"

#include "runtime/AgentClient.h"
#include "runtime/SandboxManager.h"

#include <QJsonDocument>
#include <QWebSocket>

namespace {
constexpr qsizetype kMaxInputBytes = 1024 * 1024;
// Input waiting for the agent: a paste may be large, an endless stream not.
constexpr qint64 kMaxQueuedInput = 16 * 1024 * 1024;
// Consecutive input messages are joined into one agent call up to this size.
constexpr qsizetype kMaxInputPerCall = 256 * 1024;
} // namespace

PtySocket::PtySocket(SandboxManager *sm, QString team, QString sandboxId, QString ptyId, QWebSocket *ws, qint64 from,
                     QObject *parent)
    : FrameSocket(sm, std::move(team), std::move(sandboxId), ws, parent)
    , m_pty(std::move(ptyId))
{
    ws->setMaxAllowedIncomingMessageSize(kMaxInputBytes);
    connect(ws, &QWebSocket::binaryMessageReceived, this, &PtySocket::onBinary);
    connect(ws, &QWebSocket::textMessageReceived, this, &PtySocket::onText);
    QJsonObject header{{QStringLiteral("op"), QStringLiteral("pty_stream")}, {QStringLiteral("pty_id"), m_pty}};
    if (from >= 0)
        header.insert(QStringLiteral("from"), from);
    start(header);
}

void PtySocket::onOpened(const QJsonObject &header)
{
    sendJson({{QStringLiteral("type"), QStringLiteral("attached")},
              {QStringLiteral("offset"), header.value(QStringLiteral("offset"))}});
}

void PtySocket::onFrame(const QJsonObject &header, const QByteArray &body)
{
    const QString type = header.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("data")) {
        sendBinary(body);
    } else if (type == QLatin1String("exit")) {
        sendJson({{QStringLiteral("type"), QStringLiteral("exit")},
                  {QStringLiteral("exit_code"), header.value(QStringLiteral("exit_code"))}});
        finish(QStringLiteral("The terminal's process exited."));
    }
}

void PtySocket::enqueue(const QJsonObject &header, const QByteArray &body)
{
    if (m_queuedBytes + body.size() > kMaxQueuedInput) {
        m_queue.clear();
        m_queuedBytes = 0;
        finish(QStringLiteral("Terminal input arrives faster than the sandbox takes it."));
        return;
    }
    const bool input = header.value(QStringLiteral("op")).toString() == QLatin1String("pty_send");
    if (input && m_queue.size() > 0 && m_queue.last().header == header &&
        m_queue.last().body.size() + body.size() <= kMaxInputPerCall)
        m_queue.last().body.append(body);
    else
        m_queue.append({header, body});
    m_queuedBytes += body.size();
    sendNext();
}

void PtySocket::sendNext()
{
    if (m_asking || m_queue.isEmpty())
        return;
    const Pending next = m_queue.takeFirst();
    m_queuedBytes -= next.body.size();
    m_asking = true;
    ask(next.header, next.body);
}

void PtySocket::ask(const QJsonObject &header, const QByteArray &body)
{
    m_sm->callAgent(m_team, m_id, header, body, 30000, [guard = QPointer<PtySocket>(this)](Result<AgentReply> r) {
        if (!guard)
            return;
        if (!r)
            guard->sendJson({{QStringLiteral("type"), QStringLiteral("error")},
                             {QStringLiteral("message"), r.error().message}});
        guard->m_asking = false;
        guard->sendNext();
        guard->workDone();
    });
}

void PtySocket::onBinary(const QByteArray &bytes)
{
    enqueue({{QStringLiteral("op"), QStringLiteral("pty_send")}, {QStringLiteral("pty_id"), m_pty}}, bytes);
}

void PtySocket::onText(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    if (o.value(QStringLiteral("type")).toString() != QLatin1String("resize")) {
        sendJson({{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("message"),
                   QStringLiteral("Unknown message: send input as binary messages, or "
                                  "{\"type\": \"resize\", \"cols\": N, \"rows\": N}.")}});
        return;
    }
    enqueue({{QStringLiteral("op"), QStringLiteral("pty_resize")},
         {QStringLiteral("pty_id"), m_pty},
         {QStringLiteral("cols"), o.value(QStringLiteral("cols")).toInt(-1)},
         {QStringLiteral("rows"), o.value(QStringLiteral("rows")).toInt(-1)}},
        {});
}
