// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentCalls.h"

// Pure checks only: relay() is in AgentCallsRelay.cpp, so these build without
// the runtime (fuzz/ compiles them alone).

#include "CreateSandboxRequest.h"
#include "Limits.h"
#include "Timestamps.h"

#include <QRegularExpression>

namespace AgentCalls {

Status checkUser(const QString &user)
{
    static const QRegularExpression re(QStringLiteral("^[a-z_][a-z0-9_-]{0,31}\\z"));
    if (!re.match(user).hasMatch())
        return ApiError::badRequest(QStringLiteral("'%1' is not a valid user name.").arg(user));
    return Done{};
}

Status checkPath(const QString &path, const QString &what)
{
    if (path.isEmpty())
        return ApiError::badRequest(QStringLiteral("'%1' must not be empty.").arg(what));
    if (path.contains(QChar(0)))
        return ApiError::badRequest(QStringLiteral("'%1' contains a NUL character.").arg(what));
    if (path.size() > 4096)
        return ApiError::badRequest(QStringLiteral("'%1' is longer than 4096 characters.").arg(what));
    return Done{};
}

Status copyUser(const QJsonObject &from, QJsonObject *header)
{
    const QJsonValue user = from.value(QStringLiteral("user"));
    if (user.isUndefined() || user.isNull())
        return Done{};
    if (!user.isString())
        return ApiError::badRequest(QStringLiteral("'user' must be a string."));
    if (auto s = checkUser(user.toString()); !s)
        return s;
    header->insert(QStringLiteral("user"), user.toString());
    return Done{};
}

Status copyPath(const QJsonObject &from, const QString &field, QJsonObject *header)
{
    const QJsonValue v = from.value(field);
    if (v.isUndefined() || v.isNull())
        return Done{};
    if (!v.isString())
        return ApiError::badRequest(QStringLiteral("'%1' must be a string.").arg(field));
    if (auto s = checkPath(v.toString(), field); !s)
        return s;
    header->insert(field, v.toString());
    return Done{};
}

Status copyEnv(const QJsonObject &from, QJsonObject *header)
{
    const auto env = Validate::stringMap(from.value(QStringLiteral("env")), QStringLiteral("env"), Limits::kMaxEnvsBytes);
    if (!env)
        return env.error();
    if (!env->isEmpty())
        header->insert(QStringLiteral("env"), stringMapToJson(*env));
    return Done{};
}

QJsonValue msToTime(const QJsonValue &ms)
{
    if (!ms.isDouble())
        return QJsonValue::Null;
    return Timestamps::toJson(Timestamps::fromMsecs(qint64(ms.toDouble())));
}

} // namespace AgentCalls
