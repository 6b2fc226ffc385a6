// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkPolicyForm.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace NetworkPolicyForm {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("NetworkPolicyForm", text);
}
} // namespace

Result<QList<NetworkRule>> parseLines(const QString &text, const QString &listName)
{
    QList<NetworkRule> rules;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed().isEmpty())
            continue;
        const auto rule = NetworkRule::parse(lines.at(i));
        if (!rule)
            return ApiError::badRequest(tr("%1, line %2: %3").arg(listName).arg(i + 1).arg(rule.error().message));
        if (!rules.contains(*rule))
            rules.append(*rule);
    }
    if (rules.size() > NetworkPolicy::kMaxRules)
        return ApiError::badRequest(
            tr("%1 has %2 rules; at most %3 are allowed.").arg(listName).arg(rules.size()).arg(NetworkPolicy::kMaxRules));
    return rules;
}

QStringList texts(const QList<NetworkRule> &rules)
{
    QStringList out;
    out.reserve(rules.size());
    for (const NetworkRule &r : rules)
        out.append(r.text());
    return out;
}

QString toLines(const QList<NetworkRule> &rules)
{
    return texts(rules).join(QLatin1Char('\n'));
}

QJsonObject requestFields(const NetworkPolicy &policy, bool all)
{
    QJsonObject o;
    if (all || !policy.allowInternetAccess)
        o.insert(QStringLiteral("allow_internet_access"), policy.allowInternetAccess);
    if (all || !policy.allowOut.isEmpty() || !policy.denyOut.isEmpty())
        o.insert(QStringLiteral("network"),
                 QJsonObject{{QStringLiteral("allow_out"), QJsonArray::fromStringList(texts(policy.allowOut))},
                             {QStringLiteral("deny_out"), QJsonArray::fromStringList(texts(policy.denyOut))}});
    return o;
}

QString headline(const NetworkPolicy &policy)
{
    bool everythingDenied = false;
    for (const NetworkRule &r : policy.denyOut)
        everythingDenied = everythingDenied || r.text() == QLatin1String("0.0.0.0/0");
    if (!policy.allowInternetAccess || everythingDenied)
        return policy.allowOut.isEmpty() ? tr("Closed: no outgoing connections") : tr("Closed except the allow list");
    return policy.denyOut.isEmpty() ? tr("Open to the internet") : tr("Open to the internet except the deny list");
}

} // namespace NetworkPolicyForm
