// SPDX-License-Identifier: GPL-3.0-or-later
// Clients that try to exhaust the engine: endless bodies with and without a
// key, slow heads, readers that never read, large pastes, too many transfers,
// and keys revoked while their sessions are open. Each speaks raw HTTP over
// loopback, as such a client would.
#include "E2eHelpers.h"
#include "EngineProcess.h"
#include "WsProbe.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace {

// One raw connection: the test writes exactly the bytes it means.
struct RawClient
{
    QTcpSocket socket;
    QByteArray received;

    bool open(quint16 port)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [this] { received += socket.readAll(); });
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(5000);
    }
    int status() const
    {
        if (!received.startsWith("HTTP/1.1 "))
            return 0;
        return received.mid(9, 3).toInt();
    }
    bool answered() const { return received.contains("\r\n\r\n"); }
    bool closed() const { return socket.state() == QAbstractSocket::UnconnectedState; }
};

} // namespace

class tst_hostile_clients : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void endlessBodyWithoutKey();
    void endlessBodyWithKey();
    void endlessChunkedBodyWithKey();
    void uploadLimitFromHead();
    void slowHeadsTimeOut();
    void transfersPerTeamCapped();
    void slowReaderOfCodeOutput();
    void pasteArrivesInOrder();
    void revokedKeyClosesSessions();
    void connectionsCapped();
    // Last: the answers it leaves in the engine's heap would count against
    // the memory checks of the tests after it.
    void downloadsHeldUntilTaken();

private:
    // Streams up to `total` bytes of body on `c` for at most `ms`, while
    // another client keeps asking for /v1/health: every one of those must be
    // answered. Returns how many body bytes the engine's side accepted.
    qint64 streamWhileServing(RawClient &c, qint64 total, int ms, bool chunked);
    quint16 port() const { return quint16(m_engine->baseUrl().port()); }
    QString authHeader() const { return QStringLiteral("Authorization: Bearer ") + m_engine->apiKey(); }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_sbx;
    qint64 m_idleRss = 0;
};

void tst_hostile_clients::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(sbx, *m_api, QJsonObject());
    m_sbx = sbx;
    for (int i = 0; i < 5; ++i)
        m_api->get(QStringLiteral("/v1/health"));
    m_idleRss = E2e::rssMiB(m_engine->pid());
    QVERIFY(m_idleRss > 0);
    qInfo("engine idle RSS: %lld MiB", m_idleRss);
}

void tst_hostile_clients::cleanupTestCase()
{
    if (m_api)
        m_api->killAllSandboxes();
    m_engine.reset();
}

qint64 tst_hostile_clients::streamWhileServing(RawClient &c, qint64 total, int ms, bool chunked)
{
    const QByteArray zeros(1024 * 1024, '\0');
    const QByteArray chunk = chunked ? QByteArray::number(zeros.size(), 16) + "\r\n" + zeros + "\r\n" : zeros;
    qint64 accepted = 0;
    qint64 peakRss = 0;
    int healthAsked = 0;
    QElapsedTimer clock;
    clock.start();
    QElapsedTimer sinceHealth;
    sinceHealth.start();
    while (clock.elapsed() < ms && accepted < total && !c.closed()) {
        // Keep at most a few MiB queued on our side: what the engine's side
        // accepts is what it (or its kernel buffer) took.
        if (c.socket.bytesToWrite() < 4 * 1024 * 1024) {
            c.socket.write(chunk);
            accepted += chunk.size();
        }
        c.socket.waitForBytesWritten(20);
        QCoreApplication::processEvents();
        if (sinceHealth.elapsed() > 500) {
            sinceHealth.restart();
            const ApiResponse h = m_api->request("GET", QStringLiteral("/v1/health"), {}, {}, {}, 5000);
            if (h.status != 200)
                qWarning("health answered %d while a hostile body streamed", h.status);
            ++healthAsked;
            peakRss = std::max(peakRss, E2e::rssMiB(m_engine->pid()));
            if (h.status != 200)
                return -1;
        }
    }
    accepted -= c.socket.bytesToWrite();
    // The hostile connection is refused quickly; the engine must still
    // answer others right after, with the hostile bytes still on their way.
    const ApiResponse after = m_api->request("GET", QStringLiteral("/v1/health"), {}, {}, {}, 5000);
    ++healthAsked;
    if (after.status != 200)
        return -1;
    peakRss = std::max(peakRss, E2e::rssMiB(m_engine->pid()));
    qInfo("streamed %lld MiB in %lld ms; health asked %d times; engine RSS peak %lld MiB (idle %lld)",
          accepted / (1024 * 1024), clock.elapsed(), healthAsked, peakRss, m_idleRss);
    if (peakRss > m_idleRss + 100)
        return -2;
    return accepted;
}

