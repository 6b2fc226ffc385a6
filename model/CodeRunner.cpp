// SPDX-License-Identifier: GPL-3.0-or-later
#include "CodeRunner.h"

#include "ApiPaths.h"
#include "EngineClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>

Q_LOGGING_CATEGORY(lcModelCode, "ai2in.model.code", QtInfoMsg)

namespace {
// Interrupt and restart wait for the kernel (the engine allows 60 s).
constexpr int kControlMs = 65000;
// An error answer is a small JSON object; more is not worth keeping.
constexpr qsizetype kMaxErrorBody = 64 * 1024;

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}
} // namespace

CodeRunner::CodeRunner(EngineClient *client, const QString &sandboxId, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_id(sandboxId)
{
}

CodeRunner::~CodeRunner()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

QString CodeRunner::path(const QString &op) const
{
    return ApiPaths::codePath(m_id, op);
}

bool CodeRunner::run(const QString &code)
{
    if (m_reply)
        return false;
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("code"), code}}).toJson(QJsonDocument::Compact);
    m_splitter = NdjsonSplitter();
    m_errorBody.clear();
    m_sawEnd = false;
    m_reply = m_client->open("POST", path(QString()), body, QByteArrayLiteral("application/json"), kStreamIdleMs);
    connect(m_reply, &QNetworkReply::readyRead, this, &CodeRunner::readAvailable);
    connect(m_reply, &QNetworkReply::finished, this, &CodeRunner::replyFinished);
    qCDebug(lcModelCode) << m_id << "runs" << code.size() << "characters";
    return true;
}

void CodeRunner::cancel()
{
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    if (!reply)
        return;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
    Q_EMIT finished(tr("Stopped following the cell; it may still be running in the kernel."));
}

void CodeRunner::readAvailable()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    if (statusOf(reply) != 200) {
        const QByteArray bytes = reply->readAll();
        m_errorBody.append(bytes.first(qMin(bytes.size(), kMaxErrorBody - m_errorBody.size())));
        return;
    }
    readLines(m_splitter.feed(reply->readAll()), reply);
}

void CodeRunner::readLines(const QList<QByteArray> &lines, QNetworkReply *reply)
{
    for (const QByteArray &line : lines) {
        std::optional<CodeEvent> event = CodeEvent::fromLine(line);
        if (!event)
            continue;
        m_sawEnd |= event->type == CodeEvent::Type::End;
        Q_EMIT eventReceived(*event);
        // A receiver may have cancelled (or deleted) the run.
        if (m_reply != reply)
            return;
    }
}

void CodeRunner::replyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    QString problem;
    if (statusOf(reply) == 200) {
        readLines(m_splitter.feed(reply->readAll()), reply);
        if (m_reply != reply)
            return;
        readLines({m_splitter.finish()}, reply);
        if (m_reply != reply)
            return;
        if (m_splitter.overflowed())
            problem = tr("The engine sent an event too large to read; it was left out.");
        if (!m_sawEnd) {
            problem = reply->error() != QNetworkReply::NoError
                          ? tr("The connection to the engine broke before the cell ended: %1.").arg(reply->errorString())
                          : tr("The engine's answer ended before the cell did.");
        }
    } else {
        const QByteArray rest = reply->readAll();
        m_errorBody.append(rest.first(qMin(rest.size(), kMaxErrorBody - m_errorBody.size())));
        problem = m_client->errorOf(reply, m_errorBody).message;
    }
    m_reply = nullptr;
    reply->deleteLater();
    if (!problem.isEmpty())
        qCInfo(lcModelCode) << m_id << problem;
    Q_EMIT finished(problem);
}

void CodeRunner::interrupt()
{
    post(QStringLiteral("interrupt"), &CodeRunner::interruptAnswered);
}

void CodeRunner::restart()
{
    post(QStringLiteral("restart"), &CodeRunner::restartAnswered);
}

void CodeRunner::post(const QString &op, void (CodeRunner::*answered)(bool, const QString &))
{
    m_client->call("POST", path(op), QByteArrayLiteral("{}"), kControlMs, this, [this, answered](Result<QByteArray> r) {
        Q_EMIT(this->*answered)(r.ok(), r ? QString() : r.error().message);
    });
}
