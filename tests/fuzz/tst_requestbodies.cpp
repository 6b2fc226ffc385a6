// SPDX-License-Identifier: GPL-3.0-or-later
// The route bodies' validation (engine/api/RequestBodies), moved out of the
// handlers so it can be fuzzed: the same answers as the handlers gave, as a
// table of valid, malformed and hostile bodies for every route.

#include "api/RequestBodies.h"

#include <QJsonDocument>
#include <QTest>

#include <functional>

class tst_requestbodies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bodies_data();
    void bodies();
    void commandTimeouts();
    void fileQuery_data();
    void fileQuery();
};

namespace {

// Every route's validator as one shape: the agent header (or the value as
// {"v": …}) or the error.
using Validator = std::function<Result<QJsonObject>(const QByteArray &)>;

Result<QJsonObject> wrap(const Result<qint64> &r)
{
    if (!r)
        return r.error();
    return QJsonObject{{QStringLiteral("v"), *r}};
}

Result<QJsonObject> wrap(const Result<bool> &r)
{
    if (!r)
        return r.error();
    return QJsonObject{{QStringLiteral("v"), *r}};
}

Validator validator(const QString &route)
{
    if (route == QLatin1String("timeout"))
        return [](const QByteArray &b) { return wrap(RequestBodies::timeout(b)); };
    if (route == QLatin1String("network"))
        return [](const QByteArray &b) { return RequestBodies::network(b); };
    if (route == QLatin1String("pause"))
        return [](const QByteArray &b) { return wrap(RequestBodies::pause(b)); };
    if (route == QLatin1String("connect"))
        return [](const QByteArray &b) { return wrap(RequestBodies::connect(b)); };
    if (route == QLatin1String("command"))
        return [](const QByteArray &b) {
            int ms = 0;
            return RequestBodies::command(b, &ms);
        };
    if (route == QLatin1String("kill"))
        return [](const QByteArray &b) { return RequestBodies::kill(b, QStringLiteral("cmd_1")); };
    if (route == QLatin1String("code"))
        return [](const QByteArray &b) { return RequestBodies::runCode(b); };
    if (route == QLatin1String("pty"))
        return [](const QByteArray &b) { return RequestBodies::ptyStart(b); };
    if (route == QLatin1String("resize"))
        return [](const QByteArray &b) { return RequestBodies::ptyResize(b); };
    if (route == QLatin1String("watch"))
        return [](const QByteArray &b) { return RequestBodies::watchStart(b); };
    if (route == QLatin1String("rename"))
        return [](const QByteArray &b) {
            return RequestBodies::fileBody(b, QStringLiteral("rename"), {QStringLiteral("from"), QStringLiteral("to")});
        };
    if (route == QLatin1String("mkdir"))
        return [](const QByteArray &b) { return RequestBodies::fileBody(b, QStringLiteral("mkdir"), {QStringLiteral("path")}); };
    qFatal("bad test data: no route %s", qPrintable(route));
}

} // namespace

