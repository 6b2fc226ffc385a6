// SPDX-License-Identifier: GPL-3.0-or-later
// Preview connections that carry many requests: each request is routed by
// its own Host (a browser's kept-alive connection, a front proxy that reuses
// one upstream connection for every sandbox, pipelined requests, chunked
// bodies, an Upgrade after ordinary requests), requests that name two hosts
// are refused, slow readers and writers stay bounded, and the optional
// preview token (`preview_auth`) by header and by cookie, whose anonymous
// traffic does not keep a sandbox from its idle reaper.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"
#include "PreviewClient.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace E2e;

namespace {

// HTTP/1.1 with keep-alive. Every answer names the sandbox (argv 1) and
// says what the server saw: the path, the Cookie and token headers, and for
// a POST the body's length and SHA-256 (read by Content-Length or chunked).
// `/slow` answers after half a second, `/chunked` answers chunked, `/stall`
// never reads its body.
const char *kEchoServer = R"(import hashlib, http.server, sys, time
NAME, PORT = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""): pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))
    def reply(self, text, chunked=False):
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(data), 7):
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(data[i:i + 7]), data[i:i + 7]))
            self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
    def do_GET(self):
        if self.path.startswith("/slow"): time.sleep(0.5)
        if self.path.startswith("/big"):
            n = 64 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            block = b"z" * 65536
            for _ in range(n // 65536): self.wfile.write(block)
            return
        self.reply("%s %s cookie=%s token=%s\n" % (NAME, self.path, self.headers.get("Cookie"),
                                                    self.headers.get("X-Ai2in-Preview-Token")),
                   chunked=self.path.startswith("/chunked"))
    def do_POST(self):
        if self.path.startswith("/stall"):
            time.sleep(3600)
        data = self.body()
        self.reply("%s %s %d %s cookie=%s\n" % (NAME, self.path, len(data), hashlib.sha256(data).hexdigest(),
                                                 self.headers.get("Cookie")))
http.server.ThreadingHTTPServer(("0.0.0.0", PORT), H).serve_forever()
)";

// Answers an Upgrade with 101, then echoes raw bytes: enough to see that
// the proxy relays bytes after the switch.
const char *kUpgradeServer = R"(import socketserver
class H(socketserver.StreamRequestHandler):
    def handle(self):
        while self.rfile.readline() not in (b"\r\n", b""): pass
        self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
        while True:
            data = self.request.recv(65536)
            if not data: return
            self.request.sendall(data)
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", 3002), H).serve_forever()
)";

qint64 rssKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

QByteArray post(const QByteArray &host, const QByteArray &path, const QByteArray &body, const QByteArray &extra = {})
{
    return "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n" + extra + "\r\n" + body;
}

QByteArray get(const QByteArray &host, const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n";
}

QByteArray chunked(const QList<QByteArray> &pieces)
{
    QByteArray out;
    for (const QByteArray &p : pieces)
        out += QByteArray::number(p.size(), 16) + ";piece\r\n" + p + "\r\n";
    out += "0\r\nX-Sum: 1\r\n\r\n";
    return out;
}

QJsonObject withPreviewAuth()
{
    return QJsonObject{{QStringLiteral("preview_auth"), true}};
}

QByteArray sha(const QByteArray &b)
{
    return QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex();
}

} // namespace

class tst_preview_routing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void keepAliveTwoSandboxes();
    void frontProxyReusedConnection();
    void pipelinedRequests();
    void chunkedBodies();
    void upgradeAfterRequests();
    void refusedHeads_data();
    void refusedHeads();
    void slowReaderIsBounded();
    void slowServerIsBounded();
    void keptAliveHeadTimesOut();
    void tokenInInfo();
    void tokenByHeader();
    void tokenByCookie();
    void tokenSurvivesRestart();
    void anonymousTrafficDoesNotResetIdle();

