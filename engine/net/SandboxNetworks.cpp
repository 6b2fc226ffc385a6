// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxNetworks.h"

#include "DnsForwarder.h"
#include "NetworkLog.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcNetwork, "ai2in.engine.network")

namespace {

constexpr int kLinkPrefixLength = 30;
// How long an address a host-name rule covers stays in its set: the
// answer's time to live, within these bounds (a connection made later from
// a cached answer still works; a name that moved is followed within an hour).
constexpr quint32 kMinResolvedSeconds = 60;
constexpr quint32 kMaxResolvedSeconds = 3600;
// Link counters are read for all sandboxes at once, at most this often.
constexpr qint64 kLinksCacheMs = 500;

Status writeFile(const QString &path, const QByteArray &value)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(value) != value.size())
        return ApiError::internal(QStringLiteral("Cannot write %1: %2.").arg(path, f.errorString()));
    return Done{};
}

// The IPv4 routes of the host (/proc/net/route: hex destination and mask
// in network byte order, as the kernel's little-endian words print them).
struct Route
{
    QString device;
    quint32 destination = 0;
    quint32 mask = 0;
};

QList<Route> hostRoutes()
{
    QList<Route> out;
    QFile f(QStringLiteral("/proc/net/route"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (int i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> w = lines.at(i).simplified().split(' ');
        if (w.size() < 8)
            continue;
        bool ok1 = false, ok2 = false;
        // The kernel prints the address's bytes as a number of this machine.
        const quint32 dst = ntohl(quint32(w.at(1).toUInt(&ok1, 16)));
        const quint32 mask = ntohl(quint32(w.at(7).toUInt(&ok2, 16)));
        if (ok1 && ok2)
            out.append({QString::fromLatin1(w.at(0)), dst, mask});
    }
    return out;
}

// Removes the links named <prefix>… that are not in `keep`.
Status removeLinks(NetlinkSocket &host, const QString &prefix, const QSet<QString> &keep)
{
    const auto links = host.links();
    if (!links)
        return links.error();
    for (const NetlinkSocket::Link &l : *links) {
        if (!l.name.startsWith(prefix) || keep.contains(l.name))
            continue;
        qCInfo(lcNetwork) << "removing the link" << l.name;
        if (auto s = host.removeLink(l.name); !s)
            qCWarning(lcNetwork) << s.error().message;
    }
    return Done{};
}

} // namespace

SandboxNetworks::SandboxNetworks(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

SandboxNetworks::~SandboxNetworks()
{
    m_workers.waitForDone();
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

QString SandboxNetworks::checkName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9]{0,6}\\z"));
    if (!re.match(name).hasMatch())
        return QStringLiteral("The network name '%1' must be 1 … 7 lowercase letters or digits, starting with a "
                              "letter (it names the nftables table and, with a block number, each sandbox's link).")
            .arg(name);
    return {};
}

Status SandboxNetworks::start(const QList<Member> &members)
{
    if (!m_options.enabled)
        return Done{};
    if (const QString e = checkName(m_options.name); !e.isEmpty())
        return ApiError::badRequest(e);
    auto pool = AddressPool::parse(m_options.pool);
    if (!pool)
        return pool.error();
    m_pool = *pool;

    QDir().mkpath(m_options.lockDir);
    const QString lockPath = m_options.lockDir + QStringLiteral("/network-%1.lock").arg(m_options.name);
    m_lockFd = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_lockFd < 0 || ::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0)
        return ApiError::unavailable(
            QStringLiteral("Another engine on this host already runs sandbox networks named '%1' (it holds %2). "
                           "Stop it, or start this one with --network-name and --network-pool of its own.")
                .arg(m_options.name, lockPath));

    const QString prefix = m_options.name + QLatin1Char('-');
    const quint32 poolMask = ~quint32(0) << (32 - m_pool.prefix());
    for (const Route &r : hostRoutes()) {
        if (r.device.startsWith(prefix) || r.mask == 0)
            continue;
        const quint32 common = poolMask & r.mask;
        if ((r.destination & common) == (m_pool.base() & common))
            return ApiError::unavailable(
                QStringLiteral("The sandbox address pool %1 overlaps the host's route to %2/%3 on %4; start the "
                               "engine with --network-pool set to a range this host does not use.")
                    .arg(m_pool.text(), NetworkRule::formatIPv4(r.destination))
                    .arg(qPopulationCount(r.mask))
                    .arg(r.device));
    }
    // Sandboxes reach the world through the host's routes.
    if (auto s = writeFile(QStringLiteral("/proc/sys/net/ipv4/ip_forward"), "1"); !s)
        return s;

    m_dns = new DnsForwarder(
        [this](quint32 a) { return m_pool.blockOf(a).has_value(); },
        [this](quint32 sandbox, const QString &name, const QList<DnsMessage::Address> &addresses) {
            QList<quint32> plain;
            quint32 ttl = kMaxResolvedSeconds;
            for (const auto &a : addresses) {
                plain << a.address;
                ttl = qMin(ttl, a.ttl);
            }
            return onAnswer(sandbox, name, plain, ttl);
        },
        this);
    QFile resolv(QStringLiteral("/etc/resolv.conf"));
    const QByteArray conf = resolv.open(QIODevice::ReadOnly) ? resolv.readAll() : QByteArray();
    if (auto s = m_dns->listen(m_options.dns.isEmpty() ? DnsForwarder::parseResolvConf(conf) : m_options.dns); !s)
        return s;

    NftRuleset::Config config;
    config.table = m_options.name;
    config.linkPrefix = prefix;
    config.pool = m_pool;
    config.dnsPort = m_dns->port();
    config.allowPrivate = m_options.allowPrivate;
    m_rules = std::make_unique<NftRuleset>(config);

    QList<NftRuleset::Sandbox> sandboxes;
    QSet<QString> known;
    for (const Member &m : members) {
        const auto block = blockOf(m.address);
        if (!block)
            continue;
        sandboxes.append({*block, m.policy});
        m_policies.insert(*block, m.policy);
        known.insert(m_rules->linkName(*block));
    }
    if (auto s = m_nft.run(m_rules->table(sandboxes), QStringLiteral("set up the sandboxes' network rules")); !s)
        return s;
    if (auto s = m_host.open(); !s)
        return s;
    if (auto s = removeLinks(m_host, prefix, known); !s)
        return s;
    qCInfo(lcNetwork) << "sandbox networks from" << m_pool.text() << "in nftables table inet" << m_options.name
                      << "with the resolver on port" << m_dns->port();
    return Done{};
}

