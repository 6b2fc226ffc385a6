// SPDX-License-Identifier: GPL-3.0-or-later
#include "UploadQueue.h"

#include "ApiPaths.h"
#include "EngineClient.h"
#include "FileEntry.h"
#include "FileNames.h"
#include "FilesLogging.h"
#include "Formatting.h"
#include "Limits.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>

namespace {
constexpr int kShortMs = 15000;
// A transfer timeout counts from the last byte moved, not from the start.
constexpr int kTransferMs = 60000;
} // namespace

UploadQueue::UploadQueue(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
}

UploadQueue::~UploadQueue()
{
    dropTransfer();
}

QString UploadQueue::tooLargeSentence(const QString &name, qint64 size)
{
    return tr("%1 is %2; a sandbox takes files of at most %3, so it was not uploaded.")
        .arg(name, Formatting::bytes(size), Formatting::bytes(Limits::kMaxFileBytes));
}

QList<int> UploadQueue::enqueue(const QString &sandbox, const UploadPlan &plan)
{
    QList<int> ids;
    for (const UploadPlan::Item &item : plan.items) {
        Job job;
        job.id = m_nextId++;
        job.sandbox = sandbox;
        job.localPath = item.localPath;
        job.remotePath = item.remotePath;
        job.size = item.size;
        job.isDir = item.isDir;
        if (!job.isDir && job.size > Limits::kMaxFileBytes) {
            job.state = State::Failed;
            job.message = tooLargeSentence(FileNames::baseName(job.remotePath), job.size);
        } else {
            job.message = tr("Waiting");
        }
        m_jobs.append(job);
        ids.append(job.id);
        Q_EMIT jobAdded(job.id);
        if (job.state == State::Failed)
            Q_EMIT jobFinished(job.id);
    }
    next();
    return ids;
}

const UploadQueue::Job *UploadQueue::job(int id) const
{
    for (const Job &j : m_jobs) {
        if (j.id == id)
            return &j;
    }
    return nullptr;
}

UploadQueue::Job *UploadQueue::find(int id)
{
    return const_cast<Job *>(job(id));
}

UploadQueue::Job *UploadQueue::currentIn(int id, State state)
{
    // An answer for a job that was cancelled (or moved on) meanwhile is late.
    Job *j = m_current == id ? find(id) : nullptr;
    return j && j->state == state ? j : nullptr;
}

qint64 UploadQueue::totalBytes() const
{
    qint64 total = 0;
    for (const Job &j : m_jobs) {
        if (!j.isDir && (j.state <= State::Done))
            total += j.size;
    }
    return total;
}

qint64 UploadQueue::sentBytes() const
{
    qint64 sent = 0;
    for (const Job &j : m_jobs) {
        if (!j.isDir && j.state <= State::Done)
            sent += j.state == State::Done ? j.size : j.sent;
    }
    return sent;
}

bool UploadQueue::isBusy() const
{
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(), [](const Job &j) { return !j.isFinished(); });
}

void UploadQueue::setState(Job &job, State state, const QString &message)
{
    job.state = state;
    if (!message.isEmpty())
        job.message = message;
    Q_EMIT jobChanged(job.id);
}

void UploadQueue::finish(int id, State state, const QString &message)
{
    Job *job = find(id);
    if (!job)
        return;
    if (state == State::Done)
        job->sent = job->size;
    setState(*job, state, message);
    qCDebug(lcModelFiles) << "upload" << job->remotePath << state << message;
    if (m_current == id) {
        m_current = 0;
        dropTransfer();
        // After the signals: a handler may queue more or cancel.
        QTimer::singleShot(0, this, &UploadQueue::next);
    }
    Q_EMIT jobFinished(id);
}

void UploadQueue::next()
{
    if (m_current != 0)
        return;
    for (Job &job : m_jobs) {
        if (job.state != State::Queued)
            continue;
        m_current = job.id;
        if (job.isDir)
            makeDir(job);
        else
            check(job);
        return;
    }
    Q_EMIT drained();
}

void UploadQueue::makeDir(Job &job)
{
    const int id = job.id;
    const QString path = ApiPaths::mkdirPath(job.sandbox);
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("path"), job.remotePath}}).toJson(QJsonDocument::Compact);
    // Signals may change the job list: nothing of `job` is used after them.
    setState(job, State::Sending, tr("Making the folder"));
    m_client->call("POST", path, body, kShortMs, this,
                   [this, id](Result<QByteArray> r) {
                       if (!currentIn(id, State::Sending))
                           return;
                       if (!r)
                           finish(id, State::Failed, tr("The folder was not made: %1").arg(r.error().message));
                       else
                           finish(id, State::Done, tr("Folder made"));
                   });
}

