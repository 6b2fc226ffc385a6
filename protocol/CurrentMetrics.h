// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MetricsSample.h"

#include <optional>

// The answer of `GET /v1/sandboxes/{id}/metrics`: the reading of this moment
// and what it is measured against.
struct CurrentMetrics
{
    MetricsSample sample;
    int cpuCount = 0;
    qint64 memoryLimitBytes = 0;
    // OOM kills since the sandbox last started (0 from an older engine).
    qint64 oomKills = 0;
    double uptimeSeconds = 0; // 0 while paused
    // What its files take and may take; none without a disk of its own.
    std::optional<qint64> diskBytes;
    std::optional<qint64> diskLimitBytes;

    bool operator==(const CurrentMetrics &o) const = default;

    QJsonObject toJson() const;
    // Pure: tolerates what an older engine leaves out (time, process count,
    // OOM kills, uptime, disk, network); a sentence when a figure is wrong.
    static Result<CurrentMetrics> fromJson(const QJsonValue &v);
};