void tst_requestbodies::bodies_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");        // 0: accepted
    QTest::addColumn<QByteArray>("result"); // accepted: the compact JSON; refused: part of the sentence

    QTest::newRow("timeout") << "timeout" << QByteArray(R"({"timeout":60})") << 0 << QByteArray(R"({"v":60})");
    QTest::newRow("timeout missing") << "timeout" << QByteArray("{}") << 400 << QByteArray("is required");
    QTest::newRow("timeout empty body") << "timeout" << QByteArray("") << 400 << QByteArray("body is empty");
    QTest::newRow("timeout fraction") << "timeout" << QByteArray(R"({"timeout":1.5})") << 400 << QByteArray("whole number");
    QTest::newRow("network") << "network" << QByteArray(R"({"allow_internet_access":false})") << 0
                             << QByteArray(R"({"allow_internet_access":false})");
    QTest::newRow("network lists") << "network" << QByteArray(R"({"network":{"deny_out":["0.0.0.0/0"]}})") << 0
                                   << QByteArray(R"({"network":{"deny_out":["0.0.0.0/0"]}})");
    QTest::newRow("network nothing") << "network" << QByteArray("{}") << 400 << QByteArray("Give 'allow_internet_access'");
    QTest::newRow("network empty body") << "network" << QByteArray("") << 400 << QByteArray("body is empty");
    QTest::newRow("network unknown field") << "network" << QByteArray(R"({"allow_out":[]})") << 400
                                           << QByteArray("Unknown field 'allow_out'");
    QTest::newRow("network bad rule") << "network" << QByteArray(R"({"network":{"allow_out":["1.2.3.4/99"]}})") << 400
                                      << QByteArray("0 … 32");
    QTest::newRow("timeout unknown field") << "timeout" << QByteArray(R"({"timeout":1,"x":2})") << 400 << QByteArray("Unknown field 'x'");
    QTest::newRow("pause empty") << "pause" << QByteArray("") << 0 << QByteArray(R"({"v":false})");
    QTest::newRow("pause keep") << "pause" << QByteArray(R"({"keep_memory":true})") << 0 << QByteArray(R"({"v":true})");
    QTest::newRow("pause null") << "pause" << QByteArray(R"({"keep_memory":null})") << 0 << QByteArray(R"({"v":false})");
    QTest::newRow("pause string") << "pause" << QByteArray(R"({"keep_memory":"yes"})") << 400 << QByteArray("true or false");
    QTest::newRow("connect") << "connect" << QByteArray(R"({"auto_resume":true})") << 0 << QByteArray(R"({"v":true})");
    // As before the move: null is not a boolean here (unlike keep_memory).
    QTest::newRow("connect null") << "connect" << QByteArray(R"({"auto_resume":null})") << 400 << QByteArray("true or false");
    QTest::newRow("connect array") << "connect" << QByteArray("[]") << 400 << QByteArray("must be a JSON object");

    QTest::newRow("command run") << "command" << QByteArray(R"({"cmd":"ls","cwd":"/tmp","user":"root","timeout":5})") << 0
                                 << QByteArray(R"({"cmd":"ls","cwd":"/tmp","op":"run","timeout_ms":5000,"user":"root"})");
    QTest::newRow("command start") << "command" << QByteArray(R"({"cmd":"sleep 9","background":true,"env":{"A":"1"}})") << 0
                                   << QByteArray(R"({"cmd":"sleep 9","env":{"A":"1"},"op":"start"})");
    QTest::newRow("command blank") << "command" << QByteArray(R"({"cmd":"  "})") << 400 << QByteArray("non-empty string");
    QTest::newRow("command nul") << "command" << QByteArray(R"({"cmd":"a\u0000b"})") << 400 << QByteArray("NUL");
    QTest::newRow("command bad user") << "command" << QByteArray(R"({"cmd":"x","user":"Root"})") << 400 << QByteArray("not a valid user name");
    QTest::newRow("command long timeout") << "command" << QByteArray(R"({"cmd":"x","timeout":121})") << 400 << QByteArray("from 1 to 120");
    QTest::newRow("command env number") << "command" << QByteArray(R"({"cmd":"x","env":{"A":1}})") << 400 << QByteArray("'env.A' must be a string");
    QTest::newRow("kill default") << "kill" << QByteArray("") << 0 << QByteArray(R"({"command_id":"cmd_1","op":"kill"})");
    QTest::newRow("kill 9") << "kill" << QByteArray(R"({"signal":9})") << 0 << QByteArray(R"({"command_id":"cmd_1","op":"kill","signal":9})");
    QTest::newRow("kill 65") << "kill" << QByteArray(R"({"signal":65})") << 400 << QByteArray("from 1 to 64");
    QTest::newRow("code") << "code" << QByteArray(R"({"code":"1+1","timeout":0.5})") << 0
                          << QByteArray(R"({"code":"1+1","op":"code_run","timeout_ms":1000})");
    QTest::newRow("code default timeout") << "code" << QByteArray(R"({"code":""})") << 0
                                          << QByteArray(R"({"code":"","op":"code_run","timeout_ms":300000})");
    QTest::newRow("code not string") << "code" << QByteArray(R"({"code":1})") << 400 << QByteArray("string of Python code");
    QTest::newRow("code zero timeout") << "code" << QByteArray(R"({"code":"x","timeout":0})") << 400 << QByteArray("above 0");
    QTest::newRow("code too large") << "code" << QByteArray("{\"code\":\"" + QByteArray(1024 * 1024 + 1, 'x') + "\"}") << 413
                                    << QByteArray("larger than 1 MiB");
    QTest::newRow("pty defaults") << "pty" << QByteArray("") << 0 << QByteArray(R"({"cols":80,"op":"pty_start","rows":24})");
    QTest::newRow("pty full") << "pty" << QByteArray(R"({"cols":100,"rows":30,"cmd":"/bin/sh","cwd":"/","user":"sandbox"})") << 0
                              << QByteArray(R"({"cmd":"/bin/sh","cols":100,"cwd":"/","op":"pty_start","rows":30,"user":"sandbox"})");
    QTest::newRow("pty huge") << "pty" << QByteArray(R"({"cols":1001})") << 400 << QByteArray("from 1 to 1000");
    QTest::newRow("resize") << "resize" << QByteArray(R"({"cols":10,"rows":5})") << 0 << QByteArray(R"({"cols":10,"op":"pty_resize","rows":5})");
    QTest::newRow("resize one") << "resize" << QByteArray(R"({"cols":10})") << 400 << QByteArray("Both 'cols' and 'rows'");
    QTest::newRow("resize null cols") << "resize" << QByteArray(R"({"cols":null,"rows":2})") << 400 << QByteArray("Both 'cols' and 'rows'");
    QTest::newRow("resize null rows") << "resize" << QByteArray(R"({"cols":2,"rows":null})") << 400 << QByteArray("Both 'cols' and 'rows'");
    QTest::newRow("resize zero") << "resize" << QByteArray(R"({"cols":0,"rows":5})") << 400 << QByteArray("from 1 to 1000");
    QTest::newRow("watch") << "watch" << QByteArray(R"({"path":"/tmp","recursive":true})") << 0
                           << QByteArray(R"({"op":"watch_start","path":"/tmp","recursive":true})");
    QTest::newRow("watch no path") << "watch" << QByteArray("{}") << 400 << QByteArray("'path' must be a string");
    QTest::newRow("watch empty path") << "watch" << QByteArray(R"({"path":""})") << 400 << QByteArray("must not be empty");
    QTest::newRow("rename") << "rename" << QByteArray(R"({"from":"/a","to":"/b"})") << 0 << QByteArray(R"({"from":"/a","op":"rename","to":"/b"})");
    QTest::newRow("rename no to") << "rename" << QByteArray(R"({"from":"/a"})") << 400 << QByteArray("'to' must be a string path");
    QTest::newRow("mkdir long") << "mkdir" << QByteArray("{\"path\":\"/" + QByteArray(4096, 'a') + "\"}") << 400
                                << QByteArray("longer than 4096");
    QTest::newRow("mkdir not json") << "mkdir" << QByteArray("{path}") << 400 << QByteArray("not valid JSON");
}

