// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "MetricsSample.h"

#include <QByteArray>
#include <QList>

// The answer of `GET /v1/sandboxes/{id}/metrics?since=T`: the readings the
// engine kept after T, oldest first, and the limits to draw them against.
struct MetricsHistoryPage
{
    // The engine keeps 900 readings; a list far longer is not one of its answers.
    static constexpr qsizetype kMaxSamples = 10 * 900;

    QList<MetricsSample> samples; // oldest first
    int cpuCount = 0;
    qint64 memoryLimitBytes = 0;

    bool operator==(const MetricsHistoryPage &o) const = default;

    QJsonObject toJson() const;
    // Pure: the body, or a sentence saying what is wrong with it. Readings out
    // of order are sorted.
    static Result<MetricsHistoryPage> fromJson(const QByteArray &body);
};
