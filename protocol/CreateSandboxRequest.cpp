// SPDX-License-Identifier: GPL-3.0-or-later
#include "CreateSandboxRequest.h"

#include "Limits.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cmath>

namespace Validate {

Result<QJsonObject> jsonObject(const QByteArray &body, bool emptyIsEmptyObject)
{
    if (body.trimmed().isEmpty()) {
        if (emptyIsEmptyObject)
            return QJsonObject();
        return ApiError::invalidJson(QStringLiteral("The request body is empty; a JSON object was expected."));
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return ApiError::invalidJson(QStringLiteral("The request body is not valid JSON: %1 at offset %2.")
                                         .arg(err.errorString())
                                         .arg(err.offset));
    if (!doc.isObject())
        return ApiError::invalidJson(QStringLiteral("The request body must be a JSON object."));
    return doc.object();
}

Result<qint64> timeoutSeconds(const QJsonValue &v, const QString &field)
{
    if (!v.isDouble())
        return ApiError::badRequest(QStringLiteral("'%1' must be a number of seconds.").arg(field));
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d))
        return ApiError::badRequest(QStringLiteral("'%1' must be a whole number of seconds.").arg(field));
    if (d < 1 || d > double(Limits::kMaxTimeoutSeconds))
        return ApiError::badRequest(QStringLiteral("'%1' must be between 1 and %2 seconds (24 hours); got %3.")
                                        .arg(field)
                                        .arg(Limits::kMaxTimeoutSeconds)
                                        .arg(QString::number(d, 'g', 15)));
    return qint64(d);
}

Result<StringMap> stringMap(const QJsonValue &v, const QString &field, int maxBytes)
{
    if (v.isNull() || v.isUndefined())
        return StringMap();
    if (!v.isObject())
        return ApiError::badRequest(QStringLiteral("'%1' must be an object of string values.").arg(field));
    const QJsonObject o = v.toObject();
    const int size = QJsonDocument(o).toJson(QJsonDocument::Compact).size();
    if (size > maxBytes)
        return ApiError::tooLarge(QStringLiteral("'%1' is %2 bytes as JSON; at most %3 bytes are allowed.")
                                      .arg(field)
                                      .arg(size)
                                      .arg(maxBytes));
    StringMap m;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key().isEmpty())
            return ApiError::badRequest(QStringLiteral("'%1' has an empty key.").arg(field));
        if (!it.value().isString())
            return ApiError::badRequest(
                QStringLiteral("'%1.%2' must be a string.").arg(field, it.key()));
        m.insert(it.key(), it.value().toString());
    }
    return m;
}

Status onlyKnownFields(const QJsonObject &o, const QStringList &known)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return ApiError::badRequest(QStringLiteral("Unknown field '%1'; known fields are: %2.")
                                            .arg(it.key(), known.join(QStringLiteral(", "))));
    }
    return Done{};
}

} // namespace Validate

namespace {

Result<int> boundedInt(const QJsonValue &v, const QString &field, int min, int max)
{
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()))
        return ApiError::badRequest(QStringLiteral("'%1' must be a whole number.").arg(field));
    const double d = v.toDouble();
    if (d < min || d > max)
        return ApiError::badRequest(QStringLiteral("'%1' must be between %2 and %3.").arg(field).arg(min).arg(max));
    return int(d);
}

} // namespace

