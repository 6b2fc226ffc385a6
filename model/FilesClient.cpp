// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilesClient.h"

#include "ApiPaths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <memory>

namespace {
constexpr int kShortMs = 15000;

// A call whose answer's body says nothing more than that it went well.
EngineClient::Handler<QByteArray> doneOrError(EngineClient::Handler<Done> done)
{
    return [done](Result<QByteArray> r) {
        if (!r)
            done(r.error());
        else
            done(Done{});
    };
}
} // namespace

FilesClient::FilesClient(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void FilesClient::makeFolder(const QString &sandbox, const QString &path, QObject *context,
                             EngineClient::Handler<Done> done)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("path"), path}}).toJson(QJsonDocument::Compact);
    m_client->call("POST", ApiPaths::mkdirPath(sandbox), body, kShortMs, context, doneOrError(std::move(done)));
}

void FilesClient::remove(const QString &sandbox, const QString &path, QObject *context, EngineClient::Handler<Done> done)
{
    m_client->call("DELETE", ApiPaths::filesPath(sandbox, path), {}, kShortMs, context, doneOrError(std::move(done)));
}

void FilesClient::readHead(const QString &sandbox, const QString &path, qsizetype maxBytes, int timeoutMs,
                           QObject *context, EngineClient::Handler<Head> done)
{
    EngineClient *client = m_client;
    QNetworkReply *reply = client->open("GET", ApiPaths::fileContentPath(sandbox, path), QByteArray(), QByteArray(), timeoutMs);
    // The reply cleans up after itself; a context that goes stops the read.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(context, &QObject::destroyed, reply, [reply, context] {
        reply->disconnect(context); // no answer to a context half gone
        reply->abort();
    });
    auto head = std::make_shared<Head>();
    auto isOk = [reply] { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200; };
    // Keeps at most `maxBytes`; true when there was more.
    auto cut = [head, maxBytes] {
        if (head->bytes.size() <= maxBytes)
            return false;
        head->bytes.truncate(maxBytes);
        head->truncated = true;
        return true;
    };
    connect(reply, &QNetworkReply::readyRead, context, [=] {
        if (!isOk())
            return; // an error's body is read whole at the end
        head->bytes += reply->read(maxBytes + 1 - head->bytes.size());
        if (!cut())
            return;
        // Enough: the rest is not read.
        reply->disconnect(context);
        reply->abort();
        done(std::move(*head));
    });
    connect(reply, &QNetworkReply::finished, context, [=] {
        const QByteArray rest = reply->readAll();
        if (reply->error() != QNetworkReply::NoError || !isOk())
            return done(client->errorOf(reply, rest));
        head->bytes += rest;
        cut();
        done(std::move(*head));
    });
}
