// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestBodies.h"

#include "AgentCalls.h"
#include "CreateSandboxRequest.h"
#include "Limits.h"

#include <cmath>

namespace {

constexpr int kDefaultCodeTimeoutSeconds = 300;
constexpr int kMaxCodeTimeoutSeconds = 3600;
constexpr qsizetype kMaxCodeBytes = 1024 * 1024;
constexpr int kMaxTerminalSize = 1000;

Result<int> terminalSize(const QJsonObject &o, const QString &field, int fallback)
{
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < 1 ||
        v.toDouble() > kMaxTerminalSize)
        return ApiError::badRequest(
            QStringLiteral("'%1' must be a whole number from 1 to %2.").arg(field).arg(kMaxTerminalSize));
    return int(v.toDouble());
}

} // namespace

namespace RequestBodies {

Result<qint64> timeout(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("timeout")}); !s)
        return s.error();
    if (!obj->contains(QStringLiteral("timeout")))
        return ApiError::badRequest(QStringLiteral("'timeout' (seconds from now) is required."));
    return Validate::timeoutSeconds(obj->value(QStringLiteral("timeout")), QStringLiteral("timeout"));
}

Result<QJsonObject> network(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("allow_internet_access"), QStringLiteral("network")});
        !s)
        return s.error();
    if (!NetworkPolicy::mentions(*obj))
        return ApiError::badRequest(
            QStringLiteral("Give 'allow_internet_access', 'network' ({\"allow_out\": [...], \"deny_out\": [...]}) or "
                           "both."));
    // Every rule is checked here; the manager applies it to the policy in force.
    if (const auto p = NetworkPolicy::apply(NetworkPolicy{}, *obj); !p)
        return p.error();
    return *obj;
}

Result<bool> pause(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, true);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("keep_memory")}); !s)
        return s.error();
    const QJsonValue km = obj->value(QStringLiteral("keep_memory"));
    if (!km.isUndefined() && !km.isNull() && !km.isBool())
        return ApiError::badRequest(QStringLiteral("'keep_memory' must be true or false."));
    return km.toBool(false);
}

Result<bool> connect(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, true);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("auto_resume")}); !s)
        return s.error();
    const QJsonValue ar = obj->value(QStringLiteral("auto_resume"));
    if (!ar.isUndefined() && !ar.isBool())
        return ApiError::badRequest(QStringLiteral("'auto_resume' must be true or false."));
    return ar.toBool(false);
}

Result<QJsonObject> command(const QByteArray &body, int *timeoutMs)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    const QJsonObject &o = *obj;
    if (auto s = Validate::onlyKnownFields(o, {QStringLiteral("cmd"), QStringLiteral("cwd"), QStringLiteral("env"),
                                               QStringLiteral("user"), QStringLiteral("background"),
                                               QStringLiteral("timeout")});
        !s)
        return s.error();
    const QJsonValue cmd = o.value(QStringLiteral("cmd"));
    if (!cmd.isString() || cmd.toString().trimmed().isEmpty())
        return ApiError::badRequest(QStringLiteral("'cmd' must be a non-empty string."));
    if (cmd.toString().contains(QChar(0)))
        return ApiError::badRequest(QStringLiteral("'cmd' contains a NUL character."));
    const QJsonValue bg = o.value(QStringLiteral("background"));
    if (!bg.isUndefined() && !bg.isNull() && !bg.isBool())
        return ApiError::badRequest(QStringLiteral("'background' must be true or false."));
    const bool background = bg.toBool(false);

    QJsonObject h{{QStringLiteral("op"), background ? QStringLiteral("start") : QStringLiteral("run")},
                  {QStringLiteral("cmd"), cmd.toString()}};
    for (auto copy : {+[](const QJsonObject &f, QJsonObject *t) { return AgentCalls::copyPath(f, QStringLiteral("cwd"), t); },
                      +[](const QJsonObject &f, QJsonObject *t) { return AgentCalls::copyEnv(f, t); },
                      +[](const QJsonObject &f, QJsonObject *t) { return AgentCalls::copyUser(f, t); }}) {
        if (auto s = copy(o, &h); !s)
            return s.error();
    }
    int seconds = Limits::kMaxCommandSeconds;
    const QJsonValue t = o.value(QStringLiteral("timeout"));
    if (!t.isUndefined() && !t.isNull()) {
        if (!t.isDouble() || t.toDouble() != std::floor(t.toDouble()) || t.toDouble() < 1 ||
            t.toDouble() > Limits::kMaxCommandSeconds)
            return ApiError::badRequest(QStringLiteral("'timeout' must be a whole number of seconds from 1 to %1; "
                                                       "start longer commands in the background.")
                                            .arg(Limits::kMaxCommandSeconds));
        seconds = int(t.toDouble());
    }
    if (!background)
        h.insert(QStringLiteral("timeout_ms"), seconds * 1000);
    *timeoutMs = background ? AgentCalls::kDefaultTimeoutMs : seconds * 1000 + 10000;
    return h;
}

