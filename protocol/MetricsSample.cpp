// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsSample.h"

#include "Timestamps.h"

namespace {

// The engine counts network traffic in doubles: the JSON keeps that form.
void putCounter(QJsonObject &o, const QString &key, qint64 value)
{
    if (value >= 0)
        o.insert(key, double(value));
}

} // namespace

bool MetricsSample::isCount(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() >= 0 && v.toDouble() == double(qint64(v.toDouble()));
}

QJsonObject MetricsSample::toJson() const
{
    QJsonObject o{{QStringLiteral("timestamp"), Timestamps::toJson(Timestamps::fromMsecs(timeMs))},
                  {QStringLiteral("cpu_percent"), cpuPercent},
                  {QStringLiteral("memory_bytes"), memoryBytes},
                  {QStringLiteral("pids"), pids}};
    putCounter(o, QStringLiteral("net_in_bytes"), netInBytes);
    putCounter(o, QStringLiteral("net_out_bytes"), netOutBytes);
    putCounter(o, QStringLiteral("net_in_packets"), netInPackets);
    putCounter(o, QStringLiteral("net_out_packets"), netOutPackets);
    return o;
}

Result<MetricsSample> MetricsSample::fromJson(const QJsonValue &v, Time time, const QString &subject)
{
    const QJsonObject o = v.toObject();
    const QJsonValue stamp = o.value(QStringLiteral("timestamp"));
    const QDateTime when = Timestamps::fromJson(stamp);
    const QJsonValue cpu = o.value(QStringLiteral("cpu_percent"));
    const QJsonValue memory = o.value(QStringLiteral("memory_bytes"));
    const QJsonValue pids = o.value(QStringLiteral("pids"));
    const char *const counterKeys[] = {"net_in_bytes", "net_out_bytes", "net_in_packets", "net_out_packets"};
    bool countersOk = true;
    for (const char *key : counterKeys) {
        const QJsonValue c = o.value(QLatin1String(key));
        // Absent from an engine without networking; wrong when present is an error.
        countersOk = countersOk && (c.isUndefined() || isCount(c));
    }
    QString missing;
    if (!when.isValid() && (time == Time::Required || !stamp.isUndefined()))
        missing = QStringLiteral("valid timestamp");
    else if (!cpu.isDouble() || cpu.toDouble() < 0)
        missing = QStringLiteral("CPU figure");
    else if (!isCount(memory))
        missing = QStringLiteral("memory figure");
    // An older engine's current reading may leave the process count out.
    else if (!isCount(pids) && (time == Time::Required || !pids.isUndefined()))
        missing = QStringLiteral("process count");
    else if (!countersOk)
        missing = QStringLiteral("valid network counter");
    if (!missing.isEmpty())
        return ApiError::internal(QStringLiteral("%1 has no %2.").arg(subject, missing));

    auto counter = [&o](const char *key) {
        const QJsonValue c = o.value(QLatin1String(key));
        return c.isUndefined() ? qint64(-1) : qint64(c.toDouble());
    };
    return MetricsSample{when.isValid() ? when.toMSecsSinceEpoch() : 0,
                         cpu.toDouble(),
                         qint64(memory.toDouble()),
                         pids.toInt(),
                         counter("net_in_bytes"),
                         counter("net_out_bytes"),
                         counter("net_in_packets"),
                         counter("net_out_packets")};
}
