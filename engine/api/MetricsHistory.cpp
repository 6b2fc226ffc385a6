// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsHistory.h"

#include "MetricsHistoryPage.h"
#include "runtime/MetricsSampler.h"
#include "runtime/SandboxManager.h"

#include <QDateTime>
#include <QRegularExpression>

namespace MetricsHistory {

Result<qint64> parseSince(const QString &text)
{
    const QString t = text.trimmed();
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,15}\\z"));
    if (digits.match(t).hasMatch())
        return t.toLongLong();
    QDateTime d = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!d.isValid())
        d = QDateTime::fromString(t, Qt::ISODate);
    // A time without a zone would depend on the engine's; refuse it.
    static const QRegularExpression zoned(QStringLiteral("(Z|[+-][0-9]{2}:?[0-9]{2})\\z"));
    if (!d.isValid() || !zoned.match(t).hasMatch())
        return ApiError::badRequest(
            QStringLiteral("'since' must be a time such as 2026-11-22T10:00:00.000Z or unix milliseconds; got '%1'.")
                .arg(text.left(64)));
    return d.toMSecsSinceEpoch();
}

void answer(SandboxManager &sm, ApiCall &c, const QString &id)
{
    const auto since = parseSince(c.param(QStringLiteral("since")));
    if (!since) {
        c.reply->error(since.error());
        return;
    }
    const auto info = sm.info(c.team, id);
    if (!info) {
        c.reply->error(info.error());
        return;
    }
    MetricsHistoryPage page;
    page.cpuCount = info->cpuCount;
    page.memoryLimitBytes = qint64(info->memoryMb) * 1024 * 1024;
    if (MetricsSampler *sampler = sm.sampler()) {
        for (const MetricsSampler::Point &p : sampler->since(id, *since)) {
            page.samples.append(MetricsSample{p.timeMs, p.cpuPercent, p.memoryBytes, int(p.pids), qint64(p.net.inBytes),
                                              qint64(p.net.outBytes), qint64(p.net.inPackets),
                                              qint64(p.net.outPackets)});
            if (p.memoryLimitBytes > 0 && p.memoryLimitBytes < std::numeric_limits<qint64>::max())
                page.memoryLimitBytes = p.memoryLimitBytes;
        }
    }
    c.reply->json(200, page.toJson());
}

} // namespace MetricsHistory
