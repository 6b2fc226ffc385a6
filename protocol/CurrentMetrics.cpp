// SPDX-License-Identifier: GPL-3.0-or-later
#include "CurrentMetrics.h"

namespace {

QJsonValue bytesOrNull(const std::optional<qint64> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

ApiError unreadable(const QString &what)
{
    return ApiError::internal(QStringLiteral("The engine's metrics answer has no %1.").arg(what));
}

} // namespace

QJsonObject CurrentMetrics::toJson() const
{
    QJsonObject o = sample.toJson();
    o.insert(QStringLiteral("cpu_count"), cpuCount);
    o.insert(QStringLiteral("memory_limit_bytes"), memoryLimitBytes);
    o.insert(QStringLiteral("oom_kills"), oomKills);
    o.insert(QStringLiteral("uptime_seconds"), uptimeSeconds);
    o.insert(QStringLiteral("disk_bytes"), bytesOrNull(diskBytes));
    o.insert(QStringLiteral("disk_limit_bytes"), bytesOrNull(diskLimitBytes));
    return o;
}

Result<CurrentMetrics> CurrentMetrics::fromJson(const QJsonValue &v)
{
    if (!v.isObject())
        return ApiError::internal(QStringLiteral("The engine's metrics answer is not a JSON object."));
    auto sample = MetricsSample::fromJson(v, MetricsSample::Time::Optional, QStringLiteral("The engine's metrics answer"));
    if (!sample)
        return sample.error();
    const QJsonObject o = v.toObject();
    CurrentMetrics m;
    m.sample = *sample;
    // Absent: an older engine; present, each has to be what it says.
    auto count = [&o](const char *key, qint64 *out) {
        const QJsonValue c = o.value(QLatin1String(key));
        if (c.isUndefined() || c.isNull())
            return true;
        if (!MetricsSample::isCount(c))
            return false;
        *out = qint64(c.toDouble());
        return true;
    };
    qint64 cpus = 0;
    if (!count("cpu_count", &cpus))
        return unreadable(QStringLiteral("valid CPU count"));
    m.cpuCount = int(cpus);
    if (!count("memory_limit_bytes", &m.memoryLimitBytes))
        return unreadable(QStringLiteral("valid memory limit"));
    if (!count("oom_kills", &m.oomKills))
        return unreadable(QStringLiteral("valid count of OOM kills"));
    const QJsonValue uptime = o.value(QStringLiteral("uptime_seconds"));
    if (!uptime.isUndefined() && (!uptime.isDouble() || uptime.toDouble() < 0))
        return unreadable(QStringLiteral("valid uptime"));
    m.uptimeSeconds = uptime.toDouble();
    for (auto [key, out] : {std::pair{"disk_bytes", &m.diskBytes}, std::pair{"disk_limit_bytes", &m.diskLimitBytes}}) {
        const QJsonValue d = o.value(QLatin1String(key));
        if (d.isUndefined() || d.isNull())
            continue;
        if (!MetricsSample::isCount(d))
            return unreadable(QStringLiteral("valid disk figure"));
        *out = qint64(d.toDouble());
    }
    return m;
}
