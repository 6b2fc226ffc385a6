// SPDX-License-Identifier: GPL-3.0-or-later
// Sandbox networks with the real engine (docs/api.md, "Network"): each
// sandbox reaches a test host through the host's NAT, resolves names
// through the engine, and is held to its policy — by CIDR and by host name,
// at create and live — while the host itself, other sandboxes and the
// private ranges stay closed, fast (a refusal, not a hang). Policies hold
// across a SIGKILL of the engine; nothing is left on the host after.
//
// Traffic stays on this machine: the test host is a network namespace this
// suite makes, with addresses from 198.18.0.0/15 (a blackhole route for the
// range goes in first), and it runs its own DNS server, which the engine is
// told to use (--network-dns).

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"
#include "TestHost.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QNetworkInterface>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace E2e;

namespace {

QString sourceDir()
{
    return QStringLiteral(AI2IN_NETWORK_TEST_DIR);
}

QByteArray tool(const QString &program, const QStringList &args, bool *ok = nullptr)
{
    return TestHost::tool(program, args, ok);
}

} // namespace

class tst_network : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void addressResolverAndFiles();
    void reachesTestHostThroughNat();
    void hostIsClosedAtEveryAddress();
    void otherSandboxesAreClosed();
    void noInternetAccessFailsFast();
    void allowListByHostName();
    void policyChangesLive();
    void badPolicyIsRefused();
    void countsTraffic();
    void pauseResumeKeepsNetwork();
    void rootInsideChangesNothing();
    void policiesHoldAcrossEngineKill();
    void nothingLeftAfterKill();

private:
    // Probes TCP `port` from inside `id` at each address: address → result.
    QHash<QString, QString> probe(const QString &id, int port, const QStringList &addresses, double *slowest = nullptr);
    QString curl(const QString &id, const QString &url, int *exitCode);
    QString createWith(const QJsonObject &body);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    TestHost m_testHost;
    QString m_net; // 198.18.N
    QString m_www; // what the test host serves
    QByteArray m_udpSeen; // what udp_log.py on the test host received
    QTcpServer m_hostListener;
};

void tst_network::initTestCase()
{
    QString error;
    QVERIFY2(m_testHost.up(&error), qPrintable(error));
    m_net = m_testHost.address(2).section(QLatin1Char('.'), 0, 2);
    // The test host serves a small file and one of 1 MiB, and answers DNS
    // for two names.
    m_www = QStringLiteral("/tmp/%1-www").arg(m_testHost.namespaceName());
    QDir().mkpath(m_www);
    QFile page(m_www + QStringLiteral("/hello.txt"));
    QVERIFY(page.open(QIODevice::WriteOnly));
    page.write("hello from the test host\n");
    page.close();
    QFile big(m_www + QStringLiteral("/big.bin"));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(1024 * 1024, 'x'));
    big.close();
    m_testHost.run(QStringLiteral("python3"), {QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("8080"),
                                               QStringLiteral("--directory"), m_www});
    m_testHost.run(QStringLiteral("python3"), {sourceDir() + QStringLiteral("/dns_responder.py"), m_testHost.address(2),
                                               QStringLiteral("allowed.test=%1").arg(m_testHost.address(2)),
                                               QStringLiteral("other.test=%1").arg(m_testHost.address(3))});
    QProcess *udpLog = m_testHost.run(QStringLiteral("python3"), {sourceDir() + QStringLiteral("/udp_log.py"),
                                                                  m_testHost.address(2), QStringLiteral("9999")});
    connect(udpLog, &QProcess::readyReadStandardOutput, this, [this, udpLog] { m_udpSeen += udpLog->readAllStandardOutput(); });
    // Something on the host that no sandbox may reach, on every address.
    QVERIFY(m_hostListener.listen(QHostAddress::AnyIPv4));

    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--network-dns"), m_testHost.address(2)});
    // The test host's server is up once the host reaches it.
    QElapsedTimer t;
    t.start();
    while (!tool(QStringLiteral("curl"), {QStringLiteral("-s"), QStringLiteral("-m"), QStringLiteral("1"),
                                          QStringLiteral("http://%1:8080/hello.txt").arg(m_testHost.address(2))})
                .contains("hello") &&
           t.elapsed() < 20000)
        QTest::qWait(200);
}

void tst_network::cleanupTestCase()
{
    if (m_api)
        m_api->killAllSandboxes();
    m_engine.reset();
    m_testHost.down();
    QDir(m_www).removeRecursively();
}

