// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsHistory.h"

#include "Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace {
// The engine keeps 900 readings; a list far longer is not one of its answers.
constexpr qsizetype kMaxSamples = 10 * 900;

ApiError unreadable(const QString &sentence)
{
    return ApiError::internal(sentence);
}

bool isCount(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() >= 0 && v.toDouble() == double(qint64(v.toDouble()));
}
} // namespace

Result<MetricsHistory::Page> MetricsHistory::parse(const QByteArray &body)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return unreadable(QStringLiteral("The engine's metrics history is not a JSON object."));
    const QJsonObject o = doc.object();

    const QJsonValue list = o.value(QStringLiteral("samples"));
    if (!list.isArray())
        return unreadable(QStringLiteral("The engine's metrics history has no list of readings."));
    const QJsonValue cpus = o.value(QStringLiteral("cpu_count"));
    if (!isCount(cpus) || cpus.toInt() < 1)
        return unreadable(QStringLiteral("The engine's metrics history does not say how many CPUs the sandbox has."));
    const QJsonValue limit = o.value(QStringLiteral("memory_limit_bytes"));
    if (!isCount(limit))
        return unreadable(QStringLiteral("The engine's metrics history does not say the sandbox's memory limit."));

    const QJsonArray array = list.toArray();
    if (array.size() > kMaxSamples)
        return unreadable(QStringLiteral("The engine's metrics history has %1 readings; at most %2 were expected.")
                              .arg(array.size())
                              .arg(kMaxSamples));
    Page page;
    page.cpuCount = cpus.toInt();
    page.memoryLimitBytes = qint64(limit.toDouble());
    page.samples.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject s = array.at(i).toObject();
        const QDateTime time = Timestamps::fromJson(s.value(QStringLiteral("timestamp")));
        const QJsonValue cpu = s.value(QStringLiteral("cpu_percent"));
        const QJsonValue memory = s.value(QStringLiteral("memory_bytes"));
        const QJsonValue pids = s.value(QStringLiteral("pids"));
        const QJsonValue netIn = s.value(QStringLiteral("net_in_bytes"));
        const QJsonValue netOut = s.value(QStringLiteral("net_out_bytes"));
        QString missing;
        if (!time.isValid())
            missing = QStringLiteral("valid timestamp");
        else if (!cpu.isDouble() || cpu.toDouble() < 0)
            missing = QStringLiteral("CPU figure");
        else if (!isCount(memory))
            missing = QStringLiteral("memory figure");
        else if (!isCount(pids))
            missing = QStringLiteral("process count");
        // Absent from an engine without networking; wrong when present is an error.
        else if ((!netIn.isUndefined() && !isCount(netIn)) || (!netOut.isUndefined() && !isCount(netOut)))
            missing = QStringLiteral("valid network counter");
        if (!missing.isEmpty())
            return unreadable(QStringLiteral("Reading %1 of the engine's metrics history has no %2.").arg(i + 1).arg(missing));
        page.samples.append(Sample{time.toMSecsSinceEpoch(), cpu.toDouble(), qint64(memory.toDouble()), pids.toInt(),
                                   netIn.isUndefined() ? -1 : qint64(netIn.toDouble()),
                                   netOut.isUndefined() ? -1 : qint64(netOut.toDouble())});
    }
    // The engine answers oldest first; a list that is not stays readable.
    std::stable_sort(page.samples.begin(), page.samples.end(),
                     [](const Sample &a, const Sample &b) { return a.timeMs < b.timeMs; });
    return page;
}

std::optional<MetricsHistory::Rate> MetricsHistory::rateBetween(const Sample &a, const Sample &b)
{
    if (a.netInBytes < 0 || a.netOutBytes < 0 || b.netInBytes < 0 || b.netOutBytes < 0)
        return std::nullopt;
    if (b.timeMs <= a.timeMs || b.netInBytes < a.netInBytes || b.netOutBytes < a.netOutBytes)
        return std::nullopt;
    const double seconds = double(b.timeMs - a.timeMs) / 1000.0;
    return Rate{b.timeMs, double(b.netInBytes - a.netInBytes) / seconds, double(b.netOutBytes - a.netOutBytes) / seconds};
}

int MetricsHistory::append(const QList<Sample> &samples)
{
    int added = 0;
    for (const Sample &s : samples) {
        if (!m_samples.isEmpty() && s.timeMs <= m_samples.constLast().timeMs)
            continue;
        if (!m_samples.isEmpty()) {
            if (const auto rate = rateBetween(m_samples.constLast(), s))
                m_rates.append(*rate);
        }
        m_samples.append(s);
        ++added;
    }
    return added;
}

int MetricsHistory::trimBefore(qint64 cutoffMs)
{
    const auto end = std::partition_point(m_samples.cbegin(), m_samples.cend(),
                                          [cutoffMs](const Sample &s) { return s.timeMs < cutoffMs; });
    const qsizetype n = end - m_samples.cbegin();
    m_samples.remove(0, n);
    const auto rateEnd = std::partition_point(m_rates.cbegin(), m_rates.cend(),
                                              [cutoffMs](const Rate &r) { return r.timeMs < cutoffMs; });
    m_rates.remove(0, rateEnd - m_rates.cbegin());
    return int(n);
}

void MetricsHistory::clear()
{
    m_samples.clear();
    m_rates.clear();
    m_cpuCount = 0;
    m_memoryLimitBytes = 0;
}

void MetricsHistory::setLimits(int cpuCount, qint64 memoryLimitBytes)
{
    m_cpuCount = cpuCount;
    m_memoryLimitBytes = memoryLimitBytes;
}

qsizetype MetricsHistory::firstWithin(qint64 spanMs) const
{
    if (m_samples.isEmpty())
        return 0;
    const qint64 from = newestMs() - spanMs;
    const auto it = std::partition_point(m_samples.cbegin(), m_samples.cend(),
                                         [from](const Sample &s) { return s.timeMs < from; });
    return it - m_samples.cbegin();
}
