// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityLogPage.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

QJsonObject ActivityLogPage::toJson() const
{
    QJsonArray list;
    for (const ActivityRecord &r : entries)
        list.append(r.toJson());
    QJsonArray open;
    for (qint64 seq : running)
        open.append(seq);
    return QJsonObject{{QStringLiteral("entries"), list},
                       {QStringLiteral("next_after"), nextAfter},
                       {QStringLiteral("running"), open}};
}

Result<ActivityLogPage> ActivityLogPage::fromJson(const QByteArray &body)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return ApiError::internal(QStringLiteral("The engine's activity log is not valid JSON."));
    const QJsonObject o = doc.object();
    const QJsonValue entries = o.value(QStringLiteral("entries"));
    if (!entries.isArray())
        return ApiError::internal(QStringLiteral("The engine's answer has no activity entries."));
    const auto next = ActivityRecord::wholeNumber(o.value(QStringLiteral("next_after")));
    if (!next || *next < 0)
        return ApiError::internal(QStringLiteral("The engine's activity log has no valid next_after."));

    ActivityLogPage page;
    page.nextAfter = *next;
    for (const QJsonValue &v : entries.toArray()) {
        auto r = ActivityRecord::fromJson(v);
        if (r)
            page.entries.append(std::move(r).value());
        else
            ++page.skipped;
    }
    for (const QJsonValue &v : o.value(QStringLiteral("running")).toArray()) {
        if (const auto seq = ActivityRecord::wholeNumber(v); seq && *seq > 0)
            page.running.append(*seq);
    }
    std::sort(page.running.begin(), page.running.end());
    page.running.erase(std::unique(page.running.begin(), page.running.end()), page.running.end());
    return page;
}
