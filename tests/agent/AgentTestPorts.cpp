// SPDX-License-Identifier: GPL-3.0-or-later
// `ports`: the /proc/net/tcp parser on made-up tables, then a real listener.
#include "AgentTest.h"

#include "TcpTable.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

#include <bit>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

const char* const kHeader4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
const char* const kHeader6 = "  sl  local_address                         remote_address                        st tx_queue "
                             "rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

QByteArray row4(const char* local, const char* state)
{
    return QByteArray("   0: ") + local + " 00000000:0000 " + state
        + " 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n";
}

QByteArray row6(const char* local, const char* state)
{
    return QByteArray("   1: ") + local + " 00000000000000000000000000000000:0000 " + state
        + " 00000000:00000000 00:00000000 00000000  1000        0 23456 1 0000000000000000 100 0 0 10 0\n";
}

} // namespace

void AgentTest::tcpTableParse_data()
{
    QTest::addColumn<QByteArray>("tcp");
    QTest::addColumn<QByteArray>("tcp6");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("empty") << QByteArray() << QByteArray() << QStringList();
    QTest::newRow("header only") << QByteArray(kHeader4) << QByteArray(kHeader6) << QStringList();
    QTest::newRow("v4 loopback") << (kHeader4 + row4("0100007F:1F90", "0A")) << QByteArray()
                                 << QStringList{u"8080 127.0.0.1"_s};
    QTest::newRow("v4 wildcard") << (kHeader4 + row4("00000000:0BB8", "0A")) << QByteArray()
                                 << QStringList{u"3000 0.0.0.0"_s};
    QTest::newRow("v4 private address") << row4("0A01A8C0:0016", "0A") << QByteArray()
                                        << QStringList{u"22 192.168.1.10"_s};
    QTest::newRow("not listening") << (row4("0100007F:1F90", "01") + row4("0100007F:1F91", "06")) << QByteArray()
                                   << QStringList();
    QTest::newRow("v6 wildcard") << QByteArray() << (kHeader6 + row6("00000000000000000000000000000000:1F90", "0A"))
                                 << QStringList{u"8080 ::"_s};
    QTest::newRow("v6 loopback") << QByteArray() << row6("00000000000000000000000001000000:0050", "0A")
                                 << QStringList{u"80 ::1"_s};
    QTest::newRow("v6 mapped v4") << QByteArray() << row6("0000000000000000FFFF00000100007F:0050", "0A")
                                  << QStringList{u"80 ::ffff:127.0.0.1"_s};
    QTest::newRow("v6 lower-case hex") << QByteArray() << row6("000080fe00000000ff005002feb7e5bd:0050", "0A")
                                       << QStringList{u"80 fe80::250:ff:bde5:b7fe"_s};
    QTest::newRow("sorted, each port once, wildcard wins")
        << (row4("0100007F:0050", "0A") + row4("00000000:0050", "0A") + row4("0100007F:0016", "0A"))
        << row6("00000000000000000000000000000000:0050", "0A") + row6("00000000000000000000000001000000:1F90", "0A")
        << QStringList{u"22 127.0.0.1"_s, u"80 0.0.0.0"_s, u"8080 ::1"_s};
    QTest::newRow("v6 wildcard over specific v4")
        << row4("0100007F:0050", "0A") << row6("00000000000000000000000000000000:0050", "0A")
        << QStringList{u"80 ::"_s};
    QTest::newRow("malformed lines skipped")
        << (QByteArray("garbage\n\n   \n0:\n") + "   0: 0100007F 00000000:0000 0A\n" // no port
            + "   0: 0100007Z:1F90 00000000:0000 0A\n"                           // bad hex
            + "   0: 0100007F:1F90\n"                                            // cut short
            + "   0: 0100007F:0000 00000000:0000 0A\n"                           // port 0
            + "   0: 0100007F:11F90 00000000:0000 0A\n"                          // port too long
            + "   0: 100007F:1F90 00000000:0000 0A\n"                            // address too short
            + "0100007F:1F90 00000000:0000 0A x\n"                               // no slot
            + row4("0100007F:0050", "0A"))
        << row6("0100007F:0051", "0A") // a v4 address in the v6 table
        << QStringList{u"80 127.0.0.1"_s};
    QTest::newRow("no final newline") << QByteArray("   0: 0100007F:1F90 00000000:0000 0A") << QByteArray()
                                      << QStringList{u"8080 127.0.0.1"_s};
    QTest::newRow("binary junk") << QByteArray("\0\xff\xfe:\x01 0A\n", 10) << QByteArray(300, '\xff')
                                 << QStringList();
}

