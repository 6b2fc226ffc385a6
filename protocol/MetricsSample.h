// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// One reading of a sandbox's resource use: each point of the metrics history
// (`GET …/metrics?since=T`) and the figures every current reading
// (`GET …/metrics`, CurrentMetrics) shares with it (docs/api.md, "Metrics").
// Times are the engine's clock in unix milliseconds.
struct MetricsSample
{
    qint64 timeMs = 0;
    double cpuPercent = 0; // of one CPU
    qint64 memoryBytes = 0;
    int pids = 0;
    // What the sandbox received and sent since it was created; -1 when the
    // engine does not count it (an engine from before networking).
    qint64 netInBytes = -1;
    qint64 netOutBytes = -1;
    qint64 netInPackets = -1;
    qint64 netOutPackets = -1;

    bool operator==(const MetricsSample &o) const = default;

    enum class Time { Required, Optional };
    QJsonObject toJson() const;
    // Pure. `subject` names the reading in the error sentence ("Reading 3 of
    // the engine's metrics history has no CPU figure.").
    static Result<MetricsSample> fromJson(const QJsonValue &v, Time time = Time::Required,
                                          const QString &subject = QStringLiteral("The metrics reading"));
    // A whole number of at least zero (JSON has only doubles).
    static bool isCount(const QJsonValue &v);
};
