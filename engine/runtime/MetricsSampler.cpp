// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsSampler.h"

#include "OciSpec.h"

#include <QDateTime>

#include <cmath>

MetricsSampler::MetricsSampler(std::function<QStringList()> runningIds, QObject *parent)
    : QObject(parent)
    , m_runningIds(std::move(runningIds))
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MetricsSampler::tick);
}

void MetricsSampler::start()
{
    m_timer.start();
}

void MetricsSampler::tick()
{
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    for (const QString &id : m_runningIds()) {
        const auto sample = m_cgroups.read(OciSpec::cgroupsPathFor(id));
        Ring &ring = m_rings[id];
        if (!sample) {
            ring.last.reset();
            continue;
        }
        const bool first = !ring.last;
        Point p;
        p.timeMs = t;
        p.memoryBytes = sample->memoryBytes;
        p.memoryLimitBytes = sample->memoryLimitBytes;
        p.pids = sample->pids;
        if (m_netCounters)
            p.net = m_netCounters(id);
        // A counter that went back belongs to a container started afresh.
        if (!first && t > ring.lastMs && sample->cpuUsageNs >= ring.last->cpuUsageNs)
            p.cpuPercent = std::round(double(sample->cpuUsageNs - ring.last->cpuUsageNs) /
                                      (double(t - ring.lastMs) * 1e6) * 1000.0) / 10.0;
        ring.last = sample;
        ring.lastMs = t;
        // The first reading has no CPU figure yet: it only starts the series.
        if (first)
            continue;
        ring.points.push_back(p);
        while (ring.points.size() > size_t(kKeep))
            ring.points.pop_front();
    }
}

QList<MetricsSampler::Point> MetricsSampler::since(const QString &id, qint64 sinceMs) const
{
    QList<Point> out;
    auto it = m_rings.constFind(id);
    if (it == m_rings.cend())
        return out;
    for (const Point &p : it->points) {
        if (p.timeMs > sinceMs)
            out.append(p);
    }
    return out;
}

std::optional<MetricsSampler::Point> MetricsSampler::latest(const QString &id, qint64 maxAgeMs) const
{
    auto it = m_rings.constFind(id);
    if (it == m_rings.cend() || it->points.empty() || !it->last)
        return std::nullopt;
    const Point &p = it->points.back();
    if (QDateTime::currentMSecsSinceEpoch() - p.timeMs > maxAgeMs)
        return std::nullopt;
    return p;
}

void MetricsSampler::forget(const QString &id)
{
    m_rings.remove(id);
}