void AgentTest::tcpTableParse()
{
    if constexpr (std::endian::native != std::endian::little)
        QSKIP("the table rows are written as a little-endian kernel prints them");
    QFETCH(QByteArray, tcp);
    QFETCH(QByteArray, tcp6);
    QFETCH(QStringList, expected);
    auto v4 = TcpTable::parse(std::string_view(tcp.constData(), size_t(tcp.size())), TcpTable::Family::V4);
    auto v6 = TcpTable::parse(std::string_view(tcp6.constData(), size_t(tcp6.size())), TcpTable::Family::V6);
    v4.insert(v4.end(), v6.begin(), v6.end());
    QStringList got;
    for (const ListeningPort& p : TcpTable::merge(v4))
        got << QString::number(p.port) + u' ' + QString::fromStdString(p.address);
    QCOMPARE(got, expected);
}

quint16 AgentTest::freePort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    quint16 port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

QJsonArray AgentTest::listeningPorts() const
{
    AgentReply r = m_client->request({{u"op"_s, u"ports"_s}});
    return r.ok() ? r.header.value(u"ports"_s).toArray() : QJsonArray();
}

bool AgentTest::isListening(quint16 port) const
{
    for (const QJsonValue& v : listeningPorts()) {
        if (v.toObject().value(u"port"_s).toInt() == port)
            return true;
    }
    return false;
}

bool AgentTest::waitForListener(quint16 port, int ms) const
{
    QElapsedTimer t;
    t.start();
    while (!isListening(port)) {
        if (t.elapsed() > ms)
            return false;
        QTest::qWait(50);
    }
    return true;
}

QString AgentTest::startServer(const QString& cmd, quint16 port) const
{
    AgentReply r = call({{u"op"_s, u"start"_s}, {u"cmd"_s, cmd}});
    if (!r.ok())
        return {};
    QString id = r.header.value(u"command_id"_s).toString();
    if (!waitForListener(port, 10000)) {
        call({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}, {u"signal"_s, 9}});
        return {};
    }
    return id;
}

void AgentTest::portsSeesListener()
{
    AgentReply r = m_client->request({{u"op"_s, u"ports"_s}});
    QVERIFY2(r.ok(), qPrintable(r.errorMessage() + r.transportError));
    QVERIFY(r.header.value(u"ports"_s).isArray());

    quint16 port = freePort();
    QVERIFY(port != 0);
    QString id = startServer(u"exec python3 -m http.server %1 --bind 127.0.0.1 -d %2"_s.arg(port).arg(m_dir.path()), port);
    QVERIFY2(!id.isEmpty(), "the http.server never showed up in 'ports'");
    QJsonObject entry;
    int previous = 0;
    for (const QJsonValue& v : listeningPorts()) {
        int p = v.toObject().value(u"port"_s).toInt();
        QVERIFY2(p > previous, "ports must be sorted and unique");
        previous = p;
        if (p == port)
            entry = v.toObject();
    }
    QCOMPARE(entry.value(u"address"_s).toString(), u"127.0.0.1"_s);

    QVERIFY(call({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}}).ok());
    QVERIFY(waitForStatus(id, u"killed"_s, 5000));
    QTRY_VERIFY_WITH_TIMEOUT(!isListening(port), 5000);
}
