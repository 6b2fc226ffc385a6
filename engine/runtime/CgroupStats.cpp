// SPDX-License-Identifier: GPL-3.0-or-later
#include "CgroupStats.h"

#include <QFile>
#include <QFileInfo>

#include <limits>

namespace {

std::optional<QByteArray> slurp(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    return f.readAll();
}

} // namespace

CgroupStats::CgroupStats(QString cgroupRoot)
    : m_root(std::move(cgroupRoot))
{
    m_unified = QFileInfo::exists(m_root + QStringLiteral("/cgroup.controllers"));
}

std::optional<qint64> CgroupStats::parseNumber(const QByteArray &text)
{
    const QByteArray t = text.trimmed();
    if (t == "max")
        return std::numeric_limits<qint64>::max();
    bool ok = false;
    const qint64 v = t.toLongLong(&ok);
    if (!ok || v < 0)
        return std::nullopt;
    return v;
}

std::optional<qint64> CgroupStats::parseKeyedValue(const QByteArray &text, const QByteArray &key)
{
    for (const QByteArray &line : text.split('\n')) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() == 2 && parts.at(0) == key)
            return parseNumber(parts.at(1));
    }
    return std::nullopt;
}

std::optional<CgroupSample> CgroupStats::read(const QString &cgroupsPath) const
{
    CgroupSample s;
    if (m_unified) {
        const QString dir = m_root + cgroupsPath;
        const auto cpu = slurp(dir + QStringLiteral("/cpu.stat"));
        if (!cpu)
            return std::nullopt;
        s.cpuUsageNs = parseKeyedValue(*cpu, "usage_usec").value_or(0) * 1000;
        s.memoryBytes = parseNumber(slurp(dir + QStringLiteral("/memory.current")).value_or("0")).value_or(0);
        s.memoryLimitBytes = parseNumber(slurp(dir + QStringLiteral("/memory.max")).value_or("0")).value_or(0);
        s.pids = parseNumber(slurp(dir + QStringLiteral("/pids.current")).value_or("0")).value_or(0);
        s.oomKills = parseKeyedValue(slurp(dir + QStringLiteral("/memory.events")).value_or(QByteArray()), "oom_kill")
                         .value_or(0);
        return s;
    }
    const auto cpu = slurp(m_root + QStringLiteral("/cpuacct") + cgroupsPath + QStringLiteral("/cpuacct.usage"));
    if (!cpu)
        return std::nullopt;
    s.cpuUsageNs = parseNumber(*cpu).value_or(0);
    const QString mem = m_root + QStringLiteral("/memory") + cgroupsPath;
    // v1's usage counts page cache the kernel can drop at will; subtract the
    // inactive file pages, as `docker stats` does, so idle sandboxes look idle.
    const qint64 usage = parseNumber(slurp(mem + QStringLiteral("/memory.usage_in_bytes")).value_or("0")).value_or(0);
    const QByteArray stat = slurp(mem + QStringLiteral("/memory.stat")).value_or(QByteArray());
    const qint64 inactiveFile = parseKeyedValue(stat, "total_inactive_file").value_or(0);
    s.memoryBytes = qMax<qint64>(0, usage - inactiveFile);
    s.memoryLimitBytes = parseNumber(slurp(mem + QStringLiteral("/memory.limit_in_bytes")).value_or("0")).value_or(0);
    s.oomKills = parseKeyedValue(slurp(mem + QStringLiteral("/memory.oom_control")).value_or(QByteArray()), "oom_kill")
                     .value_or(0);
    s.pids = parseNumber(
                 slurp(m_root + QStringLiteral("/pids") + cgroupsPath + QStringLiteral("/pids.current")).value_or("0"))
                 .value_or(0);
    return s;
}
