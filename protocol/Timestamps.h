// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonValue>

// Times travel as ISO 8601 in UTC with milliseconds ("2026-11-22T10:00:00.000Z"),
// or null when absent.
namespace Timestamps {
QJsonValue toJson(const QDateTime &t);
QDateTime fromJson(const QJsonValue &v);
QDateTime fromMsecs(qint64 ms); // 0 means absent
qint64 toMsecs(const QDateTime &t); // absent gives 0
} // namespace Timestamps