private:
    QByteArray host(const QString &id, int port = 3001) const
    {
        return QByteArray::number(port) + '-' + id.toLatin1() + ".localhost:" +
               QByteArray::number(m_engine->previewPort());
    }
    // A client that reaches the preview of `id` by its name, through the
    // system's resolver, as a browser does.
    std::unique_ptr<PreviewClient> client(const QString &id, int timeoutMs = 20000) const
    {
        auto c = std::make_unique<PreviewClient>(m_engine->previewPort(), timeoutMs);
        c->setHostName(QStringLiteral("3001-%1.localhost").arg(id));
        return c;
    }
    bool startServer(ApiClient &api, const QString &id, const QString &name, int port);
    static bool waitForPort(ApiClient &api, const QString &id, int port, int timeoutMs);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_a;
    QString m_b;
    QString m_secure; // created with preview_auth
    QString m_token;
    ApiResponse m_secureCreated;
};

bool tst_preview_routing::waitForPort(ApiClient &api, const QString &id, int port, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const QJsonArray ports = api.sandbox(id).json().value(QStringLiteral("ports")).toArray();
        for (const QJsonValue &p : ports) {
            if (p.toObject().value(QStringLiteral("port")).toInt() == port)
                return true;
        }
        QTest::qWait(100);
    }
    return false;
}

bool tst_preview_routing::startServer(ApiClient &api, const QString &id, const QString &name, int port)
{
    if (api.put(sbx(id, QStringLiteral("/files/content?path=echo.py")), kEchoServer).status != 200)
        return false;
    const auto started = api.post(sbx(id, QStringLiteral("/commands")),
                                  QJsonObject{{QStringLiteral("cmd"), QStringLiteral("python3 echo.py %1 %2").arg(name).arg(port)},
                                              {QStringLiteral("background"), true}});
    return started.status == 201 && waitForPort(api, id, port, 15000);
}

void tst_preview_routing::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(a, *m_api, QJsonObject());
    E2E_CREATE(b, *m_api, QJsonObject());
    m_a = a;
    m_b = b;
    QVERIFY2(startServer(*m_api, m_a, QStringLiteral("A"), 3001), "the server in A did not start");
    QVERIFY2(startServer(*m_api, m_b, QStringLiteral("B"), 3001), "the server in B did not start");
    // Checked by the token tests, so that the routing tests run without it.
    m_secureCreated = m_api->createSandbox(withPreviewAuth());
    if (m_secureCreated.status == 201) {
        m_secure = m_secureCreated.json().value(QStringLiteral("sandbox_id")).toString();
        m_token = m_secureCreated.json().value(QStringLiteral("preview_token")).toString();
        QVERIFY2(startServer(*m_api, m_secure, QStringLiteral("S"), 3001), "the server in S did not start");
    }
    E2E_EXPECT(w, m_api->put(sbx(m_b, QStringLiteral("/files/content?path=up.py")), kUpgradeServer), 200);
    E2E_EXPECT(up, m_api->post(sbx(m_b, QStringLiteral("/commands")),
                               QJsonObject{{QStringLiteral("cmd"), QStringLiteral("python3 up.py")},
                                           {QStringLiteral("background"), true}}),
               201);
    QVERIFY2(waitForPort(*m_api, m_b, 3002, 15000), "the upgrade server did not start");
}

void tst_preview_routing::cleanupTestCase()
{
    if (m_api)
        m_api->killAllSandboxes();
}