QString SandboxNetworks::addressOf(int block) const
{
    return NetworkRule::formatIPv4(m_pool.address(block));
}

std::optional<int> SandboxNetworks::blockOf(const QString &address) const
{
    const auto a = NetworkRule::parseIPv4(address);
    if (!a || !m_options.enabled)
        return std::nullopt;
    return m_pool.blockOf(*a);
}

Status SandboxNetworks::add(int block, const NetworkPolicy &policy)
{
    QElapsedTimer took;
    took.start();
    if (auto s = m_nft.run(m_rules->addSandbox({block, policy}), QStringLiteral("add a sandbox's network rules")); !s)
        return s;
    qCDebug(lcNetwork) << "rules of block" << block << "added in" << took.nsecsElapsed() / 1000 << "µs";
    m_policies.insert(block, policy);
    m_before.remove(block);
    return Done{};
}

Status SandboxNetworks::setPolicy(int block, const NetworkPolicy &policy)
{
    // Addresses answered for host names stay while the name rules are the
    // same (a change of CIDRs or of the default keeps them).
    const auto names = [](const QList<NetworkRule> &rules) {
        QList<NetworkRule> out;
        for (const NetworkRule &r : rules) {
            if (r.kind() != NetworkRule::Kind::Cidr)
                out.append(r);
        }
        return out;
    };
    const NetworkPolicy old = m_policies.value(block);
    const bool sameNames = names(old.allowOut) == names(policy.allowOut) && names(old.denyOut) == names(policy.denyOut);
    if (auto s = m_nft.run(m_rules->setPolicy({block, policy}, sameNames),
                           QStringLiteral("change a sandbox's network policy"));
        !s)
        return s;
    if (!sameNames)
        forgetResolved(block);
    m_policies.insert(block, policy);
    return Done{};
}

void SandboxNetworks::remove(int block)
{
    if (!m_rules)
        return;
    m_host.removeLink(m_rules->linkName(block));
    if (auto s = m_nft.run(m_rules->removeSandbox(block), QStringLiteral("remove a sandbox's network rules")); !s)
        qCWarning(lcNetwork) << s.error().message;
    m_policies.remove(block);
    m_before.remove(block);
    forgetResolved(block);
}

