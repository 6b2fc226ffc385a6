// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsHistoryPoller.h"

#include "MetricsHistory.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcModelMetrics, "ai2in.model.metrics", QtInfoMsg)

namespace {
// After a failure, wait at least this long before asking again.
constexpr int kRetryMs = 3000;
// A history read is small; longer than this and the engine is in trouble.
constexpr int kRequestTimeoutMs = 10000;
// Longer than the request's own timeout.
constexpr int kLostAnswerMs = 20000;
} // namespace

MetricsHistoryPoller::MetricsHistoryPoller(EngineClient *client, MetricsHistory *history, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_history(history)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &MetricsHistoryPoller::poll);
    m_watchdog.setSingleShot(true);
    m_watchdog.setInterval(kLostAnswerMs);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        qCInfo(lcModelMetrics) << m_id << "a metrics read was never answered; asking again";
        ++m_generation;
        finish();
    });
}

void MetricsHistoryPoller::setSandbox(const QString &id)
{
    if (id == m_id)
        return;
    stop();
    m_id = id;
    m_history->clear();
    setState(State::Stopped);
    Q_EMIT cleared();
}

void MetricsHistoryPoller::start()
{
    begin(true);
}

void MetricsHistoryPoller::readOnce()
{
    begin(false);
}

void MetricsHistoryPoller::begin(bool repeat)
{
    if (m_id.isEmpty() || m_state == State::Gone)
        return;
    m_repeat = repeat;
    if (m_state == State::Stopped)
        setState(State::Loading);
    if (!m_inFlight)
        m_timer.start(0);
}

void MetricsHistoryPoller::stop()
{
    ++m_generation;
    m_timer.stop();
    m_watchdog.stop();
    m_inFlight = false;
    m_repeat = false;
    if (m_state != State::Gone)
        setState(State::Stopped);
}

void MetricsHistoryPoller::setInterval(int ms)
{
    m_intervalMs = qMax(100, ms);
}

void MetricsHistoryPoller::poll()
{
    if (m_id.isEmpty() || m_inFlight || m_state == State::Gone)
        return;
    m_inFlight = true;
    ++m_requests;
    m_watchdog.start();
    const quint64 generation = m_generation;
    m_client->metricsHistory(m_id, m_history->newestMs(), kRequestTimeoutMs, this,
                             [this, generation](Result<MetricsHistory::Page> r) {
        if (generation != m_generation)
            return;
        handle(r);
        finish();
    });
}

void MetricsHistoryPoller::handle(const Result<MetricsHistory::Page> &page)
{
    ++m_answers;
    if (!page) {
        const ApiError &e = page.error();
        qCInfo(lcModelMetrics) << m_id << "metrics read failed:" << e.code << e.message;
        if (e.httpStatus == 404) {
            setState(State::Gone, tr("The sandbox %1 is gone (killed or timed out); the charts show what was read "
                                     "before.")
                                      .arg(m_id));
        } else {
            setState(State::Failing, tr("The metrics of %1 cannot be read: %2").arg(m_id, e.message));
        }
        return;
    }
    m_history->setLimits(page->cpuCount, page->memoryLimitBytes);
    const int added = m_history->append(page->samples);
    const int dropped = m_history->trimToKept();
    setState(State::Live);
    Q_EMIT changed(added, dropped);
}

void MetricsHistoryPoller::finish()
{
    m_watchdog.stop();
    m_inFlight = false;
    if (!m_repeat || m_state == State::Gone || m_state == State::Stopped)
        return;
    m_timer.start(m_state == State::Failing ? qMax(m_intervalMs, kRetryMs) : m_intervalMs);
}

void MetricsHistoryPoller::setState(State s, const QString &problem)
{
    if (s == m_state && problem == m_problem)
        return;
    m_state = s;
    m_problem = problem;
    Q_EMIT stateChanged(s, problem);
}