QString tst_network::createWith(const QJsonObject &body)
{
    const ApiResponse r = m_api->createSandbox(body);
    if (r.status != 201) {
        qWarning("create: %s", r.describe().constData());
        return {};
    }
    return r.json().value(QStringLiteral("sandbox_id")).toString();
}

QHash<QString, QString> tst_network::probe(const QString &id, int port, const QStringList &addresses, double *slowest)
{
    QHash<QString, QString> out;
    QFile script(sourceDir() + QStringLiteral("/probe.py"));
    if (!script.open(QIODevice::ReadOnly))
        return out;
    m_api->put(sbx(id, QStringLiteral("/files/content?path=/tmp/probe.py")), script.readAll());
    const ApiResponse r = m_api->run(id, QStringLiteral("python3 /tmp/probe.py %1 %2").arg(port).arg(addresses.join(QLatin1Char(' '))));
    for (const QString &line : r.json().value(QStringLiteral("stdout")).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList w = line.split(QLatin1Char(' '));
        if (w.size() == 3) {
            out.insert(w.at(0), w.at(1));
            if (slowest)
                *slowest = qMax(*slowest, w.at(2).toDouble());
        }
    }
    return out;
}

QString tst_network::curl(const QString &id, const QString &url, int *exitCode)
{
    const ApiResponse r = m_api->run(id, QStringLiteral("curl -sS -m 5 %1").arg(url));
    *exitCode = r.json().value(QStringLiteral("exit_code")).toInt(-1);
    return r.json().value(QStringLiteral("stdout")).toString() + r.json().value(QStringLiteral("stderr")).toString();
}

