// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and malformed requests: each gets the documented status and error
// code with a sentence, the engine keeps answering, and nothing is left
// half-made ("bad input never changes state").

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace E2e;

class tst_badinput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void request_data();
    void request();
    void hugeBodies();
    void tooLargeFileLeavesNothing();

private:
    // What the engine must not change: the list, and the sandbox's commands
    // and home directory.
    QString stateFingerprint();

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_id;
};

// Placeholders in paths and bodies, replaced by the real sandbox id.
static const QString kSbx = QStringLiteral("{SBX}");

void tst_badinput::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;
}

void tst_badinput::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
}

void tst_badinput::cleanupTestCase()
{
    if (m_api && !m_id.isEmpty())
        QCOMPARE(m_api->del(sbx(m_id)).status, 204);
    if (m_engine && m_engine->isRunning())
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    m_api.reset();
    m_engine.reset();
}

QString tst_badinput::stateFingerprint()
{
    QStringList parts;
    const ApiResponse list = m_api->get(QStringLiteral("/v1/sandboxes"));
    for (const QJsonValue &v : list.json().value(QStringLiteral("sandboxes")).toArray()) {
        QJsonObject s = v.toObject();
        parts << QString::fromUtf8(QJsonDocument(s).toJson(QJsonDocument::Compact));
    }
    // The command list grows with every accepted command: a refused one must
    // not appear. `ls -laR` of the home shows any half-written file.
    const ApiResponse cmds = m_api->get(sbx(m_id, QStringLiteral("/commands")));
    parts << QString::number(cmds.json().value(QStringLiteral("commands")).toArray().size());
    const ApiResponse home = m_api->get(sbx(m_id, QStringLiteral("/files?path=%2Fhome%2Fsandbox&depth=4")));
    for (const QJsonValue &v : home.json().value(QStringLiteral("entries")).toArray())
        parts << v.toObject().value(QStringLiteral("path")).toString();
    return parts.join(QLatin1Char('\n'));
}

