// SPDX-License-Identifier: GPL-3.0-or-later
// Terminals, file watches and run_code, end to end through the engine and the
// agent, over REST and WebSockets.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"
#include "WsProbe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QWebSocket>

#include <memory>

using namespace E2e;

class tst_interactive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void ptyRest();
    void ptyWebSocketAndReconnect();
    void ptyTenMegabytesInOrder();
    void ptySlowReaderGetsTheEnd();
    void ptyBadInput_data();
    void ptyBadInput();
    void watchPollAndSocket();
    void codeStateAndResults();
    void codeInterruptAndTimeout();
    void codeBadInput_data();
    void codeBadInput();
    void oversizedInputMessage();
    // Last: it pauses the shared sandbox.
    void pauseEndsStreams();

private:
    QString path(const QString &suffix) const { return sbx(m_id, suffix); }
    QUrl wsUrl(const QString &suffix) const
    {
        QUrl u = m_engine->baseUrl();
        u.setScheme(QStringLiteral("ws"));
        const qsizetype q = suffix.indexOf(QLatin1Char('?'));
        u.setPath(path(q < 0 ? suffix : suffix.left(q)));
        if (q >= 0)
            u.setQuery(suffix.mid(q + 1));
        return u;
    }
    QString startPty(const QJsonObject &body = {});
    QByteArray drain(const QString &pty);
    QList<QJsonObject> runCode(const QString &code, int *status = nullptr);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_id;
};

void tst_interactive::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;
}

void tst_interactive::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
}

void tst_interactive::cleanupTestCase()
{
    if (m_api && !m_id.isEmpty())
        QCOMPARE(m_api->del(sbx(m_id)).status, 204);
    m_api.reset();
    m_engine.reset();
}

QString tst_interactive::startPty(const QJsonObject &body)
{
    const ApiResponse r = m_api->post(path(QStringLiteral("/pty")), body);
    if (r.status != 201) {
        qWarning("%s", r.describe().constData());
        return {};
    }
    return r.json().value(QStringLiteral("pty_id")).toString();
}

QByteArray tst_interactive::drain(const QString &pty)
{
    const ApiResponse r = m_api->get(path(QStringLiteral("/pty/") + pty + QStringLiteral("/output")));
    return QByteArray::fromBase64(r.json().value(QStringLiteral("data")).toString().toLatin1());
}

void tst_interactive::ptyRest()
{
    const QString pty = startPty({{QStringLiteral("cols"), 100}, {QStringLiteral("rows"), 30}});
    QVERIFY(pty.startsWith(QStringLiteral("pty_")));
    E2E_EXPECT(sent, m_api->postRaw(path(QStringLiteral("/pty/") + pty + QStringLiteral("/input")),
                                    "stty size; echo marker-$((6*7)); id -un\n", "application/octet-stream"),
               200);
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen += drain(pty)).contains("marker-42"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT((seen += drain(pty)).contains("sandbox"), 5000);
    QVERIFY2(seen.contains("30 100"), seen.constData());
    // Draining: what was read is not read again.
    QTRY_VERIFY_WITH_TIMEOUT(drain(pty).isEmpty(), 5000);

    E2E_EXPECT(resized, m_api->post(path(QStringLiteral("/pty/") + pty + QStringLiteral("/resize")),
                                    {{QStringLiteral("cols"), 120}, {QStringLiteral("rows"), 40}}),
               200);
    m_api->postRaw(path(QStringLiteral("/pty/") + pty + QStringLiteral("/input")), "stty size\n", "application/octet-stream");
    seen.clear();
    QTRY_VERIFY_WITH_TIMEOUT((seen += drain(pty)).contains("40 120"), 10000);

    E2E_EXPECT(list, m_api->get(path(QStringLiteral("/pty"))), 200);
    bool listed = false;
    for (const QJsonValue &v : list.json().value(QStringLiteral("ptys")).toArray())
        listed |= v.toObject().value(QStringLiteral("pty_id")).toString() == pty;
    QVERIFY(listed);

    m_api->postRaw(path(QStringLiteral("/pty/") + pty + QStringLiteral("/input")), "exit 3\n", "application/octet-stream");
    QJsonObject last;
    QTRY_VERIFY_WITH_TIMEOUT(
        !(last = m_api->get(path(QStringLiteral("/pty/") + pty + QStringLiteral("/output"))).json())
             .value(QStringLiteral("alive"))
             .toBool(true),
        10000);
    QCOMPARE(last.value(QStringLiteral("exit_code")).toInt(), 3);

    const QString other = startPty();
    QCOMPARE(m_api->del(path(QStringLiteral("/pty/") + other)).status, 204);
    QTRY_VERIFY_WITH_TIMEOUT(!m_api->get(path(QStringLiteral("/pty/") + other + QStringLiteral("/output")))
                                  .json()
                                  .value(QStringLiteral("alive"))
                                  .toBool(true),
                             10000);
}