void tst_preview_routing::keepAliveTwoSandboxes()
{
    // A browser's connection to localhost:<port> serves every preview host
    // that resolves there.
    auto c = client(m_a, 10000);
    const auto first = c->get(host(m_a), "/one", true);
    QVERIFY2(first.status == 200 && first.body.startsWith("A /one"), first.describe().constData());
    QVERIFY(c->isConnected());
    const auto second = c->get(host(m_b), "/two", true);
    QVERIFY2(second.status == 200 && second.body.startsWith("B /two"), second.describe().constData());
    const auto third = c->get(host(m_a), "/three", true);
    QVERIFY2(third.status == 200 && third.body.startsWith("A /three"), third.describe().constData());
    QVERIFY(c->isConnected());
    // `Connection: close`: answered, then the proxy itself ends the client's
    // connection rather than waiting there for a next request.
    const auto last = c->get(host(m_b), "/last", false);
    QVERIFY2(last.status == 200 && last.body.startsWith("B /last"), last.describe().constData());
    QElapsedTimer t;
    t.start();
    const auto after = c->receive();
    QVERIFY2(after.status == 0 && t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
}

void tst_preview_routing::frontProxyReusedConnection()
{
    // As Caddy or nginx with keepalive do: one upstream connection, requests
    // for whichever sandbox the user asked, cookies and bodies included.
    PreviewClient c(m_engine->previewPort(), 10000);
    QByteArray body(300 * 1024, '\0');
    QRandomGenerator(7).fillRange(reinterpret_cast<quint32 *>(body.data()), body.size() / 4);
    for (int round = 0; round < 3; ++round) {
        for (const QString &id : {m_a, m_b}) {
            const QByteArray name = id == m_a ? "A" : "B";
            const QByteArray cookie = "Cookie: session=" + name + QByteArray::number(round) + "\r\n";
            const auto r = c.exchange(post(host(id), "/form", body, cookie));
            QVERIFY2(r.status == 200, r.describe().constData());
            const QByteArray want = name + " /form " + QByteArray::number(body.size()) + ' ' + sha(body) +
                                    " cookie=session=" + name + QByteArray::number(round) + '\n';
            QCOMPARE(r.body, want);
            const auto g = c.exchange(get(host(id), "/after", cookie));
            QVERIFY2(g.status == 200 && g.body.startsWith(name + " /after cookie=session=" + name),
                     g.describe().constData());
        }
    }
    QVERIFY(c.isConnected());
}

void tst_preview_routing::pipelinedRequests()
{
    // Sent in one go; answered in the order asked, though the first takes
    // longest and the rest go to another sandbox and back.
    PreviewClient c(m_engine->previewPort(), 10000);
    const QByteArray body = "pipelined body";
    QVERIFY(c.send(get(host(m_a), "/slow") + get(host(m_b), "/b1") + post(host(m_b), "/b2", body) +
                   get(host(m_a), "/chunked-a") + get(host(m_a), "/a2")));
    const QList<QByteArray> want = {"A /slow", "B /b1", "B /b2 " + QByteArray::number(body.size()) + ' ' + sha(body),
                                    "A /chunked-a", "A /a2"};
    for (const QByteArray &w : want) {
        const auto r = c.receive();
        QVERIFY2(r.status == 200 && r.body.startsWith(w), qPrintable(QStringLiteral("expected '%1', got %2")
                                                                         .arg(QString::fromLatin1(w), QString::fromUtf8(r.describe()))));
    }
}

void tst_preview_routing::chunkedBodies()
{
    PreviewClient c(m_engine->previewPort(), 10000);
    const QList<QByteArray> pieces = {"first piece,", QByteArray(70000, 'x'), "", "last"};
    QByteArray whole;
    for (const QByteArray &p : pieces)
        whole += p;
    QList<QByteArray> sent;
    for (const QByteArray &p : pieces) {
        if (!p.isEmpty())
            sent.append(p);
    }
    const QByteArray req = "POST /chunky HTTP/1.1\r\nHost: " + host(m_a) + "\r\nTransfer-Encoding: chunked\r\n\r\n" +
                           chunked(sent);
    const auto r = c.exchange(req);
    QVERIFY2(r.status == 200, r.describe().constData());
    QVERIFY2(r.body.startsWith("A /chunky " + QByteArray::number(whole.size()) + ' ' + sha(whole)), r.describe().constData());
    // The next request on the connection is found after the trailer, and
    // goes where it says.
    const auto next = c.exchange(get(host(m_b), "/after-chunks"));
    QVERIFY2(next.status == 200 && next.body.startsWith("B /after-chunks"), next.describe().constData());
    // A chunked answer of the server, then a request to the other sandbox.
    const auto answer = c.exchange(get(host(m_b), "/chunked-answer"));
    QVERIFY2(answer.status == 200 && answer.body.startsWith("B /chunked-answer"), answer.describe().constData());
    const auto back = c.exchange(get(host(m_a), "/back"));
    QVERIFY2(back.status == 200 && back.body.startsWith("A /back"), back.describe().constData());
    // Broken chunking is refused.
    PreviewClient bad(m_engine->previewPort(), 10000);
    const auto refused = bad.exchange("POST /x HTTP/1.1\r\nHost: " + host(m_a) +
                                      "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
    QVERIFY2(refused.status == 400 && refused.body.contains("chunk"), refused.describe().constData());
}

void tst_preview_routing::upgradeAfterRequests()
{
    PreviewClient c(m_engine->previewPort(), 10000);
    const auto first = c.exchange(get(host(m_a), "/before-upgrade"));
    QVERIFY2(first.status == 200 && first.body.startsWith("A /before-upgrade"), first.describe().constData());
    const auto switched = c.exchange(get(host(m_b, 3002), "/", "Upgrade: echo\r\nConnection: Upgrade\r\n"));
    QVERIFY2(switched.status == 101, switched.describe().constData());
    // Raw from here on: even bytes that look like a request for another
    // sandbox go to the upgraded connection, unparsed.
    const QByteArray raw = get(host(m_a), "/not-a-request");
    QVERIFY(c.send(raw));
    QCOMPARE(c.readExactly(raw.size()), raw);
    QByteArray blob(200000, '\0');
    for (int i = 0; i < blob.size(); ++i)
        blob[i] = char(i * 13);
    QVERIFY(c.send(blob));
    QCOMPARE(c.readExactly(blob.size()), blob);
}

void tst_preview_routing::refusedHeads_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("words");
    // Filled in per row in refusedHeads(): `@A` stands for host(A), `@B` for host(B).
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: @A\r\nHost: @B\r\n\r\n") << 400
                               << QByteArray("2 Host headers");
    QTest::newRow("two equal hosts") << QByteArray("GET / HTTP/1.1\r\nHost: @A\r\nHost: @A\r\n\r\n") << 400
                                     << QByteArray("2 Host headers");
    QTest::newRow("absolute target names another host")
        << QByteArray("GET http://@B/ HTTP/1.1\r\nHost: @A\r\n\r\n") << 400 << QByteArray("target names host");
    QTest::newRow("length and chunked") << QByteArray("POST / HTTP/1.1\r\nHost: @A\r\nContent-Length: 5\r\n"
                                                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                        << 400 << QByteArray("both Transfer-Encoding and Content-Length");
    QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nHost: @A\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")
                                 << 400 << QByteArray("disagree");
    QTest::newRow("gzip coding") << QByteArray("POST / HTTP/1.1\r\nHost: @A\r\nTransfer-Encoding: gzip\r\n\r\n") << 400
                                 << QByteArray("exactly 'chunked'");
    QTest::newRow("connect") << QByteArray("CONNECT @A HTTP/1.1\r\nHost: @A\r\n\r\n") << 400 << QByteArray("CONNECT");
}

void tst_preview_routing::refusedHeads()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, words);
    request.replace("@A", host(m_a)).replace("@B", host(m_b));
    // Also as the second request of a kept-alive connection: the first is
    // answered, the refused one gets its page and the connection closes.
    PreviewClient c(m_engine->previewPort(), 10000);
    const auto ok = c.exchange(get(host(m_a), "/fine"));
    QVERIFY2(ok.status == 200, ok.describe().constData());
    const auto r = c.exchange(request);
    QVERIFY2(r.status == status && r.body.contains(words),
             qPrintable(QStringLiteral("expected %1 with '%2', got %3")
                            .arg(status)
                            .arg(QString::fromLatin1(words), QString::fromUtf8(r.describe()))));
    QCOMPARE(r.headers.value("connection"), QByteArray("close"));
}

