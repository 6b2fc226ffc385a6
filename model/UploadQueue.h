// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "UploadPlan.h"

#include <QList>
#include <QObject>
#include <QPointer>

class EngineClient;
class QFile;
class QNetworkReply;

// Uploads into sandboxes, one job at a time, in the order they were queued:
// directories are made (`POST …/files/mkdir`), files are sent
// (`PUT …/files/content`) from disk with their progress. A file over the
// engine's limit fails at once with a sentence and is never sent. A file
// whose name is taken is replaced, skipped or sent under a free name
// ("name (1).ext") as the clash policy says; with the policy Ask the queue
// waits for resolveClash(). The engine writes a file only once it has all
// of it, so a cancelled upload leaves nothing behind.
class UploadQueue : public QObject
{
    Q_OBJECT
public:
    enum class Clash { Ask, Replace, Skip, Rename };
    Q_ENUM(Clash)
    enum class State { Queued, Checking, Asking, Sending, Done, Skipped, Failed, Cancelled };
    Q_ENUM(State)

    struct Job
    {
        int id = 0;
        QString sandbox;
        QString localPath;
        QString remotePath;
        qint64 size = 0;
        qint64 sent = 0;
        bool isDir = false;
        State state = State::Queued;
        QString message; // what happened, for people
        bool isFinished() const { return state >= State::Done; }
    };

    explicit UploadQueue(EngineClient *client, QObject *parent = nullptr);
    ~UploadQueue() override;

    // Queues the plan's items; returns their job ids.
    QList<int> enqueue(const QString &sandbox, const UploadPlan &plan);
    void setClashPolicy(Clash policy) { m_policy = policy; }
    Clash clashPolicy() const { return m_policy; }
    // The answer to clashFound(id); with applyToAll it becomes the policy.
    void resolveClash(int id, Clash choice, bool applyToAll);
    void cancel(int id);
    void cancelAll();
    // Forgets the jobs that have finished.
    void clearFinished();

    const QList<Job> &jobs() const { return m_jobs; }
    const Job *job(int id) const;
    // The bytes of the files that are (or were) to be sent, and how many of
    // them went.
    qint64 totalBytes() const;
    qint64 sentBytes() const;
    bool isBusy() const;

    // Pure: the sentence for a file over the engine's limit.
    static QString tooLargeSentence(const QString &name, qint64 size);

Q_SIGNALS:
    void jobAdded(int id);
    void jobChanged(int id);
    // A file's name is taken and the policy is Ask: resolveClash() goes on.
    void clashFound(int id);
    void jobFinished(int id);
    void jobsRemoved();
    // Nothing is left to do.
    void drained();

private:
    Job *find(int id);
    Job *currentIn(int id, State state);
    void next();
    void makeDir(Job &job);
    void check(Job &job);
    void onClash(Job &job, Clash choice);
    void sendUnderFreeName(Job &job);
    void send(Job &job);
    void finish(int id, State state, const QString &message);
    void setState(Job &job, State state, const QString &message = {});
    void dropTransfer();

    EngineClient *m_client;
    QList<Job> m_jobs;
    int m_nextId = 1;
    int m_current = 0; // the job being worked on, 0 for none
    Clash m_policy = Clash::Ask;
    QPointer<QNetworkReply> m_reply;
    QFile *m_file = nullptr;
};