void tst_interactive::ptyWebSocketAndReconnect()
{
    const QString pty = startPty();
    QVERIFY(!pty.isEmpty());
    qint64 nextOffset = 0;
    {
        WsProbe a(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws")), m_api->apiKey());
        QVERIFY(a.waitConnected());
        QTRY_VERIFY_WITH_TIMEOUT(a.hasText(QStringLiteral("attached")), 5000);
        const qint64 start = a.text(QStringLiteral("attached")).value(QStringLiteral("offset")).toInteger();
        a.ws.sendBinaryMessage("echo first-$((1+1))\n");
        QTRY_VERIFY_WITH_TIMEOUT(a.binary.contains("first-2"), 10000);
        a.ws.sendTextMessage(QStringLiteral("{\"type\":\"resize\",\"cols\":91,\"rows\":19}"));
        a.ws.sendBinaryMessage("stty size\n");
        QTRY_VERIFY_WITH_TIMEOUT(a.binary.contains("19 91"), 10000);
        nextOffset = start + a.binary.size();
        a.ws.close();
    }
    // While nobody is attached, the terminal goes on.
    E2E_EXPECT(sent, m_api->postRaw(path(QStringLiteral("/pty/") + pty + QStringLiteral("/input")),
                                    "echo while-away\n", "application/octet-stream"),
               200);
    QTest::qWait(300);
    WsProbe b(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws?from=") + QString::number(nextOffset)),
              m_api->apiKey());
    QVERIFY(b.waitConnected());
    QTRY_VERIFY_WITH_TIMEOUT(b.binary.contains("while-away"), 10000);
    QCOMPARE(b.text(QStringLiteral("attached")).value(QStringLiteral("offset")).toInteger(), nextOffset);
    b.ws.sendBinaryMessage("exit 5\n");
    QTRY_VERIFY_WITH_TIMEOUT(b.hasText(QStringLiteral("exit")), 10000);
    QCOMPARE(b.text(QStringLiteral("exit")).value(QStringLiteral("exit_code")).toInt(), 5);
    QTRY_VERIFY_WITH_TIMEOUT(b.closed, 5000);
}

void tst_interactive::ptyTenMegabytesInOrder()
{
    // Numbered lines make both loss and reordering visible.
    const QString pty = startPty({{QStringLiteral("cmd"),
                                   QStringLiteral("bash -c 'sleep 0.5; seq -w 1 1300000 | head -c 10000000; sleep 0.5'")}});
    QVERIFY(!pty.isEmpty());
    WsProbe a(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws?from=0")), m_api->apiKey());
    QVERIFY(a.waitConnected());
    QTRY_VERIFY_WITH_TIMEOUT(a.hasText(QStringLiteral("exit")), 120000);
    QByteArray expected;
    expected.reserve(10000100);
    for (int i = 1; expected.size() < 10000000; ++i)
        expected += QByteArray::number(i).rightJustified(7, '0') + '\n';
    expected.truncate(10000000);
    // The terminal turns each \n into \r\n; undo that to compare with seq.
    QByteArray got = a.binary;
    got.replace("\r\n", "\n");
    QCOMPARE(got.size(), expected.size());
    QVERIFY(got == expected);
}

void tst_interactive::ptySlowReaderGetsTheEnd()
{
    // A client that stops reading makes the engine hold the terminal's
    // stream; the program still ends meanwhile. Its last bytes and its exit
    // code must reach the client once it reads again.
    const QString pty = startPty({{QStringLiteral("cmd"),
                                   QStringLiteral("bash -c 'sleep 0.3; head -c 6000000 /dev/zero | tr \"\\\\0\" x; "
                                                  "echo; echo THE-END; exit 7'")}});
    QVERIFY(!pty.isEmpty());
    WsProbe a(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws?from=0")), m_api->apiKey());
    QVERIFY(a.waitConnected());
    QThread::sleep(4); // reads nothing: every buffer on the way fills up
    QTRY_VERIFY_WITH_TIMEOUT(a.hasText(QStringLiteral("exit")), 60000);
    QCOMPARE(a.text(QStringLiteral("exit")).value(QStringLiteral("exit_code")).toInt(), 7);
    QCOMPARE(a.binary.count('x'), 6000000);
    QVERIFY(a.binary.contains("THE-END"));
}

void tst_interactive::ptyBadInput_data()
{
    QTest::addColumn<QByteArray>("verb");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("cols zero") << QByteArray("POST") << "/pty" << QByteArray(R"({"cols":0})") << 400 << "bad_request";
    QTest::newRow("rows negative") << QByteArray("POST") << "/pty" << QByteArray(R"({"rows":-1})") << 400 << "bad_request";
    QTest::newRow("cols huge") << QByteArray("POST") << "/pty" << QByteArray(R"({"cols":1001})") << 400 << "bad_request";
    QTest::newRow("cols text") << QByteArray("POST") << "/pty" << QByteArray(R"({"cols":"x"})") << 400 << "bad_request";
    QTest::newRow("unknown field") << QByteArray("POST") << "/pty" << QByteArray(R"({"colour":1})") << 400 << "bad_request";
    QTest::newRow("not json") << QByteArray("POST") << "/pty" << QByteArray("{") << 400 << "invalid_json";
    QTest::newRow("unknown pty output") << QByteArray("GET") << "/pty/pty_0000000000000000/output" << QByteArray() << 404 << "not_found";
    QTest::newRow("malformed pty id") << QByteArray("GET") << "/pty/nope/output" << QByteArray() << 404 << "not_found";
    QTest::newRow("unknown pty input") << QByteArray("POST") << "/pty/pty_0000000000000000/input" << QByteArray("x") << 404 << "not_found";
    QTest::newRow("resize missing rows") << QByteArray("POST") << "/pty/pty_0000000000000000/resize" << QByteArray(R"({"cols":10})") << 400 << "bad_request";
    QTest::newRow("kill unknown") << QByteArray("DELETE") << "/pty/pty_0000000000000000" << QByteArray() << 404 << "not_found";
    QTest::newRow("watch no path") << QByteArray("POST") << "/watches" << QByteArray("{}") << 400 << "bad_request";
    QTest::newRow("watch missing dir") << QByteArray("POST") << "/watches" << QByteArray(R"({"path":"/no/such"})") << 404 << "not_found";
    QTest::newRow("watch a file") << QByteArray("POST") << "/watches" << QByteArray(R"({"path":"/etc/hostname"})") << 400 << "bad_request";
    QTest::newRow("watch recursive text") << QByteArray("POST") << "/watches" << QByteArray(R"({"path":"/tmp","recursive":"yes"})") << 400 << "bad_request";
    QTest::newRow("poll unknown watch") << QByteArray("GET") << "/watches/wch_0000000000000000/events" << QByteArray() << 404 << "not_found";
}

void tst_interactive::ptyBadInput()
{
    QFETCH(QByteArray, verb);
    QFETCH(QString, suffix);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const ApiResponse r = m_api->request(verb, path(suffix), body, "application/json");
    QVERIFY2(r.status == status && r.errorCode() == code && !r.errorMessage().isEmpty(), r.describe().constData());
}

void tst_interactive::watchPollAndSocket()
{
    E2E_RUN(made, *m_api, m_id, QStringLiteral("mkdir -p /home/sandbox/w"), QJsonObject(), 0);
    E2E_EXPECT(w, m_api->post(path(QStringLiteral("/watches")),
                              {{QStringLiteral("path"), QStringLiteral("w")}, {QStringLiteral("recursive"), true}}),
               201);
    const QString wid = w.json().value(QStringLiteral("watch_id")).toString();
    WsProbe live(wsUrl(QStringLiteral("/watches/") + wid + QStringLiteral("/ws")), m_api->apiKey());
    QVERIFY(live.waitConnected());
    QTest::qWait(200);
    E2E_RUN(acts, *m_api, m_id,
            QStringLiteral("cd /home/sandbox/w && mkdir sub && sleep 0.3 && echo a > sub/f.txt && echo b >> sub/f.txt "
                           "&& rm sub/f.txt"),
            QJsonObject(), 0);
    auto seen = [](const QList<QJsonObject> &events, const QString &type, const QString &p) {
        for (const QJsonObject &e : events)
            if (e.value(QStringLiteral("type")).toString() == type && e.value(QStringLiteral("path")).toString() == p)
                return true;
        return false;
    };
    QList<QJsonObject> polled;
    const QString file = QStringLiteral("/home/sandbox/w/sub/f.txt");
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QJsonValue &v : m_api->get(path(QStringLiteral("/watches/") + wid + QStringLiteral("/events")))
                                           .json()
                                           .value(QStringLiteral("events"))
                                           .toArray())
                polled.append(v.toObject());
            return seen(polled, QStringLiteral("remove"), file);
        }(),
        10000);
    QVERIFY(seen(polled, QStringLiteral("create"), QStringLiteral("/home/sandbox/w/sub")));
    QVERIFY(seen(polled, QStringLiteral("create"), file));
    QVERIFY(seen(polled, QStringLiteral("modify"), file));
    QTRY_VERIFY_WITH_TIMEOUT(seen(live.texts, QStringLiteral("remove"), file), 10000);
    QVERIFY(seen(live.texts, QStringLiteral("create"), file));
    QCOMPARE(m_api->del(path(QStringLiteral("/watches/") + wid)).status, 204);
    QTRY_VERIFY_WITH_TIMEOUT(live.closed, 10000);
    E2E_ERROR(m_api->get(path(QStringLiteral("/watches/") + wid + QStringLiteral("/events"))), 404, "not_found");
}

