// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsHistoryPage.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace {

ApiError unreadable(const QString &sentence)
{
    return ApiError::internal(sentence);
}

} // namespace

QJsonObject MetricsHistoryPage::toJson() const
{
    QJsonArray list;
    for (const MetricsSample &s : samples)
        list.append(s.toJson());
    return QJsonObject{{QStringLiteral("samples"), list},
                       {QStringLiteral("cpu_count"), cpuCount},
                       {QStringLiteral("memory_limit_bytes"), memoryLimitBytes}};
}

Result<MetricsHistoryPage> MetricsHistoryPage::fromJson(const QByteArray &body)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return unreadable(QStringLiteral("The engine's metrics history is not a JSON object."));
    const QJsonObject o = doc.object();

    const QJsonValue list = o.value(QStringLiteral("samples"));
    if (!list.isArray())
        return unreadable(QStringLiteral("The engine's metrics history has no list of readings."));
    const QJsonValue cpus = o.value(QStringLiteral("cpu_count"));
    if (!MetricsSample::isCount(cpus) || cpus.toInt() < 1)
        return unreadable(QStringLiteral("The engine's metrics history does not say how many CPUs the sandbox has."));
    const QJsonValue limit = o.value(QStringLiteral("memory_limit_bytes"));
    if (!MetricsSample::isCount(limit))
        return unreadable(QStringLiteral("The engine's metrics history does not say the sandbox's memory limit."));

    const QJsonArray array = list.toArray();
    if (array.size() > kMaxSamples)
        return unreadable(QStringLiteral("The engine's metrics history has %1 readings; at most %2 were expected.")
                              .arg(array.size())
                              .arg(kMaxSamples));
    MetricsHistoryPage page;
    page.cpuCount = cpus.toInt();
    page.memoryLimitBytes = qint64(limit.toDouble());
    page.samples.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto s = MetricsSample::fromJson(array.at(i), MetricsSample::Time::Required,
                                         QStringLiteral("Reading %1 of the engine's metrics history").arg(i + 1));
        if (!s)
            return s.error();
        page.samples.append(*s);
    }
    // The engine answers oldest first; a list that is not stays readable.
    std::stable_sort(page.samples.begin(), page.samples.end(),
                     [](const MetricsSample &a, const MetricsSample &b) { return a.timeMs < b.timeMs; });
    return page;
}