void tst_preview_routing::slowReaderIsBounded()
{
    // 64 MiB asked for and not read: the engine holds a window, not the file.
    const qint64 before = rssKiB(m_engine->pid());
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_engine->previewPort());
    QVERIFY(s.waitForConnected(5000));
    s.setReadBufferSize(64 * 1024);
    s.write(get(host(m_a), "/big"));
    QVERIFY(s.waitForBytesWritten(5000));
    QTest::qWait(4000);
    const qint64 held = rssKiB(m_engine->pid());
    qInfo("engine RSS %lld KiB before, %lld KiB with a reader that stopped", before, held);
    QVERIFY2(held - before < 24 * 1024, qPrintable(QString::number(held - before)));
    // The engine serves others meanwhile.
    PreviewClient other(m_engine->previewPort(), 10000);
    const auto r = other.exchange(get(host(m_b), "/meanwhile"));
    QVERIFY2(r.status == 200, r.describe().constData());
    // And the reader gets all of it once it reads.
    s.setReadBufferSize(0);
    qint64 got = 0;
    QElapsedTimer t;
    t.start();
    while (got < 64LL * 1024 * 1024 && t.elapsed() < 60000) {
        got += s.readAll().size();
        s.waitForReadyRead(1000);
    }
    QVERIFY2(got > 64LL * 1024 * 1024, qPrintable(QString::number(got)));
}

