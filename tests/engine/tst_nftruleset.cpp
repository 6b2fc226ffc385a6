// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's nftables text (engine/net/NftRuleset): what each sandbox's
// chain says for a table of policies, that the always-closed ranges are
// there (the private ones unless allowed), and that nftables takes every
// command: checked without applying, then applied for real to a scratch
// table of this test's own, which is removed after.

#include "NftRuleset.h"
#include "NftTable.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTest>

#include <unistd.h>

class tst_nftruleset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sandboxChain_data();
    void sandboxChain();
    void closedRanges();
    void tableWiring();
    void nftablesTakesEveryCommand();
    void appliesToScratchTable();

private:
    static NftRuleset rules(const QString &table, bool allowPrivate = false);
    static NetworkPolicy policy(const char *json);
};

NftRuleset tst_nftruleset::rules(const QString &table, bool allowPrivate)
{
    NftRuleset::Config c;
    c.table = table;
    c.linkPrefix = table + QLatin1Char('-');
    c.pool = *AddressPool::parse(QStringLiteral("100.76.0.0/24"));
    c.dnsPort = 40053;
    c.allowPrivate = allowPrivate;
    return NftRuleset(c);
}

NetworkPolicy tst_nftruleset::policy(const char *json)
{
    return *NetworkPolicy::apply(NetworkPolicy{}, QJsonDocument::fromJson(QByteArray(json)).object());
}

void tst_nftruleset::sandboxChain_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<QStringList>("absent");
    const QString chain = QStringLiteral("add rule inet t s3 ");
    QTest::newRow("open") << QByteArray("{}")
                          << QStringList{chain + "ip saddr != 100.76.0.14 drop", chain + "meta nfproto ipv6 drop",
                                         chain + "ip daddr @closed goto refuse", chain + "accept"}
                          << QStringList{"add element inet t s3_allow", "add element inet t s3_deny", chain + "goto refuse\n"};
    QTest::newRow("no internet") << QByteArray(R"({"allow_internet_access": false})")
                                 << QStringList{chain + "ip daddr @closed goto refuse\n"
                                                + chain + "ip daddr @s3_allow accept\n"
                                                + chain + "ip daddr @s3_allow_names accept\n"
                                                + chain + "ip daddr @s3_deny goto refuse\n"
                                                + chain + "ip daddr @s3_deny_names goto refuse\n"
                                                + chain + "goto refuse\n"}
                                 << QStringList{chain + "accept\n"};
    QTest::newRow("cidrs, names left to the resolver")
        << QByteArray(R"({"network": {"allow_out": ["198.51.100.0/24", "registry.npmjs.org"],
                                      "deny_out": ["0.0.0.0/0", "*.example"]}})")
        << QStringList{"add element inet t s3_allow { 198.51.100.0/24 }", "add element inet t s3_deny { 0.0.0.0/0 }"}
        << QStringList{"npmjs", "example"};
}

void tst_nftruleset::sandboxChain()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, present);
    QFETCH(QStringList, absent);
    const QString text = rules(QStringLiteral("t")).addSandbox({3, policy(body.constData())});
    for (const QString &p : present)
        QVERIFY2(text.contains(p), qPrintable(QStringLiteral("missing: %1\nin:\n%2").arg(p, text)));
    for (const QString &a : absent)
        QVERIFY2(!text.contains(a), qPrintable(QStringLiteral("unexpected: %1\nin:\n%2").arg(a, text)));
    // The chain is reached through the map, by the sandbox's link.
    QVERIFY(text.contains(QStringLiteral("add element inet t sandboxes { \"t-3\" : jump s3 }")));
}

void tst_nftruleset::closedRanges()
{
    const QStringList closed = rules(QStringLiteral("t")).closedRanges();
    for (const char *r : {"127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10", "224.0.0.0/3", "0.0.0.0/8", "100.76.0.0/24",
                          "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"})
        QVERIFY2(closed.contains(QLatin1String(r)), r);
    const QStringList opened = rules(QStringLiteral("t"), true).closedRanges();
    for (const char *r : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"})
        QVERIFY2(!opened.contains(QLatin1String(r)), r);
    QVERIFY(opened.contains(QStringLiteral("169.254.0.0/16")));
}

void tst_nftruleset::tableWiring()
{
    const QString text = rules(QStringLiteral("t")).table({});
    for (const char *line : {"add table inet t\ndelete table inet t\ntable inet t {",
                             "iifname \"t-*\" iifname vmap @sandboxes",
                             "oifname \"t-*\" goto refuse",
                             "iifname \"t-*\" meta l4proto { tcp, udp } th dport 40053 ct status dnat accept",
                             "iifname \"t-*\" goto refuse",
                             "iifname \"t-*\" meta l4proto { tcp, udp } th dport 53 redirect to :40053",
                             "ip saddr 100.76.0.0/24 oifname != \"t-*\" masquerade",
                             "meta l4proto tcp reject with tcp reset"})
        QVERIFY2(text.contains(QLatin1String(line)), line);
}

void tst_nftruleset::nftablesTakesEveryCommand()
{
    if (::geteuid() != 0)
        QSKIP("nftables checks commands against the kernel's tables, which needs root");
    const NftRuleset r = rules(QStringLiteral("ai2dry"));
    NftTable dry(true);
    const QList<NftRuleset::Sandbox> sandboxes{{0, policy("{}")},
                                               {5, policy(R"({"allow_internet_access": false,
                                                             "network": {"allow_out": ["198.51.100.0/24", "198.51.100.7", "a.example"],
                                                                         "deny_out": ["0.0.0.0/0", "203.0.113.0/25", "203.0.113.0/24"]}})")}};
    const auto s = dry.run(r.table(sandboxes), QStringLiteral("check the table"));
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
}

void tst_nftruleset::appliesToScratchTable()
{
    if (::geteuid() != 0)
        QSKIP("changing nftables needs root");
    const QString name = QStringLiteral("ai2u%1").arg(QCoreApplication::applicationPid() % 1000);
    const NftRuleset r = rules(name);
    NftTable nft;
    auto step = [&](const QString &commands, const char *what) {
        const auto s = nft.run(commands, QString::fromLatin1(what));
        if (!s)
            qWarning("%s", qPrintable(s.error().message));
        return s.ok();
    };
    const bool ok = step(r.table({{1, policy("{}")}}), "make the table") &&
                    step(r.addSandbox({2, policy(R"({"network": {"deny_out": ["10.1.0.0/16", "10.0.0.0/8"]}})")}), "add") &&
                    step(r.setPolicy({2, policy(R"({"allow_internet_access": false})")}, true), "set, keeping names") &&
                    step(r.addResolved(2, true, {0xC6336407, 0xC6336408}, 60), "add resolved") &&
                    step(r.refreshResolved(2, true, {0xC6336407}, 120), "refresh resolved") &&
                    step(r.setPolicy({2, policy("{}")}, false), "set, dropping names") &&
                    step(r.removeSandbox(2), "remove") && step(r.removeSandbox(1), "remove the first");
    const auto listed = nft.list(QStringLiteral("list table inet %1").arg(name));
    step(r.removeTable(), "remove the table");
    QVERIFY(ok);
    QVERIFY(listed.ok());
    QVERIFY2(!listed->contains(QStringLiteral("chain s")), qPrintable(*listed));
    // Gone, and removing it again is no error.
    QVERIFY(!nft.list(QStringLiteral("list table inet %1").arg(name)).ok());
    QVERIFY(step(r.removeTable(), "remove an absent table"));
}

QTEST_GUILESS_MAIN(tst_nftruleset)
#include "tst_nftruleset.moc"