void tst_network::addressResolverAndFiles()
{
    E2E_CREATE(id, *m_api, QJsonObject{});
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    const QJsonObject net = info.json().value(QStringLiteral("network")).toObject();
    QCOMPARE(net.value(QStringLiteral("allow_internet_access")).toBool(), true);
    QCOMPARE(net.value(QStringLiteral("allow_out")).toArray().size(), 0);
    const QString address = net.value(QStringLiteral("address")).toString();
    QVERIFY2(address.startsWith(QStringLiteral("100.73.")), qPrintable(address));
    // The sandbox's own address is the one it sends from.
    E2E_RUN(source, *m_api, id,
            QStringLiteral("python3 -c \"import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                           "s.connect(('%1.2', 9)); print(s.getsockname()[0])\"").arg(m_net),
            QJsonObject{}, 0);
    QCOMPARE(source.trimmed(), address);
    E2E_RUN(resolv, *m_api, id, QStringLiteral("cat /etc/resolv.conf"), QJsonObject{}, 0);
    QVERIFY2(resolv.contains(QStringLiteral("nameserver 100.73.")), qPrintable(resolv));
    E2E_RUN(hosts, *m_api, id, QStringLiteral("cat /etc/hosts"), QJsonObject{}, 0);
    QVERIFY2(hosts.contains(address + QStringLiteral("\tsandbox")), qPrintable(hosts));
    // Names resolve through the engine, which asks the test host's server;
    // DNS sent to any other server is answered by the engine too.
    E2E_RUN(name, *m_api, id, QStringLiteral("getent hosts allowed.test"), QJsonObject{}, 0);
    QVERIFY2(name.startsWith(m_net + QStringLiteral(".2")), qPrintable(name));
    E2E_RUN(direct, *m_api, id,
            QStringLiteral("python3 -c \"import socket,struct; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                           "s.settimeout(3); q=struct.pack('!HHHHHH',7,0x100,1,0,0,0)+b'\\x05other\\x04test\\x00'+"
                           "struct.pack('!HH',1,1); s.sendto(q, ('198.19.255.53', 53)); a=s.recv(512); "
                           "print(socket.inet_ntoa(a[-4:]))\""),
            QJsonObject{}, 0);
    QCOMPARE(direct.trimmed(), m_net + QStringLiteral(".3"));
    // No IPv6 inside.
    E2E_RUN(v6, *m_api, id, QStringLiteral("cat /proc/sys/net/ipv6/conf/all/disable_ipv6"), QJsonObject{}, 0);
    QCOMPARE(v6.trimmed(), QStringLiteral("1"));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::reachesTestHostThroughNat()
{
    E2E_CREATE(id, *m_api, QJsonObject{});
    int code = -1;
    const QString page = curl(id, QStringLiteral("http://%1.2:8080/hello.txt").arg(m_net), &code);
    QVERIFY2(code == 0 && page.contains(QStringLiteral("hello from the test host")), qPrintable(page));
    const QString byName = curl(id, QStringLiteral("http://allowed.test:8080/hello.txt"), &code);
    QVERIFY2(code == 0 && byName.contains(QStringLiteral("hello")), qPrintable(byName));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::hostIsClosedAtEveryAddress()
{
    E2E_CREATE(id, *m_api, QJsonObject{});
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    const QString address = info.json().value(QStringLiteral("network")).toObject().value(QStringLiteral("address")).toString();
    // The gateway is the host's end of the sandbox's link.
    const QStringList parts = address.split(QLatin1Char('.'));
    const QString gateway = QStringLiteral("%1.%2.%3.%4").arg(parts[0], parts[1], parts[2]).arg(parts[3].toInt() - 1);
    QStringList targets{gateway, m_net + QStringLiteral(".1")};
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback() && !targets.contains(a.toString()))
            targets << a.toString();
    }
    double slowest = 0;
    const auto results = probe(id, m_hostListener.serverPort(), targets, &slowest);
    for (const QString &t : targets)
        QVERIFY2(results.value(t) == QLatin1String("refused"),
                 qPrintable(QStringLiteral("host address %1: %2").arg(t, results.value(t, QStringLiteral("no answer")))));
    QVERIFY2(slowest < 1.0, qPrintable(QStringLiteral("a refusal took %1 s").arg(slowest)));
    // Nothing got through to the host's listener.
    QCOMPARE(m_hostListener.hasPendingConnections(), false);
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::otherSandboxesAreClosed()
{
    E2E_CREATE(a, *m_api, QJsonObject{});
    E2E_CREATE(b, *m_api, QJsonObject{});
    E2E_EXPECT(bInfo, m_api->sandbox(b), 200);
    const QString bAddress = bInfo.json().value(QStringLiteral("network")).toObject().value(QStringLiteral("address")).toString();
    E2E_EXPECT(server, m_api->run(b, QStringLiteral("python3 -m http.server 8000"), QJsonObject{{QStringLiteral("background"), true}}), 201);
    // B serves itself…
    QElapsedTimer t;
    t.start();
    QString self;
    while (self != QLatin1String("open") && t.elapsed() < 15000) {
        self = probe(b, 8000, {bAddress}).value(bAddress);
        QTest::qWait(200);
    }
    QCOMPARE(self, QStringLiteral("open"));
    // …but A cannot reach it.
    double slowest = 0;
    QCOMPARE(probe(a, 8000, {bAddress}, &slowest).value(bAddress), QStringLiteral("refused"));
    QVERIFY(slowest < 1.0);
    QCOMPARE(m_api->del(sbx(a)).status, 204);
    QCOMPARE(m_api->del(sbx(b)).status, 204);
}

void tst_network::noInternetAccessFailsFast()
{
    const QString id = createWith(QJsonObject{{QStringLiteral("allow_internet_access"), false}});
    QVERIFY(!id.isEmpty());
    double slowest = 0;
    const auto r = probe(id, 8080, {m_net + QStringLiteral(".2"), m_net + QStringLiteral(".3")}, &slowest);
    QCOMPARE(r.value(m_net + QStringLiteral(".2")), QStringLiteral("refused"));
    QCOMPARE(r.value(m_net + QStringLiteral(".3")), QStringLiteral("refused"));
    QVERIFY2(slowest < 1.0, qPrintable(QString::number(slowest)));
    // A name none of whose addresses is open is refused by the resolver,
    // at once: tools that go by name fail before they connect.
    QElapsedTimer t;
    t.start();
    E2E_EXPECT(name, m_api->run(id, QStringLiteral("getent hosts other.test")), 200);
    QVERIFY2(name.json().value(QStringLiteral("exit_code")).toInt() != 0, name.describe().constData());
    QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::allowListByHostName()
{
    const QString id = createWith(QJsonObject{
        {QStringLiteral("network"), QJsonObject{{QStringLiteral("deny_out"), QJsonArray{QStringLiteral("0.0.0.0/0")}},
                                                {QStringLiteral("allow_out"), QJsonArray{QStringLiteral("allowed.test")}}}}});
    QVERIFY(!id.isEmpty());
    // Before the name is resolved its address is closed like any other.
    QCOMPARE(probe(id, 8080, {m_net + QStringLiteral(".2")}).value(m_net + QStringLiteral(".2")), QStringLiteral("refused"));
    int code = -1;
    const QString page = curl(id, QStringLiteral("http://allowed.test:8080/hello.txt"), &code);
    QVERIFY2(code == 0 && page.contains(QStringLiteral("hello")), qPrintable(page));
    // other.test is not allowed and its address is closed: the resolver
    // refuses the name (curl's 6), and its address by hand is refused too
    // (curl's 7, at once: a reset, no time out).
    const QString other = curl(id, QStringLiteral("http://other.test:8080/hello.txt"), &code);
    QVERIFY2(code == 6, qPrintable(other));
    const QString byAddress = curl(id, QStringLiteral("http://%1:8080/hello.txt").arg(m_testHost.address(3)), &code);
    QVERIFY2(code == 7 && byAddress.contains(QStringLiteral("after")), qPrintable(byAddress));
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::policyChangesLive()
{
    E2E_CREATE(id, *m_api, QJsonObject{});
    const QString target = m_net + QStringLiteral(".2");
    QCOMPARE(probe(id, 8080, {target}).value(target), QStringLiteral("open"));
    E2E_EXPECT(closed, m_api->post(sbx(id, QStringLiteral("/network")),
                                   QJsonObject{{QStringLiteral("network"),
                                                QJsonObject{{QStringLiteral("deny_out"), QJsonArray{m_net + QStringLiteral(".0/24")}}}}}),
               200);
    QCOMPARE(closed.json().value(QStringLiteral("network")).toObject().value(QStringLiteral("deny_out")).toArray(),
             QJsonArray{m_net + QStringLiteral(".0/24")});
    QCOMPARE(probe(id, 8080, {target}).value(target), QStringLiteral("refused"));
    // Allow wins over deny.
    E2E_EXPECT(allowed, m_api->post(sbx(id, QStringLiteral("/network")),
                                    QJsonObject{{QStringLiteral("network"),
                                                 QJsonObject{{QStringLiteral("allow_out"), QJsonArray{target}}}}}),
               200);
    QCOMPARE(probe(id, 8080, {target}).value(target), QStringLiteral("open"));
    QCOMPARE(probe(id, 8080, {m_net + QStringLiteral(".3")}).value(m_net + QStringLiteral(".3")), QStringLiteral("refused"));
    E2E_EXPECT(off, m_api->post(sbx(id, QStringLiteral("/network")),
                                QJsonObject{{QStringLiteral("allow_internet_access"), false},
                                            {QStringLiteral("network"), QJsonObject{{QStringLiteral("allow_out"), QJsonArray{}},
                                                                                   {QStringLiteral("deny_out"), QJsonArray{}}}}}),
               200);
    QCOMPARE(probe(id, 8080, {target}).value(target), QStringLiteral("refused"));
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("network")).toObject().value(QStringLiteral("allow_internet_access")).toBool(), false);
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::badPolicyIsRefused()
{
    const int before = m_api->sandboxIds().size();
    struct Case
    {
        QJsonObject body;
        QString sentence;
    };
    QJsonArray tooMany;
    for (int i = 0; i < 257; ++i)
        tooMany.append(QStringLiteral("10.0.%1.0/24").arg(i % 256));
    const Case cases[] = {
        {{{QStringLiteral("network"), QJsonObject{{QStringLiteral("allow_out"), QJsonArray{QStringLiteral("10.0.0.0/40")}}}}},
         QStringLiteral("0 … 32")},
        {{{QStringLiteral("network"), QJsonObject{{QStringLiteral("allowOut"), QJsonArray{}}}}}, QStringLiteral("Unknown field")},
        {{{QStringLiteral("network"), QJsonObject{{QStringLiteral("deny_out"), tooMany}}}}, QStringLiteral("at most 256")},
        {{{QStringLiteral("allow_internet_access"), QStringLiteral("no")}}, QStringLiteral("true or false")},
        {{{QStringLiteral("network"), QJsonObject{{QStringLiteral("deny_out"), QJsonArray{QStringLiteral("fd00:ec2::254")}}}}},
         QStringLiteral("IPv6")},
    };
    for (const Case &c : cases) {
        const ApiResponse r = m_api->createSandbox(c.body);
        E2E_ERROR(r, 400, "bad_request");
        QVERIFY2(r.errorMessage().contains(c.sentence), r.describe().constData());
    }
    QCOMPARE(m_api->sandboxIds().size(), before);
    // The same for a live change, which leaves the policy as it was.
    E2E_CREATE(id, *m_api, QJsonObject{});
    for (const Case &c : cases) {
        const ApiResponse r = m_api->post(sbx(id, QStringLiteral("/network")), c.body);
        E2E_ERROR(r, 400, "bad_request");
    }
    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/network")), QJsonObject{}), 400, "bad_request");
    E2E_ERROR(m_api->post(sbx(QStringLiteral("sbx_0123456789abcdef"), QStringLiteral("/network")),
                          QJsonObject{{QStringLiteral("allow_internet_access"), false}}),
              404, "not_found");
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("network")).toObject().value(QStringLiteral("allow_internet_access")).toBool(), true);
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::countsTraffic()
{
    E2E_CREATE(id, *m_api, QJsonObject{});
    E2E_RUN(got, *m_api, id, QStringLiteral("curl -sS -m 10 -o /tmp/big.bin -w '%{size_download}' http://%1.2:8080/big.bin").arg(m_net),
            QJsonObject{}, 0);
    QCOMPARE(got.trimmed(), QStringLiteral("1048576"));
    E2E_EXPECT(m, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
    const QJsonObject o = m.json();
    QVERIFY2(o.value(QStringLiteral("net_in_bytes")).toDouble() >= 1048576, m.describe().constData());
    QVERIFY(o.value(QStringLiteral("net_out_bytes")).toDouble() > 0);
    QVERIFY(o.value(QStringLiteral("net_in_packets")).toDouble() > 0);
    QVERIFY(o.value(QStringLiteral("net_out_packets")).toDouble() > 0);
    // The history carries them too.
    QTest::qWait(2500);
    E2E_EXPECT(h, m_api->get(sbx(id, QStringLiteral("/metrics?since=0"))), 200);
    const QJsonArray samples = h.json().value(QStringLiteral("samples")).toArray();
    QVERIFY(!samples.isEmpty());
    QVERIFY(samples.last().toObject().value(QStringLiteral("net_in_bytes")).toDouble() >= 1048576);
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::pauseResumeKeepsNetwork()
{
    const QString id = createWith(QJsonObject{{QStringLiteral("allow_internet_access"), false}});
    QVERIFY(!id.isEmpty());
    E2E_EXPECT(before, m_api->sandbox(id), 200);
    for (bool keepMemory : {false, true}) {
        E2E_EXPECT(paused, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), keepMemory}}), 200);
        E2E_EXPECT(resumed, m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject{}), 200);
        QCOMPARE(resumed.json().value(QStringLiteral("network")).toObject(),
                 before.json().value(QStringLiteral("network")).toObject());
        QCOMPARE(probe(id, 8080, {m_net + QStringLiteral(".2")}).value(m_net + QStringLiteral(".2")), QStringLiteral("refused"));
        E2E_EXPECT(opened, m_api->post(sbx(id, QStringLiteral("/network")), QJsonObject{{QStringLiteral("allow_internet_access"), true}}), 200);
        QCOMPARE(probe(id, 8080, {m_net + QStringLiteral(".2")}).value(m_net + QStringLiteral(".2")), QStringLiteral("open"));
        E2E_EXPECT(closedAgain, m_api->post(sbx(id, QStringLiteral("/network")), QJsonObject{{QStringLiteral("allow_internet_access"), false}}), 200);
    }
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::rootInsideChangesNothing()
{
    const QString id = createWith(QJsonObject{{QStringLiteral("allow_internet_access"), false}});
    QVERIFY(!id.isEmpty());
    const QJsonObject asRoot{{QStringLiteral("user"), QStringLiteral("root")}};
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    const QString own = info.json().value(QStringLiteral("network")).toObject().value(QStringLiteral("address")).toString();
    const QStringList o = own.split(QLatin1Char('.'));
    // Another sandbox's address (the next block's).
    const QString other = QStringLiteral("%1.%2.%3.%4").arg(o[0], o[1], o[2]).arg(o[3].toInt() + 4);
    // Root has no CAP_NET_ADMIN: its addresses and routes are the engine's.
    for (const QString &cmd : {QStringLiteral("ip addr add %1/32 dev eth0").arg(other),
                               QStringLiteral("ip route replace default via %1").arg(m_testHost.address(2)),
                               QStringLiteral("ip link set eth0 down")}) {
        E2E_EXPECT(r, m_api->run(id, cmd, asRoot), 200);
        QVERIFY2(r.json().value(QStringLiteral("exit_code")).toInt() != 0 &&
                     r.json().value(QStringLiteral("stderr")).toString().contains(QStringLiteral("not permitted")),
                 r.describe().constData());
    }
    // Root may write packets by hand (CAP_NET_RAW): one claiming another
    // sandbox's address never reaches the test host, while its own does.
    E2E_EXPECT(opened, m_api->post(sbx(id, QStringLiteral("/network")), QJsonObject{{QStringLiteral("allow_internet_access"), true}}), 200);
    QFile sender(sourceDir() + QStringLiteral("/udp_send.py"));
    QVERIFY(sender.open(QIODevice::ReadOnly));
    m_api->put(sbx(id, QStringLiteral("/files/content?path=/tmp/udp_send.py")), sender.readAll());
    const QString target = m_testHost.address(2);
    const QString send = QStringLiteral("python3 /tmp/udp_send.py %1 %2 9999 %3");
    E2E_RUN(fromOther, *m_api, id, send.arg(other, target, QStringLiteral("spoofed-%1").arg(id)), asRoot, 0);
    E2E_RUN(fromOwnRaw, *m_api, id, send.arg(own, target, QStringLiteral("raw-own-%1").arg(id)), asRoot, 0);
    E2E_RUN(fromOwn, *m_api, id, send.arg(QStringLiteral("-"), target, QStringLiteral("own-%1").arg(id)), asRoot, 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_udpSeen.contains(QStringLiteral("own-%1").arg(id).toUtf8()), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_udpSeen.contains(QStringLiteral("raw-own-%1").arg(id).toUtf8()), 5000);
    QTest::qWait(500);
    QVERIFY2(!m_udpSeen.contains(QStringLiteral("spoofed-%1").arg(id).toUtf8()), m_udpSeen.constData());
    QCOMPARE(m_api->del(sbx(id)).status, 204);
}

