// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// One entry of a sandbox's activity log, as `GET …/activity` lists it
// (docs/api.md, "Activity log"): its place in the log, its time, its kind
// and the fields that kind adds (a command's `exit_code`, a file's `path`,
// …) under their API names. The engine writes it, the app reads it; kinds
// this version does not know travel through unchanged.
struct ActivityRecord
{
    enum class Kind { Command, Code, File, Lifecycle, Pty };

    qint64 seq = 0; // from 1, one more per entry of the sandbox
    QDateTime time; // invalid: not given
    QString kind;   // "command", "code", …, or one added later
    QJsonObject fields;

    static QString kindName(Kind k);
    static std::optional<Kind> kindFromName(const QString &name);
    // A whole number that fits in a double exactly, or nullopt (absent,
    // null, fractional, huge).
    static std::optional<qint64> wholeNumber(const QJsonValue &v);

    QJsonObject toJson() const;
    // Pure: tolerates a missing time; a sentence when there is no seq of at
    // least 1, no kind, or a time that is not one.
    static Result<ActivityRecord> fromJson(const QJsonValue &v);

    bool operator==(const ActivityRecord &) const = default;
};
