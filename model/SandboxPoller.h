// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class SandboxModel;

// Keeps a SandboxModel in step with an engine: one list request at a time
// (never overlapping), with If-None-Match so an unchanged list costs a 304
// and no model signal; metrics of running sandboxes on their own slower
// timer. When the engine goes away it says so in a sentence and keeps
// trying; the model keeps its rows meanwhile.
class SandboxPoller : public QObject
{
    Q_OBJECT
public:
    enum class Connection { Stopped, Connecting, Connected, Unreachable, Unauthorized, Failing };
    Q_ENUM(Connection)

    SandboxPoller(EngineClient *client, SandboxModel *model, QObject *parent = nullptr);

    // The engine's name in the model's rows ("" when it watches one engine).
    void setEngineName(const QString &name) { m_engine = name; }
    QString engineName() const { return m_engine; }

    void start();
    void stop();
    // Poll as soon as the request in flight (if any) has come back.
    void pollNow();

    void setInterval(int ms);
    int interval() const { return m_intervalMs; }
    // 0 turns metrics off.
    void setMetricsInterval(int ms);
    int metricsInterval() const { return m_metricsMs; }

    Connection connection() const { return m_connection; }
    // A sentence about the connection when it is not well ("" when it is).
    QString problem() const { return m_problem; }
    QString engineVersion() const { return m_version; }
    QString nodeId() const { return m_node; }
    qint64 lastRoundTripMs() const { return m_lastRttMs; }
    bool hasData() const { return m_hasData; }
    int pollCount() const { return m_polls; }
    int notModifiedCount() const { return m_notModified; }

    // What a list answer does to the model; public for the benchmark.
    void handleListResult(const Result<EngineClient::ListReply> &result, qint64 roundTripMs);

Q_SIGNALS:
    void connectionChanged(SandboxPoller::Connection connection, const QString &problem);
    void healthChanged(const QString &version, const QString &nodeId);
    void polled(qint64 roundTripMs, bool changed);
    void firstData();

private:
    void poll();
    void fetchList();
    void fail(const ApiError &error);
    void setConnection(Connection c, const QString &problem);
    void schedule();
    void pollMetrics();

    EngineClient *m_client;
    SandboxModel *m_model;
    QTimer m_timer;
    QTimer m_metricsTimer;
    QElapsedTimer m_clock;
    QByteArray m_etag;
    int m_intervalMs = 2000;
    int m_metricsMs = 5000;
    bool m_running = false;
    bool m_inFlight = false;
    bool m_again = false;
    bool m_needHealth = true;
    bool m_hasData = false;
    int m_metricsInFlight = 0;
    int m_polls = 0;
    int m_notModified = 0;
    qint64 m_lastRttMs = -1;
    Connection m_connection = Connection::Stopped;
    QString m_problem;
    QString m_engine;
    QString m_version;
    QString m_node;
};
