// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

#include <optional>

// What the sandbox list shows of `GET /v1/sandboxes/{id}/metrics`: the
// figures of protocol's CurrentMetrics whose change is worth a repaint.
struct SandboxMetrics
{
    double cpuPercent = 0;
    qint64 memoryBytes = 0;
    qint64 memoryLimitBytes = 0;
    int pids = 0;
    // OOM kills since the sandbox last started (0 from an older engine).
    qint64 oomKills = 0;

    bool operator==(const SandboxMetrics &o) const = default;

    static std::optional<SandboxMetrics> fromJson(const QJsonObject &o);
};
