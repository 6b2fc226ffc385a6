// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CgroupStats.h"
#include "SandboxNetworks.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

// Reads every running sandbox's cgroup once a second and keeps the last
// 15 minutes of readings per sandbox, with the CPU use between consecutive
// readings, for the metrics history.
class MetricsSampler : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;
    static constexpr int kKeep = 900;

    struct Point
    {
        qint64 timeMs = 0;
        double cpuPercent = 0; // of one CPU, since the previous reading
        qint64 memoryBytes = 0;
        qint64 memoryLimitBytes = 0;
        qint64 pids = 0;
        SandboxNetworks::Counters net; // since the sandbox was made
    };

    // `runningIds` names the sandboxes to read at each tick.
    explicit MetricsSampler(std::function<QStringList()> runningIds, QObject *parent = nullptr);

    void start();
    // Where each reading's network counters come from (none: zeros).
    void setNetworkCounters(std::function<SandboxNetworks::Counters(const QString &id)> read)
    {
        m_netCounters = std::move(read);
    }
    // Readings taken after `sinceMs`, oldest first.
    QList<Point> since(const QString &id, qint64 sinceMs) const;
    // The newest reading that has a CPU figure, if it is at most `maxAgeMs` old.
    std::optional<Point> latest(const QString &id, qint64 maxAgeMs) const;
    void forget(const QString &id);

private:
    struct Ring
    {
        std::deque<Point> points;
        std::optional<CgroupSample> last;
        qint64 lastMs = 0;
    };
    void tick();

    std::function<QStringList()> m_runningIds;
    std::function<SandboxNetworks::Counters(const QString &id)> m_netCounters;
    QHash<QString, Ring> m_rings;
    CgroupStats m_cgroups;
    QTimer m_timer;
};
