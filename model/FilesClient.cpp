// SPDX-License-Identifier: GPL-3.0-or-later
#include "FilesClient.h"

#include "ApiPaths.h"

#include <QJsonDocument>
#include <QJsonObject>

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

QNetworkReply *FilesClient::openContent(const QString &sandbox, const QString &path, int timeoutMs)
{
    return m_client->open("GET", ApiPaths::fileContentPath(sandbox, path), QByteArray(),
                          QByteArray(), timeoutMs);
}
