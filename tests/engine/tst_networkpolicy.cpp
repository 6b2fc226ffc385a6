// SPDX-License-Identifier: GPL-3.0-or-later
// The network policy of docs/api.md, "Network": which rules parse and how
// they print, what they match, and how a create or update body changes a
// policy — each as a table, with the refusals' sentences.

#include "NetworkPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

class tst_networkpolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesRules_data();
    void parsesRules();
    void refusesRules_data();
    void refusesRules();
    void matches_data();
    void matches();
    void applies_data();
    void applies();
    void refusesBodies_data();
    void refusesBodies();
    void roundTrips();
};

namespace {

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

} // namespace

void tst_networkpolicy::parsesRules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("shown");
    const int cidr = int(NetworkRule::Kind::Cidr), host = int(NetworkRule::Kind::Host),
              sub = int(NetworkRule::Kind::Subdomains);
    QTest::newRow("address") << "198.51.100.7" << cidr << "198.51.100.7";
    QTest::newRow("address as /32") << "198.51.100.7/32" << cidr << "198.51.100.7";
    QTest::newRow("cidr") << "198.51.100.0/24" << cidr << "198.51.100.0/24";
    QTest::newRow("everything") << "0.0.0.0/0" << cidr << "0.0.0.0/0";
    QTest::newRow("spaces around") << "  10.0.0.0/8 " << cidr << "10.0.0.0/8";
    QTest::newRow("host") << "registry.npmjs.org" << host << "registry.npmjs.org";
    QTest::newRow("host, upper case and final dot") << "Deb.Debian.ORG." << host << "deb.debian.org";
    QTest::newRow("single label") << "localhost" << host << "localhost";
    QTest::newRow("underscore") << "_dmarc.example.com" << host << "_dmarc.example.com";
    QTest::newRow("subdomains") << "*.debian.org" << sub << "*.debian.org";
    QTest::newRow("digits in labels") << "1e100.net" << host << "1e100.net";
}

void tst_networkpolicy::parsesRules()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, shown);
    const auto r = NetworkRule::parse(text);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(int(r->kind()), kind);
    QCOMPARE(r->text(), shown);
    // What is shown parses to the same rule.
    QCOMPARE(*NetworkRule::parse(r->text()), *r);
}

void tst_networkpolicy::refusesRules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("sentence");
    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("blank") << "   " << "empty";
    QTest::newRow("ipv6") << "fd00:ec2::254" << "IPv6";
    QTest::newRow("port") << "example.com:443" << "port";
    QTest::newRow("octet over 255") << "198.51.100.256" << "not an IPv4 address";
    QTest::newRow("three parts") << "10.0.1" << "not an IPv4 address";
    QTest::newRow("leading zero") << "10.0.0.010" << "not an IPv4 address";
    QTest::newRow("prefix over 32") << "10.0.0.0/33" << "0 … 32";
    QTest::newRow("negative prefix") << "10.0.0.0/-1" << "0 … 32";
    QTest::newRow("empty prefix") << "10.0.0.0/" << "0 … 32";
    QTest::newRow("plus prefix") << "10.0.0.0/+8" << "0 … 32";
    QTest::newRow("host bits set") << "10.0.0.1/8" << "did you mean 10.0.0.0/8";
    QTest::newRow("url") << "http://example.com/x" << "a URL; give the host name alone (example.com)";
    QTest::newRow("path") << "example.com/x" << "not an IPv4 address";
    QTest::newRow("space inside") << "exa mple.com" << "neither";
    QTest::newRow("empty label") << "example..com" << "neither";
    QTest::newRow("dash first") << "-example.com" << "neither";
    QTest::newRow("star alone") << "*" << "neither";
    QTest::newRow("star inside") << "a.*.com" << "neither";
    QTest::newRow("label of 64") << QString(64, QLatin1Char('a')) + QStringLiteral(".com") << "neither";
    QTest::newRow("name of 254") << (QString(62, QLatin1Char('a')) + QLatin1Char('.')).repeated(4) + QStringLiteral("ab")
                                 << "neither";
    QTest::newRow("non-ascii") << QStringLiteral("bücher.example") << "neither";
}

void tst_networkpolicy::refusesRules()
{
    QFETCH(QString, text);
    QFETCH(QString, sentence);
    const auto r = NetworkRule::parse(text);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("bad_request"));
    QVERIFY2(r.error().message.contains(sentence), qPrintable(r.error().message));
}

void tst_networkpolicy::matches_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("match");
    QTest::newRow("host exact") << "deb.debian.org" << "deb.debian.org" << "" << true;
    QTest::newRow("host, other case and final dot") << "deb.debian.org" << "DEB.debian.org." << "" << true;
    QTest::newRow("host is not its subdomain") << "debian.org" << "deb.debian.org" << "" << false;
    QTest::newRow("subdomains") << "*.debian.org" << "deb.debian.org" << "" << true;
    QTest::newRow("subdomains, deeper") << "*.debian.org" << "a.b.debian.org" << "" << true;
    QTest::newRow("subdomains exclude the name") << "*.debian.org" << "debian.org" << "" << false;
    QTest::newRow("subdomains need a dot") << "*.debian.org" << "notdebian.org" << "" << false;
    QTest::newRow("cidr matches no name") << "0.0.0.0/0" << "debian.org" << "" << false;
    QTest::newRow("cidr inside") << "198.51.100.0/24" << "" << "198.51.100.77" << true;
    QTest::newRow("cidr outside") << "198.51.100.0/24" << "" << "198.51.101.1" << false;
    QTest::newRow("everything") << "0.0.0.0/0" << "" << "203.0.113.9" << true;
    QTest::newRow("address") << "203.0.113.9" << "" << "203.0.113.9" << true;
    QTest::newRow("name matches no address") << "example.com" << "" << "203.0.113.9" << false;
}