void tst_badinput::request_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");

    const QString create = QStringLiteral("/v1/sandboxes");
    const QString cmds = QStringLiteral("/v1/sandboxes/{SBX}/commands");
    const QString files = QStringLiteral("/v1/sandboxes/{SBX}/files");
    auto row = [](const char *name, const QByteArray &m, const QString &p, const QByteArray &b, int s, const char *c) {
        QTest::newRow(name) << m << p << b << s << QString::fromLatin1(c);
    };

    // Bodies that are not JSON objects.
    row("create: not json", "POST", create, "{not json", 400, "invalid_json");
    row("create: truncated", "POST", create, R"({"timeout": 10)", 400, "invalid_json");
    row("create: array", "POST", create, "[]", 400, "invalid_json");
    row("create: string", "POST", create, R"("base")", 400, "invalid_json");
    row("create: number", "POST", create, "42", 400, "invalid_json");
    row("create: null", "POST", create, "null", 400, "invalid_json");
    row("create: binary", "POST", create, QByteArray("\xff\xfe\0{", 4), 400, "invalid_json");

    // Fields of the wrong type, unknown, or out of range.
    row("create: unknown field", "POST", create, R"({"templat": "base"})", 400, "bad_request");
    row("create: template number", "POST", create, R"({"template": 1})", 400, "bad_request");
    row("create: unknown template", "POST", create, R"({"template": "no-such-template"})", 400, "bad_request");
    row("create: template path", "POST", create, R"({"template": "../base"})", 400, "bad_request");
    row("create: timeout 0", "POST", create, R"({"timeout": 0})", 400, "bad_request");
    row("create: timeout -5", "POST", create, R"({"timeout": -5})", 400, "bad_request");
    row("create: timeout 86401", "POST", create, R"({"timeout": 86401})", 400, "bad_request");
    row("create: timeout 1.5", "POST", create, R"({"timeout": 1.5})", 400, "bad_request");
    row("create: timeout string", "POST", create, R"({"timeout": "10"})", 400, "bad_request");
    row("create: timeout huge", "POST", create, R"({"timeout": 1e300})", 400, "bad_request");
    row("create: metadata array", "POST", create, R"({"metadata": ["a"]})", 400, "bad_request");
    row("create: metadata number value", "POST", create, R"({"metadata": {"a": 1}})", 400, "bad_request");
    row("create: envs bad name", "POST", create, R"({"envs": {"1ABC": "x"}})", 400, "bad_request");
    row("create: envs name with =", "POST", create, R"({"envs": {"A=B": "x"}})", 400, "bad_request");
    row("create: envs value null", "POST", create, R"({"envs": {"A": null}})", 400, "bad_request");
    row("create: cpu 0", "POST", create, R"({"cpu_count": 0})", 400, "bad_request");
    row("create: cpu 65", "POST", create, R"({"cpu_count": 65})", 400, "bad_request");
    row("create: memory 63", "POST", create, R"({"memory_mb": 63})", 400, "bad_request");
    row("create: memory 65537", "POST", create, R"({"memory_mb": 65537})", 400, "bad_request");
    row("create: memory bool", "POST", create, R"({"memory_mb": true})", 400, "bad_request");
    {
        // 2049 bytes as compact JSON: {"k":"vvv…"} is 8 bytes of framing.
        const QByteArray value(2049 - 8, 'v');
        const QByteArray body = R"({"metadata": {"k": ")" + value + R"("}})";
        row("create: metadata 2049 bytes", "POST", create, body, 413, "too_large");
    }

    // Lists and unknown things.
    row("list: unknown state", "GET", create + QStringLiteral("?state=deleted"), {}, 400, "bad_request");
    row("unknown sandbox", "GET", QStringLiteral("/v1/sandboxes/sbx_0000000000000000"), {}, 404, "not_found");
    row("malformed sandbox id", "GET", QStringLiteral("/v1/sandboxes/..%2F..%2Fetc"), {}, 404, "not_found");
    row("kill unknown sandbox", "DELETE", QStringLiteral("/v1/sandboxes/sbx_0000000000000000"), {}, 404, "not_found");
    row("unknown endpoint", "GET", QStringLiteral("/v1/sandboxes/{SBX}/nothing"), {}, 404, "not_found");
    row("timeout not json", "POST", QStringLiteral("/v1/sandboxes/{SBX}/timeout"), "x", 400, "invalid_json");
    row("timeout string", "POST", QStringLiteral("/v1/sandboxes/{SBX}/timeout"), R"({"timeout": "60"})", 400, "bad_request");
    row("resume running", "POST", QStringLiteral("/v1/sandboxes/{SBX}/resume"), {}, 409, "conflict");

    // Commands.
    row("cmd: not json", "POST", cmds, "cmd=ls", 400, "invalid_json");
    row("cmd: missing", "POST", cmds, "{}", 400, "bad_request");
    row("cmd: empty", "POST", cmds, R"({"cmd": ""})", 400, "bad_request");
    row("cmd: array", "POST", cmds, R"({"cmd": ["ls"]})", 400, "bad_request");
    row("cmd: unknown field", "POST", cmds, R"({"cmd": "true", "shell": "sh"})", 400, "bad_request");
    row("cmd: unknown user", "POST", cmds, R"({"cmd": "true", "user": "nobody-here"})", 400, "bad_request");
    row("cmd: user number", "POST", cmds, R"({"cmd": "true", "user": 0})", 400, "bad_request");
    // A missing working directory is "an unknown file" (404) rather than "a bad
    // path" (400): api.md allows both readings; the engine and agent say 404.
    row("cmd: missing cwd", "POST", cmds, R"({"cmd": "true", "cwd": "/no/such/dir"})", 400, "bad_request");
    row("cmd: env number", "POST", cmds, R"({"cmd": "true", "env": {"A": 1}})", 400, "bad_request");
    row("cmd: timeout 0", "POST", cmds, R"({"cmd": "true", "timeout": 0})", 400, "bad_request");
    row("cmd: timeout 121", "POST", cmds, R"({"cmd": "true", "timeout": 121})", 400, "bad_request");
    row("cmd: background string", "POST", cmds, R"({"cmd": "true", "background": "yes"})", 400, "bad_request");
    row("cmd: unknown logs", "GET", cmds + QStringLiteral("/cmd_0000000000000000"), {}, 404, "not_found");
    row("cmd: unknown kill", "POST", cmds + QStringLiteral("/cmd_0000000000000000/kill"), {}, 404, "not_found");
    row("cmd: unknown stdin", "POST", cmds + QStringLiteral("/cmd_0000000000000000/stdin"), "x", 404, "not_found");

    // Files.
    row("files: NUL in path (read)", "GET", files + QStringLiteral("/content?path=a%00b"), {}, 400, "bad_request");
    row("files: NUL in path (write)", "PUT", files + QStringLiteral("/content?path=x%00y"), "data", 400, "bad_request");
    row("files: NUL in path (stat)", "GET", files + QStringLiteral("/stat?path=%2Fetc%00"), {}, 400, "bad_request");
    row("files: empty path write", "PUT", files + QStringLiteral("/content?path="), "data", 400, "bad_request");
    row("files: no path write", "PUT", files + QStringLiteral("/content"), "data", 400, "bad_request");
    row("files: empty path remove", "DELETE", files + QStringLiteral("?path="), {}, 400, "bad_request");
    row("files: depth 0", "GET", files + QStringLiteral("?path=.&depth=0"), {}, 400, "bad_request");
    row("files: depth word", "GET", files + QStringLiteral("?path=.&depth=all"), {}, 400, "bad_request");
    row("files: read missing", "GET", files + QStringLiteral("/content?path=nope"), {}, 404, "not_found");
    row("files: remove missing", "DELETE", files + QStringLiteral("?path=nope"), {}, 404, "not_found");
    row("files: mkdir not json", "POST", files + QStringLiteral("/mkdir"), "path=x", 400, "invalid_json");
    row("files: mkdir no path", "POST", files + QStringLiteral("/mkdir"), "{}", 400, "bad_request");
    row("files: mkdir path number", "POST", files + QStringLiteral("/mkdir"), R"({"path": 5})", 400, "bad_request");
    row("files: rename missing to", "POST", files + QStringLiteral("/rename"), R"({"from": ".bashrc"})", 400, "bad_request");
    row("files: unknown user", "GET", files + QStringLiteral("/exists?path=x&user=ghost"), {}, 400, "bad_request");
}

