// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"
#include "MetricsHistory.h"

#include <QObject>
#include <QTimer>

// Keeps a MetricsHistory in step with one sandbox: the first read takes
// everything the engine kept (`since=0`), each later one only what came after
// the newest reading held. One request at a time; readings older than the
// engine keeps are dropped after each answer. A sandbox that is gone stops
// the polling and is said; other failures are said and retried.
class MetricsHistoryPoller : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Loading, Live, Failing, Gone };
    Q_ENUM(State)

    MetricsHistoryPoller(EngineClient *client, MetricsHistory *history, QObject *parent = nullptr);

    // The sandbox to read; stops. Another id clears the history, "" too.
    void setSandbox(const QString &id);
    QString sandbox() const { return m_id; }
    // Reads now and then every interval until stop().
    void start();
    // Reads once (a paused sandbox's kept history), no repeats.
    void readOnce();
    void stop();

    void setInterval(int ms);
    int interval() const { return m_intervalMs; }

    State state() const { return m_state; }
    bool isPolling() const { return m_repeat; }
    // A sentence when the history cannot be read ("" when all is well).
    QString problem() const { return m_problem; }
    int requestCount() const { return m_requests; }
    int answerCount() const { return m_answers; }
    bool isBusy() const { return m_inFlight; }

Q_SIGNALS:
    void stateChanged(MetricsHistoryPoller::State state, const QString &problem);
    // An answer was applied: `added` readings at the end, `dropped` from the
    // front (too old). Emitted for every answer, also when both are 0.
    void changed(int added, int dropped);
    // setSandbox() emptied the history.
    void cleared();

private:
    void begin(bool repeat);
    void poll();
    void handle(const Result<MetricsHistory::Page> &page);
    void finish();
    void setState(State s, const QString &problem = {});

    EngineClient *m_client;
    MetricsHistory *m_history;
    QTimer m_timer;
    // A request whose answer never comes (the client dropped it: a profile
    // switch) must not stop the charts for good.
    QTimer m_watchdog;
    QString m_id;
    quint64 m_generation = 0; // bumped by setSandbox() and stop(): old answers are dropped
    int m_intervalMs = 1000;
    int m_requests = 0;
    int m_answers = 0;
    bool m_inFlight = false;
    bool m_repeat = false;
    State m_state = State::Stopped;
    QString m_problem;
};