void tst_hostile_clients::endlessBodyWithoutKey()
{
    RawClient c;
    QVERIFY(c.open(port()));
    c.socket.write("POST /v1/sandboxes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                   "Content-Length: 68719476736\r\n\r\n");
    const qint64 accepted = streamWhileServing(c, 2LL << 30, 6000, false);
    QVERIFY2(accepted >= 0, accepted == -1 ? "health went unanswered" : "engine memory grew over 100 MiB");
    QTRY_VERIFY_WITH_TIMEOUT(c.answered(), 5000);
    QCOMPARE(c.status(), 401);
    QVERIFY(c.received.contains("\"unauthorized\""));
    QVERIFY(c.received.contains("Connection: close"));
    // The engine read none of the body: only what the kernels buffer got in.
    QVERIFY2(accepted < 256LL * 1024 * 1024, qPrintable(QString::number(accepted)));
    QTRY_VERIFY_WITH_TIMEOUT(c.closed(), 10000);
}

void tst_hostile_clients::endlessBodyWithKey()
{
    RawClient c;
    QVERIFY(c.open(port()));
    c.socket.write("POST /v1/sandboxes HTTP/1.1\r\nHost: localhost\r\n" + authHeader().toLatin1() +
                   "\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n");
    const qint64 accepted = streamWhileServing(c, 2LL << 30, 6000, false);
    QVERIFY2(accepted >= 0, accepted == -1 ? "health went unanswered" : "engine memory grew over 100 MiB");
    QTRY_VERIFY_WITH_TIMEOUT(c.answered(), 5000);
    QCOMPARE(c.status(), 413);
    QVERIFY(c.received.contains("\"too_large\""));
    QVERIFY(c.received.contains("1048576"));
    QTRY_VERIFY_WITH_TIMEOUT(c.closed(), 10000);
}

void tst_hostile_clients::endlessChunkedBodyWithKey()
{
    RawClient c;
    QVERIFY(c.open(port()));
    c.socket.write("POST /v1/sandboxes HTTP/1.1\r\nHost: localhost\r\n" + authHeader().toLatin1() +
                   "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    const qint64 accepted = streamWhileServing(c, 2LL << 30, 6000, true);
    QVERIFY2(accepted >= 0, accepted == -1 ? "health went unanswered" : "engine memory grew over 100 MiB");
    QTRY_VERIFY_WITH_TIMEOUT(c.answered(), 5000);
    QCOMPARE(c.status(), 413);
    QTRY_VERIFY_WITH_TIMEOUT(c.closed(), 10000);
}

void tst_hostile_clients::uploadLimitFromHead()
{
    // Over 32 MiB: refused before any byte of it is sent.
    RawClient big;
    QVERIFY(big.open(port()));
    big.socket.write("PUT /v1/sandboxes/" + m_sbx.toLatin1() + "/files/content?path=/tmp/big HTTP/1.1\r\nHost: "
                     "localhost\r\n" + authHeader().toLatin1() + "\r\nContent-Length: 40000000\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(big.answered(), 5000);
    QCOMPARE(big.status(), 413);
    // At the limit: taken, written and readable.
    const QByteArray bytes(32 * 1024 * 1024, 'z');
    E2E_EXPECT(put, m_api->put(E2e::sbx(m_sbx, QStringLiteral("/files/content?path=/tmp/limit")), bytes), 200);
    E2E_RUN(size, *m_api, m_sbx, QStringLiteral("stat -c %s /tmp/limit"), QJsonObject(), 0);
    QCOMPARE(size.trimmed(), QString::number(bytes.size()));
}

void tst_hostile_clients::slowHeadsTimeOut()
{
    RawClient silent;
    RawClient slow;
    QVERIFY(silent.open(port()));
    QVERIFY(slow.open(port()));
    slow.socket.write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n");
    QElapsedTimer clock;
    clock.start();
    // A byte now and then does not extend the head's time.
    while (clock.elapsed() < 12000) {
        slow.socket.write("X-A: b\r\n");
        QTest::qWait(1000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(slow.closed() && silent.closed(), 15000);
    qInfo("slow head closed after %lld ms", clock.elapsed());
    QCOMPARE(slow.status(), 408);
    QCOMPARE(silent.status(), 408);
    QVERIFY(clock.elapsed() < 20000);
}

void tst_hostile_clients::transfersPerTeamCapped()
{
    const QByteArray head = "PUT /v1/sandboxes/" + m_sbx.toLatin1() + "/files/content?path=/tmp/t HTTP/1.1\r\nHost: "
                            "localhost\r\n" + authHeader().toLatin1() + "\r\nContent-Length: 30000000\r\n\r\nxx";
    std::vector<std::unique_ptr<RawClient>> open;
    for (int i = 0; i < 8; ++i) {
        open.push_back(std::make_unique<RawClient>());
        QVERIFY(open.back()->open(port()));
        open.back()->socket.write(head);
        open.back()->socket.waitForBytesWritten(1000);
    }
    QTest::qWait(500);
    for (const auto &c : open)
        QVERIFY2(!c->answered(), c->received.constData());
    RawClient ninth;
    QVERIFY(ninth.open(port()));
    ninth.socket.write(head);
    QTRY_VERIFY_WITH_TIMEOUT(ninth.answered(), 5000);
    QCOMPARE(ninth.status(), 429);
    QVERIFY(ninth.received.contains("in flight"));
    // Other calls of the team are not held up by the transfers.
    E2E_EXPECT(list, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    // A transfer whose client went away frees its slot.
    open.front()->socket.abort();
    open.erase(open.begin());
    QTest::qWait(300);
    RawClient next;
    QVERIFY(next.open(port()));
    next.socket.write(head);
    QTest::qWait(500);
    QVERIFY2(!next.answered(), next.received.constData());
}

void tst_hostile_clients::downloadsHeldUntilTaken()
{
    E2E_EXPECT(made, m_api->run(m_sbx, QStringLiteral("head -c 30000000 /dev/urandom > /tmp/big")), 200);
    const QByteArray get = "GET /v1/sandboxes/" + m_sbx.toLatin1() + "/files/content?path=/tmp/big HTTP/1.1\r\nHost: "
                           "localhost\r\n" + authHeader().toLatin1() + "\r\n\r\n";
    // The transfers of the test before free their slots as their
    // connections close.
    QTRY_COMPARE_WITH_TIMEOUT(m_api->get(E2e::sbx(m_sbx, QStringLiteral("/files/content?path=/etc/hostname"))).status,
                              200, 5000);
    // One download after another: each frees its slot once taken, so far
    // more than the cap pass.
    for (int i = 0; i < 12; ++i) {
        const ApiResponse r = m_api->get(E2e::sbx(m_sbx, QStringLiteral("/files/content?path=/etc/hostname")));
        QCOMPARE(r.status, 200);
    }
    const ApiResponse whole = m_api->get(E2e::sbx(m_sbx, QStringLiteral("/files/content?path=/tmp/big")));
    QCOMPARE(whole.status, 200);
    QCOMPARE(whole.body.size(), 30000000);
    // Eight clients that ask for the 30 MB file and never read: each answer
    // waits in the engine, and holds a slot while it does.
    std::vector<std::unique_ptr<RawClient>> stalled;
    for (int i = 0; i < 8; ++i) {
        stalled.push_back(std::make_unique<RawClient>());
        QVERIFY(stalled.back()->open(port()));
        stalled.back()->socket.setReadBufferSize(4096);
        QObject::disconnect(&stalled.back()->socket, &QTcpSocket::readyRead, nullptr, nullptr);
        stalled.back()->socket.write(get);
        stalled.back()->socket.waitForBytesWritten(1000);
    }
    QTest::qWait(1500);
    RawClient ninth;
    QVERIFY(ninth.open(port()));
    ninth.socket.write(get);
    QTRY_VERIFY_WITH_TIMEOUT(ninth.answered(), 5000);
    QCOMPARE(ninth.status(), 429);
    QVERIFY(ninth.received.contains("in flight"));
    const qint64 rss = E2e::rssMiB(m_engine->pid());
    qInfo("engine RSS with 8 downloads of 30 MB not taken: %lld MiB (idle %lld)", rss, m_idleRss);
    QVERIFY2(rss < m_idleRss + 8 * 32 + 50, qPrintable(QString::number(rss)));
    // A client that goes away gives its slot back; the next download is whole.
    stalled.front()->socket.abort();
    QTest::qWait(300);
    QTRY_COMPARE_WITH_TIMEOUT(m_api->get(E2e::sbx(m_sbx, QStringLiteral("/files/content?path=/tmp/big"))).body.size(),
                              30000000, 5000);
    stalled.clear();
}

void tst_hostile_clients::slowReaderOfCodeOutput()
{
    // A cell that prints without end, to a client that never reads.
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("code"),
                                                       QStringLiteral("while True:\n    print('x' * 65536)\n")}})
                                .toJson(QJsonDocument::Compact);
    RawClient c;
    QVERIFY(c.open(port()));
    c.socket.setReadBufferSize(64 * 1024);
    QObject::disconnect(&c.socket, &QTcpSocket::readyRead, nullptr, nullptr);
    c.socket.write("POST /v1/sandboxes/" + m_sbx.toLatin1() + "/code HTTP/1.1\r\nHost: localhost\r\n" +
                   authHeader().toLatin1() + "\r\nContent-Type: application/json\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\n\r\n" + body);
    qint64 peak = 0;
    for (int i = 0; i < 20; ++i) {
        QTest::qWait(500);
        peak = std::max(peak, E2e::rssMiB(m_engine->pid()));
        E2E_EXPECT(health, m_api->get(QStringLiteral("/v1/health")), 200);
    }
    qInfo("engine RSS with a reader that never reads: peak %lld MiB (idle %lld)", peak, m_idleRss);
    QVERIFY2(peak < m_idleRss + 100, qPrintable(QString::number(peak)));
    c.socket.abort();
    E2E_EXPECT(stop, m_api->post(E2e::sbx(m_sbx, QStringLiteral("/code/interrupt")), QJsonObject()), 200);
    const ApiResponse next = m_api->post(E2e::sbx(m_sbx, QStringLiteral("/code")),
                                         QJsonObject{{QStringLiteral("code"), QStringLiteral("6 * 7")}});
    QCOMPARE(next.status, 200);
    QVERIFY2(next.body.contains("\"42\""), next.body.constData());
}

void tst_hostile_clients::pasteArrivesInOrder()
{
    // A raw terminal that copies its input to a file, byte for byte.
    E2E_EXPECT(pty, m_api->post(E2e::sbx(m_sbx, QStringLiteral("/pty")),
                                QJsonObject{{QStringLiteral("cmd"),
                                             QStringLiteral("bash -c 'stty raw -echo; exec cat > /tmp/paste'")}}),
               201);
    const QString ptyId = pty.json().value(QStringLiteral("pty_id")).toString();
    QUrl url = m_engine->baseUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/v1/sandboxes/%1/pty/%2/ws").arg(m_sbx, ptyId));
    WsProbe ws(url, m_api->apiKey());
    QVERIFY(ws.waitConnected());
    QTest::qWait(500); // stty has run
    QByteArray paste;
    for (int i = 0; paste.size() < 1024 * 1024; ++i)
        paste += QByteArray::number(i).rightJustified(7, '0') + '\n';
    paste.truncate(1024 * 1024);
    // As a paste arrives from a desktop: many messages, sent at once.
    for (qsizetype at = 0; at < paste.size(); at += 4096)
        ws.ws.sendBinaryMessage(paste.mid(at, 4096));
    const QString want = QString::fromLatin1(QCryptographicHash::hash(paste, QCryptographicHash::Sha256).toHex());
    QString got;
    for (int i = 0; i < 60 && got != want; ++i) {
        QTest::qWait(500);
        const ApiResponse r = m_api->run(m_sbx, QStringLiteral("sha256sum /tmp/paste | cut -c1-64"));
        got = r.json().value(QStringLiteral("stdout")).toString().trimmed();
    }
    QCOMPARE(got, want);
    QVERIFY(!ws.closed);
}

void tst_hostile_clients::revokedKeyClosesSessions()
{
    const QString key = m_engine->createKey(QStringLiteral("revokers"));
    QVERIFY(!key.isEmpty());
    ApiClient other(m_engine->baseUrl(), key);
    E2E_CREATE(sbx, other, QJsonObject());
    E2E_EXPECT(pty, other.post(E2e::sbx(sbx, QStringLiteral("/pty")), QJsonObject()), 201);
    const QString ptyId = pty.json().value(QStringLiteral("pty_id")).toString();
    QUrl url = m_engine->baseUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/v1/sandboxes/%1/pty/%2/ws").arg(sbx, ptyId));
    WsProbe ws(url, key);
    QVERIFY(ws.waitConnected());
    // A blocking command in flight.
    std::unique_ptr<QNetworkReply> running(other.send(
        "POST", E2e::sbx(sbx, QStringLiteral("/commands")),
        QJsonDocument(QJsonObject{{QStringLiteral("cmd"), QStringLiteral("sleep 30")}}).toJson(),
        "application/json", {}, 60000));
    QTest::qWait(1000);
    QVERIFY(!running->isFinished());

    QVERIFY(m_engine->revokeKey(key));
    QElapsedTimer clock;
    clock.start();
    QTRY_VERIFY_WITH_TIMEOUT(ws.closed && running->isFinished(), 3000);
    qInfo("sessions of the revoked key closed after %lld ms", clock.elapsed());
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(running->error() != QNetworkReply::NoError);
    E2E_ERROR(other.get(QStringLiteral("/v1/sandboxes")), 401, "unauthorized");
    // The suite's key is untouched.
    E2E_EXPECT(list, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    // Its sandbox is cleaned up by the engine's owner, not left running.
    ApiClient cleanup(m_engine->baseUrl(), m_engine->createKey(QStringLiteral("revokers")));
    QCOMPARE(cleanup.killAllSandboxes(), 0);
}

void tst_hostile_clients::connectionsCapped()
{
    // An engine of its own (no networks: they are the suite engine's), with
    // room for 16 connections.
    EngineProcess small({QStringLiteral("--max-connections"), QStringLiteral("16"), QStringLiteral("--network"),
                         QStringLiteral("none")});
    QVERIFY2(small.start(), qPrintable(small.errorString()));
    const quint16 p = quint16(small.baseUrl().port());
    std::vector<std::unique_ptr<RawClient>> held;
    for (int i = 0; i < 16; ++i) {
        held.push_back(std::make_unique<RawClient>());
        QVERIFY(held.back()->open(p));
    }
    // The next one is answered at once, and closed.
    RawClient turned;
    QVERIFY(turned.open(p));
    QTRY_VERIFY_WITH_TIMEOUT(turned.closed(), 5000);
    QCOMPARE(turned.status(), 503);
    QVERIFY2(turned.received.contains("16 connections open"), turned.received.constData());
    // Once some go, new clients are served again.
    held.resize(12);
    QTest::qWait(300);
    RawClient again;
    QVERIFY(again.open(p));
    again.socket.write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(again.answered(), 5000);
    QCOMPARE(again.status(), 200);
}

QTEST_GUILESS_MAIN(tst_hostile_clients)
#include "tst_hostile_clients.moc"