void SandboxNetworks::forgetResolved(int block)
{
    const QString key = QStringLiteral("%1/").arg(block);
    for (auto it = m_resolvedUntil.begin(); it != m_resolvedUntil.end();)
        it = it.key().startsWith(key) ? m_resolvedUntil.erase(it) : std::next(it);
}

void SandboxNetworks::attach(int block, qint64 pid, std::function<void(Status)> done)
{
    const QString link = m_rules->linkName(block);
    const quint32 address = m_pool.address(block);
    const quint32 gateway = m_pool.gateway(block);
    m_workers.start([this, link, pid, address, gateway, done = std::move(done)] {
        QElapsedTimer took;
        took.start();
        const Status s = makeLink(link, pid, address, gateway);
        qCDebug(lcNetwork) << "link" << link << "ready in" << took.nsecsElapsed() / 1000 << "µs";
        QMetaObject::invokeMethod(
            this,
            [this, s, done] {
                m_linksAtMs = 0;
                done(s);
            },
            Qt::QueuedConnection);
    });
}

Status SandboxNetworks::makeLink(const QString &link, qint64 pid, quint32 address, quint32 gateway)
{
    NetlinkSocket host;
    if (auto s = host.open(); !s)
        return s;
    // A link left from an earlier start whose container is gone.
    host.removeLink(link);
    const QByteArray nsPath = QStringLiteral("/proc/%1/ns/net").arg(pid).toUtf8();
    const int nsFd = ::open(nsPath.constData(), O_RDONLY | O_CLOEXEC);
    if (nsFd < 0)
        return ApiError::internal(
            QStringLiteral("Cannot reach the sandbox's network namespace (%1): %2.").arg(QString::fromUtf8(nsPath), strerror(errno)));
    Status s = host.createVethPair(link, QStringLiteral("eth0"), nsFd);
    if (s) {
        const auto index = host.indexOf(link);
        s = index ? Status(Done{}) : Status(index.error());
        // The host's end: no IPv6, the gateway address, up.
        if (s)
            s = writeFile(QStringLiteral("/proc/sys/net/ipv6/conf/%1/disable_ipv6").arg(link), "1");
        if (s)
            s = host.addAddress(*index, gateway, kLinkPrefixLength);
        if (s)
            s = host.setUp(*index);
    }
    if (s)
        s = configureInside(nsFd, address, gateway);
    ::close(nsFd);
    if (!s)
        host.removeLink(link);
    return s;
}

Status SandboxNetworks::configureInside(int nsFd, quint32 address, quint32 gateway)
{
    // setns() moves only the calling thread: a short-lived thread enters
    // the sandbox's namespace, opens a netlink socket there, and ends (a
    // pool's thread must stay in the host's).
    Status result = Done{};
    std::thread worker([&] {
        if (::setns(nsFd, CLONE_NEWNET) != 0) {
            result = ApiError::internal(
                QStringLiteral("Cannot enter the sandbox's network namespace: %1.").arg(strerror(errno)));
            return;
        }
        NetlinkSocket inside;
        Status s = inside.open();
        const auto lo = s ? inside.indexOf(QStringLiteral("lo")) : Result<int>(s.error());
        s = lo ? inside.setUp(*lo) : Status(lo.error());
        const auto eth = s ? inside.indexOf(QStringLiteral("eth0")) : Result<int>(s.error());
        s = eth ? inside.addAddress(*eth, address, kLinkPrefixLength) : Status(eth.error());
        if (s)
            s = inside.setUp(*eth);
        if (s)
            s = inside.addDefaultRoute(gateway);
        // /proc/sys/net is the calling thread's namespace's: no IPv6
        // inside, and ping for every user (ICMP sockets, no raw ones).
        for (const char *path : {"/proc/sys/net/ipv6/conf/all/disable_ipv6", "/proc/sys/net/ipv6/conf/default/disable_ipv6"}) {
            if (s)
                s = writeFile(QString::fromLatin1(path), "1");
        }
        if (s)
            s = writeFile(QStringLiteral("/proc/sys/net/ipv4/ping_group_range"), "0 2147483647");
        result = s;
    });
    worker.join();
    return result;
}

void SandboxNetworks::detach(int block)
{
    if (!m_rules)
        return;
    const Counters now = counters(block);
    m_before.insert(block, now);
    m_host.removeLink(m_rules->linkName(block));
    m_linksAtMs = 0;
}

Result<QList<NetlinkSocket::Link>> SandboxNetworks::cachedLinks()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_linksAtMs >= kLinksCacheMs) {
        auto links = m_host.links();
        if (!links)
            return links.error();
        m_links = *links;
        m_linksAtMs = now;
    }
    return m_links;
}