void tst_preview_routing::slowServerIsBounded()
{
    // 64 MiB sent to a server that never reads: the engine stops reading too.
    const qint64 before = rssKiB(m_engine->pid());
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, m_engine->previewPort());
    QVERIFY(s.waitForConnected(5000));
    const qint64 total = 64LL * 1024 * 1024;
    s.write("POST /stall HTTP/1.1\r\nHost: " + host(m_a) + "\r\nContent-Length: " + QByteArray::number(total) + "\r\n\r\n");
    const QByteArray block(256 * 1024, 'y');
    qint64 sent = 0;
    QElapsedTimer t;
    t.start();
    while (sent < total && t.elapsed() < 6000) {
        if (s.bytesToWrite() < 4 * 1024 * 1024) {
            s.write(block);
            sent += block.size();
        }
        s.waitForBytesWritten(200);
    }
    const qint64 accepted = sent - s.bytesToWrite();
    const qint64 held = rssKiB(m_engine->pid());
    qInfo("engine RSS %lld KiB before, %lld KiB after %lld bytes accepted for a stalled server", before, held, accepted);
    QVERIFY2(accepted < 32LL * 1024 * 1024, qPrintable(QString::number(accepted)));
    QVERIFY2(held - before < 24 * 1024, qPrintable(QString::number(held - before)));
    s.abort();
}

void tst_preview_routing::keptAliveHeadTimesOut()
{
    // A slow-loris on the second request of a connection: the head has 30 s.
    PreviewClient c(m_engine->previewPort(), 45000);
    const auto ok = c.exchange(get(host(m_a), "/first"));
    QVERIFY2(ok.status == 200, ok.describe().constData());
    QElapsedTimer t;
    t.start();
    const auto r = c.exchange("GET /second HTTP/1.1\r\nHost: " + host(m_a) + "\r\nX-Slow: ");
    QVERIFY2(r.status == 408, r.describe().constData());
    QVERIFY2(t.elapsed() > 25000 && t.elapsed() < 40000, qPrintable(QString::number(t.elapsed())));
}

void tst_preview_routing::tokenInInfo()
{
    QVERIFY2(!m_secure.isEmpty(), m_secureCreated.describe().constData());
    E2E_EXPECT(info, m_api->sandbox(m_secure), 200);
    QCOMPARE(info.json().value(QStringLiteral("preview_auth")).toBool(), true);
    QCOMPARE(info.json().value(QStringLiteral("preview_token")).toString(), m_token);
    QVERIFY2(m_token.size() >= 32, qPrintable(m_token));
    E2E_EXPECT(plain, m_api->sandbox(m_a), 200);
    QCOMPARE(plain.json().value(QStringLiteral("preview_auth")).toBool(true), false);
    QVERIFY(plain.json().value(QStringLiteral("preview_token")).isNull());
    // Another team sees nothing of it.
    const QString otherKey = m_engine->createKey(QStringLiteral("other-team"));
    QVERIFY(!otherKey.isEmpty());
    ApiClient other(m_engine->baseUrl(), otherKey);
    E2E_ERROR(other.sandbox(m_secure), 404, "not_found");
    QVERIFY(!other.get(QStringLiteral("/v1/sandboxes")).body.contains(m_token.toLatin1()));
    // The create field is checked.
    E2E_ERROR(m_api->createSandbox(QJsonObject{{QStringLiteral("preview_auth"), QStringLiteral("yes")}}), 400,
              "bad_request");
}

