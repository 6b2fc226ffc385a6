// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AddressPool.h"
#include "NetlinkSocket.h"
#include "NetworkPolicy.h"
#include "NftRuleset.h"
#include "NftTable.h"
#include "Result.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>

class DnsForwarder;

// The sandboxes' networks on the host (docs/architecture.md, "Network"):
// each sandbox's veth link with its /30 of the pool, the engine's nftables
// table with every sandbox's policy, and the resolver that lets host-name
// rules follow the names' addresses. The rules live in the host's network
// namespace, out of reach of root inside a sandbox.
class SandboxNetworks : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        // False: sandboxes have loopback only (`--network none`).
        bool enabled = true;
        QString pool = QStringLiteral("100.72.0.0/16");
        // Names the nftables table; links are named <name>-<block>.
        QString name = QStringLiteral("ai2in");
        bool allowPrivate = false;
        // Resolvers to ask; empty: those of the host's /etc/resolv.conf.
        QList<QHostAddress> dns;
        // Where the lock that keeps two engines off one name lives.
        QString lockDir = QStringLiteral("/run/ai2in");
    };
    // A sandbox in the store: its recorded address and its policy.
    struct Member
    {
        QString address;
        NetworkPolicy policy;
    };
    struct Counters
    {
        quint64 inBytes = 0, outBytes = 0, inPackets = 0, outPackets = 0;
    };

    explicit SandboxNetworks(Options options, QObject *parent = nullptr);
    ~SandboxNetworks() override;

    bool enabled() const { return m_options.enabled; }
    // A sentence when the options cannot work, else "" (before start()).
    static QString checkName(const QString &name);

    // At engine start: takes the name's lock, checks that no route of the
    // host overlaps the pool, turns on IPv4 forwarding, starts the resolver,
    // replaces the table with one holding `members` (those whose address is
    // of another pool get one at their next start), and removes links of
    // its name that belong to none of them (a stopped container's link went
    // with it; a running one's is kept).
    Status start(const QList<Member> &members);

    std::optional<int> allocate(const QSet<int> &inUse) const { return m_pool.allocate(inUse); }
    QString addressOf(int block) const;
    std::optional<int> blockOf(const QString &address) const;

    // A sandbox's table entries, made before it first starts and kept
    // through pauses until remove().
    Status add(int block, const NetworkPolicy &policy);
    Status setPolicy(int block, const NetworkPolicy &policy);
    void remove(int block);
    // Gives a started container (its first process `pid`) its link, its
    // address and its default route, on a worker thread with netlink
    // sockets of its own, so the link is made while the sandbox's agent
    // starts; `done` runs on this object's thread.
    void attach(int block, qint64 pid, std::function<void(Status)> done);
    // Before its container goes: counters so far are kept for the next start.
    void detach(int block);
    // Since the sandbox was made (while this engine runs).
    Counters counters(int block);

    // The files the engine writes into each sandbox.
    QByteArray resolvConf(int block) const;
    QByteArray hosts(int block) const;

    // The whole table as nftables lists it, for `ai2ind doctor` and tests.
    Result<QString> listTable();
    // Removes the table and every link of the name (`ai2ind network down`).
    static Status tearDown(const Options &options);

private:
    // Follows a name's addresses for its rules; false: refuse the answer.
    bool onAnswer(quint32 sandbox, const QString &name, const QList<quint32> &addresses, quint32 ttl);
    // The worker's part of attach(): the host's end, then the sandbox's.
    static Status makeLink(const QString &link, qint64 pid, quint32 address, quint32 gateway);
    static Status configureInside(int nsFd, quint32 address, quint32 gateway);
    // Forgets the addresses answered for a sandbox's host names.
    void forgetResolved(int block);
    Result<QList<NetlinkSocket::Link>> cachedLinks();

    Options m_options;
    AddressPool m_pool;
    std::unique_ptr<NftRuleset> m_rules;
    NftTable m_nft;
    NetlinkSocket m_host;
    DnsForwarder *m_dns = nullptr;
    int m_lockFd = -1;
    QHash<int, NetworkPolicy> m_policies;
    // When each resolved address's set entry runs out, per (block, allow).
    QHash<QString, qint64> m_resolvedUntil;
    QHash<int, Counters> m_before; // counters of earlier starts
    QList<NetlinkSocket::Link> m_links;
    qint64 m_linksAtMs = 0;
    // Where links are made (attach()); waited for before this object goes.
    QThreadPool m_workers;
};
