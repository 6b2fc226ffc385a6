// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileDownload.h"

#include "ApiPaths.h"
#include "EngineClient.h"
#include "FileEntry.h"
#include "FilesLogging.h"

#include <QDir>
#include <QNetworkReply>
#include <QSaveFile>

namespace {
constexpr int kListMs = 30000;
constexpr int kTransferMs = 60000;
constexpr int kListDepth = 16;
} // namespace

FileDownload::FileDownload(EngineClient *client, const QString &sandbox, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_sandbox(sandbox)
{
}

FileDownload::~FileDownload()
{
    dropTransfer();
}

void FileDownload::add(const QString &remotePath, bool isDir, const QString &localPath)
{
    if (isDir)
        m_dirs.append({remotePath, localPath});
    else
        m_files.append({remotePath, localPath});
}

QStringList FileDownload::localFiles() const
{
    QStringList out;
    for (const Item &f : m_files)
        out.append(f.local);
    return out;
}

void FileDownload::start()
{
    if (m_running)
        return;
    m_running = true;
    step();
}

void FileDownload::step()
{
    if (!m_running)
        return;
    if (!m_dirs.isEmpty()) {
        listDir(m_dirs.takeFirst());
        return;
    }
    if (m_done < m_files.size()) {
        fetch(m_files.at(m_done));
        return;
    }
    m_running = false;
    Q_EMIT finished(true, m_files.size() == 1 ? tr("Downloaded one file.") : tr("Downloaded %1 files.").arg(m_files.size()));
}

void FileDownload::listDir(const Item &dir)
{
    if (!QDir().mkpath(dir.local)) {
        fail(tr("The folder %1 cannot be made.").arg(QDir::toNativeSeparators(dir.local)));
        return;
    }
    const QString path = ApiPaths::filesPath(m_sandbox, dir.remote, kListDepth);
    m_client->call("GET", path, {}, kListMs, this, [this, dir](Result<QByteArray> r) {
        if (!m_running)
            return;
        auto entries = r ? FileEntry::listFromJson(*r) : Result<QList<FileEntry>>(r.error());
        if (!entries) {
            fail(tr("%1 cannot be listed: %2").arg(dir.remote, entries.error().message));
            return;
        }
        const QString prefix = dir.remote.endsWith(QLatin1Char('/')) ? dir.remote : dir.remote + QLatin1Char('/');
        for (const FileEntry &e : *entries) {
            if (!e.path.startsWith(prefix))
                continue;
            const QString relative = e.path.mid(prefix.size());
            const QString local = QDir(dir.local).filePath(relative);
            if (e.isDir()) {
                // The listing stops at its depth: what lies deeper is listed again.
                if (relative.count(QLatin1Char('/')) + 1 >= kListDepth)
                    m_dirs.append({e.path, local});
                else if (!QDir().mkpath(local))
                    return fail(tr("The folder %1 cannot be made.").arg(QDir::toNativeSeparators(local)));
            } else if (e.type == FileEntry::Type::File) {
                m_files.append({e.path, local});
            }
        }
        Q_EMIT progress();
        step();
    });
}

void FileDownload::fetch(const Item &file)
{
    auto *out = new QSaveFile(file.local, this);
    if (!out->open(QIODevice::WriteOnly)) {
        const QString why = out->errorString();
        delete out;
        fail(tr("%1 cannot be written: %2").arg(QDir::toNativeSeparators(file.local), why));
        return;
    }
    m_out = out;
    QNetworkReply *reply = m_client->open("GET", ApiPaths::fileContentPath(m_sandbox, file.remote), QByteArray(),
                                          QByteArray(), kTransferMs);
    m_reply = reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        // An error answer's body is read at the end, not written.
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 200 || !m_out)
            return;
        const QByteArray chunk = reply->readAll();
        m_bytes += chunk.size();
        if (m_out->write(chunk) != chunk.size())
            return fail(tr("%1 cannot be written: %2").arg(QDir::toNativeSeparators(m_out->fileName()), m_out->errorString()));
        Q_EMIT progress();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, file] {
        if (reply != m_reply)
            return;
        const QByteArray rest = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200)
            return fail(tr("%1 was not downloaded: %2").arg(file.remote, m_client->errorOf(reply, rest).message));
        m_bytes += rest.size();
        if ((!rest.isEmpty() && m_out->write(rest) != rest.size()) || !m_out->commit())
            return fail(tr("%1 cannot be written: %2").arg(QDir::toNativeSeparators(file.local), m_out->errorString()));
        m_out->deleteLater();
        m_out = nullptr;
        reply->deleteLater();
        m_reply = nullptr;
        ++m_done;
        Q_EMIT progress();
        step();
    });
}

void FileDownload::dropTransfer()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_out) {
        m_out->cancelWriting();
        m_out->commit();
        delete m_out;
        m_out = nullptr;
    }
}

void FileDownload::fail(const QString &sentence)
{
    if (!m_running)
        return;
    m_running = false;
    dropTransfer();
    qCInfo(lcModelFiles) << "download failed:" << sentence;
    Q_EMIT finished(false, sentence);
}

void FileDownload::cancel()
{
    fail(tr("The download was cancelled."));
}
