// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsHistory.h"

#include <algorithm>

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
