// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityRecord.h"

#include "ActivityFields.h"
#include "Timestamps.h"

#include <cmath>

namespace {

const QString kSeq = QStringLiteral("seq");
const QString kTime = QStringLiteral("time");
const QString kKind = QStringLiteral("kind");

ApiError unreadable(const QString &why)
{
    return ApiError::internal(QStringLiteral("An activity entry cannot be read: %1.").arg(why));
}

} // namespace

QString ActivityRecord::kindName(Kind k)
{
    switch (k) {
    case Kind::Command: return ActivityFields::kKindCommand;
    case Kind::Code: return ActivityFields::kKindCode;
    case Kind::File: return ActivityFields::kKindFile;
    case Kind::Lifecycle: return ActivityFields::kKindLifecycle;
    case Kind::Pty: return ActivityFields::kKindPty;
    }
    return {};
}

std::optional<ActivityRecord::Kind> ActivityRecord::kindFromName(const QString &name)
{
    for (Kind k : {Kind::Command, Kind::Code, Kind::File, Kind::Lifecycle, Kind::Pty}) {
        if (kindName(k) == name)
            return k;
    }
    return std::nullopt;
}

std::optional<qint64> ActivityRecord::wholeNumber(const QJsonValue &v)
{
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
        return std::nullopt;
    return qint64(d);
}

QJsonObject ActivityRecord::toJson() const
{
    QJsonObject o = fields;
    o.insert(kSeq, seq);
    o.insert(kTime, Timestamps::toJson(time));
    o.insert(kKind, kind);
    return o;
}

Result<ActivityRecord> ActivityRecord::fromJson(const QJsonValue &v)
{
    if (!v.isObject())
        return unreadable(QStringLiteral("it is not an object"));
    QJsonObject o = v.toObject();
    ActivityRecord r;
    const auto seq = wholeNumber(o.value(kSeq));
    if (!seq || *seq < 1)
        return unreadable(QStringLiteral("it has no seq of 1 or more"));
    r.seq = *seq;
    r.kind = o.value(kKind).toString();
    if (r.kind.isEmpty())
        return unreadable(QStringLiteral("entry %1 has no kind").arg(r.seq));
    const QJsonValue time = o.value(kTime);
    r.time = Timestamps::fromJson(time);
    if (!r.time.isValid() && !time.isUndefined() && !time.isNull())
        return unreadable(QStringLiteral("entry %1 has no valid time").arg(r.seq));
    o.remove(kSeq);
    o.remove(kTime);
    o.remove(kKind);
    r.fields = o;
    return r;
}