void tst_badinput::request()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    path.replace(kSbx, m_id);

    const QString before = stateFingerprint();
    const QByteArray type = body.isEmpty() ? QByteArray() : (method == "PUT" ? QByteArray("application/octet-stream") : QByteArray("application/json"));
    const ApiResponse r = m_api->request(method, path, body, type);
    QVERIFY2(r.status == status && r.errorCode() == code,
             qPrintable(QStringLiteral("%1 %2 %3 → %4").arg(QString::fromLatin1(method), path,
                                                          QString::fromUtf8(body.left(80)), QString::fromUtf8(r.describe()))));
    QVERIFY2(r.errorMessage().trimmed().size() > 3, r.describe().constData());
    QVERIFY2(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type").constData());

    // Still alive, still the same.
    ApiClient anonymous(m_engine->baseUrl(), QString());
    QCOMPARE(anonymous.get(QStringLiteral("/v1/health")).status, 200);
    QCOMPARE(stateFingerprint(), before);
}

void tst_badinput::hugeBodies()
{
    // A giant JSON body (8 MiB of nesting and strings) must be refused or
    // parsed, never crash the engine.
    const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
    const ApiResponse r = m_api->postRaw(QStringLiteral("/v1/sandboxes"), deep);
    QVERIFY2(r.status == 400 || r.status == 413, r.describe().constData());
    const QByteArray big = R"({"metadata": {"k": ")" + QByteArray(8 * 1024 * 1024, 'x') + R"("}})";
    const ApiResponse r2 = m_api->postRaw(QStringLiteral("/v1/sandboxes"), big);
    QVERIFY2(r2.status == 413 || r2.status == 400, r2.describe().constData());
    ApiClient anonymous(m_engine->baseUrl(), QString());
    QCOMPARE(anonymous.get(QStringLiteral("/v1/health")).status, 200);
    QCOMPARE(m_api->sandboxIds(), QStringList{m_id});
}

void tst_badinput::tooLargeFileLeavesNothing()
{
    const QString before = stateFingerprint();
    const QByteArray big(32 * 1024 * 1024 + 1, 'z');
    const ApiResponse r = m_api->put(sbx(m_id, QStringLiteral("/files/content?path=big%2Fover.bin")), big);
    E2E_ERROR(r, 413, "too_large");
    QCOMPARE(stateFingerprint(), before);
    E2E_EXPECT(exists, m_api->get(sbx(m_id, QStringLiteral("/files/exists?path=big%2Fover.bin"))), 200);
    QCOMPARE(exists.json().value(QStringLiteral("exists")).toBool(true), false);
    // Exactly 32 MiB is allowed.
    const QByteArray limit(32 * 1024 * 1024, 'z');
    E2E_EXPECT(ok, m_api->put(sbx(m_id, QStringLiteral("/files/content?path=limit.bin")), limit), 200);
    QCOMPARE(ok.json().value(QStringLiteral("written")).toInt(), limit.size());
    E2E_EXPECT(rm, m_api->del(sbx(m_id, QStringLiteral("/files?path=limit.bin"))), 204);
    // A file that grew past 32 MiB inside is refused on download.
    E2E_RUN(grow, *m_api, m_id, QStringLiteral("head -c 33554433 /dev/zero > huge.bin"), QJsonObject(), 0);
    E2E_ERROR(m_api->get(sbx(m_id, QStringLiteral("/files/content?path=huge.bin"))), 413, "too_large");
    E2E_RUN(clean, *m_api, m_id, QStringLiteral("rm huge.bin"), QJsonObject(), 0);
}

QTEST_GUILESS_MAIN(tst_badinput)
#include "tst_badinput.moc"
