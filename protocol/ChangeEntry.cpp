// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChangeEntry.h"

#include "Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

ApiError malformed(const QString &why)
{
    return ApiError::internal(QStringLiteral("The engine's list of changes cannot be read: %1.").arg(why));
}

} // namespace

QChar ChangeEntry::mark() const
{
    switch (kind) {
    case Kind::Added: return QLatin1Char('A');
    case Kind::Modified: return QLatin1Char('M');
    case Kind::Deleted: return QLatin1Char('D');
    }
    return QLatin1Char('?');
}

QString ChangeEntry::kindName(Kind k)
{
    switch (k) {
    case Kind::Added: return QStringLiteral("added");
    case Kind::Modified: return QStringLiteral("modified");
    case Kind::Deleted: return QStringLiteral("deleted");
    }
    return {};
}

QJsonObject ChangeEntry::toJson() const
{
    return QJsonObject{
        {QStringLiteral("path"), path},
        {QStringLiteral("change"), kindName(kind)},
        {QStringLiteral("type"), type},
        {QStringLiteral("size"), size},
        {QStringLiteral("mode"), int(mode)},
        {QStringLiteral("mtime"), Timestamps::toJson(Timestamps::fromMsecs(mtimeMs))},
        {QStringLiteral("symlink_target"), symlinkTarget ? QJsonValue(*symlinkTarget) : QJsonValue(QJsonValue::Null)},
    };
}

Result<ChangeEntry> ChangeEntry::fromJson(const QJsonValue &v)
{
    if (!v.isObject())
        return malformed(QStringLiteral("a change is not an object"));
    const QJsonObject o = v.toObject();
    ChangeEntry e;
    e.path = o.value(QStringLiteral("path")).toString();
    if (!e.path.startsWith(QLatin1Char('/')))
        return malformed(QStringLiteral("a change has no absolute path"));
    const QString kind = o.value(QStringLiteral("change")).toString();
    bool known = false;
    for (const Kind k : {Kind::Added, Kind::Modified, Kind::Deleted}) {
        if (kindName(k) == kind) {
            e.kind = k;
            known = true;
        }
    }
    if (!known)
        return malformed(QStringLiteral("'%1' is no kind of change").arg(kind));
    e.type = o.value(QStringLiteral("type")).toString();
    e.size = qint64(o.value(QStringLiteral("size")).toDouble());
    e.mode = quint32(o.value(QStringLiteral("mode")).toInt());
    e.mtimeMs = Timestamps::toMsecs(Timestamps::fromJson(o.value(QStringLiteral("mtime"))));
    const QJsonValue target = o.value(QStringLiteral("symlink_target"));
    if (target.isString())
        e.symlinkTarget = target.toString();
    return e;
}

QJsonObject ChangeList::toJson() const
{
    QJsonArray out;
    for (const ChangeEntry &c : changes)
        out.append(c.toJson());
    return QJsonObject{{QStringLiteral("changes"), out}, {QStringLiteral("truncated"), truncated}};
}

Result<ChangeList> ChangeList::fromJson(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject() || !doc.object().value(QStringLiteral("changes")).isArray())
        return malformed(QStringLiteral("the answer has no 'changes' list"));
    ChangeList list;
    for (const QJsonValue &v : doc.object().value(QStringLiteral("changes")).toArray()) {
        auto e = ChangeEntry::fromJson(v);
        if (!e)
            return e.error();
        list.changes.append(*e);
    }
    list.truncated = doc.object().value(QStringLiteral("truncated")).toBool();
    return list;
}

namespace {

QJsonValue sideToJson(const std::optional<ChangeDiff::Side> &s)
{
    if (!s)
        return QJsonValue::Null;
    return QJsonObject{{QStringLiteral("size"), s->size},
                       {QStringLiteral("sha256"), s->sha256.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s->sha256)}};
}

std::optional<ChangeDiff::Side> sideFromJson(const QJsonValue &v)
{
    if (!v.isObject())
        return std::nullopt;
    return ChangeDiff::Side{qint64(v.toObject().value(QStringLiteral("size")).toDouble()),
                            v.toObject().value(QStringLiteral("sha256")).toString()};
}

} // namespace

QJsonObject ChangeDiff::toJson() const
{
    QJsonObject o{{QStringLiteral("path"), path},
                  {QStringLiteral("change"), ChangeEntry::kindName(kind)},
                  {QStringLiteral("type"), type},
                  {QStringLiteral("binary"), binary},
                  {QStringLiteral("before"), sideToJson(before)},
                  {QStringLiteral("after"), sideToJson(after)},
                  {QStringLiteral("diff"), diff}};
    if (tooLarge)
        o.insert(QStringLiteral("too_large"), true);
    return o;
}

Result<ChangeDiff> ChangeDiff::fromJson(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return malformed(QStringLiteral("the diff is not an object"));
    const QJsonObject o = doc.object();
    // The kind and path are read as a change's are.
    QJsonObject asEntry = o;
    auto entry = ChangeEntry::fromJson(asEntry);
    if (!entry)
        return entry.error();
    ChangeDiff d;
    d.path = entry->path;
    d.kind = entry->kind;
    d.type = entry->type;
    d.binary = o.value(QStringLiteral("binary")).toBool();
    d.tooLarge = o.value(QStringLiteral("too_large")).toBool();
    d.before = sideFromJson(o.value(QStringLiteral("before")));
    d.after = sideFromJson(o.value(QStringLiteral("after")));
    d.diff = o.value(QStringLiteral("diff")).toString();
    return d;
}
