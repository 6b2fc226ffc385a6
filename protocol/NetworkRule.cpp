// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetworkRule.h"

#include <QRegularExpression>
#include <QStringList>

namespace {

constexpr int kMaxNameLength = 253;

quint32 maskOf(int prefix)
{
    return prefix == 0 ? 0u : ~quint32(0) << (32 - prefix);
}

// Letters, digits, '-' and '_' in labels of 1 … 63, not starting or ending
// with '-'.
bool isHostName(const QString &name)
{
    static const QRegularExpression label(QStringLiteral("^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\z"));
    if (name.isEmpty() || name.size() > kMaxNameLength)
        return false;
    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString &l : labels) {
        if (!label.match(l).hasMatch())
            return false;
    }
    return true;
}

bool allDigitsAndDots(const QString &s)
{
    for (QChar c : s) {
        if (!c.isDigit() && c != QLatin1Char('.'))
            return false;
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
    for (const QString &p : parts) {
        if (p.isEmpty() || p.size() > 3 || (p.size() > 1 && p.startsWith(QLatin1Char('0'))))
            return std::nullopt;
        int n = 0;
        for (QChar c : p) {
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return std::nullopt;
            n = n * 10 + (c.unicode() - '0');
        }
        if (n > 255)
            return std::nullopt;
        value = (value << 8) | quint32(n);
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
        return ApiError::badRequest(QStringLiteral("A network rule is empty; give an IPv4 address, a CIDR "
                                                   "such as 198.51.100.0/24, or a host name."));
    if (text.contains(QLatin1String("://")))
        return ApiError::badRequest(QStringLiteral("The network rule '%1' is a URL; give the host name alone (%2).")
                                        .arg(text, text.section(QLatin1String("://"), 1).section(QLatin1Char('/'), 0, 0)));
    if (text.contains(QLatin1Char(':')))
        return ApiError::badRequest(QStringLiteral("The network rule '%1' is an IPv6 address or has a port; sandboxes "
                                                   "have no IPv6, and rules name addresses or hosts without ports.")
                                        .arg(text));
    NetworkRule r;
    const qsizetype slash = text.indexOf(QLatin1Char('/'));
    if (slash >= 0 || allDigitsAndDots(text)) {
        const QString addr = slash >= 0 ? text.left(slash) : text;
        const auto a = parseIPv4(addr);
        if (!a)
            return ApiError::badRequest(QStringLiteral("The network rule '%1' is not an IPv4 address or CIDR "
                                                       "(four numbers 0 … 255 separated by dots, then an optional "
                                                       "/0 … /32).")
                                            .arg(text));
        int prefix = 32;
        if (slash >= 0) {
            const QString p = text.mid(slash + 1);
            bool ok = false;
            prefix = p.toInt(&ok);
            if (!ok || p.isEmpty() || p.size() > 2 || !p.at(0).isDigit() || prefix < 0 || prefix > 32)
                return ApiError::badRequest(
                    QStringLiteral("The network rule '%1' has a prefix length that is not 0 … 32.").arg(text));
        }
        if ((*a & ~maskOf(prefix)) != 0)
            return ApiError::badRequest(QStringLiteral("The network rule '%1' has bits set past its prefix; did "
                                                       "you mean %2/%3?")
                                            .arg(text, formatIPv4(*a & maskOf(prefix)))
                                            .arg(prefix));
        r.m_kind = Kind::Cidr;
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
        return ApiError::badRequest(QStringLiteral("The network rule '%1' is neither an IPv4 address, a CIDR nor a "
                                                   "host name (letters, digits, '-' and '_' in dot-separated labels, "
                                                   "optionally starting with '*.' for every subdomain).")
                                        .arg(text));
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

bool NetworkRule::matchesName(const QString &raw) const
{
    if (m_kind == Kind::Cidr)
        return false;
    QString name = raw.toLower();
    if (name.endsWith(QLatin1Char('.')))
        name.chop(1);
    if (m_kind == Kind::Host)
        return name == m_host;
    return name.size() > m_host.size() + 1 && name.endsWith(m_host) &&
           name.at(name.size() - m_host.size() - 1) == QLatin1Char('.');
}

bool NetworkRule::matchesAddress(quint32 address) const
{
    return m_kind == Kind::Cidr && (address & maskOf(m_prefix)) == m_address;
}