namespace {
QList<QJsonObject> codeEvents(const QByteArray &ndjson)
{
    QList<QJsonObject> events;
    for (const QByteArray &line : ndjson.split('\n')) {
        if (!line.trimmed().isEmpty())
            events.append(QJsonDocument::fromJson(line).object());
    }
    return events;
}

QString errorName(const QList<QJsonObject> &events)
{
    for (const QJsonObject &e : events) {
        if (e.value(QStringLiteral("type")).toString() == QStringLiteral("error"))
            return e.value(QStringLiteral("error")).toObject().value(QStringLiteral("name")).toString();
    }
    return QString();
}
} // namespace

QList<QJsonObject> tst_interactive::runCode(const QString &code, int *status)
{
    const ApiResponse r = m_api->post(path(QStringLiteral("/code")), {{QStringLiteral("code"), code}});
    if (status)
        *status = r.status;
    return codeEvents(r.body);
}

void tst_interactive::codeStateAndResults()
{
    int status = 0;
    QList<QJsonObject> ev = runCode(QStringLiteral("x = 41\nprint('hello')"), &status);
    QCOMPARE(status, 200);
    QVERIFY(!ev.isEmpty());
    QCOMPARE(ev.first().value(QStringLiteral("type")).toString(), QStringLiteral("stdout"));
    QCOMPARE(ev.first().value(QStringLiteral("text")).toString(), QStringLiteral("hello\n"));
    QCOMPARE(ev.last().value(QStringLiteral("type")).toString(), QStringLiteral("end"));

    ev = runCode(QStringLiteral("x + 1"));
    bool main = false;
    for (const QJsonObject &e : ev) {
        const QJsonObject r = e.value(QStringLiteral("result")).toObject();
        if (r.value(QStringLiteral("is_main_result")).toBool() && r.value(QStringLiteral("text")).toString() == QStringLiteral("42"))
            main = true;
    }
    QVERIFY2(main, QJsonDocument(QJsonArray::fromVariantList({})).toJson().constData());

    QCOMPARE(errorName(runCode(QStringLiteral("1/0"))), QStringLiteral("ZeroDivisionError"));

    ev = runCode(QStringLiteral("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"));
    bool png = false;
    for (const QJsonObject &e : ev) {
        const QByteArray bytes = QByteArray::fromBase64(
            e.value(QStringLiteral("result")).toObject().value(QStringLiteral("png")).toString().toLatin1());
        png |= bytes.startsWith("\x89PNG");
    }
    QVERIFY(png);

    // The kernel's sockets are no ports of the sandbox: nothing listens, so
    // the list stays empty after the engine's next looks (once a second).
    QTest::qWait(2500);
    E2E_EXPECT(info, m_api->get(path(QString())), 200);
    QCOMPARE(info.json().value(QStringLiteral("ports")).toArray(), QJsonArray());

    E2E_EXPECT(restart, m_api->post(path(QStringLiteral("/code/restart")), QJsonObject()), 200);
    QCOMPARE(errorName(runCode(QStringLiteral("x"))), QStringLiteral("NameError"));
}

