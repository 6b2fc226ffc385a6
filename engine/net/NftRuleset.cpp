// SPDX-License-Identifier: GPL-3.0-or-later
#include "NftRuleset.h"

#include <QStringList>

namespace {

QString setName(int block, const char *what)
{
    return QStringLiteral("s%1_%2").arg(block).arg(QLatin1String(what));
}

QString elements(const QList<NetworkRule> &rules)
{
    QStringList parts;
    for (const NetworkRule &r : rules) {
        if (r.kind() == NetworkRule::Kind::Cidr)
            parts << r.text();
    }
    return parts.join(QStringLiteral(", "));
}

QString addressList(const QList<quint32> &addresses, int seconds)
{
    QStringList parts;
    for (quint32 a : addresses)
        parts << QStringLiteral("%1 timeout %2s").arg(NetworkRule::formatIPv4(a)).arg(seconds);
    return parts.join(QStringLiteral(", "));
}

} // namespace

QStringList NftRuleset::closedRanges() const
{
    // "This network", shared address space (carrier NAT and the pool's usual
    // home), loopback, link-local with the cloud metadata address, IETF
    // protocol assignments, multicast and the reserved rest up to the
    // broadcast address.
    QStringList r{QStringLiteral("0.0.0.0/8"),     QStringLiteral("100.64.0.0/10"), QStringLiteral("127.0.0.0/8"),
                  QStringLiteral("169.254.0.0/16"), QStringLiteral("192.0.0.0/24"),  QStringLiteral("224.0.0.0/3"),
                  m_config.pool.text()};
    if (!m_config.allowPrivate)
        r << QStringLiteral("10.0.0.0/8") << QStringLiteral("172.16.0.0/12") << QStringLiteral("192.168.0.0/16");
    return r;
}

QString NftRuleset::table(const QList<Sandbox> &sandboxes) const
{
    const QString t = prefix();
    const QString links = QStringLiteral("\"%1*\"").arg(m_config.linkPrefix);
    const QString dns = QString::number(m_config.dnsPort);
    QString s;
    s += QStringLiteral("add table %1\ndelete table %1\n").arg(t);
    s += QStringLiteral("table %1 {\n").arg(t);
    s += QStringLiteral("  set closed { type ipv4_addr; flags interval; auto-merge; elements = { %1 } }\n")
             .arg(closedRanges().join(QStringLiteral(", ")));
    s += QStringLiteral("  map sandboxes { type ifname : verdict; }\n");
    // TCP is answered with a reset, the rest with ICMP "administratively
    // prohibited": a closed destination fails at once instead of hanging.
    s += QStringLiteral("  chain refuse {\n    meta l4proto tcp reject with tcp reset\n"
                        "    reject with icmpx type admin-prohibited\n  }\n");
    s += QStringLiteral("  chain forward {\n    type filter hook forward priority filter; policy accept;\n"
                        "    iifname %1 ct state established,related accept\n"
                        "    iifname %1 iifname vmap @sandboxes\n"
                        "    iifname %1 drop\n"
                        "    oifname %1 ct state established,related accept\n"
                        "    oifname %1 goto refuse\n  }\n")
             .arg(links);
    // The host itself: only the DNS forwarder, and only through the
    // redirect (a sandbox cannot name the forwarder's port directly).
    s += QStringLiteral("  chain input {\n    type filter hook input priority filter; policy accept;\n"
                        "    iifname %1 ct state established,related accept\n"
                        "    iifname %1 meta l4proto { tcp, udp } th dport %2 ct status dnat accept\n"
                        "    iifname %1 goto refuse\n"
                        "    meta l4proto { tcp, udp } th dport %2 drop\n  }\n")
             .arg(links, dns);
    s += QStringLiteral("  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
                        "    iifname %1 meta l4proto { tcp, udp } th dport 53 redirect to :%2\n  }\n")
             .arg(links, dns);
    s += QStringLiteral("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
                        "    ip saddr %1 oifname != %2 masquerade\n  }\n")
             .arg(m_config.pool.text(), links);
    s += QStringLiteral("}\n");
    for (const Sandbox &sb : sandboxes)
        s += addSandbox(sb);
    return s;
}

QString NftRuleset::removeTable() const
{
    // Adding first makes the removal succeed when there is no table.
    return QStringLiteral("add table %1\ndelete table %1\n").arg(prefix());
}