void tst_networkpolicy::matches()
{
    QFETCH(QString, rule);
    QFETCH(QString, name);
    QFETCH(QString, address);
    QFETCH(bool, match);
    const auto r = NetworkRule::parse(rule);
    QVERIFY(r.ok());
    if (!name.isEmpty())
        QCOMPARE(r->matchesName(name), match);
    if (!address.isEmpty())
        QCOMPARE(r->matchesAddress(*NetworkRule::parseIPv4(address)), match);
}

void tst_networkpolicy::applies_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray open = R"({"allow_internet_access": true, "allow_out": [], "deny_out": []})";
    QTest::newRow("nothing") << open << QByteArray("{}") << open;
    QTest::newRow("no internet") << open << QByteArray(R"({"allow_internet_access": false})")
                                 << QByteArray(R"({"allow_internet_access": false, "allow_out": [], "deny_out": []})");
    QTest::newRow("lists") << open
                           << QByteArray(R"({"network": {"deny_out": ["0.0.0.0/0"], "allow_out": ["registry.npmjs.org"]}})")
                           << QByteArray(R"({"allow_internet_access": true, "allow_out": ["registry.npmjs.org"],
                                             "deny_out": ["0.0.0.0/0"]})");
    QTest::newRow("one list replaced, the other kept")
        << QByteArray(R"({"allow_internet_access": false, "allow_out": ["a.example"], "deny_out": ["10.0.0.0/8"]})")
        << QByteArray(R"({"network": {"allow_out": ["b.example", "*.c.example"]}})")
        << QByteArray(R"({"allow_internet_access": false, "allow_out": ["b.example", "*.c.example"],
                          "deny_out": ["10.0.0.0/8"]})");
    QTest::newRow("emptied") << QByteArray(R"({"allow_internet_access": true, "allow_out": ["a.example"], "deny_out": []})")
                             << QByteArray(R"({"network": {"allow_out": []}})") << open;
    QTest::newRow("null network keeps") << open << QByteArray(R"({"network": null})") << open;
    QTest::newRow("duplicates kept once") << open
                                          << QByteArray(R"({"network": {"deny_out": ["1.2.3.4", "1.2.3.4/32", "A.b"]}})")
                                          << QByteArray(R"({"allow_internet_access": true, "allow_out": [],
                                                            "deny_out": ["1.2.3.4", "a.b"]})");
    QTest::newRow("256 rules") << open << QByteArray(R"({"network": {"allow_out": [)" +
                                                     QByteArray(R"("a.example",)").repeated(255) +
                                                     R"("a.example"]}})")
                               << QByteArray(R"({"allow_internet_access": true, "allow_out": ["a.example"], "deny_out": []})");
}

void tst_networkpolicy::applies()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    const NetworkPolicy start = NetworkPolicy::fromJson(obj(base.constData()));
    const auto p = NetworkPolicy::apply(start, obj(body.constData()));
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
    QCOMPARE(p->toJson(), obj(expected.constData()));
}

void tst_networkpolicy::refusesBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("sentence");
    QTest::newRow("internet not a bool") << QByteArray(R"({"allow_internet_access": "yes"})") << "true or false";
    QTest::newRow("network not an object") << QByteArray(R"({"network": []})") << "must be an object";
    QTest::newRow("unknown key") << QByteArray(R"({"network": {"allowOut": []}})") << "Unknown field 'network.allowOut'";
    QTest::newRow("list not a list") << QByteArray(R"({"network": {"allow_out": "a.example"}})") << "must be a list";
    QTest::newRow("not strings") << QByteArray(R"({"network": {"deny_out": [1]}})") << "strings only";
    QTest::newRow("bad rule") << QByteArray(R"({"network": {"deny_out": ["a.example", "10.0.0.0/40"]}})")
                              << "In 'network.deny_out': The network rule '10.0.0.0/40'";
    QTest::newRow("257 rules") << QByteArray(R"({"network": {"allow_out": [)" + QByteArray(R"("a.example",)").repeated(256) +
                                             R"("a.example"]}})")
                               << "257 rules; at most 256";
}

void tst_networkpolicy::refusesBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, sentence);
    const QJsonObject o = obj(body.constData());
    QVERIFY(NetworkPolicy::mentions(o));
    const auto p = NetworkPolicy::apply(NetworkPolicy{}, o);
    QVERIFY(!p.ok());
    QCOMPARE(p.error().code, QStringLiteral("bad_request"));
    QVERIFY2(p.error().message.contains(sentence), qPrintable(p.error().message));
}

void tst_networkpolicy::roundTrips()
{
    const auto p = NetworkPolicy::apply(
        NetworkPolicy{}, obj(R"({"allow_internet_access": false,
                                "network": {"allow_out": ["*.debian.org", "198.51.100.0/24"], "deny_out": ["x.example"]}})"));
    QVERIFY(p.ok());
    QCOMPARE(NetworkPolicy::fromJson(p->toJson()), *p);
    QVERIFY(p->hasNameRules());
    QVERIFY(!NetworkPolicy{}.hasNameRules());
    QVERIFY(!NetworkPolicy::mentions(obj(R"({"timeout": 3})")));
}

QTEST_APPLESS_MAIN(tst_networkpolicy)
#include "tst_networkpolicy.moc"