void tst_preview_routing::tokenByHeader()
{
    QVERIFY2(!m_secure.isEmpty(), m_secureCreated.describe().constData());
    const QByteArray h = host(m_secure);
    const QByteArray token = m_token.toLatin1();
    {
        PreviewClient c(m_engine->previewPort(), 10000);
        const auto r = c.exchange(get(h, "/anonymous"));
        QVERIFY2(r.status == 401 && r.body.contains("preview token"), r.describe().constData());
    }
    {
        PreviewClient c(m_engine->previewPort(), 10000);
        const auto r = c.exchange(get(h, "/wrong", "X-Ai2in-Preview-Token: " + QByteArray(token).replace(0, 1, "-") + "\r\n"));
        QVERIFY2(r.status == 401, r.describe().constData());
    }
    // With the token: answered, and the server does not see the token.
    auto c2 = client(m_secure, 10000);
    const auto ok = c2->exchange(get(h, "/with-header", "X-Ai2in-Preview-Token: " + token + "\r\n"));
    QVERIFY2(ok.status == 200, ok.describe().constData());
    QCOMPARE(ok.body, QByteArray("S /with-header cookie=None token=None\n"));
    // Each request is checked, also on a connection a token opened.
    const auto anon = c2->exchange(get(h, "/second-without"));
    QVERIFY2(anon.status == 401, anon.describe().constData());
    // A plain sandbox next to it needs no token.
    PreviewClient plain(m_engine->previewPort(), 10000);
    const auto p = plain.exchange(get(host(m_a), "/plain"));
    QVERIFY2(p.status == 200, p.describe().constData());
}

void tst_preview_routing::tokenByCookie()
{
    QVERIFY2(!m_secure.isEmpty(), m_secureCreated.describe().constData());
    const QByteArray h = host(m_secure);
    const QByteArray token = m_token.toLatin1();
    PreviewClient c(m_engine->previewPort(), 10000);
    c.setHostName(QStringLiteral("3001-%1.localhost").arg(m_secure));
    const auto first = c.exchange(get(h, "/page?x=1&ai2in_token=" + token + "&y=2"));
    QVERIFY2(first.status == 302, first.describe().constData());
    QCOMPARE(first.headers.value("location"), QByteArray("/page?x=1&y=2"));
    const QByteArray cookie = first.headers.value("set-cookie");
    QVERIFY2(cookie.startsWith("ai2in_preview_token=" + token + ";"), cookie.constData());
    for (const char *attr : {"HttpOnly", "SameSite=Lax", "Path=/"})
        QVERIFY2(cookie.contains(attr), cookie.constData());
    QVERIFY2(!cookie.toLower().contains("domain="), cookie.constData()); // this preview host only
    // The browser follows with the cookie; the server sees its own cookies only.
    PreviewClient c2(m_engine->previewPort(), 10000);
    const auto next = c2.exchange(get(h, "/page?x=1&y=2", "Cookie: theme=dark; ai2in_preview_token=" + token + "; lang=en\r\n"));
    QVERIFY2(next.status == 200, next.describe().constData());
    QCOMPARE(next.body, QByteArray("S /page?x=1&y=2 cookie=theme=dark; lang=en token=None\n"));
    // Wrong or missing tokens.
    PreviewClient c3(m_engine->previewPort(), 10000);
    const auto wrongLink = c3.exchange(get(h, "/page?ai2in_token=nope"));
    QVERIFY2(wrongLink.status == 401 && !wrongLink.headers.contains("set-cookie"), wrongLink.describe().constData());
    PreviewClient c4(m_engine->previewPort(), 10000);
    const auto wrongCookie = c4.exchange(get(h, "/page", "Cookie: ai2in_preview_token=" + token.left(10) + "\r\n"));
    QVERIFY2(wrongCookie.status == 401, wrongCookie.describe().constData());
    // Another sandbox's token is no key to this one.
    E2E_CREATE(second, *m_api, withPreviewAuth());
    const QByteArray otherToken = secondCreated.json().value(QStringLiteral("preview_token")).toString().toLatin1();
    QVERIFY(!otherToken.isEmpty() && otherToken != token);
    PreviewClient c5(m_engine->previewPort(), 10000);
    const auto crossed = c5.exchange(get(h, "/page", "Cookie: ai2in_preview_token=" + otherToken + "\r\n"));
    QVERIFY2(crossed.status == 401, crossed.describe().constData());
    E2E_EXPECT(gone, m_api->del(sbx(second)), 204);
}

