// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"

#include <QObject>
#include <QTimer>

class ActivityModel;

// Keeps an ActivityModel in step with one sandbox's activity log. One
// request at a time, never overlapping: a poll reads what is new after the
// cursor, and while commands run it reads again from before the first of
// them (the engine's `running` list) so their output and exit code arrive in
// place. When running entries lie far behind the newest (a server started
// long ago), those few are re-read one by one instead, so a command that
// never ends cannot hold the rest of the log back. A full page asks for the
// next one at once. When the sandbox is gone it stops and says so; other
// failures are said and retried.
class ActivityPoller : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Loading, Live, Failing, Gone };
    Q_ENUM(State)

    ActivityPoller(EngineClient *client, ActivityModel *model, QObject *parent = nullptr);

    // Follows `id` from the start of its log; an empty id stops. The model is
    // cleared when the sandbox changes.
    void setSandbox(const QString &id);
    QString sandbox() const { return m_id; }
    void stop();
    // Poll as soon as the request in flight (if any) has come back.
    void pollNow();

    void setInterval(int ms);
    int interval() const { return m_intervalMs; }
    void setPageSize(int n);

    State state() const { return m_state; }
    // A sentence when the log cannot be followed ("" when all is well).
    QString problem() const { return m_problem; }
    qint64 cursor() const { return m_after; }
    const QList<qint64> &running() const { return m_running; }
    int requestCount() const { return m_requests; }
    bool isBusy() const { return m_inFlight; }

Q_SIGNALS:
    void stateChanged(ActivityPoller::State state, const QString &problem);
    // One poll (all its requests) is over; `changed`: the model changed.
    void polled(bool changed);

private:
    struct Read
    {
        qint64 after = 0;
        int limit = 0;
    };
    void poll();
    void next();
    void finish();
    void handle(const Read &read, const Result<ActivityPage> &page);
    void fail(const ApiError &error);
    void setState(State s, const QString &problem = {});

    EngineClient *m_client;
    ActivityModel *m_model;
    QTimer m_timer;
    // A request whose answer never comes (the client dropped it: a profile
    // switch) must not stop the log for good.
    QTimer m_watchdog;
    QString m_id;
    quint64 m_generation = 0; // bumped by setSandbox(), so old answers are dropped
    qint64 m_after = 0;
    QList<qint64> m_running;
    QList<Read> m_queue; // the rest of the current poll
    int m_intervalMs = 1000;
    int m_pageSize = 200;
    int m_requests = 0;
    bool m_inFlight = false;
    bool m_again = false;
    bool m_changed = false;
    bool m_morePages = false;
    State m_state = State::Stopped;
    QString m_problem;
};
