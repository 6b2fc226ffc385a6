// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MetricsHistoryPage.h"

#include <QByteArray>
#include <QList>

#include <optional>

// The readings of one sandbox the Metrics tab draws, oldest first, as the
// engine's history (`GET /v1/sandboxes/{id}/metrics?since=T`) gives them.
// Times are the engine's clock in unix milliseconds, so a desktop whose clock
// differs from a remote engine's still draws the last minutes correctly.
class MetricsHistory
{
public:
    // One reading (protocol/MetricsSample).
    using Sample = MetricsSample;
    // Network throughput between two readings, at the later one's time.
    struct Rate
    {
        qint64 timeMs = 0;
        double inBytesPerSecond = 0;
        double outBytesPerSecond = 0;

        bool operator==(const Rate &o) const = default;
    };
    // One answer of the history endpoint.
    using Page = MetricsHistoryPage;

    // As long as the engine keeps readings; older ones are dropped.
    static constexpr qint64 kKeepMs = 15 * 60 * 1000;

    // Pure: the body of a history answer, or a sentence saying what is wrong
    // with it.
    static Result<Page> parse(const QByteArray &body) { return MetricsHistoryPage::fromJson(body); }

    // Pure: the throughput from `a` to the later `b`; none when either has no
    // counters, the time does not move forward, or a counter went backwards
    // (the engine restarted and counts afresh): a gap, never a spike.
    static std::optional<Rate> rateBetween(const Sample &a, const Sample &b);

    // Adds the readings newer than the newest held (older or equal times are
    // repeats of what was read before), and the rates they make with the
    // reading before each; returns how many readings were added.
    int append(const QList<Sample> &samples);
    // Drops the readings (and rates) taken before `cutoffMs`; returns how
    // many readings.
    int trimBefore(qint64 cutoffMs);
    // Keeps the readings of the last kKeepMs before the newest; returns how
    // many were dropped.
    int trimToKept() { return isEmpty() ? 0 : trimBefore(newestMs() - kKeepMs); }
    void clear();

    void setLimits(int cpuCount, qint64 memoryLimitBytes);
    int cpuCount() const { return m_cpuCount; }
    qint64 memoryLimitBytes() const { return m_memoryLimitBytes; }

    const QList<Sample> &samples() const { return m_samples; }
    // The network rates, oldest first; one per reading that has a usable
    // reading before it, so fewer than samples().
    const QList<Rate> &rates() const { return m_rates; }
    qsizetype size() const { return m_samples.size(); }
    bool isEmpty() const { return m_samples.isEmpty(); }
    // 0 when empty.
    qint64 newestMs() const { return m_samples.isEmpty() ? 0 : m_samples.constLast().timeMs; }
    // The index of the first reading of the last `spanMs` before the newest
    // (size() when empty).
    qsizetype firstWithin(qint64 spanMs) const;
    // The readings of the last `spanMs` before the newest.
    QList<Sample> within(qint64 spanMs) const { return m_samples.mid(firstWithin(spanMs)); }

private:
    QList<Sample> m_samples;
    QList<Rate> m_rates;
    int m_cpuCount = 0;
    qint64 m_memoryLimitBytes = 0;
};
