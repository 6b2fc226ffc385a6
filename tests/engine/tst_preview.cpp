// SPDX-License-Identifier: GPL-3.0-or-later
// Preview URLs end to end: servers inside a sandbox reached through the
// engine's preview listener, the ports list in the sandbox info, the host
// endpoint and the proxy's error pages.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"
#include "PreviewClient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using namespace E2e;

namespace {

// HTTP/1.1 (keep-alive) static files on 3001.
const char *kKeepAliveServer = R"(import functools, http.server
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("0.0.0.0", 3001), functools.partial(H, directory="/home/sandbox")).serve_forever()
)";

// RFC 6455 by hand (the template has no websockets package): handshake,
// then every text or binary frame is echoed; ping answered, close returned.
const char *kWebSocketServer = R"(import base64, hashlib, socketserver, struct
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
def read(f, n):
    b = f.read(n)
    if len(b) < n: raise EOFError
    return b
class H(socketserver.StreamRequestHandler):
    def handle(self):
        key = None
        while True:
            line = self.rfile.readline()
            if line in (b"\r\n", b""): break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"sec-websocket-key": key = value.strip()
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        self.wfile.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        try:
            while True:
                b0, b1 = read(self.rfile, 2)
                op, n = b0 & 0x0F, b1 & 0x7F
                if n == 126: n = struct.unpack("!H", read(self.rfile, 2))[0]
                elif n == 127: n = struct.unpack("!Q", read(self.rfile, 8))[0]
                mask = read(self.rfile, 4) if b1 & 0x80 else b"\0\0\0\0"
                data = bytes(c ^ mask[i % 4] for i, c in enumerate(read(self.rfile, n)))
                if op == 8:
                    self.wfile.write(b"\x88\x00"); return
                if op == 9: op = 10
                elif op not in (1, 2): continue
                head = bytes([0x80 | op])
                if len(data) < 126: head += bytes([len(data)])
                elif len(data) < 65536: head += bytes([126]) + struct.pack("!H", len(data))
                else: head += bytes([127]) + struct.pack("!Q", len(data))
                self.wfile.write(head + data)
        except (EOFError, ConnectionError):
            pass
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("0.0.0.0", 3002), H).serve_forever()
)";

} // namespace

class tst_preview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void portsAppearInInfo();
    void directoryListing();
    void keepAlive();
    void largeDownload();
    void webSocketEcho();
    void hostEndpoint();
    void hostEndpointRefusesBadPorts_data();
    void hostEndpointRefusesBadPorts();
    void errorPages();
    void pausedAndKilledSandbox();

private:
    QByteArray host(int port, const QString &id = {}) const
    {
        return QByteArray::number(port) + '-' + (id.isEmpty() ? m_id : id).toLatin1() + ".localhost:" +
               QByteArray::number(m_engine->previewPort());
    }
    bool waitForPort(int port, int timeoutMs);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_id;
    QByteArray m_big;
};

