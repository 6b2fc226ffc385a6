// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateSummary.h"

#include "ApiError.h"
#include "Timestamps.h"

#include <QJsonArray>
#include <QJsonDocument>

QJsonObject TemplateSummary::toJson() const
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("suite"), suite},
                       {QStringLiteral("created_at"), Timestamps::toJson(createdAt)},
                       {QStringLiteral("packages"), QJsonArray::fromStringList(packages)},
                       {QStringLiteral("warm"), warm}};
}

QJsonObject TemplateSummary::listJson(const QList<TemplateSummary> &templates)
{
    QJsonArray list;
    for (const TemplateSummary &t : templates)
        list.append(t.toJson());
    return QJsonObject{{QStringLiteral("templates"), list}};
}

Result<QList<TemplateSummary>> TemplateSummary::parseList(const QByteArray &body)
{
    const QJsonValue list = QJsonDocument::fromJson(body).object().value(QStringLiteral("templates"));
    if (!list.isArray())
        return ApiError::internal(QStringLiteral("The engine's list of templates is not a JSON object with 'templates'."));
    QList<TemplateSummary> out;
    for (const QJsonValue &v : list.toArray()) {
        const QJsonObject o = v.toObject();
        TemplateSummary t;
        t.name = o.value(QStringLiteral("name")).toString();
        if (t.name.isEmpty())
            return ApiError::internal(QStringLiteral("A template in the engine's list has no name."));
        t.suite = o.value(QStringLiteral("suite")).toString();
        t.createdAt = Timestamps::fromJson(o.value(QStringLiteral("created_at")));
        for (const QJsonValue &p : o.value(QStringLiteral("packages")).toArray())
            t.packages.append(p.toString());
        t.warm = o.value(QStringLiteral("warm")).toInt();
        out.append(t);
    }
    return out;
}