Result<QJsonObject> kill(const QByteArray &body, const QString &commandId)
{
    const auto obj = Validate::jsonObject(body, true);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("signal")}); !s)
        return s.error();
    QJsonObject h{{QStringLiteral("op"), QStringLiteral("kill")}, {QStringLiteral("command_id"), commandId}};
    const QJsonValue sig = obj->value(QStringLiteral("signal"));
    if (!sig.isUndefined() && !sig.isNull()) {
        if (!sig.isDouble() || sig.toDouble() != std::floor(sig.toDouble()) || sig.toDouble() < 1 ||
            sig.toDouble() > 64)
            return ApiError::badRequest(QStringLiteral("'signal' must be a signal number from 1 to 64."));
        h.insert(QStringLiteral("signal"), int(sig.toDouble()));
    }
    return h;
}

Result<QJsonObject> runCode(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("code"), QStringLiteral("timeout")}); !s)
        return s.error();
    const QJsonValue code = obj->value(QStringLiteral("code"));
    if (!code.isString())
        return ApiError::badRequest(QStringLiteral("'code' must be a string of Python code."));
    if (code.toString().toUtf8().size() > kMaxCodeBytes)
        return ApiError::tooLarge(QStringLiteral("'code' is larger than 1 MiB."));
    int seconds = kDefaultCodeTimeoutSeconds;
    const QJsonValue t = obj->value(QStringLiteral("timeout"));
    if (!t.isUndefined() && !t.isNull()) {
        if (!t.isDouble() || t.toDouble() <= 0 || t.toDouble() > kMaxCodeTimeoutSeconds || !std::isfinite(t.toDouble()))
            return ApiError::badRequest(
                QStringLiteral("'timeout' must be a number of seconds above 0 and at most %1.").arg(kMaxCodeTimeoutSeconds));
        seconds = int(std::ceil(t.toDouble()));
    }
    return QJsonObject{{QStringLiteral("op"), QStringLiteral("code_run")},
                       {QStringLiteral("code"), code.toString()},
                       {QStringLiteral("timeout_ms"), seconds * 1000}};
}

Result<QJsonObject> ptyStart(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, true);
    if (!obj)
        return obj.error();
    const QJsonObject &o = *obj;
    if (auto s = Validate::onlyKnownFields(o, {QStringLiteral("cols"), QStringLiteral("rows"), QStringLiteral("cwd"),
                                               QStringLiteral("env"), QStringLiteral("user"), QStringLiteral("cmd")});
        !s)
        return s.error();
    const auto cols = terminalSize(o, QStringLiteral("cols"), 80);
    if (!cols)
        return cols.error();
    const auto rows = terminalSize(o, QStringLiteral("rows"), 24);
    if (!rows)
        return rows.error();
    QJsonObject h{{QStringLiteral("op"), QStringLiteral("pty_start")},
                  {QStringLiteral("cols"), *cols},
                  {QStringLiteral("rows"), *rows}};
    for (const QString &f : {QStringLiteral("cwd"), QStringLiteral("cmd")}) {
        if (auto s = AgentCalls::copyPath(o, f, &h); !s)
            return s.error();
    }
    if (auto s = AgentCalls::copyEnv(o, &h); !s)
        return s.error();
    if (auto s = AgentCalls::copyUser(o, &h); !s)
        return s.error();
    return h;
}

