// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateInfo.h"

#include "TemplateStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

namespace {

const QString kName = QStringLiteral("name");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kUidBase = QStringLiteral("uid_base");
const QString kUidCount = QStringLiteral("uid_count");
const QString kPackages = QStringLiteral("packages");
const QString kSuite = QStringLiteral("suite");
const QString kRecipe = QStringLiteral("recipe");

bool fail(QString *error, const QString &sentence)
{
    if (error)
        *error = sentence;
    return false;
}

// JSON numbers are doubles: accept only whole numbers that fit in a uint.
bool readUint(const QJsonObject &o, const QString &key, uint *out, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true; // keep the default
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > std::numeric_limits<uint>::max() || d != static_cast<double>(static_cast<qint64>(d)))
        return fail(error, QStringLiteral("\"%1\" must be a non-negative integer.").arg(key));
    *out = static_cast<uint>(d);
    return true;
}

} // namespace

QJsonObject TemplateInfo::toJson() const
{
    return QJsonObject{
        {kName, name},
        {kCreatedAt, createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {kUidBase, static_cast<qint64>(uidBase)},
        {kUidCount, static_cast<qint64>(uidCount)},
        {kPackages, QJsonArray::fromStringList(packages)},
        {kSuite, suite},
        {kRecipe, recipe},
    };
}

QByteArray TemplateInfo::toJsonBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
}

std::optional<TemplateInfo> TemplateInfo::fromJson(const QJsonObject &o, QString *error)
{
    TemplateInfo info;

    const QJsonValue name = o.value(kName);
    if (!name.isString() || !TemplateStore::isValidName(name.toString())) {
        fail(error, QStringLiteral("\"name\" is missing or not a valid template name."));
        return std::nullopt;
    }
    info.name = name.toString();

    const QJsonValue created = o.value(kCreatedAt);
    info.createdAt = QDateTime::fromString(created.toString(), Qt::ISODateWithMs);
    if (!created.isString() || !info.createdAt.isValid()) {
        fail(error, QStringLiteral("\"created_at\" is missing or not an ISO 8601 time."));
        return std::nullopt;
    }
    info.createdAt = info.createdAt.toUTC();

    if (!readUint(o, kUidBase, &info.uidBase, error) || !readUint(o, kUidCount, &info.uidCount, error))
        return std::nullopt;
    if (info.uidCount == 0 || quint64(info.uidBase) + info.uidCount > std::numeric_limits<uint>::max()) {
        fail(error, QStringLiteral("\"uid_base\" and \"uid_count\" do not describe a usable id range."));
        return std::nullopt;
    }

    const QJsonValue packages = o.value(kPackages);
    if (!packages.isUndefined()) {
        if (!packages.isArray()) {
            fail(error, QStringLiteral("\"packages\" must be a list of package names."));
            return std::nullopt;
        }
        for (const QJsonValue &p : packages.toArray()) {
            if (!p.isString() || p.toString().isEmpty()) {
                fail(error, QStringLiteral("\"packages\" must contain only non-empty strings."));
                return std::nullopt;
            }
            info.packages.append(p.toString());
        }
    }

    const QJsonValue suite = o.value(kSuite);
    if (!suite.isUndefined()) {
        if (!suite.isString() || suite.toString().isEmpty()) {
            fail(error, QStringLiteral("\"suite\" must be a non-empty string."));
            return std::nullopt;
        }
        info.suite = suite.toString();
    }

    const QJsonValue recipe = o.value(kRecipe);
    if (!recipe.isUndefined()) {
        if (!recipe.isString()) {
            fail(error, QStringLiteral("\"recipe\" must be a string."));
            return std::nullopt;
        }
        info.recipe = recipe.toString();
    }
    return info;
}

std::optional<TemplateInfo> TemplateInfo::fromJsonBytes(const QByteArray &bytes, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        fail(error, QStringLiteral("It is not valid JSON (%1 at offset %2).")
                        .arg(parseError.errorString())
                        .arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        fail(error, QStringLiteral("It is not a JSON object."));
        return std::nullopt;
    }
    return fromJson(doc.object(), error);
}
