// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPolicy.h"

#include <QJsonArray>

namespace {

const QString kInternet = QStringLiteral("allow_internet_access");
const QString kNetwork = QStringLiteral("network");
const QString kAllowOut = QStringLiteral("allow_out");
const QString kDenyOut = QStringLiteral("deny_out");

Result<QList<NetworkRule>> rulesOf(const QJsonValue &v, const QString &field)
{
    if (!v.isArray())
        return ApiError::badRequest(QStringLiteral("'network.%1' must be a list of rules.").arg(field));
    const QJsonArray a = v.toArray();
    if (a.size() > NetworkPolicy::kMaxRules)
        return ApiError::badRequest(QStringLiteral("'network.%1' has %2 rules; at most %3 are allowed.")
                                        .arg(field)
                                        .arg(a.size())
                                        .arg(NetworkPolicy::kMaxRules));
    QList<NetworkRule> rules;
    for (const QJsonValue &item : a) {
        if (!item.isString())
            return ApiError::badRequest(QStringLiteral("'network.%1' must hold strings only.").arg(field));
        const auto rule = NetworkRule::parse(item.toString());
        if (!rule)
            return ApiError::badRequest(QStringLiteral("In 'network.%1': %2").arg(field, rule.error().message));
        if (!rules.contains(*rule))
            rules.append(*rule);
    }
    return rules;
}

QJsonArray textsOf(const QList<NetworkRule> &rules)
{
    QJsonArray a;
    for (const NetworkRule &r : rules)
        a.append(r.text());
    return a;
}

QList<NetworkRule> lenient(const QJsonValue &v)
{
    QList<NetworkRule> rules;
    for (const QJsonValue &item : v.toArray()) {
        if (const auto r = NetworkRule::parse(item.toString()))
            rules.append(*r);
    }
    return rules;
}

} // namespace

Result<NetworkPolicy> NetworkPolicy::apply(const NetworkPolicy &base, const QJsonObject &body)
{
    NetworkPolicy p = base;
    if (body.contains(kInternet)) {
        if (!body.value(kInternet).isBool())
            return ApiError::badRequest(QStringLiteral("'allow_internet_access' must be true or false."));
        p.allowInternetAccess = body.value(kInternet).toBool();
    }
    const QJsonValue network = body.value(kNetwork);
    if (network.isUndefined() || network.isNull())
        return p;
    if (!network.isObject())
        return ApiError::badRequest(QStringLiteral("'network' must be an object: {\"allow_out\": [...], \"deny_out\": [...]}."));
    const QJsonObject n = network.toObject();
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (it.key() != kAllowOut && it.key() != kDenyOut)
            return ApiError::badRequest(
                QStringLiteral("Unknown field 'network.%1'; known fields are: allow_out, deny_out.").arg(it.key()));
    }
    for (const QString &key : {kAllowOut, kDenyOut}) {
        if (!n.contains(key))
            continue;
        const auto rules = rulesOf(n.value(key), key);
        if (!rules)
            return rules.error();
        (key == kAllowOut ? p.allowOut : p.denyOut) = *rules;
    }
    return p;
}

QJsonObject NetworkPolicy::toJson() const
{
    return QJsonObject{{kInternet, allowInternetAccess}, {kAllowOut, textsOf(allowOut)}, {kDenyOut, textsOf(denyOut)}};
}

NetworkPolicy NetworkPolicy::fromJson(const QJsonObject &o)
{
    NetworkPolicy p;
    p.allowInternetAccess = o.value(kInternet).toBool(true);
    p.allowOut = lenient(o.value(kAllowOut));
    p.denyOut = lenient(o.value(kDenyOut));
    return p;
}
