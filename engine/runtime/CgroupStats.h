// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

// One reading of a sandbox's cgroup counters.
struct CgroupSample
{
    qint64 cpuUsageNs = 0;
    qint64 memoryBytes = 0;
    qint64 memoryLimitBytes = 0;
    qint64 pids = 0;
    // Processes the kernel's OOM killer ended in this cgroup (since the
    // sandbox last started: a stop-pause makes a new cgroup).
    qint64 oomKills = 0;
};

// Reads the counters runc's cgroups keep, on cgroup v1 (one hierarchy per
// controller) and v2 (the unified hierarchy). Parsers are pure for tests.
class CgroupStats
{
public:
    explicit CgroupStats(QString cgroupRoot = QStringLiteral("/sys/fs/cgroup"));

    bool isUnified() const { return m_unified; }
    // nullopt when the cgroup does not exist (the sandbox is not running).
    std::optional<CgroupSample> read(const QString &cgroupsPath) const;

    static std::optional<qint64> parseNumber(const QByteArray &text);              // "123\n", "max"
    static std::optional<qint64> parseKeyedValue(const QByteArray &text, const QByteArray &key); // "usage_usec 5\n…"

private:
    QString m_root;
    bool m_unified = false;
};
