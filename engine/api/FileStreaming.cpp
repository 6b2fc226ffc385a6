// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileStreaming.h"

#include "UploadBody.h"
#include "runtime/AgentClient.h"
#include "runtime/AgentStream.h"
#include "runtime/SandboxManager.h"

#include <QLocalSocket>
#include <QTimer>

#include <sys/socket.h>

namespace FileStreaming {

namespace {

constexpr qint64 kWindow = 1024 * 1024;

// Fails a transfer that made no progress for kIdleTimeoutMs.
QTimer *idleTimer(AgentStream *s, const QString &id, const HttpReplyPtr &reply)
{
    auto *timer = new QTimer(s);
    timer->setSingleShot(true);
    timer->setInterval(kIdleTimeoutMs);
    QObject::connect(timer, &QTimer::timeout, s, [s, id, reply] {
        if (!reply->sent())
            reply->error(ApiError::timeout(
                QStringLiteral("Sandbox %1 did not answer within %2 seconds.").arg(id).arg(kIdleTimeoutMs / 1000)));
        else if (QTcpSocket *socket = reply->socket())
            socket->abort(); // a body cut short: the client must not take it for whole
        s->close();
        s->deleteLater();
    });
    timer->start();
    return timer;
}

} // namespace

void upload(SandboxManager *sm, ApiCall &c, const QString &id, QJsonObject header, std::shared_ptr<UploadBody> body,
            std::function<void(HttpReply &, const AgentReply &)> onOk)
{
    HttpReplyPtr reply = c.reply;
    auto stream = sm->stream(c.team, id, AgentStream::Mode::Raw, sm);
    if (!stream) {
        body->discard();
        reply->error(stream.error());
        return;
    }
    AgentStream *s = *stream;
    QTimer *idle = idleTimer(s, id, reply);
    // The body follows the header, whose bytesWritten says the socket is
    // connected.
    auto connected = std::make_shared<bool>(false);
    auto pump = [s, body, idle, connected] {
        if (!*connected)
            return;
        while (body->queued() > 0 && s->bytesToWrite() < kWindow)
            s->write(body->take());
        idle->start();
    };
    QObject::connect(s, &AgentStream::bytesWritten, s, [s, connected, pump] {
        if (!*connected) {
            *connected = true;
            // Fewer, larger hand-overs to the agent (the kernel caps this at
            // net.core.wmem_max; failing, the default stays).
            if (auto *socket = s->findChild<QLocalSocket *>()) {
                const int size = int(kWindow);
                ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
            }
        }
        pump();
    });
    QObject::connect(body.get(), &UploadBody::readyRead, s, pump);
    // However the exchange ends, the rest of the body is not wanted.
    QObject::connect(s, &QObject::destroyed, [body] { body->discard(); });
    QObject::connect(body.get(), &UploadBody::broke, s, [s] {
        // The agent sees its client leave before body_len bytes: it writes
        // nothing.
        s->close();
        s->deleteLater();
    });
    QObject::connect(s, &AgentStream::failed, s, [s, body, reply](const ApiError &e) {
        body->discard();
        reply->error(e);
        s->deleteLater();
    });
    QObject::connect(s, &AgentStream::opened, s, [s, body, reply, onOk](const QJsonObject &h) {
        onOk(*reply, AgentReply{h, {}});
        s->close();
        s->deleteLater();
    });
    header.insert(QStringLiteral("body_len"), body->length());
    s->open(header);
}

void download(SandboxManager *sm, ApiCall &c, const QString &id, const QJsonObject &header)
{
    HttpReplyPtr reply = c.reply;
    auto stream = sm->stream(c.team, id, AgentStream::Mode::Raw, sm);
    if (!stream) {
        reply->error(stream.error());
        return;
    }
    AgentStream *s = *stream;
    QTimer *idle = idleTimer(s, id, reply);
    auto agentGone = std::make_shared<bool>(false);
    auto finish = [s] {
        s->close();
        s->deleteLater();
    };
    auto pump = [s, reply, idle, agentGone, finish] {
        if (!reply->streaming() || !reply->connected()) { // done, or the client left
            finish();
            return;
        }
        while (s->bytesAvailable() > 0 && !reply->congested())
            reply->piece(s->take());
        idle->start();
        if (!reply->streaming()) {
            finish();
        } else if (*agentGone && s->bytesAvailable() == 0) {
            // The agent left before the whole file: the answer is cut
            // short, so the client cannot take it for whole.
            if (QTcpSocket *socket = reply->socket())
                socket->abort();
            finish();
        } else {
            s->setPaused(reply->congested());
        }
    };
    QObject::connect(s, &AgentStream::failed, s, [s, reply](const ApiError &e) {
        reply->error(e);
        s->deleteLater();
    });
    QObject::connect(s, &AgentStream::opened, s, [s, reply, pump](const QJsonObject &h) {
        reply->beginSized(200, QByteArrayLiteral("application/octet-stream"),
                          qint64(h.value(QStringLiteral("body_len")).toDouble()));
        if (QTcpSocket *socket = reply->socket())
            QObject::connect(socket, &QTcpSocket::bytesWritten, s, pump);
        pump();
    });
    QObject::connect(s, &AgentStream::readyRead, s, pump);
    // What the agent sent before it closed is still in the stream's buffer.
    QObject::connect(s, &AgentStream::closed, s, [agentGone, pump] {
        *agentGone = true;
        pump();
    });
    s->open(header);
}

} // namespace FileStreaming