QString NftRuleset::addSandbox(const Sandbox &sb) const
{
    const QString t = prefix();
    const int b = sb.block;
    QString s;
    s += QStringLiteral("add set %1 %2 { type ipv4_addr; flags interval; auto-merge; }\n").arg(t, setName(b, "allow"));
    s += QStringLiteral("add set %1 %2 { type ipv4_addr; flags interval; auto-merge; }\n").arg(t, setName(b, "deny"));
    s += QStringLiteral("add set %1 %2 { type ipv4_addr; flags timeout; }\n").arg(t, setName(b, "allow_names"));
    s += QStringLiteral("add set %1 %2 { type ipv4_addr; flags timeout; }\n").arg(t, setName(b, "deny_names"));
    s += QStringLiteral("add chain %1 s%2\n").arg(t).arg(b);
    s += policyRules(sb);
    s += QStringLiteral("add element %1 sandboxes { \"%2\" : jump s%3 }\n").arg(t, linkName(b)).arg(b);
    return s;
}

QString NftRuleset::setPolicy(const Sandbox &sb, bool keepResolved) const
{
    const QString t = prefix();
    const int b = sb.block;
    QString s;
    s += QStringLiteral("flush chain %1 s%2\n").arg(t).arg(b);
    s += QStringLiteral("flush set %1 %2\n").arg(t, setName(b, "allow"));
    s += QStringLiteral("flush set %1 %2\n").arg(t, setName(b, "deny"));
    if (!keepResolved) {
        s += QStringLiteral("flush set %1 %2\n").arg(t, setName(b, "allow_names"));
        s += QStringLiteral("flush set %1 %2\n").arg(t, setName(b, "deny_names"));
    }
    return s + policyRules(sb);
}

QString NftRuleset::policyRules(const Sandbox &sb) const
{
    const QString t = prefix();
    const int b = sb.block;
    const QString chain = QStringLiteral("add rule %1 s%2 ").arg(t).arg(b);
    QString s;
    const QString allow = elements(sb.policy.allowOut);
    const QString deny = elements(sb.policy.denyOut);
    if (!allow.isEmpty())
        s += QStringLiteral("add element %1 %2 { %3 }\n").arg(t, setName(b, "allow"), allow);
    if (!deny.isEmpty())
        s += QStringLiteral("add element %1 %2 { %3 }\n").arg(t, setName(b, "deny"), deny);
    // Only its own address may leave its link: root inside cannot pose as
    // another sandbox, nor use IPv6.
    s += chain + QStringLiteral("meta nfproto ipv6 drop\n");
    s += chain + QStringLiteral("ip saddr != %1 drop\n").arg(NetworkRule::formatIPv4(m_config.pool.address(b)));
    s += chain + QStringLiteral("ip daddr @closed goto refuse\n");
    s += chain + QStringLiteral("ip daddr @%1 accept\n").arg(setName(b, "allow"));
    s += chain + QStringLiteral("ip daddr @%1 accept\n").arg(setName(b, "allow_names"));
    s += chain + QStringLiteral("ip daddr @%1 goto refuse\n").arg(setName(b, "deny"));
    s += chain + QStringLiteral("ip daddr @%1 goto refuse\n").arg(setName(b, "deny_names"));
    s += chain + (sb.policy.allowInternetAccess ? QStringLiteral("accept\n") : QStringLiteral("goto refuse\n"));
    return s;
}

QString NftRuleset::removeSandbox(int b) const
{
    const QString t = prefix();
    QString s;
    s += QStringLiteral("delete element %1 sandboxes { \"%2\" }\n").arg(t, linkName(b));
    s += QStringLiteral("flush chain %1 s%2\ndelete chain %1 s%2\n").arg(t).arg(b);
    for (const char *what : {"allow", "deny", "allow_names", "deny_names"})
        s += QStringLiteral("delete set %1 %2\n").arg(t, setName(b, what));
    return s;
}

QString NftRuleset::addResolved(int b, bool allow, const QList<quint32> &addresses, int seconds) const
{
    if (addresses.isEmpty())
        return {};
    return QStringLiteral("add element %1 %2 { %3 }\n")
        .arg(prefix(), setName(b, allow ? "allow_names" : "deny_names"), addressList(addresses, seconds));
}

QString NftRuleset::refreshResolved(int b, bool allow, const QList<quint32> &addresses, int seconds) const
{
    if (addresses.isEmpty())
        return {};
    QStringList plain;
    for (quint32 a : addresses)
        plain << NetworkRule::formatIPv4(a);
    return QStringLiteral("delete element %1 %2 { %3 }\n")
               .arg(prefix(), setName(b, allow ? "allow_names" : "deny_names"), plain.join(QStringLiteral(", "))) +
           addResolved(b, allow, addresses, seconds);
}
