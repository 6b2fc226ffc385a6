// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxMetrics.h"

#include <cmath>

std::optional<SandboxMetrics> SandboxMetrics::fromJson(const QJsonObject &o)
{
    const QJsonValue cpu = o.value(QStringLiteral("cpu_percent"));
    const QJsonValue mem = o.value(QStringLiteral("memory_bytes"));
    if (!cpu.isDouble() || !mem.isDouble())
        return std::nullopt;
    SandboxMetrics m;
    // One decimal is all the list shows; rounding here keeps jitter below
    // that from turning into dataChanged signals.
    m.cpuPercent = std::round(cpu.toDouble() * 10.0) / 10.0;
    m.memoryBytes = qint64(mem.toDouble());
    m.memoryLimitBytes = qint64(o.value(QStringLiteral("memory_limit_bytes")).toDouble());
    m.pids = o.value(QStringLiteral("pids")).toInt();
    m.oomKills = qint64(o.value(QStringLiteral("oom_kills")).toDouble());
    return m;
}
