// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop's side of network policies, table by table: the rule boxes'
// lines (each kind, normalised, repeats, malformed, too many), the fields a
// request carries (read back by the engine's own parser to the same
// policy), the Overview's headline, a sandbox's info with its policy and
// address, and the list diff that makes the Overview follow a change.
#include "CreateSandboxRequest.h"
#include "NetworkPolicy.h"
#include "NetworkPolicyForm.h"
#include "SandboxInfo.h"
#include "SandboxListDiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {
QList<NetworkRule> rules(const QStringList &texts)
{
    QList<NetworkRule> out;
    for (const QString &t : texts)
        out.append(NetworkRule::parse(t).value());
    return out;
}

NetworkPolicy policy(bool internet, const QStringList &allow, const QStringList &deny)
{
    NetworkPolicy p;
    p.allowInternetAccess = internet;
    p.allowOut = rules(allow);
    p.denyOut = rules(deny);
    return p;
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
} // namespace

class tst_network_units : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lines_data();
    void lines();
    void requestFields_data();
    void requestFields();
    void headline_data();
    void headline();
    void info();
};

void tst_network_units::lines_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("rules"); // as shown again
    QTest::addColumn<QStringList>("errorParts");

    QTest::newRow("empty") << QString() << true << QStringList() << QStringList();
    QTest::newRow("blank lines") << QStringLiteral("\n  \n\t\n") << true << QStringList() << QStringList();
    QTest::newRow("each kind") << QStringLiteral("198.51.100.7\n198.51.100.0/24\nregistry.npmjs.org\n*.debian.org\n0.0.0.0/0")
                               << true
                               << QStringList{QStringLiteral("198.51.100.7"), QStringLiteral("198.51.100.0/24"),
                                              QStringLiteral("registry.npmjs.org"), QStringLiteral("*.debian.org"),
                                              QStringLiteral("0.0.0.0/0")}
                               << QStringList();
    QTest::newRow("spaces and CRLF") << QStringLiteral("  *.debian.org \r\n\r\n198.51.100.0/24\r\n") << true
                                     << QStringList{QStringLiteral("*.debian.org"), QStringLiteral("198.51.100.0/24")}
                                     << QStringList();
    QTest::newRow("as the engine keeps them") << QStringLiteral("Registry.NPMJS.org\n198.51.100.7/32") << true
                                              << QStringList{QStringLiteral("registry.npmjs.org"), QStringLiteral("198.51.100.7")}
                                              << QStringList();
    QTest::newRow("a repeat once") << QStringLiteral("pypi.org\npypi.org\nPyPI.org") << true
                                   << QStringList{QStringLiteral("pypi.org")} << QStringList();
    QTest::newRow("bad on line 3") << QStringLiteral("a.example\n\nnot a rule\n") << false << QStringList()
                                   << QStringList{QStringLiteral("Allow list, line 3: "), QStringLiteral("'not a rule'")};
    QTest::newRow("ipv6") << QStringLiteral("2001:db8::/32") << false << QStringList()
                          << QStringList{QStringLiteral("line 1"), QStringLiteral("IPv6")};
    QTest::newRow("a port") << QStringLiteral("registry.npmjs.org:443") << false << QStringList()
                            << QStringList{QStringLiteral("line 1"), QStringLiteral("registry.npmjs.org:443")};
    QTest::newRow("host bits") << QStringLiteral("pypi.org\n198.51.100.7/24") << false << QStringList()
                               << QStringList{QStringLiteral("line 2"), QStringLiteral("198.51.100.0/24")};
    QTest::newRow("prefix 33") << QStringLiteral("10.0.0.0/33") << false << QStringList()
                               << QStringList{QStringLiteral("line 1"), QStringLiteral("10.0.0.0/33")};
    QTest::newRow("octet 256") << QStringLiteral("198.51.100.256") << false << QStringList()
                               << QStringList{QStringLiteral("line 1"), QStringLiteral("198.51.100.256")};
    QTest::newRow("star inside") << QStringLiteral("a.*.example") << false << QStringList()
                                 << QStringList{QStringLiteral("line 1"), QStringLiteral("a.*.example")};
    QString many;
    for (int i = 0; i <= NetworkPolicy::kMaxRules; ++i)
        many += QStringLiteral("10.0.%1.%2\n").arg(i / 256).arg(i % 256);
    QTest::newRow("257 rules") << many << false << QStringList()
                               << QStringList{QStringLiteral("Allow list has 257 rules; at most 256 are allowed.")};
    QTest::newRow("256 rules") << many.section(QLatin1Char('\n'), 1) << true << QStringList() << QStringList();
}

void tst_network_units::lines()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QStringList, rules);
    QFETCH(QStringList, errorParts);

    const auto r = NetworkPolicyForm::parseLines(text, QStringLiteral("Allow list"));
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QCOMPARE(r.error().httpStatus, 400);
        for (const QString &part : errorParts)
            QVERIFY2(r.error().message.contains(part), qPrintable(r.error().message));
        return;
    }
    if (!rules.isEmpty() || text.trimmed().isEmpty())
        QCOMPARE(NetworkPolicyForm::texts(*r), rules);
    // Shown again and read back: the same rules.
    const auto again = NetworkPolicyForm::parseLines(NetworkPolicyForm::toLines(*r), QStringLiteral("Allow list"));
    QVERIFY(again.ok());
    QCOMPARE(*again, *r);
}