Result<QJsonObject> ptyResize(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("cols"), QStringLiteral("rows")}); !s)
        return s.error();
    // null is no size: it used to fall back to 0 and reach the agent as a
    // 0-column terminal (found by fuzz/route_bodies).
    for (const QString &f : {QStringLiteral("cols"), QStringLiteral("rows")}) {
        if (!obj->contains(f) || obj->value(f).isNull())
            return ApiError::badRequest(QStringLiteral("Both 'cols' and 'rows' are required."));
    }
    const auto cols = terminalSize(*obj, QStringLiteral("cols"), 0);
    const auto rows = terminalSize(*obj, QStringLiteral("rows"), 0);
    if (!cols || !rows)
        return !cols ? cols.error() : rows.error();
    return QJsonObject{{QStringLiteral("op"), QStringLiteral("pty_resize")},
                       {QStringLiteral("cols"), *cols},
                       {QStringLiteral("rows"), *rows}};
}

Result<QJsonObject> watchStart(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, {QStringLiteral("path"), QStringLiteral("recursive"),
                                                  QStringLiteral("user")});
        !s)
        return s.error();
    const QJsonValue path = obj->value(QStringLiteral("path"));
    if (!path.isString())
        return ApiError::badRequest(QStringLiteral("'path' must be a string: the directory to watch."));
    if (auto s = AgentCalls::checkPath(path.toString(), QStringLiteral("path")); !s)
        return s.error();
    const QJsonValue recursive = obj->value(QStringLiteral("recursive"));
    if (!recursive.isUndefined() && !recursive.isNull() && !recursive.isBool())
        return ApiError::badRequest(QStringLiteral("'recursive' must be true or false."));
    QJsonObject h{{QStringLiteral("op"), QStringLiteral("watch_start")},
                  {QStringLiteral("path"), path.toString()},
                  {QStringLiteral("recursive"), recursive.toBool(false)}};
    if (auto s = AgentCalls::copyUser(*obj, &h); !s)
        return s.error();
    return h;
}

Result<int> wholeParam(const QUrlQuery &query, const QString &name, int fallback, int min, int max)
{
    if (!query.hasQueryItem(name))
        return fallback;
    bool ok = false;
    const int n = query.queryItemValue(name, QUrl::FullyDecoded).toInt(&ok);
    if (!ok || n < min || n > max)
        return ApiError::badRequest(QStringLiteral("'%1' must be a whole number from %2 to %3.").arg(name).arg(min).arg(max));
    return n;
}

Result<QJsonObject> fileQuery(const QUrlQuery &query, const QString &op)
{
    if (!query.hasQueryItem(QStringLiteral("path")))
        return ApiError::badRequest(QStringLiteral("The 'path' query parameter is required."));
    const QString path = query.queryItemValue(QStringLiteral("path"), QUrl::FullyDecoded);
    if (auto s = AgentCalls::checkPath(path, QStringLiteral("path")); !s)
        return s.error();
    QJsonObject h{{QStringLiteral("op"), op}, {QStringLiteral("path"), path}};
    if (query.hasQueryItem(QStringLiteral("user"))) {
        const QString user = query.queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded);
        if (auto s = AgentCalls::checkUser(user); !s)
            return s.error();
        h.insert(QStringLiteral("user"), user);
    }
    return h;
}

Result<QJsonObject> fileBody(const QByteArray &body, const QString &op, const QStringList &pathFields)
{
    const auto obj = Validate::jsonObject(body, false);
    if (!obj)
        return obj.error();
    if (auto s = Validate::onlyKnownFields(*obj, pathFields + QStringList{QStringLiteral("user")}); !s)
        return s.error();
    QJsonObject h{{QStringLiteral("op"), op}};
    for (const QString &f : pathFields) {
        const QJsonValue v = obj->value(f);
        if (!v.isString())
            return ApiError::badRequest(QStringLiteral("'%1' must be a string path.").arg(f));
        if (auto s = AgentCalls::checkPath(v.toString(), f); !s)
            return s.error();
        h.insert(f, v.toString());
    }
    if (auto s = AgentCalls::copyUser(*obj, &h); !s)
        return s.error();
    return h;
}

} // namespace RequestBodies
