// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionReportCollector.h"

#include "ChangesClient.h"
#include <QLoggingCategory>

namespace {
Q_LOGGING_CATEGORY(lcReport, "ai2in.model.report")
constexpr int kRequestMs = 30000;
} // namespace

SessionReportCollector::SessionReportCollector(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_changes(new ChangesClient(client, this))
{
}

void SessionReportCollector::collect(const QString &id, Done done)
{
    Q_ASSERT(m_left == 0);
    m_id = id;
    m_done = std::move(done);
    m_data = {};
    m_data.generatedAt = QDateTime::currentDateTimeUtc();
    m_data.appVersion = QStringLiteral(AI2IN_VERSION);
    m_data.sandbox.id = id;
    m_infoError.reset();
    // info, health, activity, changes, patch, metrics
    m_parts = m_left = 6;
    Q_EMIT progress(tr("Reading %1 for its report…").arg(id));

    m_client->sandbox(id, this, [this](Result<SandboxInfo> r) {
        if (r)
            m_data.sandbox = *r;
        else
            m_infoError = r.error();
        partDone();
    });
    m_client->health(this, [this](Result<EngineClient::Health> r) {
        if (r)
            m_data.engineVersion = r->version;
        partDone();
    });
    readActivity(0, 0);
    m_changes->list(id, this, [this](Result<ChangeList> r) {
        if (r)
            m_data.changes = *r;
        else
            m_data.changesProblem = tr("The changes could not be read: %1").arg(r.error().message);
        partDone();
    });
    m_changes->patch(id, this, [this](Result<QByteArray> r) {
        if (r)
            m_data.patch = *r;
        else
            m_data.patchProblem = tr("The patch could not be read: %1").arg(r.error().message);
        partDone();
    });
    m_client->metricsHistory(id, 0, kRequestMs, this, [this](Result<MetricsHistory::Page> page) {
        if (page) {
            m_data.metrics = page->samples;
            m_data.cpuCount = page->cpuCount;
            m_data.memoryLimitBytes = page->memoryLimitBytes;
        } else {
            m_data.metricsProblem = tr("The metrics could not be read: %1").arg(page.error().message);
        }
        partDone();
    });
}

void SessionReportCollector::readActivity(qint64 after, int page)
{
    m_client->activity(m_id, after, kActivityPageSize, this, [this, after, page](Result<ActivityPage> r) {
        if (!r) {
            m_data.activityProblem = m_data.activity.isEmpty()
                ? tr("The command log could not be read: %1").arg(r.error().message)
                : tr("The command log could be read only in part (%n entries): %1", nullptr, int(m_data.activity.size()))
                      .arg(r.error().message);
            partDone();
            return;
        }
        m_data.activity.append(r->entries);
        // A full page may have more after it; a page that did not move on
        // (or the page cap) ends the reading.
        const bool more = r->entries.size() + r->skipped >= kActivityPageSize && r->nextAfter > after;
        if (more && page + 1 < kMaxActivityPages) {
            readActivity(r->nextAfter, page + 1);
            return;
        }
        if (more)
            m_data.activityProblem = tr("Only the first %n entries of the command log are in this report.", nullptr,
                                        int(m_data.activity.size()));
        partDone();
    });
}

void SessionReportCollector::partDone()
{
    if (--m_left > 0) {
        Q_EMIT progress(tr("Reading %1 for its report (%2 of %3 parts)…").arg(m_id).arg(m_parts - m_left).arg(m_parts));
        return;
    }
    Done done = std::move(m_done);
    m_done = nullptr;
    if (m_infoError) {
        qCInfo(lcReport) << "report of" << m_id << "failed:" << m_infoError->message;
        ApiError e = *m_infoError;
        e.message = tr("Could not read sandbox %1: %2").arg(m_id, e.message);
        done(e);
        return;
    }
    done(std::move(m_data));
}
