// SPDX-License-Identifier: GPL-3.0-or-later
// The DNS reading of the engine's forwarder (engine/net/DnsMessage): ids,
// questions, the A records of answers through compression pointers, and
// malformed messages of every kind refused without reading past the end.

#include "DnsMessage.h"
#include "NetworkRule.h"

#include <QTest>
#include <QtEndian>

class tst_dnsmessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void changesIdOnly();
    void failure();
};

namespace {

QByteArray u16(quint16 v)
{
    QByteArray b(2, 0);
    qToBigEndian(v, b.data());
    return b;
}

QByteArray u32(quint32 v)
{
    QByteArray b(4, 0);
    qToBigEndian(v, b.data());
    return b;
}

QByteArray name(const QByteArray &dotted)
{
    QByteArray out;
    for (const QByteArray &label : dotted.split('.'))
        out += char(label.size()) + label;
    return out + '\0';
}

QByteArray header(quint16 id, quint16 flags, int questions, int answers)
{
    return u16(id) + u16(flags) + u16(quint16(questions)) + u16(quint16(answers)) + u16(0) + u16(0);
}

QByteArray question(const QByteArray &dotted, quint16 type = 1)
{
    return name(dotted) + u16(type) + u16(1);
}

// An A record whose owner points back at the question's name (offset 12).
QByteArray aRecord(const char *address, quint32 ttl)
{
    return QByteArray("\xc0\x0c", 2) + u16(1) + u16(1) + u32(ttl) + u16(4) + u32(*NetworkRule::parseIPv4(QString::fromLatin1(address)));
}

} // namespace

void tst_dnsmessage::parses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("id");
    QTest::addColumn<bool>("response");
    QTest::addColumn<QString>("qname");
    QTest::addColumn<QStringList>("addresses");
    QTest::addColumn<QList<quint32>>("ttls");

    QTest::newRow("query") << header(0x1234, 0x0100, 1, 0) + question("Registry.NPMJS.org") << 0x1234 << false
                           << "registry.npmjs.org" << QStringList{} << QList<quint32>{};
    QTest::newRow("answer with two A records")
        << header(7, 0x8180, 1, 2) + question("deb.debian.org") + aRecord("198.51.100.7", 60) + aRecord("198.51.100.8", 300)
        << 7 << true << "deb.debian.org" << QStringList{"198.51.100.7", "198.51.100.8"} << QList<quint32>{60, 300};
    QByteArray cname = QByteArray("\xc0\x0c", 2) + u16(5) + u16(1) + u32(30);
    const QByteArray target = name("cdn.example");
    cname += u16(quint16(target.size())) + target;
    QTest::newRow("a CNAME, then the A record of its target")
        << header(9, 0x8180, 1, 2) + question("www.example") + cname + aRecord("203.0.113.5", 20) << 9 << true
        << "www.example" << QStringList{"203.0.113.5"} << QList<quint32>{20};
    QByteArray aaaa = QByteArray("\xc0\x0c", 2) + u16(28) + u16(1) + u32(60) + u16(16) + QByteArray(16, '\1');
    QTest::newRow("AAAA records are not addresses here")
        << header(3, 0x8180, 1, 1) + question("v6.example", 28) + aaaa << 3 << true << "v6.example" << QStringList{}
        << QList<quint32>{};
    QTest::newRow("NXDOMAIN") << header(4, 0x8183, 1, 0) + question("nope.example") << 4 << true << "nope.example"
                              << QStringList{} << QList<quint32>{};
    QTest::newRow("no question") << header(5, 0x8180, 0, 0) << 5 << true << "" << QStringList{} << QList<quint32>{};
    QTest::newRow("root name") << header(6, 0x0100, 1, 0) + QByteArray(1, '\0') + u16(2) + u16(1) << 6 << false << ""
                               << QStringList{} << QList<quint32>{};
}

