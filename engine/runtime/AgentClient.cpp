// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentClient.h"

#include "AgentFrame.h"

#include <QJsonDocument>
#include <QLocalSocket>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace {

// A listing of 100 000 files (the agent's limit) is about 20 MiB of header.
constexpr qint64 kMaxHeaderBytes = 32 * 1024 * 1024;

// The state of one exchange; it deletes itself (through the socket) once the
// callback has run, exactly once.
struct Exchange
{
    QLocalSocket *socket = nullptr;
    QString sandboxId;
    AgentClient::Callback done;
    QByteArray buffer;
    QJsonObject header;
    bool haveHeader = false;
    qint64 bodyLen = 0;
    bool finished = false;

    void finish(Result<AgentReply> r)
    {
        if (finished)
            return;
        finished = true;
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
        done(std::move(r));
    }
};

} // namespace

ApiError AgentClient::errorFromAgent(const QJsonObject &header)
{
    const QJsonObject e = header.value(QStringLiteral("error")).toObject();
    const QString code = e.value(QStringLiteral("code")).toString();
    QString message = e.value(QStringLiteral("message")).toString();
    if (message.isEmpty())
        message = QStringLiteral("The sandbox's agent refused the request without an explanation.");
    if (code == QLatin1String("not_found"))
        return ApiError::notFound(message);
    if (code == QLatin1String("already_exists") || code == QLatin1String("conflict"))
        return ApiError::conflict(message);
    if (code == QLatin1String("permission_denied"))
        return {QStringLiteral("permission_denied"), message, 403, {}};
    if (code == QLatin1String("too_large"))
        return ApiError::tooLarge(message);
    if (code == QLatin1String("timeout")) {
        // What a timed-out command printed is still worth having.
        ApiError t = ApiError::timeout(message);
        for (const char *k : {"command_id", "stdout", "stderr"}) {
            const QString key = QString::fromLatin1(k);
            if (header.contains(key))
                t.details.insert(key, header.value(key));
        }
        return t;
    }
    if (code == QLatin1String("internal"))
        return ApiError::internal(message);
    // bad_request, not_a_directory, is_a_directory, unknown_op: the caller
    // asked for something that cannot be done.
    return ApiError::badRequest(message);
}

void AgentClient::request(const QString &socketPath, const QString &sandboxId, const QJsonObject &header,
                          const QByteArray &body, int timeoutMs, Callback done, QObject *context)
{
    auto *socket = new QLocalSocket(context);
    auto ex = std::make_shared<Exchange>();
    ex->socket = socket;
    ex->sandboxId = sandboxId;
    ex->done = std::move(done);

    QJsonObject h = header;
    if (!body.isEmpty())
        h.insert(QStringLiteral("body_len"), body.size());
    QByteArray out = QJsonDocument(h).toJson(QJsonDocument::Compact);
    out.append('\n');
    out.append(body);

    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, socket, [ex, timeoutMs] {
        ex->finish(ApiError::timeout(QStringLiteral("Sandbox %1 did not answer within %2 seconds.")
                                         .arg(ex->sandboxId)
                                         .arg(timeoutMs / 1000.0)));
    });
    // Sent at once, not one event-loop pass later.
    QObject::connect(socket, &QLocalSocket::connected, socket, [socket, out] {
        socket->write(out);
        socket->flush();
    });
    QObject::connect(socket, &QLocalSocket::errorOccurred, socket, [ex](QLocalSocket::LocalSocketError err) {
        if (err == QLocalSocket::PeerClosedError && ex->haveHeader && ex->buffer.size() >= ex->bodyLen)
            return;
        ex->finish(ApiError::unavailable(QStringLiteral("The agent of sandbox %1 does not answer (%2).")
                                             .arg(ex->sandboxId, ex->socket->errorString())));
    });
    auto consume = [ex] {
        ex->buffer.append(ex->socket->readAll());
        if (!ex->haveHeader) {
            const AgentFrame f = AgentFrame::parse(ex->buffer, kMaxHeaderBytes);
            switch (f.outcome) {
            case AgentFrame::Outcome::Incomplete:
                return;
            case AgentFrame::Outcome::TooLong:
                ex->finish(ApiError::internal(
                    QStringLiteral("The agent of sandbox %1 sent an oversized answer.").arg(ex->sandboxId)));
                return;
            case AgentFrame::Outcome::Unreadable:
                ex->finish(ApiError::internal(
                    QStringLiteral("The agent of sandbox %1 sent an unreadable answer.").arg(ex->sandboxId)));
                return;
            case AgentFrame::Outcome::BadBodyLength:
                ex->finish(ApiError::internal(
                    QStringLiteral("The agent of sandbox %1 announced an invalid body size.").arg(ex->sandboxId)));
                return;
            case AgentFrame::Outcome::Ok:
                break;
            }
            ex->header = f.header;
            ex->haveHeader = true;
            ex->bodyLen = f.bodyLen;
            ex->buffer.remove(0, f.headerSize);
        }
        if (ex->buffer.size() >= ex->bodyLen)
            ex->finish(AgentReply{ex->header, ex->buffer.left(ex->bodyLen)});
    };
    QObject::connect(socket, &QLocalSocket::readyRead, socket, consume);
    QObject::connect(socket, &QLocalSocket::disconnected, socket, [ex, consume] {
        if (ex->finished)
            return;
        consume();
        if (!ex->finished)
            ex->finish(ApiError::unavailable(
                QStringLiteral("The agent of sandbox %1 closed the connection before answering.").arg(ex->sandboxId)));
    });
    timer->start(timeoutMs);
    socket->connectToServer(socketPath);
}