void tst_preview::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;

    E2E_EXPECT(w1, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=keepalive.py")), kKeepAliveServer), 200);
    E2E_EXPECT(w2, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=ws.py")), kWebSocketServer), 200);
    E2E_EXPECT(w3, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=hello.txt")), "hello through the proxy\n"), 200);
    m_big.resize(20 * 1024 * 1024);
    QRandomGenerator gen(42);
    gen.fillRange(reinterpret_cast<quint32 *>(m_big.data()), m_big.size() / 4);
    E2E_EXPECT(w4, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=big.bin")), m_big), 200);
}

void tst_preview::cleanupTestCase()
{
    if (m_api)
        m_api->killAllSandboxes();
}

bool tst_preview::waitForPort(int port, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const QJsonArray ports = m_api->sandbox(m_id).json().value(QStringLiteral("ports")).toArray();
        for (const QJsonValue &p : ports) {
            if (p.toObject().value(QStringLiteral("port")).toInt() == port)
                return true;
        }
        QTest::qWait(100);
    }
    return false;
}

void tst_preview::portsAppearInInfo()
{
    E2E_EXPECT(before, m_api->sandbox(m_id), 200);
    QVERIFY2(before.json().value(QStringLiteral("ports")).isArray(), before.describe().constData());
    E2E_EXPECT(started,
               m_api->post(sbx(m_id, QStringLiteral("/commands")),
                           QJsonObject{{QStringLiteral("cmd"), QStringLiteral("python3 -m http.server 3000")},
                                       {QStringLiteral("background"), true}}),
               201);
    // Python needs a moment to bind; the watcher then sees it within a second.
    QElapsedTimer t;
    t.start();
    QVERIFY2(waitForPort(3000, 5000), "port 3000 did not appear in the sandbox info");
    qInfo("port 3000 listed %lld ms after the start", t.elapsed());
    const QJsonArray ports = m_api->sandbox(m_id).json().value(QStringLiteral("ports")).toArray();
    QJsonObject p3000;
    for (const QJsonValue &p : ports) {
        if (p.toObject().value(QStringLiteral("port")).toInt() == 3000)
            p3000 = p.toObject();
    }
    QCOMPARE(p3000.value(QStringLiteral("url")).toString(),
             QStringLiteral("http://3000-%1.localhost:%2").arg(m_id).arg(m_engine->previewPort()));
    // The list shows it too, and its tag changed with it.
    const QJsonArray listed = m_api->get(QStringLiteral("/v1/sandboxes")).json().value(QStringLiteral("sandboxes")).toArray();
    bool seen = false;
    for (const QJsonValue &s : listed)
        seen = seen || s.toObject().value(QStringLiteral("ports")).toArray().size() > 0;
    QVERIFY(seen);
}

void tst_preview::directoryListing()
{
    QVERIFY(waitForPort(3000, 5000));
    PreviewClient c(m_engine->previewPort());
    const auto r = c.get(host(3000));
    QVERIFY2(r.status == 200, r.describe().constData());
    QVERIFY2(r.body.contains("hello.txt") && r.body.contains("Directory listing"), r.body.left(400).constData());
    PreviewClient c2(m_engine->previewPort());
    const auto file = c2.get(host(3000), "/hello.txt");
    QVERIFY2(file.status == 200, file.describe().constData());
    QCOMPARE(file.body, QByteArray("hello through the proxy\n"));
}

void tst_preview::keepAlive()
{
    E2E_EXPECT(started,
               m_api->post(sbx(m_id, QStringLiteral("/commands")),
                           QJsonObject{{QStringLiteral("cmd"), QStringLiteral("python3 keepalive.py")},
                                       {QStringLiteral("background"), true}}),
               201);
    QVERIFY2(waitForPort(3001, 10000), "the keep-alive server did not start");
    PreviewClient c(m_engine->previewPort());
    const auto first = c.get(host(3001), "/hello.txt", true);
    QVERIFY2(first.status == 200, first.describe().constData());
    QVERIFY(c.isConnected());
    const auto second = c.get(host(3001), "/hello.txt", true);
    QVERIFY2(second.status == 200, second.describe().constData());
    QCOMPARE(second.body, QByteArray("hello through the proxy\n"));
}

void tst_preview::largeDownload()
{
    QVERIFY(waitForPort(3000, 5000));
    PreviewClient c(m_engine->previewPort(), 120000);
    QElapsedTimer t;
    t.start();
    const auto r = c.get(host(3000), "/big.bin");
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.body.size(), m_big.size());
    QVERIFY(r.body == m_big);
    qInfo("20 MiB through the proxy in %lld ms", t.elapsed());
}

void tst_preview::webSocketEcho()
{
    E2E_EXPECT(started,
               m_api->post(sbx(m_id, QStringLiteral("/commands")),
                           QJsonObject{{QStringLiteral("cmd"), QStringLiteral("python3 ws.py")},
                                       {QStringLiteral("background"), true}}),
               201);
    QVERIFY2(waitForPort(3002, 10000), "the WebSocket server did not start");
    QWebSocket ws;
    // The preview URL as a browser uses it: `3002-sbx_….localhost` found by
    // the system's resolver, and so the one Host header it implies.
    QNetworkRequest req(QUrl(QStringLiteral("ws://%1/echo").arg(QString::fromLatin1(host(3002)))));
    QSignalSpy connected(&ws, &QWebSocket::connected);
    QSignalSpy texts(&ws, &QWebSocket::textMessageReceived);
    QSignalSpy binaries(&ws, &QWebSocket::binaryMessageReceived);
    ws.open(req);
    QTRY_VERIFY_WITH_TIMEOUT(connected.size() == 1, 10000);
    ws.sendTextMessage(QStringLiteral("hello, sandbox ✓"));
    QTRY_VERIFY_WITH_TIMEOUT(texts.size() == 1, 10000);
    QCOMPARE(texts.at(0).at(0).toString(), QStringLiteral("hello, sandbox ✓"));
    QByteArray blob(100000, '\0');
    for (int i = 0; i < blob.size(); ++i)
        blob[i] = char(i * 7);
    ws.sendBinaryMessage(blob);
    QTRY_VERIFY_WITH_TIMEOUT(binaries.size() == 1, 10000);
    QCOMPARE(binaries.at(0).at(0).toByteArray(), blob);
    ws.close();
}

void tst_preview::hostEndpoint()
{
    E2E_EXPECT(r, m_api->get(sbx(m_id, QStringLiteral("/host/3000"))), 200);
    QCOMPARE(r.json().value(QStringLiteral("url")).toString(),
             QStringLiteral("http://3000-%1.localhost:%2").arg(m_id).arg(m_engine->previewPort()));
    QCOMPARE(r.json().value(QStringLiteral("port")).toInt(), 3000);
    // Nothing needs to listen yet.
    E2E_EXPECT(later, m_api->get(sbx(m_id, QStringLiteral("/host/8765"))), 200);
    E2E_ERROR(m_api->get(sbx(QStringLiteral("sbx_zzzzzzzzzzzzzzzz"), QStringLiteral("/host/3000"))), 404, "not_found");
}

void tst_preview::hostEndpointRefusesBadPorts_data()
{
    QTest::addColumn<QString>("port");
    QTest::newRow("zero") << "0";
    QTest::newRow("too big") << "70000";
    QTest::newRow("65536") << "65536";
    QTest::newRow("letters") << "abc";
    QTest::newRow("negative") << "-1";
    QTest::newRow("sign") << "+80";
    QTest::newRow("long") << "000000080";
}

void tst_preview::hostEndpointRefusesBadPorts()
{
    QFETCH(QString, port);
    E2E_ERROR(m_api->get(sbx(m_id, QStringLiteral("/host/") + port)), 400, "bad_request");
}

void tst_preview::errorPages()
{
    auto expect = [this](const QByteArray &request, int status, const QByteArray &words) {
        PreviewClient c(m_engine->previewPort());
        const auto r = c.exchange(request);
        if (r.status != status || !r.body.contains(words) || !r.headers.value("content-type").startsWith("text/html"))
            return QStringLiteral("expected %1 with '%2', got %3")
                .arg(status)
                .arg(QString::fromUtf8(words), QString::fromUtf8(r.describe()));
        return QString();
    };
    const QByteArray id = m_id.toLatin1();
    QString e;
    e = expect("GET / HTTP/1.1\r\nHost: 3000-sbx_zzzzzzzzzzzzzzzz.localhost\r\n\r\n", 404, "No sandbox matches host");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", 404, "No sandbox matches host example.com");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("GET / HTTP/1.1\r\nHost: 3999-" + id + ".localhost\r\n\r\n", 502, "Nothing listens on port 3999 in sandbox " + id);
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("GET / HTTP/1.1\r\nHost: abc-" + id + ".localhost\r\n\r\n", 400, "port");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("GET / HTTP/1.1\r\nHost: 70000-" + id + ".localhost\r\n\r\n", 400, "port");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "Host");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("NONSENSE\r\n\r\n", 400, "HTTP");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    e = expect("GET / HTTP/1.1\r\nHost: 3000-" + id + ".localhost\r\nX: " + QByteArray(70 * 1024, 'x') + "\r\n\r\n", 431,
               "larger");
    QVERIFY2(e.isEmpty(), qPrintable(e));
    // The engine is still there and still proxies.
    PreviewClient c(m_engine->previewPort());
    const auto ok = c.get(host(3000), "/hello.txt");
    QVERIFY2(ok.status == 200, ok.describe().constData());
}

void tst_preview::pausedAndKilledSandbox()
{
    E2E_CREATE(other, *m_api, QJsonObject());
    E2E_EXPECT(paused, m_api->post(sbx(other, QStringLiteral("/pause")), {}), 200);
    const QJsonArray ports = paused.json().value(QStringLiteral("ports")).toArray();
    QVERIFY2(ports.isEmpty(), paused.describe().constData());
    {
        PreviewClient c(m_engine->previewPort());
        const auto r = c.get(host(3000, other));
        QVERIFY2(r.status == 409, r.describe().constData());
        QVERIFY2(r.body.contains("is paused; resume it to reach port 3000"), r.body.constData());
    }
    E2E_EXPECT(killed, m_api->del(sbx(other)), 204);
    {
        PreviewClient c(m_engine->previewPort());
        const auto r = c.get(host(3000, other));
        QVERIFY2(r.status == 404, r.describe().constData());
    }
}

QTEST_GUILESS_MAIN(tst_preview)
#include "tst_preview.moc"