void UploadQueue::check(Job &job)
{
    const int id = job.id;
    const QString path = ApiPaths::fileExistsPath(job.sandbox, job.remotePath);
    setState(job, State::Checking, tr("Checking the name"));
    m_client->call("GET", path, {}, kShortMs, this,
                   [this, id](Result<QByteArray> r) {
                       Job *j = currentIn(id, State::Checking);
                       if (!j)
                           return;
                       if (!r) {
                           finish(id, State::Failed, tr("Not uploaded: %1").arg(r.error().message));
                           return;
                       }
                       if (!QJsonDocument::fromJson(*r).object().value(QStringLiteral("exists")).toBool()) {
                           send(*j);
                           return;
                       }
                       if (m_policy == Clash::Ask) {
                           setState(*j, State::Asking, tr("%1 exists already").arg(FileNames::baseName(j->remotePath)));
                           Q_EMIT clashFound(id);
                           return;
                       }
                       onClash(*j, m_policy);
                   });
}

void UploadQueue::resolveClash(int id, Clash choice, bool applyToAll)
{
    if (applyToAll && choice != Clash::Ask)
        m_policy = choice;
    Job *j = find(id);
    if (!j || j->state != State::Asking || choice == Clash::Ask)
        return;
    onClash(*j, choice);
}

void UploadQueue::onClash(Job &job, Clash choice)
{
    switch (choice) {
    case Clash::Skip:
        finish(job.id, State::Skipped, tr("Skipped: %1 exists already").arg(FileNames::baseName(job.remotePath)));
        break;
    case Clash::Replace:
        send(job);
        break;
    case Clash::Rename:
        sendUnderFreeName(job);
        break;
    case Clash::Ask:
        break;
    }
}

void UploadQueue::sendUnderFreeName(Job &job)
{
    const int id = job.id;
    const QString path = ApiPaths::filesPath(job.sandbox, FileNames::parentOf(job.remotePath));
    setState(job, State::Checking, tr("Finding a free name"));
    m_client->call("GET", path, {}, kShortMs, this,
                   [this, id](Result<QByteArray> r) {
                       Job *j = currentIn(id, State::Checking);
                       if (!j)
                           return;
                       auto entries = r ? FileEntry::listFromJson(*r) : Result<QList<FileEntry>>(r.error());
                       if (!entries) {
                           finish(id, State::Failed, tr("Not uploaded: %1").arg(entries.error().message));
                           return;
                       }
                       QSet<QString> taken;
                       for (const FileEntry &e : *entries)
                           taken.insert(e.name);
                       j->remotePath = FileNames::join(FileNames::parentOf(j->remotePath),
                                                       FileNames::freeName(FileNames::baseName(j->remotePath), taken));
                       send(*j);
                   });
}

void UploadQueue::send(Job &job)
{
    auto *file = new QFile(job.localPath, this);
    if (!file->open(QIODevice::ReadOnly)) {
        const QString why = file->errorString();
        delete file;
        finish(job.id, State::Failed, tr("%1 cannot be read: %2").arg(QFileInfo(job.localPath).fileName(), why));
        return;
    }
    // The file may have grown since it was dropped.
    if (file->size() > Limits::kMaxFileBytes) {
        const qint64 size = file->size();
        delete file;
        finish(job.id, State::Failed, tooLargeSentence(FileNames::baseName(job.remotePath), size));
        return;
    }
    job.size = file->size();
    job.sent = 0;
    m_file = file;
    const int id = job.id;
    QNetworkReply *reply = m_client->open("PUT", ApiPaths::fileContentPath(job.sandbox, job.remotePath),
                                          file, QByteArrayLiteral("application/octet-stream"), kTransferMs);
    m_reply = reply;
    setState(job, State::Sending, tr("Sending"));
    connect(reply, &QNetworkReply::uploadProgress, this, [this, id](qint64 sent, qint64) {
        Job *j = find(id);
        if (!j || j->state != State::Sending)
            return;
        j->sent = sent;
        Q_EMIT jobChanged(id);
    });
    connect(reply, &QNetworkReply::finished, this, [this, id, reply] {
        const QByteArray body = reply->readAll();
        if (!currentIn(id, State::Sending))
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300)
            finish(id, State::Done, tr("Uploaded"));
        else
            finish(id, State::Failed, tr("Not uploaded: %1").arg(m_client->errorOf(reply, body).message));
    });
}

void UploadQueue::dropTransfer()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        if (reply->isRunning())
            reply->abort();
        reply->deleteLater();
    }
    if (m_file) {
        // The reply may still read it until its abort is processed.
        m_file->deleteLater();
        m_file = nullptr;
    }
}

void UploadQueue::cancel(int id)
{
    Job *j = find(id);
    if (!j || j->isFinished())
        return;
    if (m_current == id) {
        finish(id, State::Cancelled, tr("Cancelled"));
        return;
    }
    setState(*j, State::Cancelled, tr("Cancelled"));
    Q_EMIT jobFinished(id);
}

void UploadQueue::cancelAll()
{
    QList<int> open;
    for (const Job &j : std::as_const(m_jobs)) {
        if (!j.isFinished())
            open.append(j.id);
    }
    // The waiting ones first, so the running one's end starts nothing new.
    std::reverse(open.begin(), open.end());
    for (int id : std::as_const(open))
        cancel(id);
}

void UploadQueue::clearFinished()
{
    m_jobs.removeIf([](const Job &j) { return j.isFinished(); });
    Q_EMIT jobsRemoved();
}