void tst_network_units::requestFields_data()
{
    QTest::addColumn<NetworkPolicy>("policy");
    QTest::addColumn<QString>("create"); // only what differs from the defaults
    QTest::addColumn<QString>("change"); // every field

    const QString empty = QStringLiteral(R"("network":{"allow_out":[],"deny_out":[]})");
    QTest::newRow("defaults") << policy(true, {}, {}) << QStringLiteral("{}")
                              << QStringLiteral(R"({"allow_internet_access":true,%1})").arg(empty);
    QTest::newRow("closed") << policy(false, {}, {}) << QStringLiteral(R"({"allow_internet_access":false})")
                            << QStringLiteral(R"({"allow_internet_access":false,%1})").arg(empty);
    QTest::newRow("one host only")
        << policy(true, {QStringLiteral("registry.npmjs.org")}, {QStringLiteral("0.0.0.0/0")})
        << QStringLiteral(R"({"network":{"allow_out":["registry.npmjs.org"],"deny_out":["0.0.0.0/0"]}})")
        << QStringLiteral(R"({"allow_internet_access":true,"network":{"allow_out":["registry.npmjs.org"],"deny_out":["0.0.0.0/0"]}})");
    QTest::newRow("closed but two")
        << policy(false, {QStringLiteral("*.debian.org"), QStringLiteral("198.51.100.0/24")}, {})
        << QStringLiteral(R"({"allow_internet_access":false,"network":{"allow_out":["*.debian.org","198.51.100.0/24"],"deny_out":[]}})")
        << QStringLiteral(R"({"allow_internet_access":false,"network":{"allow_out":["*.debian.org","198.51.100.0/24"],"deny_out":[]}})");
}

void tst_network_units::requestFields()
{
    QFETCH(NetworkPolicy, policy);
    QFETCH(QString, create);
    QFETCH(QString, change);

    const QJsonObject createFields = NetworkPolicyForm::requestFields(policy, false);
    const QJsonObject changeFields = NetworkPolicyForm::requestFields(policy, true);
    QCOMPARE(compact(createFields), create);
    QCOMPARE(compact(changeFields), change);

    // The engine's own parser reads back the policy the desktop meant: a
    // create body from nothing, a change from any policy in force.
    QJsonObject body = createFields;
    body.insert(QStringLiteral("template"), QStringLiteral("base"));
    const auto created = CreateSandboxRequest::parse(QJsonDocument(body).toJson());
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
    QCOMPARE(created->network, policy);
    const NetworkPolicy inForce = ::policy(false, {QStringLiteral("pypi.org")}, {QStringLiteral("198.51.100.7")});
    const auto changed = NetworkPolicy::apply(inForce, changeFields);
    QVERIFY2(changed.ok(), changed.ok() ? "" : qPrintable(changed.error().message));
    QCOMPARE(*changed, policy);
}

void tst_network_units::headline_data()
{
    QTest::addColumn<NetworkPolicy>("policy");
    QTest::addColumn<QString>("headline");

    const QStringList none;
    const QStringList all{QStringLiteral("0.0.0.0/0")};
    const QStringList npm{QStringLiteral("registry.npmjs.org")};
    QTest::newRow("default") << policy(true, none, none) << QStringLiteral("Open to the internet");
    QTest::newRow("some denied") << policy(true, none, {QStringLiteral("198.51.100.0/24")})
                                 << QStringLiteral("Open to the internet except the deny list");
    QTest::newRow("an allow list alone changes nothing") << policy(true, npm, none) << QStringLiteral("Open to the internet");
    QTest::newRow("closed") << policy(false, none, none) << QStringLiteral("Closed: no outgoing connections");
    QTest::newRow("closed but a host") << policy(false, npm, none) << QStringLiteral("Closed except the allow list");
    QTest::newRow("everything denied but a host") << policy(true, npm, all) << QStringLiteral("Closed except the allow list");
    QTest::newRow("everything denied") << policy(true, none, all) << QStringLiteral("Closed: no outgoing connections");
}

void tst_network_units::headline()
{
    QFETCH(NetworkPolicy, policy);
    QFETCH(QString, headline);
    QCOMPARE(NetworkPolicyForm::headline(policy), headline);
}

void tst_network_units::info()
{
    // The contract's example, read as the desktop reads an answer.
    const QByteArray json = R"({"sandbox_id": "sbx_k3j5h2g8d0s9a7f6", "status": "running",
        "network": {"allow_internet_access": false, "allow_out": ["registry.npmjs.org"], "deny_out": [], "address": "100.72.0.2"}})";
    const auto info = SandboxInfo::fromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(info);
    QCOMPARE(info->network, policy(false, {QStringLiteral("registry.npmjs.org")}, {}));
    QCOMPARE(info->netAddress, QStringLiteral("100.72.0.2"));

    // A changed policy or address is a changed row, so the Overview follows it.
    SandboxInfo changed = *info;
    QCOMPARE(SandboxListDiff::changedFields(*info, changed), 0u);
    changed.network.denyOut = rules({QStringLiteral("198.51.100.0/24")});
    QCOMPARE(SandboxListDiff::changedFields(*info, changed), quint32(SandboxListDiff::Network));
    changed = *info;
    changed.network.allowInternetAccess = true;
    QCOMPARE(SandboxListDiff::changedFields(*info, changed), quint32(SandboxListDiff::Network));
    changed = *info;
    changed.netAddress = QStringLiteral("100.72.0.3");
    QCOMPARE(SandboxListDiff::changedFields(*info, changed), quint32(SandboxListDiff::Network));
}

QTEST_GUILESS_MAIN(tst_network_units)
#include "tst_network_units.moc"
