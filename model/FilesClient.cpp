// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilesClient.h"

#include "ApiPaths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <memory>

namespace {
constexpr int kShortMs = 15000;
}

FilesClient::FilesClient(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

void FilesClient::makeFolder(const QString &sandbox, const QString &path, QObject *context,
                             EngineClient::Handler<Done> done)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("path"), path}}).toJson(QJsonDocument::Compact);
    m_client->call("POST", ApiPaths::mkdirPath(sandbox), body, kShortMs, context,
                   [done](Result<QByteArray> r) {
                       if (!r)
                           done(r.error());
                       else
                           done(Done{});
                   });
}

void FilesClient::remove(const QString &sandbox, const QString &path, QObject *context, EngineClient::Handler<Done> done)
{
    m_client->call("DELETE", ApiPaths::filesPath(sandbox, path), {}, kShortMs, context,
                   [done](Result<QByteArray> r) {
                       if (!r)
                           done(r.error());
                       else
                           done(Done{});
                   });
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
    connect(reply, &QNetworkReply::readyRead, context, [=] {
        if (!isOk())
            return; // an error's body is read whole at the end
        head->bytes += reply->read(maxBytes + 1 - head->bytes.size());
        if (head->bytes.size() <= maxBytes)
            return;
        // Enough: the rest is not read.
        reply->disconnect(context);
        reply->abort();
        head->bytes.truncate(maxBytes);
        head->truncated = true;
        done(std::move(*head));
    });
    connect(reply, &QNetworkReply::finished, context, [=] {
        const QByteArray rest = reply->readAll();
        if (reply->error() != QNetworkReply::NoError || !isOk())
            return done(client->errorOf(reply, rest));
        head->bytes += rest;
        if (head->bytes.size() > maxBytes) {
            head->bytes.truncate(maxBytes);
            head->truncated = true;
        }
        done(std::move(*head));
    });
}
