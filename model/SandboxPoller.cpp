// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxPoller.h"

#include "ModelLogging.h"
#include "SandboxModel.h"

SandboxPoller::SandboxPoller(EngineClient *client, SandboxModel *model, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_model(model)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SandboxPoller::poll);
    connect(&m_metricsTimer, &QTimer::timeout, this, &SandboxPoller::pollMetrics);
}

void SandboxPoller::start()
{
    m_running = true;
    m_inFlight = false;
    m_again = false;
    m_metricsInFlight = 0;
    m_needHealth = true;
    m_hasData = false;
    m_etag.clear();
    setConnection(Connection::Connecting, {});
    m_timer.start(0);
    if (m_metricsMs > 0)
        m_metricsTimer.start(m_metricsMs);
}

void SandboxPoller::stop()
{
    m_running = false;
    m_timer.stop();
    m_metricsTimer.stop();
    // Answers still in flight are dropped by their generation check when the
    // client is aborted; ours just stop being scheduled.
    setConnection(Connection::Stopped, {});
}

void SandboxPoller::pollNow()
{
    if (!m_running)
        return;
    if (m_inFlight)
        m_again = true;
    else
        m_timer.start(0);
}

void SandboxPoller::setInterval(int ms)
{
    m_intervalMs = qMax(100, ms);
    if (m_timer.isActive())
        m_timer.start(m_intervalMs);
}

void SandboxPoller::setMetricsInterval(int ms)
{
    m_metricsMs = qMax(0, ms);
    if (m_metricsMs == 0)
        m_metricsTimer.stop();
    else if (m_running)
        m_metricsTimer.start(m_metricsMs);
}

void SandboxPoller::schedule()
{
    if (!m_running)
        return;
    if (m_again) {
        m_again = false;
        m_timer.start(0);
    } else {
        m_timer.start(m_intervalMs);
    }
}

void SandboxPoller::poll()
{
    if (!m_running || m_inFlight)
        return;
    m_inFlight = true;
    if (!m_needHealth) {
        fetchList();
        return;
    }
    m_client->health(this, [this](Result<EngineClient::Health> r) {
        if (!r) {
            m_inFlight = false;
            fail(r.error());
            schedule();
            return;
        }
        m_needHealth = false;
        if (r->version != m_version || r->nodeId != m_node) {
            m_version = r->version;
            m_node = r->nodeId;
            Q_EMIT healthChanged(m_version, m_node);
        }
        fetchList();
    });
}

void SandboxPoller::fetchList()
{
    m_clock.start();
    m_client->listSandboxes(m_etag, this, [this](Result<EngineClient::ListReply> r) {
        m_inFlight = false;
        handleListResult(r, m_clock.elapsed());
        schedule();
    });
}

void SandboxPoller::handleListResult(const Result<EngineClient::ListReply> &r, qint64 rtt)
{
    ++m_polls;
    if (!r) {
        fail(r.error());
        return;
    }
    m_lastRttMs = rtt;
    const bool changed = !r->notModified;
    if (changed) {
        m_model->applyList(r->sandboxes, m_engine);
        m_etag = r->etag;
    } else {
        ++m_notModified;
    }
    setConnection(Connection::Connected, {});
    Q_EMIT polled(rtt, changed);
    if (!m_hasData) {
        m_hasData = true;
        // The CPU and memory columns need not wait a whole metrics period.
        if (m_metricsMs > 0)
            QTimer::singleShot(0, this, &SandboxPoller::pollMetrics);
        Q_EMIT firstData();
    }
}

void SandboxPoller::fail(const ApiError &e)
{
    qCInfo(lcModelSandboxes) << "poll failed:" << e.code << e.message;
    if (e.code == EngineClient::unreachableCode()) {
        // The engine may come back as a new process: ask its health again.
        m_needHealth = true;
        m_etag.clear();
        setConnection(Connection::Unreachable, e.message);
    } else if (e.httpStatus == 401) {
        setConnection(Connection::Unauthorized, e.message);
    } else {
        setConnection(Connection::Failing, e.message);
    }
}

void SandboxPoller::setConnection(Connection c, const QString &problem)
{
    if (c == m_connection && problem == m_problem)
        return;
    m_connection = c;
    m_problem = problem;
    Q_EMIT connectionChanged(c, problem);
}

void SandboxPoller::pollMetrics()
{
    if (m_connection != Connection::Connected || m_metricsInFlight > 0)
        return;
    const QStringList ids = m_model->runningIds(m_engine);
    for (const QString &id : ids) {
        ++m_metricsInFlight;
        m_client->metrics(id, this, [this, id](Result<SandboxMetrics> r) {
            --m_metricsInFlight;
            if (r)
                m_model->setMetrics(id, *r);
        });
    }
}