SandboxNetworks::Counters SandboxNetworks::counters(int block)
{
    Counters c = m_before.value(block);
    if (!m_rules)
        return c;
    const QString link = m_rules->linkName(block);
    const auto links = cachedLinks();
    if (!links)
        return c;
    for (const NetlinkSocket::Link &l : *links) {
        if (l.name != link)
            continue;
        // The host's end receives what the sandbox sends.
        c.outBytes += l.rxBytes;
        c.outPackets += l.rxPackets;
        c.inBytes += l.txBytes;
        c.inPackets += l.txPackets;
    }
    return c;
}

QByteArray SandboxNetworks::resolvConf(int block) const
{
    return "# Written by ai2in: the engine's resolver, at this sandbox's gateway.\nnameserver " +
           NetworkRule::formatIPv4(m_pool.gateway(block)).toLatin1() + "\n";
}

QByteArray SandboxNetworks::hosts(int block) const
{
    return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
           NetworkRule::formatIPv4(m_pool.address(block)).toLatin1() + "\tsandbox\n";
}

bool SandboxNetworks::onAnswer(quint32 sandbox, const QString &name, const QList<quint32> &addresses, quint32 ttl)
{
    const auto block = m_pool.blockOf(sandbox);
    if (!block || !m_policies.contains(*block))
        return true;
    const NetworkPolicy &policy = m_policies[*block];
    const int seconds = int(qBound(kMinResolvedSeconds, ttl, kMaxResolvedSeconds));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString commands, plainAdds;
    bool allowedName = false, deniedName = false;
    for (const bool allow : {true, false}) {
        bool covered = false;
        for (const NetworkRule &r : allow ? policy.allowOut : policy.denyOut)
            covered = covered || r.matchesName(name);
        if (!covered)
            continue;
        (allow ? allowedName : deniedName) = true;
        QList<quint32> fresh, known;
        for (quint32 a : addresses) {
            const QString key = QStringLiteral("%1/%2/%3").arg(*block).arg(allow).arg(a);
            const auto it = m_resolvedUntil.constFind(key);
            // Known entries are replaced for a new time out; one about to
            // run out may be gone by the time nftables looks: added again.
            if (it != m_resolvedUntil.cend() && it.value() > now + 5000)
                known << a;
            else
                fresh << a;
            m_resolvedUntil.insert(key, now + qint64(seconds) * 1000);
        }
        commands += m_rules->addResolved(*block, allow, fresh, seconds);
        commands += m_rules->refreshResolved(*block, allow, known, seconds);
        plainAdds += m_rules->addResolved(*block, allow, addresses, seconds);
    }
    if (!commands.isEmpty()) {
        const QString what = QStringLiteral("follow the addresses of %1").arg(name);
        // Should an entry have run out after all, adding alone still works.
        if (auto s = m_nft.run(commands, what); !s && !m_nft.run(plainAdds, what))
            qCWarning(lcNetwork) << s.error().message;
    }
    // The name is answered when the sandbox may reach it: named by an
    // allow rule, or one of its addresses open by the CIDR rules and the
    // default. Otherwise the sandbox learns at once, as REFUSED, that the
    // name is closed to it (which also keeps names that share an address
    // with an allowed one out of reach for tools that go by name).
    if (allowedName)
        return true;
    if (deniedName)
        return false;
    if (addresses.isEmpty())
        return true;
    for (quint32 a : addresses) {
        if (policy.opensAddress(a))
            return true;
    }
    return false;
}

Result<QString> SandboxNetworks::listTable()
{
    return m_nft.list(QStringLiteral("list table inet %1").arg(m_options.name));
}

Status SandboxNetworks::tearDown(const Options &options)
{
    NftTable nft;
    NftRuleset::Config config;
    config.table = options.name;
    if (auto s = nft.run(NftRuleset(config).removeTable(), QStringLiteral("remove the sandboxes' network rules")); !s)
        return s;
    NetlinkSocket host;
    if (auto s = host.open(); !s)
        return s;
    if (auto s = removeLinks(host, options.name + QLatin1Char('-'), {}); !s)
        return s;
    // The name's lock goes too, unless an engine still holds it.
    const QByteArray lockPath =
        QFile::encodeName(options.lockDir + QStringLiteral("/network-%1.lock").arg(options.name));
    const int fd = ::open(lockPath.constData(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            ::unlink(lockPath.constData());
        ::close(fd);
    }
    return Done{};
}
