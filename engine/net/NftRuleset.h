// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AddressPool.h"
#include "NetworkPolicy.h"

#include <QList>
#include <QString>

// The text of the engine's nftables table (nft's own syntax, run through
// libnftables), pure so a table of cases can check it. One table of family
// inet named after the engine holds everything; nothing else on the host is
// touched. Per sandbox (block b of the pool, link <prefix>b on the host):
// a chain s<b> that decides its new connections, reached from the forward
// hook through a verdict map keyed by the link's name, and four sets: the
// CIDRs it may and may not reach, and the addresses its resolver answered
// for the host names it may and may not reach (each with a time out).
class NftRuleset
{
public:
    struct Config
    {
        QString table = QStringLiteral("ai2in");
        // Host ends of the sandboxes' links are named <linkPrefix><block>.
        QString linkPrefix = QStringLiteral("ai2in-");
        AddressPool pool;
        // Where the engine's DNS forwarder listens; sandboxes' DNS to any
        // server on port 53 is redirected to it.
        quint16 dnsPort = 0;
        // Whether sandboxes may reach 10/8, 172.16/12 and 192.168/16.
        bool allowPrivate = false;
    };
    struct Sandbox
    {
        int block = 0;
        NetworkPolicy policy;
    };

    explicit NftRuleset(Config config) : m_config(std::move(config)) {}
    const Config &config() const { return m_config; }

    // The whole table, replacing any table of that name in one transaction.
    QString table(const QList<Sandbox> &sandboxes) const;
    // The table's removal (no error when it is absent).
    QString removeTable() const;
    // A new sandbox's chain, sets and map entry, with its policy.
    QString addSandbox(const Sandbox &s) const;
    // Replaces a sandbox's policy; the addresses its resolver answered stay
    // unless `keepResolved` is false (when the host-name rules changed).
    QString setPolicy(const Sandbox &s, bool keepResolved) const;
    QString removeSandbox(int block) const;
    // Addresses a host-name rule of the sandbox now covers, for `seconds`.
    QString addResolved(int block, bool allow, const QList<quint32> &addresses, int seconds) const;
    // The same addresses taken out first, for a new time out.
    QString refreshResolved(int block, bool allow, const QList<quint32> &addresses, int seconds) const;

    QString linkName(int block) const { return m_config.linkPrefix + QString::number(block); }
    // Always closed, whatever the policy (besides the host itself, which the
    // input hook closes).
    QStringList closedRanges() const;

private:
    QString policyRules(const Sandbox &s) const;
    QString prefix() const { return QStringLiteral("inet ") + m_config.table; }

    Config m_config;
};