void tst_requestbodies::bodies()
{
    QFETCH(QString, route);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, result);
    const Result<QJsonObject> r = validator(route)(body);
    if (status == 0) {
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(QJsonDocument(*r).toJson(QJsonDocument::Compact), result);
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().httpStatus, status);
        QVERIFY2(r.error().message.contains(QString::fromUtf8(result)), qPrintable(r.error().message));
    }
}

void tst_requestbodies::commandTimeouts()
{
    // A blocking command: the agent's limit plus 10 s of slack for the engine.
    int ms = 0;
    QVERIFY(RequestBodies::command(R"({"cmd":"x","timeout":7})", &ms));
    QCOMPARE(ms, 17000);
    QVERIFY(RequestBodies::command(R"({"cmd":"x"})", &ms));
    QCOMPARE(ms, 130000);
    // A background one only waits for the agent to start it.
    QVERIFY(RequestBodies::command(R"({"cmd":"x","background":true,"timeout":7})", &ms));
    QCOMPARE(ms, 30000);
}

void tst_requestbodies::fileQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("result");

    QTest::newRow("path") << "path=%2Ftmp%2Fa%20b.txt" << 0 << QByteArray(R"({"op":"read","path":"/tmp/a b.txt"})");
    QTest::newRow("path and user") << "path=/x&user=sandbox" << 0 << QByteArray(R"({"op":"read","path":"/x","user":"sandbox"})");
    QTest::newRow("no path") << "user=sandbox" << 400 << QByteArray("is required");
    QTest::newRow("empty path") << "path=" << 400 << QByteArray("must not be empty");
    QTest::newRow("nul in path") << "path=/a%00b" << 400 << QByteArray("NUL");
    QTest::newRow("bad user") << "path=/x&user=..%2F" << 400 << QByteArray("not a valid user name");
}

void tst_requestbodies::fileQuery()
{
    QFETCH(QString, query);
    QFETCH(int, status);
    QFETCH(QByteArray, result);
    const auto r = RequestBodies::fileQuery(QUrlQuery(query), QStringLiteral("read"));
    if (status == 0) {
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(QJsonDocument(*r).toJson(QJsonDocument::Compact), result);
    } else {
        QVERIFY(!r);
        QCOMPARE(r.error().httpStatus, status);
        QVERIFY2(r.error().message.contains(QString::fromUtf8(result)), qPrintable(r.error().message));
    }
}

QTEST_GUILESS_MAIN(tst_requestbodies)
#include "tst_requestbodies.moc"
