// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangesClient.h"

#include "ApiPaths.h"

#include <QDir>
#include <QNetworkReply>
#include <QPointer>
#include <QSaveFile>

#include <memory>
#include <optional>

namespace {

constexpr int kListMs = 30000;
// A patch reads every changed file through the sandbox's agent.
constexpr int kPatchMs = 120000;
// The archive too; this is how long it may go without a byte.
constexpr int kArchiveIdleMs = 120000;

} // namespace

ChangesClient::ChangesClient(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

QString ChangesClient::listPath(const QString &sandbox)
{
    return ApiPaths::changesPath(sandbox);
}

QString ChangesClient::diffPath(const QString &sandbox, const QString &path)
{
    return ApiPaths::changesDiffPath(sandbox, path);
}

QString ChangesClient::patchPath(const QString &sandbox)
{
    return ApiPaths::changesPatchPath(sandbox);
}

QString ChangesClient::archivePath(const QString &sandbox, bool gzip)
{
    return ApiPaths::changesArchivePath(sandbox, gzip);
}

void ChangesClient::list(const QString &sandbox, QObject *context, EngineClient::Handler<ChangeList> done)
{
    m_client->call("GET", listPath(sandbox), {}, kListMs, context, [done](Result<QByteArray> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done(ChangeList::fromJson(*r));
    });
}

void ChangesClient::diff(const QString &sandbox, const QString &path, QObject *context,
                         EngineClient::Handler<ChangeDiff> done)
{
    m_client->call("GET", diffPath(sandbox, path), {}, kListMs, context, [done](Result<QByteArray> r) {
        if (!r) {
            done(r.error());
            return;
        }
        done(ChangeDiff::fromJson(*r));
    });
}

void ChangesClient::patch(const QString &sandbox, QObject *context, EngineClient::Handler<QByteArray> done)
{
    m_client->call("GET", patchPath(sandbox), {}, kPatchMs, context, std::move(done));
}

void ChangesClient::saveArchive(const QString &sandbox, const QString &fileName, QObject *context,
                                std::function<void(qint64)> progress, EngineClient::Handler<qint64> done)
{
    auto out = std::make_shared<QSaveFile>(fileName);
    if (!out->open(QIODevice::WriteOnly)) {
        done(ApiError::internal(
            tr("The archive cannot be written to %1: %2").arg(QDir::toNativeSeparators(fileName), out->errorString())));
        return;
    }
    const bool gzip = fileName.endsWith(QLatin1String(".tar.gz"), Qt::CaseInsensitive) ||
                      fileName.endsWith(QLatin1String(".tgz"), Qt::CaseInsensitive);
    QNetworkReply *reply = m_client->open("GET", archivePath(sandbox, gzip), QByteArray(), QByteArray(), kArchiveIdleMs);
    auto written = std::make_shared<qint64>(0);
    // Whatever was written goes when the save does not end whole.
    auto cannotWrite = [out, fileName] {
        return ApiError::internal(
            tr("The archive cannot be written to %1: %2").arg(QDir::toNativeSeparators(fileName), out->errorString()));
    };
    auto failed = std::make_shared<std::optional<ApiError>>();
    connect(reply, &QNetworkReply::readyRead, reply, [reply, out, written, failed, cannotWrite, progress,
                                                      guard = QPointer<QObject>(context)] {
        // An error answer's body is read at the end, as the error.
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200 || *failed)
            return;
        const QByteArray piece = reply->readAll();
        if (out->write(piece) != piece.size()) {
            *failed = cannotWrite();
            reply->abort();
            return;
        }
        *written += piece.size();
        if (guard && progress)
            progress(*written);
    });
    connect(reply, &QNetworkReply::finished, reply, [client = m_client, reply, out, written, failed, cannotWrite, done,
                                                     guard = QPointer<QObject>(context)] {
        reply->deleteLater();
        const QByteArray rest = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        std::optional<ApiError> error = *failed;
        if (!error && (reply->error() != QNetworkReply::NoError || status != 200))
            error = client->errorOf(reply, rest);
        if (!error && ((!rest.isEmpty() && out->write(rest) != rest.size()) || !out->commit()))
            error = cannotWrite();
        if (error)
            out->cancelWriting();
        if (!guard)
            return;
        if (error)
            done(*error);
        else
            done(*written + rest.size());
    });
    // A pane that goes away stops the download; the file is not made.
    connect(context, &QObject::destroyed, reply, [reply, out] {
        out->cancelWriting();
        reply->abort();
    });
}