void tst_network::policiesHoldAcrossEngineKill()
{
    const QString closed = createWith(QJsonObject{{QStringLiteral("allow_internet_access"), false}});
    const QString open = createWith(QJsonObject{});
    QVERIFY(!closed.isEmpty() && !open.isEmpty());
    const QString target = m_net + QStringLiteral(".2");
    m_engine->killHard();
    // Sandboxes outlive the engine, and so do their rules.
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    QCOMPARE(probe(closed, 8080, {target}).value(target), QStringLiteral("refused"));
    QCOMPARE(probe(open, 8080, {target}).value(target), QStringLiteral("open"));
    int code = -1;
    QVERIFY(curl(open, QStringLiteral("http://allowed.test:8080/hello.txt"), &code).contains(QStringLiteral("hello")));
    QCOMPARE(m_api->del(sbx(closed)).status, 204);
    QCOMPARE(m_api->del(sbx(open)).status, 204);
}

void tst_network::nothingLeftAfterKill()
{
    QCOMPARE(m_api->killAllSandboxes(), 0);
    // A clean stop takes the warm sandboxes with it, links and rules too.
    m_engine->stop();
    const QString name = m_engine->networkName();
    const QString prefix = name + QLatin1Char('-');
    const QByteArray links = tool(QStringLiteral("ip"), {QStringLiteral("-o"), QStringLiteral("link")});
    QVERIFY2(!links.contains(prefix.toUtf8()), links.constData());
    bool ok = false;
    const QByteArray table = tool(QStringLiteral("nft"), {QStringLiteral("list"), QStringLiteral("table"), QStringLiteral("inet"),
                                                          name},
                                  &ok);
    QVERIFY2(ok, table.constData());
    // The table stays after a clean stop (for sandboxes that outlive the
    // engine); no sandbox has a chain in it.
    QVERIFY2(!QRegularExpression(QStringLiteral("chain s\\d+")).match(QString::fromUtf8(table)).hasMatch(), table.constData());
    m_engine.reset(); // the test engine's cleanup removes the table
    tool(QStringLiteral("nft"), {QStringLiteral("list"), QStringLiteral("table"), QStringLiteral("inet"), name}, &ok);
    QVERIFY2(!ok, "the test engine's table is still there");
    m_api.reset();
}

QTEST_GUILESS_MAIN(tst_network)
#include "tst_network.moc"
