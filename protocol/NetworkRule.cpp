// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkRule.h"

#include <QStringList>

namespace {

bool isDigits(QStringView s)
{
    if (s.isEmpty())
        return false;
    for (QChar c : s) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

bool isLabelChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))
        || c == QLatin1Char('-') || c == QLatin1Char('_');
}

// Lowercase labels of 1 … 63 letters, digits, '-' and '_', not starting or
// ending with '-'; 253 characters in all.
bool isHostName(QStringView s)
{
    if (s.isEmpty() || s.size() > 253)
        return false;
    for (QStringView label : s.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.size() > 63 || label.front() == QLatin1Char('-') || label.back() == QLatin1Char('-'))
            return false;
        for (QChar c : label) {
            if (!isLabelChar(c))
                return false;
        }
    }
    return true;
}

} // namespace

std::optional<quint32> NetworkRule::parseIPv4(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return std::nullopt;
    quint32 value = 0;
    for (const QString &part : parts) {
        if (!isDigits(part) || part.size() > 3 || (part.size() > 1 && part.front() == QLatin1Char('0')) || part.toInt() > 255)
            return std::nullopt;
        value = (value << 8) | quint32(part.toInt());
    }
    return value;
}

QString NetworkRule::formatIPv4(quint32 a)
{
    return QStringLiteral("%1.%2.%3.%4").arg(a >> 24).arg((a >> 16) & 0xff).arg((a >> 8) & 0xff).arg(a & 0xff);
}

Result<NetworkRule> NetworkRule::parse(const QString &raw)
{
    const QString text = raw.trimmed();
    if (text.isEmpty())
        return ApiError::badRequest(QStringLiteral("A network rule is empty; give an IPv4 address, a CIDR or a host name."));
    if (text.contains(QLatin1Char(':')))
        return ApiError::badRequest(
            QStringLiteral("The network rule '%1' is an IPv6 address or has a port; rules are IPv4 only, without ports.").arg(text));
    NetworkRule r;
    bool numeric = true;
    for (QChar c : text)
        numeric = numeric && (c == QLatin1Char('.') || c == QLatin1Char('/') || (c >= QLatin1Char('0') && c <= QLatin1Char('9')));
    if (numeric || text.contains(QLatin1Char('/'))) {
        const QString address = text.section(QLatin1Char('/'), 0, 0);
        const QString bits = text.contains(QLatin1Char('/')) ? text.section(QLatin1Char('/'), 1) : QStringLiteral("32");
        const auto a = parseIPv4(address);
        if (!a || !isDigits(bits) || bits.size() > 2 || bits.toInt() > 32)
            return ApiError::badRequest(
                QStringLiteral("The network rule '%1' is not an IPv4 address or CIDR (like 198.51.100.0/24).").arg(text));
        const int prefix = bits.toInt();
        const quint32 mask = prefix == 0 ? 0 : ~quint32(0) << (32 - prefix);
        if ((*a & ~mask) != 0)
            return ApiError::badRequest(QStringLiteral("The network rule '%1' has bits set past its prefix; did you mean %2/%3?")
                                            .arg(text, formatIPv4(*a & mask))
                                            .arg(prefix));
        r.m_address = *a;
        r.m_prefix = prefix;
        return r;
    }
    QString name = text.toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    r.m_kind = Kind::Host;
    if (name.startsWith(QLatin1String("*."))) {
        name = name.mid(2);
        r.m_kind = Kind::Subdomains;
    }
    if (!isHostName(name))
        return ApiError::badRequest(
            QStringLiteral("The network rule '%1' is neither an IPv4 address, a CIDR nor a host name (or *.name).").arg(text));
    r.m_host = name;
    return r;
}

QString NetworkRule::text() const
{
    switch (m_kind) {
    case Kind::Cidr:
        return m_prefix == 32 ? formatIPv4(m_address) : QStringLiteral("%1/%2").arg(formatIPv4(m_address)).arg(m_prefix);
    case Kind::Host:
        return m_host;
    case Kind::Subdomains:
        return QStringLiteral("*.") + m_host;
    }
    return {};
}