void tst_preview_routing::tokenSurvivesRestart()
{
    QVERIFY2(!m_secure.isEmpty(), m_secureCreated.describe().constData());
    // The token is stored with the sandbox: after a crash and a restart the
    // same token still opens the same previews, and nothing else does.
    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    E2E_EXPECT(info, m_api->sandbox(m_secure), 200);
    QCOMPARE(info.json().value(QStringLiteral("preview_token")).toString(), m_token);
    QVERIFY(waitForPort(*m_api, m_secure, 3001, 15000));
    PreviewClient c(m_engine->previewPort(), 10000);
    const auto ok = c.exchange(get(host(m_secure), "/after-restart", "X-Ai2in-Preview-Token: " + m_token.toLatin1() + "\r\n"));
    QVERIFY2(ok.status == 200 && ok.body.startsWith("S /after-restart"), ok.describe().constData());
    PreviewClient anon(m_engine->previewPort(), 10000);
    const auto refused = anon.exchange(get(host(m_secure), "/after-restart"));
    QVERIFY2(refused.status == 401, refused.describe().constData());
}

void tst_preview_routing::anonymousTrafficDoesNotResetIdle()
{
    // An engine of its own whose idle period is 4 s.
    constexpr int kIdle = 4;
    std::unique_ptr<EngineProcess> engine;
    std::unique_ptr<ApiClient> api;
    E2E_START_ENGINE(engine, api, QStringList{QStringLiteral("--idle-timeout"), QString::number(kIdle)});
    E2E_CREATE(anon, *api, withPreviewAuth());
    E2E_CREATE(owned, *api, withPreviewAuth());
    const QByteArray ownedToken = ownedCreated.json().value(QStringLiteral("preview_token")).toString().toLatin1();
    const auto hostOf = [&engine](const QString &id) {
        return "3001-" + id.toLatin1() + ".localhost:" + QByteArray::number(engine->previewPort());
    };
    // Requests every 300 ms for three idle periods: anonymous ones to the
    // first sandbox, with the token to the second.
    QElapsedTimer t;
    t.start();
    int anonStatus = 0;
    while (t.elapsed() < kIdle * 3 * 1000) {
        PreviewClient a(engine->previewPort(), 5000);
        const auto r = a.exchange(get(hostOf(anon), "/"));
        if (r.status != 404)
            anonStatus = r.status;
        PreviewClient o(engine->previewPort(), 5000);
        const auto ro = o.exchange(get(hostOf(owned), "/", "X-Ai2in-Preview-Token: " + ownedToken + "\r\n"));
        // Nothing listens: the tunnel's 502 shows the request got through.
        QVERIFY2(ro.status == 502, ro.describe().constData());
        QTest::qWait(300);
    }
    QCOMPARE(anonStatus, 401);
    E2E_ERROR(api->sandbox(anon), 404, "not_found");
    E2E_EXPECT(alive, api->sandbox(owned), 200);
    api->killAllSandboxes();
}

QTEST_GUILESS_MAIN(tst_preview_routing)
#include "tst_preview_routing.moc"
