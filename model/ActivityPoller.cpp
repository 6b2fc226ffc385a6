// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityPoller.h"

#include "ActivityModel.h"
#include "ModelLogging.h"

namespace {
// The engine refreshes at most this many running commands per read; more
// one-by-one reads per poll would only repeat themselves.
constexpr int kMaxSingleReads = 16;
// After a failure, wait at least this long before asking again.
constexpr int kRetryMs = 3000;
// Longer than the client's own transfer timeout for a read.
constexpr int kLostAnswerMs = 30000;
} // namespace

ActivityPoller::ActivityPoller(EngineClient *client, ActivityModel *model, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_model(model)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ActivityPoller::poll);
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(kLostAnswerMs);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        qCInfo(lcModelActivity) << m_id << "an activity read was never answered; asking again";
        ++m_generation;
        m_queue.clear();
        finish();
    });
}

void ActivityPoller::setSandbox(const QString &id)
{
    if (id == m_id && m_state != State::Stopped)
        return;
    ++m_generation;
    m_timer.stop();
    m_watchdog.stop();
    m_queue.clear();
    m_inFlight = false;
    m_again = false;
    if (id != m_id) {
        m_model->clear();
        m_after = 0;
        m_running.clear();
    }
    m_id = id;
    if (id.isEmpty()) {
        setState(State::Stopped);
        return;
    }
    setState(State::Loading);
    m_timer.start(0);
}

void ActivityPoller::stop()
{
    ++m_generation;
    m_timer.stop();
    m_watchdog.stop();
    m_queue.clear();
    m_inFlight = false;
    setState(State::Stopped);
}

void ActivityPoller::pollNow()
{
    if (m_id.isEmpty() || m_state == State::Stopped || m_state == State::Gone)
        return;
    if (m_inFlight)
        m_again = true;
    else
        m_timer.start(0);
}

void ActivityPoller::setInterval(int ms)
{
    m_intervalMs = qMax(100, ms);
    if (m_timer.isActive() && !m_inFlight)
        m_timer.start(m_intervalMs);
}

void ActivityPoller::setPageSize(int n)
{
    // The API takes 1 … 500.
    m_pageSize = qBound(2, n, 500);
}

void ActivityPoller::poll()
{
    if (m_id.isEmpty() || m_inFlight || m_state == State::Stopped || m_state == State::Gone)
        return;
    m_inFlight = true;
    m_changed = false;
    m_morePages = false;
    m_queue.clear();

    // Running entries already read (later ones arrive as new entries anyway).
    QList<qint64> behind;
    for (qint64 seq : std::as_const(m_running)) {
        if (seq <= m_after)
            behind.append(seq);
    }
    if (behind.isEmpty()) {
        m_queue.append(Read{m_after, m_pageSize});
    } else if (m_after - behind.first() + 1 <= m_pageSize / 2) {
        // Close to the end: one read from before the first running entry
        // brings their updates and whatever is new.
        m_queue.append(Read{behind.first() - 1, m_pageSize});
    } else {
        m_queue.append(Read{m_after, m_pageSize});
        for (qint64 seq : std::as_const(behind).first(qMin<qsizetype>(behind.size(), kMaxSingleReads)))
            m_queue.append(Read{seq - 1, 1});
    }
    next();
}

void ActivityPoller::next()
{
    if (m_queue.isEmpty()) {
        finish();
        return;
    }
    const Read read = m_queue.takeFirst();
    const quint64 generation = m_generation;
    ++m_requests;
    m_watchdog.start();
    m_client->activity(m_id, read.after, read.limit, this, [this, read, generation](Result<ActivityPage> r) {
        if (generation != m_generation)
            return;
        handle(read, r);
        if (!r)
            m_queue.clear();
        next();
    });
}

void ActivityPoller::handle(const Read &read, const Result<ActivityPage> &r)
{
    if (!r) {
        fail(r.error());
        return;
    }
    if (!r->entries.isEmpty() && m_model->apply(r->entries))
        m_changed = true;
    if (r->skipped > 0)
        qCDebug(lcModelActivity) << m_id << "left out" << r->skipped << "entries of unknown kinds";
    m_after = qMax(m_after, r->nextAfter);
    m_running = r->running;
    if (read.limit > 1 && r->entries.size() + r->skipped >= read.limit)
        m_morePages = true;
    setState(State::Live);
}

void ActivityPoller::finish()
{
    m_watchdog.stop();
    m_inFlight = false;
    Q_EMIT polled(m_changed);
    if (m_state == State::Gone || m_state == State::Stopped)
        return;
    if (m_again || m_morePages) {
        m_again = false;
        m_timer.start(0);
    } else {
        m_timer.start(m_state == State::Failing ? qMax(m_intervalMs, kRetryMs) : m_intervalMs);
    }
}

void ActivityPoller::fail(const ApiError &e)
{
    qCInfo(lcModelActivity) << m_id << "activity read failed:" << e.code << e.message;
    if (e.httpStatus == 404) {
        setState(State::Gone, tr("The sandbox %1 is gone (killed or timed out), and its activity log with it. "
                                 "The entries shown are what was read before.")
                                  .arg(m_id));
        return;
    }
    setState(State::Failing, tr("The activity log of %1 cannot be read: %2").arg(m_id, e.message));
}

void ActivityPoller::setState(State s, const QString &problem)
{
    if (s == m_state && problem == m_problem)
        return;
    m_state = s;
    m_problem = problem;
    Q_EMIT stateChanged(s, problem);
}