void tst_interactive::codeInterruptAndTimeout()
{
    runCode(QStringLiteral("kept = 7"));

    // An interrupt from another request ends the running cell with
    // KeyboardInterrupt; the kernel and its variables stay.
    const QByteArray cell = QJsonDocument(QJsonObject{
        {QStringLiteral("code"), QStringLiteral("import time\nprint('started', flush=True)\ntime.sleep(60)")}})
                                .toJson(QJsonDocument::Compact);
    QNetworkReply *running = m_api->send("POST", path(QStringLiteral("/code")), cell, "application/json");
    QTRY_VERIFY_WITH_TIMEOUT(running->bytesAvailable() > 0, 30000);
    E2E_EXPECT(interrupt, m_api->post(path(QStringLiteral("/code/interrupt")), QJsonObject()), 200);
    const ApiResponse interrupted = ApiClient::waitFor(running);
    QCOMPARE(interrupted.status, 200);
    const QList<QJsonObject> ev = codeEvents(interrupted.body);
    QCOMPARE(ev.first().value(QStringLiteral("text")).toString(), QStringLiteral("started\n"));
    QCOMPARE(errorName(ev), QStringLiteral("KeyboardInterrupt"));
    QCOMPARE(ev.last().value(QStringLiteral("type")).toString(), QStringLiteral("end"));

    // A cell past its timeout is interrupted the same way and says why.
    const ApiResponse late = m_api->post(path(QStringLiteral("/code")),
                                         {{QStringLiteral("code"), QStringLiteral("import time\ntime.sleep(60)")},
                                          {QStringLiteral("timeout"), 1}});
    QCOMPARE(late.status, 200);
    QCOMPARE(errorName(codeEvents(late.body)), QStringLiteral("TimeoutError"));

    bool kept = false;
    for (const QJsonObject &e : runCode(QStringLiteral("kept")))
        kept |= e.value(QStringLiteral("result")).toObject().value(QStringLiteral("text")).toString() == QStringLiteral("7");
    QVERIFY(kept);
}