void tst_dnsmessage::parses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, id);
    QFETCH(bool, response);
    QFETCH(QString, qname);
    QFETCH(QStringList, addresses);
    QFETCH(QList<quint32>, ttls);
    const auto m = DnsMessage::parse(bytes);
    QVERIFY(m.has_value());
    QCOMPARE(int(m->id), id);
    QCOMPARE(m->isResponse, response);
    QCOMPARE(m->questionName, qname);
    QStringList got;
    QList<quint32> gotTtls;
    for (const auto &a : m->addresses) {
        got << NetworkRule::formatIPv4(a.address);
        gotTtls << a.ttl;
    }
    QCOMPARE(got, addresses);
    QCOMPARE(gotTtls, ttls);
}

void tst_dnsmessage::refuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = header(7, 0x8180, 1, 1) + question("a.example") + aRecord("198.51.100.7", 60);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("short header") << good.left(11);
    QTest::newRow("question cut") << good.left(14);
    QTest::newRow("question type cut") << header(1, 0x100, 1, 0) + name("a.example") + u16(1);
    QTest::newRow("answer cut") << good.left(good.size() - 2);
    QTest::newRow("more answers than there are") << header(7, 0x8180, 1, 2) + question("a.example") + aRecord("198.51.100.7", 60);
    QTest::newRow("pointer to itself") << header(1, 0x8180, 1, 0) + QByteArray("\xc0\x0c", 2) + u16(1) + u16(1);
    QTest::newRow("pointer into the header") << header(1, 0x8180, 1, 0) + QByteArray("\xc0\x00", 2) + u16(1) + u16(1);
    QTest::newRow("pointer past the end") << header(1, 0x8180, 1, 0) + QByteArray("\xc0\xff", 2) + u16(1) + u16(1);
    QTest::newRow("label past the end") << header(1, 0x100, 1, 0) + QByteArray("\x3f" "abc", 4);
    QTest::newRow("reserved label type") << header(1, 0x100, 1, 0) + QByteArray("\x41" "a", 2) + u16(1) + u16(1);
    QByteArray longName;
    for (int i = 0; i < 5; ++i)
        longName += char(63) + QByteArray(63, 'a');
    QTest::newRow("name over 255") << header(1, 0x100, 1, 0) + longName + '\0' + u16(1) + u16(1);
}

void tst_dnsmessage::refuses()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!DnsMessage::parse(bytes).has_value());
}

void tst_dnsmessage::changesIdOnly()
{
    const QByteArray q = header(0x1234, 0x0100, 1, 0) + question("a.example");
    const QByteArray other = DnsMessage::withId(q, 0xbeef);
    QCOMPARE(other.mid(2), q.mid(2));
    QCOMPARE(int(DnsMessage::parse(other)->id), 0xbeef);
    QCOMPARE(DnsMessage::withId(QByteArray("x"), 1), QByteArray("x"));
}

void tst_dnsmessage::failure()
{
    const QByteArray q = header(0x1234, 0x0100, 1, 0) + question("a.example");
    const auto f = DnsMessage::parse(DnsMessage::failure(q, DnsMessage::kServerFailure));
    QVERIFY(f.has_value());
    QCOMPARE(int(f->id), 0x1234);
    QVERIFY(f->isResponse);
    QCOMPARE(f->rcode, 2);
    QCOMPARE(f->questionName, QStringLiteral("a.example"));
    QVERIFY(DnsMessage::failure(QByteArray(5, 'x'), DnsMessage::kRefused).isEmpty());
    QCOMPARE(DnsMessage::parse(DnsMessage::failure(q, DnsMessage::kRefused))->rcode, 5);
    // A question compressed against bytes past it: the header alone.
    const QByteArray forward = header(1, 0x100, 1, 0) + QByteArray("\xc0\x12", 2) + u16(1) + u16(1) + name("b.example");
    const auto g = DnsMessage::parse(DnsMessage::failure(forward, DnsMessage::kServerFailure));
    QVERIFY(g.has_value() && g->rcode == 2 && g->questionName.isEmpty());
}

QTEST_APPLESS_MAIN(tst_dnsmessage)
#include "tst_dnsmessage.moc"
