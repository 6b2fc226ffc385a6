// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPolicy.h"

#include <QJsonArray>
#include <QStringList>

namespace {

const QString kAllowInternet = QStringLiteral("allow_internet_access");
const QString kNetwork = QStringLiteral("network");
const QString kAllowOut = QStringLiteral("allow_out");
const QString kDenyOut = QStringLiteral("deny_out");

Result<QList<NetworkRule>> rulesOf(const QJsonValue &v, const QString &field)
{
    if (!v.isArray())
        return ApiError::badRequest(
            QStringLiteral("'network.%1' must be a list of rules (IPv4 addresses, CIDRs or host names).").arg(field));
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
        auto rule = NetworkRule::parse(item.toString());
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

QList<NetworkRule> lenientRules(const QJsonValue &v)
{
    QList<NetworkRule> rules;
    for (const QJsonValue &item : v.toArray()) {
        if (auto r = NetworkRule::parse(item.toString()))
            rules.append(*r);
    }
    return rules;
}

} // namespace

bool NetworkPolicy::mentions(const QJsonObject &body)
{
    return body.contains(kAllowInternet) || body.contains(kNetwork);
}

Result<NetworkPolicy> NetworkPolicy::apply(const NetworkPolicy &base, const QJsonObject &body)
{
    NetworkPolicy p = base;
    if (body.contains(kAllowInternet)) {
        const QJsonValue v = body.value(kAllowInternet);
        if (!v.isBool())
            return ApiError::badRequest(QStringLiteral("'%1' must be true or false.").arg(kAllowInternet));
        p.allowInternetAccess = v.toBool();
    }
    if (!body.contains(kNetwork) || body.value(kNetwork).isNull())
        return p;
    if (!body.value(kNetwork).isObject())
        return ApiError::badRequest(
            QStringLiteral("'network' must be an object: {\"allow_out\": [...], \"deny_out\": [...]}."));
    const QJsonObject n = body.value(kNetwork).toObject();
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (it.key() != kAllowOut && it.key() != kDenyOut)
            return ApiError::badRequest(
                QStringLiteral("Unknown field 'network.%1'; known fields are: allow_out, deny_out.").arg(it.key()));
    }
    if (n.contains(kAllowOut)) {
        auto rules = rulesOf(n.value(kAllowOut), kAllowOut);
        if (!rules)
            return rules.error();
        p.allowOut = *rules;
    }
    if (n.contains(kDenyOut)) {
        auto rules = rulesOf(n.value(kDenyOut), kDenyOut);
        if (!rules)
            return rules.error();
        p.denyOut = *rules;
    }
    return p;
}

QJsonObject NetworkPolicy::toJson() const
{
    return {{kAllowInternet, allowInternetAccess}, {kAllowOut, textsOf(allowOut)}, {kDenyOut, textsOf(denyOut)}};
}

NetworkPolicy NetworkPolicy::fromJson(const QJsonObject &o)
{
    NetworkPolicy p;
    p.allowInternetAccess = o.value(kAllowInternet).toBool(true);
    p.allowOut = lenientRules(o.value(kAllowOut));
    p.denyOut = lenientRules(o.value(kDenyOut));
    return p;
}

bool NetworkPolicy::hasNameRules() const
{
    for (const QList<NetworkRule> *list : {&allowOut, &denyOut}) {
        for (const NetworkRule &r : *list) {
            if (r.kind() != NetworkRule::Kind::Cidr)
                return true;
        }
    }
    return false;
}