void tst_interactive::codeBadInput_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("no code") << QByteArray("{}") << 400 << "bad_request";
    QTest::newRow("code number") << QByteArray(R"({"code":1})") << 400 << "bad_request";
    QTest::newRow("timeout zero") << QByteArray(R"({"code":"1","timeout":0})") << 400 << "bad_request";
    QTest::newRow("unknown field") << QByteArray(R"({"code":"1","lang":"r"})") << 400 << "bad_request";
    QTest::newRow("not json") << QByteArray("nope") << 400 << "invalid_json";
}

void tst_interactive::codeBadInput()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const ApiResponse r = m_api->postRaw(path(QStringLiteral("/code")), body);
    QVERIFY2(r.status == status && r.errorCode() == code, r.describe().constData());
}

void tst_interactive::oversizedInputMessage()
{
    const QString pty = startPty();
    QVERIFY(!pty.isEmpty());
    WsProbe a(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws")), m_api->apiKey());
    QVERIFY(a.waitConnected());
    // Input messages are at most 1 MiB: a bigger one ends the connection.
    a.ws.sendBinaryMessage(QByteArray(2 * 1024 * 1024, 'x'));
    QTRY_VERIFY_WITH_TIMEOUT(a.closed, 10000);
    // The engine and the terminal are fine.
    QCOMPARE(m_api->get(QStringLiteral("/v1/health")).status, 200);
    E2E_EXPECT(sent, m_api->postRaw(path(QStringLiteral("/pty/") + pty + QStringLiteral("/input")), "echo still-$((2+2))\n",
                                    "application/octet-stream"),
               200);
    QByteArray seen;
    QTRY_VERIFY_WITH_TIMEOUT((seen += drain(pty)).contains("still-4"), 10000);
}

void tst_interactive::pauseEndsStreams()
{
    E2E_EXPECT(w, m_api->post(path(QStringLiteral("/watches")), {{QStringLiteral("path"), QStringLiteral("/tmp")}}), 201);
    const QString wid = w.json().value(QStringLiteral("watch_id")).toString();
    WsProbe watch(wsUrl(QStringLiteral("/watches/") + wid + QStringLiteral("/ws")), m_api->apiKey());
    QVERIFY(watch.waitConnected());
    const QString pty = startPty();
    WsProbe term(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws")), m_api->apiKey());
    QVERIFY(term.waitConnected());
    E2E_EXPECT(paused, m_api->post(path(QStringLiteral("/pause")), QJsonObject()), 200);
    QTRY_VERIFY_WITH_TIMEOUT(watch.closed && term.closed, 10000);
    // A new stream on a paused sandbox is refused with a reason, not hung.
    WsProbe late(wsUrl(QStringLiteral("/pty/") + pty + QStringLiteral("/ws")), m_api->apiKey());
    QTRY_VERIFY_WITH_TIMEOUT(late.closed || late.ws.state() == QAbstractSocket::UnconnectedState, 10000);
    E2E_ERROR(m_api->post(path(QStringLiteral("/pty")), QJsonObject()), 409, "conflict");
    E2E_EXPECT(resumed, m_api->post(path(QStringLiteral("/resume")), QJsonObject()), 200);
}

QTEST_MAIN(tst_interactive)
#include "tst_interactive.moc"
