// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxMetrics.h"

#include "CurrentMetrics.h"

#include <cmath>

std::optional<SandboxMetrics> SandboxMetrics::fromJson(const QJsonObject &o)
{
    const auto read = CurrentMetrics::fromJson(o);
    if (!read)
        return std::nullopt;
    SandboxMetrics m;
    // One decimal is all the list shows; rounding here keeps jitter below
    // that from turning into dataChanged signals.
    m.cpuPercent = std::round(read->sample.cpuPercent * 10.0) / 10.0;
    m.memoryBytes = read->sample.memoryBytes;
    m.memoryLimitBytes = read->memoryLimitBytes;
    m.pids = read->sample.pids;
    m.oomKills = read->oomKills;
    return m;
}
