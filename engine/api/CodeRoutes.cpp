// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeRoutes.h"

#include "ActivityFields.h"
#include "AgentCalls.h"
#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "RequestBodies.h"
#include "Timestamps.h"
#include "runtime/ActivityLog.h"
#include "runtime/AgentClient.h"
#include "runtime/AgentStream.h"
#include "runtime/SandboxManager.h"

#include <QDateTime>
#include <QJsonDocument>

#include <cmath>

namespace {

constexpr qsizetype kMaxLoggedText = 64 * 1024;

// What the activity log keeps of one cell.
struct CellRecord
{
    QString code;
    QString stdoutText;
    QString stderrText;
    QString mainResult;
    QJsonValue error = QJsonValue::Null;
    QJsonValue executionCount = QJsonValue::Null;
    QJsonValue touched = QJsonValue::Null;
    // When the cell was sent and when it ended, as a command's are logged.
    QDateTime startedAt = QDateTime::currentDateTimeUtc();
    bool logged = false;

    void see(const QJsonObject &h)
    {
        const QString type = h.value(QStringLiteral("type")).toString();
        auto add = [](QString &to, const QString &text) {
            if (to.size() < kMaxLoggedText)
                to += text.left(kMaxLoggedText - to.size());
        };
        if (type == QLatin1String("stdout"))
            add(stdoutText, h.value(QStringLiteral("text")).toString());
        else if (type == QLatin1String("stderr"))
            add(stderrText, h.value(QStringLiteral("text")).toString());
        else if (type == QLatin1String("result") &&
                 h.value(QStringLiteral("result")).toObject().value(QStringLiteral("is_main_result")).toBool())
            mainResult = h.value(QStringLiteral("result")).toObject().value(QStringLiteral("text")).toString().left(kMaxLoggedText);
        else if (type == QLatin1String("error"))
            error = h.value(QStringLiteral("error"));
        else if (type == QLatin1String("end")) {
            executionCount = h.value(QStringLiteral("execution_count"));
            touched = ActivityLog::touchedField(h);
        }
    }
    void log(SandboxManager *sm, const QString &id)
    {
        if (logged || !sm->activity())
            return;
        logged = true;
        using namespace ActivityFields;
        sm->activity()->record(id, kKindCode,
                               {{kCode, code.left(kMaxLoggedText)},
                                {kOutcome, error.isNull() ? kOutcomeOk : kOutcomeError},
                                {kStdout, stdoutText},
                                {kStderr, stderrText},
                                {kResult, mainResult},
                                {kError, error},
                                {kExecutionCount, executionCount},
                                {kTouched, touched},
                                {kStartedAt, Timestamps::toJson(startedAt)},
                                {kEndedAt, Timestamps::toJson(QDateTime::currentDateTimeUtc())}});
    }
};

QByteArray ndjson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

void CodeRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes/<arg>/code", M::Post, [sm](ApiCall &c, const QString &id) {
        const auto header = RequestBodies::runCode(c.body);
        if (!header) {
            c.reply->error(header.error());
            return;
        }
        auto stream = sm->stream(c.team, id, AgentStream::Mode::Frames, sm);
        if (!stream) {
            c.reply->error(stream.error());
            return;
        }
        AgentStream *s = *stream;
        HttpReplyPtr reply = c.reply;
        auto cell = std::make_shared<CellRecord>();
        cell->code = header->value(QStringLiteral("code")).toString();
        // Until the agent accepts, failures are ordinary JSON errors; after,
        // they are events in the stream.
        QObject::connect(s, &AgentStream::failed, s, [reply, s](const ApiError &e) {
            if (!reply->sent())
                reply->error(e);
            else {
                reply->chunk(ndjson({{QStringLiteral("type"), QStringLiteral("error")},
                                     {QStringLiteral("error"),
                                      QJsonObject{{QStringLiteral("name"), QStringLiteral("SandboxError")},
                                                  {QStringLiteral("value"), e.message},
                                                  {QStringLiteral("traceback"), QString()}}}}));
                reply->endChunked();
            }
            s->deleteLater();
        });
        // A client that reads slowly slows the cell: past a window of unsent
        // output the stream stops reading from the agent, which stops the kernel.
        auto pace = [reply, s] { s->setPaused(reply->congested()); };
        QObject::connect(s, &AgentStream::opened, s, [reply, s, pace](const QJsonObject &) {
            reply->beginChunked(200, QByteArrayLiteral("application/x-ndjson"));
            if (QTcpSocket *socket = reply->socket()) {
                QObject::connect(socket, &QIODevice::bytesWritten, s, pace);
                QObject::connect(socket, &QAbstractSocket::disconnected, s, pace);
            }
        });
        QObject::connect(s, &AgentStream::frame, s, [sm, id, cell, reply, s, pace](const QJsonObject &h, const QByteArray &) {
            cell->see(h);
            const bool end = h.value(QStringLiteral("type")).toString() == QLatin1String("end");
            if (end)
                cell->log(sm, id);
            // A client that went away misses the rest; the cell still runs to
            // its end in the kernel, as in a notebook, and is logged.
            if (end) {
                QJsonObject checked = h;
                checked.insert(QStringLiteral("touched"), cell->touched);
                reply->chunk(ndjson(checked));
            } else {
                reply->chunk(ndjson(h));
            }
            if (end) {
                reply->endChunked();
                s->close();
                return;
            }
            pace();
        });
        QObject::connect(s, &AgentStream::closed, s, [reply, s] {
            if (reply->sent())
                reply->endChunked();
            else
                reply->error(ApiError::unavailable(QStringLiteral("The sandbox's kernel stream ended early.")));
            s->deleteLater();
        });
        s->open(*header);
    });

    for (const char *op : {"interrupt", "restart"}) {
        const QString agentOp = QStringLiteral("code_") + QString::fromLatin1(op);
        const QByteArray path = QByteArrayLiteral("/v1/sandboxes/<arg>/code/") + op;
        api.on(path.constData(), M::Post, [sm, agentOp](ApiCall &c, const QString &id) {
            AgentCalls::relay(sm, c, id, QJsonObject{{QStringLiteral("op"), agentOp}}, {}, 60000,
                              [](HttpReply &reply, const AgentReply &) { reply.json(200, QJsonObject()); });
        });
    }
}
