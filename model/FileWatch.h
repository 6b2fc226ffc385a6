// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class EngineClient;
class QWebSocket;

// A recursive watch on one directory of a sandbox, read through the engine's
// watch WebSocket (`POST …/watches`, then `GET …/watches/{id}/ws`). Events
// are handed on in coalesced batches: a burst (an unpacked archive, a build)
// becomes one batch with one event per path.
class FileWatch : public QObject
{
    Q_OBJECT
public:
    struct Event
    {
        enum class Type { Create, Modify, Remove };
        Type type = Type::Modify;
        QString path;
        bool isDir = false;
        bool operator==(const Event &o) const { return type == o.type && path == o.path && isDir == o.isDir; }
    };

    explicit FileWatch(EngineClient *client, QObject *parent = nullptr);
    ~FileWatch() override;

    // Watches `path` of `sandbox` (recursively), dropping any earlier watch.
    void start(const QString &sandbox, const QString &path);
    // Closes the socket and deletes the watch in the engine.
    void stop();
    bool isActive() const { return !m_sandbox.isEmpty(); }
    QString watchId() const { return m_watchId; }
    QString path() const { return m_path; }
    // How long events are gathered before a batch is handed on.
    void setCoalesceMs(int ms) { m_flush.setInterval(ms); }

    // Pure: one WebSocket message of the watch.
    static Result<Event> parseEvent(const QByteArray &message);
    // Pure: one event per path, in the order paths first appeared. The last
    // event wins, except that a create followed by modifications stays a
    // create (the entry is new to whoever applies the batch).
    static QList<Event> coalesce(const QList<Event> &events);

Q_SIGNALS:
    // The socket is open: events from now on arrive.
    void started();
    void eventsArrived(const QList<FileWatch::Event> &events);
    // The watch could not be made, or its socket closed while wanted.
    void ended(const QString &sentence);

private:
    void openSocket(quint64 generation);
    void dropSocket();
    void flush();

    QPointer<EngineClient> m_client; // the watch may outlive it at exit
    QPointer<QWebSocket> m_ws;
    QString m_sandbox;
    QString m_path;
    QString m_watchId;
    quint64 m_generation = 0;
    QList<Event> m_pending;
    QTimer m_flush;
};
