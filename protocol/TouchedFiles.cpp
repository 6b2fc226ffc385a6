// SPDX-License-Identifier: GPL-3.0-or-later
#include "TouchedFiles.h"

#include <QJsonArray>
#include <QJsonObject>

std::optional<TouchedFiles> TouchedFiles::fromJson(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    const QJsonValue list = o.value(QStringLiteral("paths"));
    if (!list.isArray())
        return std::nullopt;
    TouchedFiles t;
    t.partial = o.value(QStringLiteral("partial")).toBool();
    for (const QJsonValue &item : list.toArray()) {
        const QJsonObject p = item.toObject();
        Path path;
        path.path = p.value(QStringLiteral("path")).toString();
        if (!path.path.startsWith(QLatin1Char('/')) || path.path.size() > kMaxPathLength)
            continue;
        const QString change = p.value(QStringLiteral("change")).toString();
        bool known = false;
        for (const ChangeEntry::Kind k : {ChangeEntry::Kind::Added, ChangeEntry::Kind::Modified, ChangeEntry::Kind::Deleted}) {
            if (ChangeEntry::kindName(k) == change) {
                path.change = k;
                known = true;
            }
        }
        if (!known)
            continue;
        if (t.paths.size() == kMaxPaths) {
            t.partial = true;
            break;
        }
        path.isDir = p.value(QStringLiteral("is_dir")).toBool();
        t.paths.append(path);
    }
    return t;
}

QJsonValue TouchedFiles::toJson() const
{
    QJsonArray list;
    for (const Path &p : paths)
        list.append(QJsonObject{{QStringLiteral("path"), p.path},
                                {QStringLiteral("change"), ChangeEntry::kindName(p.change)},
                                {QStringLiteral("is_dir"), p.isDir}});
    return QJsonObject{{QStringLiteral("paths"), list}, {QStringLiteral("partial"), partial}};
}

QJsonValue TouchedFiles::checked(const QJsonValue &v)
{
    const std::optional<TouchedFiles> t = fromJson(v);
    return t ? t->toJson() : QJsonValue(QJsonValue::Null);
}
