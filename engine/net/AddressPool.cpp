// SPDX-License-Identifier: GPL-3.0-or-later
#include "AddressPool.h"

#include "NetworkRule.h"

Result<AddressPool> AddressPool::parse(const QString &cidr)
{
    const auto rule = NetworkRule::parse(cidr);
    if (!rule || rule->kind() != NetworkRule::Kind::Cidr || !cidr.contains(QLatin1Char('/')))
        return ApiError::badRequest(
            QStringLiteral("The sandbox address pool '%1' is not an IPv4 CIDR such as 100.72.0.0/16%2")
                .arg(cidr, rule ? QStringLiteral(".") : QStringLiteral(": ") + rule.error().message));
    if (rule->prefix() < kMinPrefix || rule->prefix() > kMaxPrefix)
        return ApiError::badRequest(QStringLiteral("The sandbox address pool '%1' must be a /%2 … /%3 (four "
                                                   "addresses per sandbox).")
                                        .arg(cidr)
                                        .arg(kMinPrefix)
                                        .arg(kMaxPrefix));
    AddressPool p;
    p.m_base = rule->address();
    p.m_prefix = rule->prefix();
    return p;
}

QString AddressPool::text() const
{
    return QStringLiteral("%1/%2").arg(NetworkRule::formatIPv4(m_base)).arg(m_prefix);
}

bool AddressPool::contains(quint32 address) const
{
    const quint32 mask = ~quint32(0) << (32 - m_prefix);
    return (address & mask) == m_base;
}

std::optional<int> AddressPool::blockOf(quint32 sandboxAddress) const
{
    if (!contains(sandboxAddress) || (sandboxAddress & 3) != 2)
        return std::nullopt;
    return int((sandboxAddress - m_base) / 4);
}

std::optional<int> AddressPool::allocate(const QSet<int> &inUse) const
{
    for (int b = 0; b < blocks(); ++b) {
        if (!inUse.contains(b))
            return b;
    }
    return std::nullopt;
}