Result<CreateSandboxRequest> CreateSandboxRequest::parse(const QByteArray &body)
{
    const auto obj = Validate::jsonObject(body, true);
    if (!obj)
        return obj.error();
    const QJsonObject &o = *obj;
    static const QStringList known = {QStringLiteral("template"), QStringLiteral("timeout"),
                                      QStringLiteral("metadata"), QStringLiteral("envs"),
                                      QStringLiteral("cpu_count"), QStringLiteral("memory_mb"),
                                      QStringLiteral("disk_mb"),
                                      QStringLiteral("preview_auth"), QStringLiteral("allow_internet_access"),
                                      QStringLiteral("network")};
    if (auto s = Validate::onlyKnownFields(o, known); !s)
        return s.error();

    CreateSandboxRequest r;
    if (o.contains(QStringLiteral("template")) && !o.value(QStringLiteral("template")).isNull()) {
        const QJsonValue t = o.value(QStringLiteral("template"));
        static const QRegularExpression nameRe(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,62}\\z"));
        if (!t.isString() || !nameRe.match(t.toString()).hasMatch())
            return ApiError::badRequest(QStringLiteral(
                "'template' must be a template name: lowercase letters, digits, '.', '_' or '-', at most 63."));
        r.templateName = t.toString();
    }
    if (o.contains(QStringLiteral("timeout")) && !o.value(QStringLiteral("timeout")).isNull()) {
        const auto t = Validate::timeoutSeconds(o.value(QStringLiteral("timeout")), QStringLiteral("timeout"));
        if (!t)
            return t.error();
        r.timeoutSeconds = *t;
    }
    const auto md = Validate::stringMap(o.value(QStringLiteral("metadata")), QStringLiteral("metadata"),
                                        Limits::kMaxMetadataBytes);
    if (!md)
        return md.error();
    r.metadata = *md;
    const auto envs = Validate::stringMap(o.value(QStringLiteral("envs")), QStringLiteral("envs"),
                                          Limits::kMaxEnvsBytes);
    if (!envs)
        return envs.error();
    static const QRegularExpression envRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*\\z"));
    for (auto it = envs->cbegin(); it != envs->cend(); ++it) {
        if (!envRe.match(it.key()).hasMatch())
            return ApiError::badRequest(
                QStringLiteral("'envs' key '%1' is not a valid environment variable name.").arg(it.key()));
        if (it.value().contains(QChar(0)))
            return ApiError::badRequest(QStringLiteral("'envs.%1' contains a NUL character.").arg(it.key()));
    }
    r.envs = *envs;
    if (o.contains(QStringLiteral("cpu_count"))) {
        const auto c = boundedInt(o.value(QStringLiteral("cpu_count")), QStringLiteral("cpu_count"), 1,
                                  Limits::kMaxCpuCount);
        if (!c)
            return c.error();
        r.cpuCount = *c;
    }
    if (o.contains(QStringLiteral("memory_mb"))) {
        const auto m = boundedInt(o.value(QStringLiteral("memory_mb")), QStringLiteral("memory_mb"),
                                  Limits::kMinMemoryMb, Limits::kMaxMemoryMb);
        if (!m)
            return m.error();
        r.memoryMb = *m;
    }
    if (o.contains(QStringLiteral("disk_mb"))) {
        const QJsonValue v = o.value(QStringLiteral("disk_mb"));
        if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()))
            return ApiError::badRequest(QStringLiteral("'disk_mb' must be a whole number of MiB."));
        if (v.toDouble() < Limits::kMinDiskMb || v.toDouble() > Limits::kMaxDiskMb)
            return ApiError::badRequest(
                QStringLiteral("'disk_mb' is the sandbox's disk size in MiB and must be between %1 (64 MiB) and %2 "
                               "(1 TiB); got %3.")
                    .arg(Limits::kMinDiskMb)
                    .arg(Limits::kMaxDiskMb)
                    .arg(QString::number(v.toDouble(), 'g', 15)));
        r.diskMb = int(v.toDouble());
    }
    if (o.contains(QStringLiteral("preview_auth")) && !o.value(QStringLiteral("preview_auth")).isNull()) {
        const QJsonValue v = o.value(QStringLiteral("preview_auth"));
        if (!v.isBool())
            return ApiError::badRequest(QStringLiteral("'preview_auth' must be true or false."));
        r.previewAuth = v.toBool();
    }
    auto network = NetworkPolicy::apply(NetworkPolicy{}, o);
    if (!network)
        return network.error();
    r.network = *network;
    return r;
}
