// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityRoutes.h"

#include "ApiServer.h"
#include "runtime/ActivityLog.h"
#include "runtime/SandboxManager.h"

#include <QRegularExpression>

namespace {

constexpr int kDefaultLimit = 200;
constexpr int kMaxLimit = 500;

// A whole number in [min, max] from the query string, or `fallback`.
Result<qint64> number(const ApiCall &c, const QString &name, qint64 min, qint64 max, qint64 fallback)
{
    if (!c.hasParam(name))
        return fallback;
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,18}\\z"));
    const QString text = c.param(name);
    const qint64 v = text.toLongLong();
    if (!digits.match(text).hasMatch() || v < min || v > max)
        return ApiError::badRequest(
            QStringLiteral("'%1' must be a whole number from %2 to %3.").arg(name).arg(min).arg(max));
    return v;
}

} // namespace

void ActivityRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    SandboxManager *sm = &sandboxes;
    api.on("/v1/sandboxes/<arg>/activity", ApiServer::Method::Get, [sm](ApiCall &c, const QString &id) {
        const auto after = number(c, QStringLiteral("after"), 0, std::numeric_limits<qint64>::max() / 2, 0);
        if (!after) {
            c.reply->error(after.error());
            return;
        }
        const auto limit = number(c, QStringLiteral("limit"), 1, kMaxLimit, kDefaultLimit);
        if (!limit) {
            c.reply->error(limit.error());
            return;
        }
        if (auto info = sm->info(c.team, id); !info) {
            c.reply->error(info.error());
            return;
        }
        if (!sm->activity()) {
            c.reply->error(ApiError::internal(QStringLiteral("This engine keeps no activity log.")));
            return;
        }
        HttpReplyPtr reply = c.reply;
        sm->activity()->read(id, *after, int(*limit), [reply](Result<QJsonObject> r) {
            if (!r)
                reply->error(r.error());
            else
                reply->json(200, *r);
        });
    });
}
