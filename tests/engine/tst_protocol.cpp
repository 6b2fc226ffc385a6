// SPDX-License-Identifier: GPL-3.0-or-later
// protocol/'s wire types: what toJson writes, fromJson reads back; absent
// optional fields are tolerated; a malformed value gives a sentence.
#include "ActivityFields.h"
#include "ActivityLogPage.h"
#include "ActivityRecord.h"
#include "ApiPaths.h"
#include "CurrentMetrics.h"
#include "FileEntry.h"
#include "MetricsHistoryPage.h"
#include "MetricsSample.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

constexpr qint64 kT0 = 1795341600000; // 2026-11-22T10:00:00.000Z

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

// What the engine's reply writer sends.
QByteArray wire(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sampleRoundTrip_data()
    {
        QTest::addColumn<MetricsSample>("sample");
        QTest::newRow("zeros, no network") << MetricsSample{kT0, 0, 0, 0};
        QTest::newRow("busy") << MetricsSample{kT0 + 1500, 150.25, 3 * 1048576, 9, 123456789012, 7, 3, 1};
        QTest::newRow("counters at zero") << MetricsSample{kT0, 0.5, 1, 1, 0, 0, 0, 0};
    }
    void sampleRoundTrip()
    {
        QFETCH(MetricsSample, sample);
        const auto back = MetricsSample::fromJson(QJsonDocument::fromJson(wire(sample.toJson())).object());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(*back, sample);
    }

    // The engine's history points, as it wrote them before the type existed.
    void sampleWireForm()
    {
        const MetricsSample s{kT0, 12.5, 1048576, 3, 10, 20, 1, 2};
        QCOMPARE(wire(s.toJson()),
                 QByteArray(R"({"cpu_percent":12.5,"memory_bytes":1048576,"net_in_bytes":10,"net_in_packets":1,)"
                            R"("net_out_bytes":20,"net_out_packets":2,"pids":3,"timestamp":"2026-11-22T10:00:00.000Z"})"));
        // An engine without networking leaves the counters out.
        const MetricsSample old{kT0, 1, 1, 1};
        QVERIFY(!old.toJson().contains(QStringLiteral("net_in_bytes")));
    }

    void sampleMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("time"); // MetricsSample::Time
        QTest::addColumn<QString>("sentence"); // empty: reads
        const QByteArray t = R"({"timestamp": "2026-11-22T10:00:00.000Z", )";
        QTest::newRow("complete") << t + R"("cpu_percent": 1, "memory_bytes": 2, "pids": 3})" << 0 << QString();
        QTest::newRow("not an object") << QByteArray("[]") << 0 << QStringLiteral("The metrics reading has no valid timestamp.");
        QTest::newRow("no time") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2, "pids": 3})") << 0
                                 << QStringLiteral("The metrics reading has no valid timestamp.");
        QTest::newRow("no time, optional") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2})") << 1 << QString();
        QTest::newRow("bad time, optional") << QByteArray(R"({"timestamp": "noon", "cpu_percent": 1, "memory_bytes": 2})")
                                            << 1 << QStringLiteral("The metrics reading has no valid timestamp.");
        QTest::newRow("cpu a string") << t + R"("cpu_percent": "1", "memory_bytes": 2, "pids": 3})" << 0
                                      << QStringLiteral("The metrics reading has no CPU figure.");
        QTest::newRow("negative memory") << t + R"("cpu_percent": 1, "memory_bytes": -2, "pids": 3})" << 0
                                         << QStringLiteral("The metrics reading has no memory figure.");
        QTest::newRow("no pids") << t + R"("cpu_percent": 1, "memory_bytes": 2})" << 0
                                 << QStringLiteral("The metrics reading has no process count.");
        QTest::newRow("fractional packets") << t + R"("cpu_percent": 1, "memory_bytes": 2, "pids": 3, "net_in_packets": 0.5})"
                                            << 0 << QStringLiteral("The metrics reading has no valid network counter.");
        QTest::newRow("null counter") << t + R"("cpu_percent": 1, "memory_bytes": 2, "pids": 3, "net_out_bytes": null})"
                                      << 0 << QStringLiteral("The metrics reading has no valid network counter.");
    }
    void sampleMalformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, time);
        QFETCH(QString, sentence);
        const auto r = MetricsSample::fromJson(QJsonDocument::fromJson(json).isArray()
                                                   ? QJsonValue(QJsonDocument::fromJson(json).array())
                                                   : QJsonValue(QJsonDocument::fromJson(json).object()),
                                               MetricsSample::Time(time));
        QCOMPARE(r.ok(), sentence.isEmpty());
        if (!r.ok())
            QCOMPARE(r.error().message, sentence);
        else
            QCOMPARE(r->netInBytes, -1);
    }

    void historyRoundTrip()
    {
        MetricsHistoryPage page;
        page.cpuCount = 2;
        page.memoryLimitBytes = 536870912;
        page.samples = {{kT0, 0.5, 1048576, 2, 0, 0, 0, 0}, {kT0 + 1000, 100, 2097152, 4, 10, 5, 2, 1}};
        const auto back = MetricsHistoryPage::fromJson(wire(page.toJson()));
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(*back, page);
        const MetricsHistoryPage empty{{}, 1, 2};
        QCOMPARE(wire(empty.toJson()), QByteArray(R"({"cpu_count":1,"memory_limit_bytes":2,"samples":[]})"));
    }

    void historyMalformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("not JSON") << QByteArray("<html>") << QStringLiteral("The engine's metrics history is not a JSON object.");
        QTest::newRow("no samples") << QByteArray(R"({"cpu_count": 1, "memory_limit_bytes": 1})")
                                    << QStringLiteral("The engine's metrics history has no list of readings.");
        QTest::newRow("no cpus") << QByteArray(R"({"samples": [], "memory_limit_bytes": 1})")
                                 << QStringLiteral("The engine's metrics history does not say how many CPUs the sandbox has.");
        QTest::newRow("limit a string") << QByteArray(R"({"samples": [], "cpu_count": 1, "memory_limit_bytes": "1"})")
                                        << QStringLiteral("The engine's metrics history does not say the sandbox's memory limit.");
        QTest::newRow("second reading bad")
            << QByteArray(R"({"cpu_count": 1, "memory_limit_bytes": 1, "samples": [)"
                          R"({"timestamp": "2026-11-22T10:00:00.000Z", "cpu_percent": 1, "memory_bytes": 1, "pids": 1}, 7]})")
            << QStringLiteral("Reading 2 of the engine's metrics history has no valid timestamp.");
    }
    void historyMalformed()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, sentence);
        const auto r = MetricsHistoryPage::fromJson(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, sentence);
    }

    void currentRoundTrip_data()
    {
        QTest::addColumn<CurrentMetrics>("metrics");
        CurrentMetrics paused;
        paused.sample = {kT0, 0, 0, 0, 5, 6, 7, 8};
        paused.cpuCount = 1;
        paused.memoryLimitBytes = 268435456;
        QTest::newRow("paused, no disk") << paused;
        CurrentMetrics running = paused;
        running.sample = {kT0 + 1, 37.5, 10485760, 12, 1000, 2000, 10, 20};
        running.oomKills = 2;
        running.uptimeSeconds = 61.25;
        running.diskBytes = 4096;
        running.diskLimitBytes = 1073741824;
        QTest::newRow("running with a disk") << running;
    }
    void currentRoundTrip()
    {
        QFETCH(CurrentMetrics, metrics);
        const auto back = CurrentMetrics::fromJson(QJsonDocument::fromJson(wire(metrics.toJson())).object());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(*back, metrics);
    }

    void currentWireForm()
    {
        CurrentMetrics m;
        m.sample = {kT0, 0, 0, 0, 0, 0, 0, 0};
        m.cpuCount = 1;
        m.memoryLimitBytes = 512;
        QCOMPARE(wire(m.toJson()),
                 QByteArray(R"({"cpu_count":1,"cpu_percent":0,"disk_bytes":null,"disk_limit_bytes":null,)"
                            R"("memory_bytes":0,"memory_limit_bytes":512,"net_in_bytes":0,"net_in_packets":0,)"
                            R"("net_out_bytes":0,"net_out_packets":0,"oom_kills":0,"pids":0,)"
                            R"("timestamp":"2026-11-22T10:00:00.000Z","uptime_seconds":0})"));
    }

    void currentTolerantAndMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("an older engine's") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2})") << QString();
        QTest::newRow("no cpu") << QByteArray(R"({"memory_bytes": 2})")
                                << QStringLiteral("The engine's metrics answer has no CPU figure.");
        QTest::newRow("oom kills a string") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2, "oom_kills": "1"})")
                                            << QStringLiteral("The engine's metrics answer has no valid count of OOM kills.");
        QTest::newRow("negative uptime") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2, "uptime_seconds": -1})")
                                         << QStringLiteral("The engine's metrics answer has no valid uptime.");
        QTest::newRow("disk an object") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2, "disk_bytes": {}})")
                                        << QStringLiteral("The engine's metrics answer has no valid disk figure.");
        QTest::newRow("fractional cpu count") << QByteArray(R"({"cpu_percent": 1, "memory_bytes": 2, "cpu_count": 1.5})")
                                              << QStringLiteral("The engine's metrics answer has no valid CPU count.");
    }
    void currentTolerantAndMalformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, sentence);
        const auto r = CurrentMetrics::fromJson(QJsonDocument::fromJson(json).object());
        QCOMPARE(r.ok(), sentence.isEmpty());
        if (!r.ok()) {
            QCOMPARE(r.error().message, sentence);
        } else {
            QCOMPARE(r->oomKills, 0);
            QVERIFY(!r->diskBytes);
        }
        QVERIFY(!CurrentMetrics::fromJson(QJsonValue(42)).ok());
    }

    void fileRoundTrip_data()
    {
        QTest::addColumn<FileEntry>("entry");
        FileEntry file;
        file.name = QStringLiteral("a b.txt");
        file.path = QStringLiteral("/home/sandbox/a b.txt");
        file.size = 26;
        file.mode = 0644;
        file.mtime = QDateTime::fromMSecsSinceEpoch(kT0 + 123, Qt::UTC);
        file.owner = QStringLiteral("sandbox");
        QTest::newRow("file") << file;
        FileEntry link = file;
        link.type = FileEntry::Type::Symlink;
        link.symlinkTarget = QStringLiteral("../x");
        link.mode = 04755;
        QTest::newRow("link, setuid") << link;
        FileEntry dir = file;
        dir.type = FileEntry::Type::Dir;
        dir.mtime = {};
        QTest::newRow("dir without a time") << dir;
    }
    void fileRoundTrip()
    {
        QFETCH(FileEntry, entry);
        const auto back = FileEntry::fromJson(QJsonDocument::fromJson(wire(entry.toJson())).object());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(*back, entry);
    }

    void fileWireForm()
    {
        FileEntry e;
        e.name = QStringLiteral("app.py");
        e.path = QStringLiteral("/home/sandbox/app.py");
        e.size = 26;
        e.mode = 420;
        e.mtime = QDateTime::fromMSecsSinceEpoch(kT0, Qt::UTC);
        e.owner = QStringLiteral("sandbox");
        QCOMPARE(wire(e.toJson()), QByteArray(R"({"mode":420,"mtime":"2026-11-22T10:00:00.000Z","name":"app.py",)"
                                              R"("owner":"sandbox","path":"/home/sandbox/app.py","size":26,)"
                                              R"("symlink_target":null,"type":"file"})"));
    }

    void fileTolerantAndMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("only what is needed") << QByteArray(R"({"path": "/a/b", "type": "dir", "size": 0})") << QString();
        QTest::newRow("relative path") << QByteArray(R"({"path": "a", "type": "file", "size": 0})")
                                       << QStringLiteral("The engine's file listing is not readable: an entry has no absolute path.");
        QTest::newRow("unknown type") << QByteArray(R"({"path": "/a", "type": "fifo", "size": 0})")
                                      << QStringLiteral("The engine's file listing is not readable: the entry /a has an unknown type.");
        QTest::newRow("size a string") << QByteArray(R"({"path": "/a", "type": "file", "size": "1"})")
                                       << QStringLiteral("The engine's file listing is not readable: the entry /a has no size.");
        QTest::newRow("name with a slash") << QByteArray(R"({"name": "x/y", "path": "/a", "type": "file", "size": 1})")
                                           << QStringLiteral("The engine's file listing is not readable: the entry /a has no usable name.");
    }
    void fileTolerantAndMalformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, sentence);
        const auto r = FileEntry::fromJson(object(json.constData()));
        QCOMPARE(r.ok(), sentence.isEmpty());
        if (!r.ok()) {
            QCOMPARE(r.error().message, sentence);
        } else {
            QCOMPARE(r->name, QStringLiteral("b"));
            QVERIFY(!r->mtime.isValid());
            QVERIFY(r->symlinkTarget.isEmpty());
        }
    }

    void activityRoundTrip_data()
    {
        QTest::addColumn<ActivityRecord>("record");
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(kT0, Qt::UTC);
        QTest::newRow("lifecycle") << ActivityRecord{1, t, QStringLiteral("lifecycle"),
                                                     QJsonObject{{QStringLiteral("event"), QStringLiteral("created")}}};
        QTest::newRow("command with nulls")
            << ActivityRecord{2, t, QStringLiteral("command"),
                              object(R"({"command_id": "c1", "cmd": "ls", "cwd": null, "exit_code": 0,)"
                                     R"( "touched": {"paths": [], "partial": false}, "stdout": "a\n"})")};
        QTest::newRow("a kind added later") << ActivityRecord{3, t, QStringLiteral("future"), object(R"({"x": [1, 2]})")};
        QTest::newRow("no time") << ActivityRecord{4, {}, QStringLiteral("file"), object(R"({"op": "mkdir", "path": "/x"})")};
    }
    void activityRoundTrip()
    {
        QFETCH(ActivityRecord, record);
        const auto back = ActivityRecord::fromJson(QJsonDocument::fromJson(wire(record.toJson())).object());
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
        QCOMPARE(*back, record);
    }

    // As the engine wrote its entries before the type existed: the kind's
    // fields with seq, time and kind beside them.
    void activityWireForm()
    {
        const ActivityRecord r{7, QDateTime::fromMSecsSinceEpoch(kT0, Qt::UTC), QStringLiteral("file"),
                               object(R"({"op": "write", "path": "/a", "bytes": 3})")};
        QCOMPARE(wire(r.toJson()), QByteArray(R"({"bytes":3,"kind":"file","op":"write","path":"/a","seq":7,)"
                                              R"("time":"2026-11-22T10:00:00.000Z"})"));
        ActivityLogPage page;
        page.entries = {r};
        page.nextAfter = 7;
        page.running = {5, 7};
        QCOMPARE(wire(page.toJson()), QByteArray(R"({"entries":[)") + wire(r.toJson()) + R"(],"next_after":7,"running":[5,7]})");
    }

    // Every kind's fields as docs/api.md shows them on the wire, read back
    // through ActivityRecord under ActivityFields' names: each key the
    // engine writes and the app reads is spelled once, and spelled right.
    void activityKindFields_data()
    {
        using namespace ActivityFields;
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QJsonObject>("fields");
        const QJsonObject touched{{QStringLiteral("paths"),
                                   QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/home/sandbox/o.txt")},
                                                          {QStringLiteral("change"), QStringLiteral("added")},
                                                          {QStringLiteral("is_dir"), false}}}},
                                  {QStringLiteral("partial"), false}};
        const QString started = QStringLiteral("2026-11-22T10:00:00.000Z");
        const QString ended = QStringLiteral("2026-11-22T10:00:01.500Z");
        QTest::newRow("command, blocking")
            << QByteArray(R"({"seq": 1, "time": "2026-11-22T10:00:01.500Z", "kind": "command", "command_id": "cmd_1",)"
                          R"( "cmd": "echo hi", "cwd": null, "user": "sandbox", "background": false, "pid": 12,)"
                          R"( "status": "exited", "started_at": "2026-11-22T10:00:00.000Z",)"
                          R"( "ended_at": "2026-11-22T10:00:01.500Z", "exit_code": 137, "stdout": "hi\n", "stderr": "",)"
                          R"( "truncated": false, "error": "killed: out of memory",)"
                          R"( "touched": {"paths": [{"path": "/home/sandbox/o.txt", "change": "added", "is_dir": false}],)"
                          R"( "partial": false}})")
            << QString(kKindCommand)
            << QJsonObject{{kCommandId, QStringLiteral("cmd_1")}, {kCmd, QStringLiteral("echo hi")},
                           {kCwd, QJsonValue::Null}, {kUser, QStringLiteral("sandbox")}, {kBackground, false},
                           {kPid, 12}, {kStatus, kStatusExited}, {kStartedAt, started}, {kEndedAt, ended},
                           {kExitCode, 137}, {kStdout, QStringLiteral("hi\n")}, {kStderr, QString()},
                           {kTruncated, false}, {kError, QStringLiteral("killed: out of memory")}, {kTouched, touched}};
        QTest::newRow("command, background and running")
            << QByteArray(R"({"seq": 2, "kind": "command", "command_id": "cmd_2", "cmd": "sleep 9", "cwd": "/tmp",)"
                          R"( "user": "root", "background": true, "pid": null, "status": "running",)"
                          R"( "started_at": "2026-11-22T10:00:00.000Z", "ended_at": null, "exit_code": null,)"
                          R"( "stdout": "", "stderr": "", "truncated": true, "error": null})")
            << QString(kKindCommand)
            << QJsonObject{{kCommandId, QStringLiteral("cmd_2")}, {kCmd, QStringLiteral("sleep 9")},
                           {kCwd, QStringLiteral("/tmp")}, {kUser, QStringLiteral("root")}, {kBackground, true},
                           {kPid, QJsonValue::Null}, {kStatus, kStatusRunning}, {kStartedAt, started},
                           {kEndedAt, QJsonValue::Null}, {kExitCode, QJsonValue::Null}, {kStdout, QString()},
                           {kStderr, QString()}, {kTruncated, true}, {kError, QJsonValue::Null}};
        QTest::newRow("command, lost") << QByteArray(R"({"seq": 3, "kind": "command", "command_id": "cmd_3", "status": "lost"})")
                                       << QString(kKindCommand)
                                       << QJsonObject{{kCommandId, QStringLiteral("cmd_3")}, {kStatus, kStatusLost}};
        QTest::newRow("command, timeout") << QByteArray(R"({"seq": 3, "kind": "command", "command_id": "cmd_4", "status": "timeout"})")
                                          << QString(kKindCommand)
                                          << QJsonObject{{kCommandId, QStringLiteral("cmd_4")}, {kStatus, kStatusTimeout}};
        QTest::newRow("code, error")
            << QByteArray(R"({"seq": 4, "kind": "code", "code": "1/0", "outcome": "error", "stdout": "a", "stderr": "b",)"
                          R"( "result": "", "error": {"name": "ZeroDivisionError", "value": "division by zero",)"
                          R"( "traceback": ["l1", "l2"]}, "execution_count": 3,)"
                          R"( "started_at": "2026-11-22T10:00:00.000Z", "ended_at": "2026-11-22T10:00:01.500Z",)"
                          R"( "touched": null})")
            << QString(kKindCode)
            << QJsonObject{{kCode, QStringLiteral("1/0")}, {kOutcome, kOutcomeError}, {kStdout, QStringLiteral("a")},
                           {kStderr, QStringLiteral("b")}, {kResult, QString()},
                           {kError, QJsonObject{{kErrorName, QStringLiteral("ZeroDivisionError")},
                                                {kErrorValue, QStringLiteral("division by zero")},
                                                {kErrorTraceback, QJsonArray{QStringLiteral("l1"), QStringLiteral("l2")}}}},
                           {kExecutionCount, 3}, {kStartedAt, started}, {kEndedAt, ended}, {kTouched, QJsonValue::Null}};
        QTest::newRow("code, ok")
            << QByteArray(R"({"seq": 5, "kind": "code", "code": "6*7", "outcome": "ok", "result": "42", "error": null,)"
                          R"( "execution_count": null, "touched": {"paths": [{"path": "/home/sandbox/o.txt",)"
                          R"( "change": "added", "is_dir": false}], "partial": false}})")
            << QString(kKindCode)
            << QJsonObject{{kCode, QStringLiteral("6*7")}, {kOutcome, kOutcomeOk}, {kResult, QStringLiteral("42")},
                           {kError, QJsonValue::Null}, {kExecutionCount, QJsonValue::Null}, {kTouched, touched}};
        QTest::newRow("file, write") << QByteArray(R"({"seq": 6, "kind": "file", "op": "write", "path": "/a", "bytes": 3})")
                                     << QString(kKindFile)
                                     << QJsonObject{{kOp, QStringLiteral("write")}, {kPath, QStringLiteral("/a")}, {kBytes, 3}};
        QTest::newRow("file, rename") << QByteArray(R"({"seq": 7, "kind": "file", "op": "rename", "path": "a", "to": "/b"})")
                                      << QString(kKindFile)
                                      << QJsonObject{{kOp, QStringLiteral("rename")}, {kPath, QStringLiteral("a")},
                                                     {kTo, QStringLiteral("/b")}};
        QTest::newRow("file, mkdir") << QByteArray(R"({"seq": 8, "kind": "file", "op": "mkdir", "path": "/d", "created": true})")
                                     << QString(kKindFile)
                                     << QJsonObject{{kOp, QStringLiteral("mkdir")}, {kPath, QStringLiteral("/d")}, {kCreated, true}};
        QTest::newRow("lifecycle, paused")
            << QByteArray(R"({"seq": 9, "kind": "lifecycle", "event": "paused", "pause_kind": "freeze"})") << QString(kKindLifecycle)
            << QJsonObject{{kEvent, QStringLiteral("paused")}, {kPauseKind, QStringLiteral("freeze")}};
        QTest::newRow("lifecycle, killed")
            << QByteArray(R"({"seq": 10, "kind": "lifecycle", "event": "killed", "reason": "its timeout passed"})")
            << QString(kKindLifecycle) << QJsonObject{{kEvent, QStringLiteral("killed")}, {kReason, QStringLiteral("its timeout passed")}};
        QTest::newRow("lifecycle, timeout_changed")
            << QByteArray(R"({"seq": 11, "kind": "lifecycle", "event": "timeout_changed", "end_at": null})")
            << QString(kKindLifecycle) << QJsonObject{{kEvent, QStringLiteral("timeout_changed")}, {kEndAt, QJsonValue::Null}};
        QTest::newRow("lifecycle, network_changed")
            << QByteArray(R"({"seq": 12, "kind": "lifecycle", "event": "network_changed", "network": {"allow_out": []}})")
            << QString(kKindLifecycle)
            << QJsonObject{{kEvent, QStringLiteral("network_changed")},
                           {kNetwork, QJsonObject{{QStringLiteral("allow_out"), QJsonArray()}}}};
        QTest::newRow("pty, opened")
            << QByteArray(R"({"seq": 13, "kind": "pty", "event": "opened", "pty_id": "pty_1", "cmd": "bash",)"
                          R"( "user": "sandbox", "cols": 80, "rows": 24})")
            << QString(kKindPty)
            << QJsonObject{{kEvent, QStringLiteral("opened")}, {kPtyId, QStringLiteral("pty_1")}, {kCmd, QStringLiteral("bash")},
                           {kUser, QStringLiteral("sandbox")}, {kCols, 80}, {kRows, 24}};
        QTest::newRow("pty, closed") << QByteArray(R"({"seq": 14, "kind": "pty", "event": "closed", "pty_id": "pty_1"})")
                                     << QString(kKindPty)
                                     << QJsonObject{{kEvent, QStringLiteral("closed")}, {kPtyId, QStringLiteral("pty_1")}};
    }
    void activityKindFields()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, kind);
        QFETCH(QJsonObject, fields);
        const auto r = ActivityRecord::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->kind, kind);
        const auto known = ActivityRecord::kindFromName(r->kind);
        QVERIFY(known);
        QCOMPARE(ActivityRecord::kindName(*known), kind);
        for (auto it = fields.begin(); it != fields.end(); ++it)
            QVERIFY2(r->fields.value(it.key()) == it.value(), qPrintable(it.key()));
        QCOMPARE(r->fields, fields); // and nothing the names above miss
    }

    void activityMalformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("An activity entry cannot be read: it is not an object.");
        QTest::newRow("no seq") << QByteArray(R"({"kind": "file"})")
                                << QStringLiteral("An activity entry cannot be read: it has no seq of 1 or more.");
        QTest::newRow("seq 0") << QByteArray(R"({"seq": 0, "kind": "file"})")
                               << QStringLiteral("An activity entry cannot be read: it has no seq of 1 or more.");
        QTest::newRow("fractional seq") << QByteArray(R"({"seq": 1.5, "kind": "file"})")
                                        << QStringLiteral("An activity entry cannot be read: it has no seq of 1 or more.");
        QTest::newRow("seq a string") << QByteArray(R"({"seq": "1", "kind": "file"})")
                                      << QStringLiteral("An activity entry cannot be read: it has no seq of 1 or more.");
        QTest::newRow("no kind") << QByteArray(R"({"seq": 3})") << QStringLiteral("An activity entry cannot be read: entry 3 has no kind.");
        QTest::newRow("bad time") << QByteArray(R"({"seq": 3, "kind": "file", "time": "soon"})")
                                  << QStringLiteral("An activity entry cannot be read: entry 3 has no valid time.");
    }
    void activityMalformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, sentence);
        const QJsonDocument doc = QJsonDocument::fromJson(json);
        const auto r = ActivityRecord::fromJson(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, sentence);
    }

    void activityPage_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("sentence"); // empty: reads
        QTest::addColumn<int>("entries");
        QTest::addColumn<int>("skipped");
        QTest::newRow("not JSON") << QByteArray("<html>") << QStringLiteral("The engine's activity log is not valid JSON.") << 0 << 0;
        QTest::newRow("no entries") << QByteArray(R"({"next_after": 0})")
                                    << QStringLiteral("The engine's answer has no activity entries.") << 0 << 0;
        QTest::newRow("negative next_after") << QByteArray(R"({"entries": [], "next_after": -1})")
                                             << QStringLiteral("The engine's activity log has no valid next_after.") << 0 << 0;
        QTest::newRow("no running list") << QByteArray(R"({"entries": [], "next_after": 0})") << QString() << 0 << 0;
        QTest::newRow("junk entries counted")
            << QByteArray(R"({"entries": [{"seq": 1, "kind": "file"}, "junk", {"seq": 2}], "next_after": 2, "running": [2, "x", 2, 1]})")
            << QString() << 1 << 2;
    }
    void activityPage()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, sentence);
        QFETCH(int, entries);
        QFETCH(int, skipped);
        const auto r = ActivityLogPage::fromJson(body);
        QCOMPARE(r.ok(), sentence.isEmpty());
        if (!r.ok()) {
            QCOMPARE(r.error().message, sentence);
            return;
        }
        QCOMPARE(r->entries.size(), entries);
        QCOMPARE(r->skipped, skipped);
        if (entries)
            QCOMPARE(r->running, (QList<qint64>{1, 2}));
    }

    void paths_data()
    {
        QTest::addColumn<QString>("built");
        QTest::addColumn<QString>("expected");
        const QString id = QStringLiteral("sbx_1");
        const QString odd = QStringLiteral("a/b c?");
        QTest::newRow("sandbox") << ApiPaths::sandboxPath(id) << QStringLiteral("/v1/sandboxes/sbx_1");
        QTest::newRow("hostile id stays one segment") << ApiPaths::sandboxPath(odd, QStringLiteral("/pause"))
                                                      << QStringLiteral("/v1/sandboxes/a%2Fb%20c%3F/pause");
        QTest::newRow("metrics") << ApiPaths::metricsPath(id) << QStringLiteral("/v1/sandboxes/sbx_1/metrics");
        QTest::newRow("history") << ApiPaths::metricsHistoryPath(id, kT0)
                                 << QStringLiteral("/v1/sandboxes/sbx_1/metrics?since=1795341600000");
        QTest::newRow("activity") << ApiPaths::activityPath(id, 7, 200)
                                  << QStringLiteral("/v1/sandboxes/sbx_1/activity?after=7&limit=200");
        QTest::newRow("kill") << ApiPaths::commandKillPath(id, odd)
                              << QStringLiteral("/v1/sandboxes/sbx_1/commands/a%2Fb%20c%3F/kill");
        QTest::newRow("code") << ApiPaths::codePath(id) << QStringLiteral("/v1/sandboxes/sbx_1/code");
        QTest::newRow("interrupt") << ApiPaths::codePath(id, QStringLiteral("interrupt"))
                                   << QStringLiteral("/v1/sandboxes/sbx_1/code/interrupt");
        QTest::newRow("content, hostile path")
            << ApiPaths::fileContentPath(id, QStringLiteral("/home/sandbox/a b&c=d+e#f?.txt"))
            << QStringLiteral("/v1/sandboxes/sbx_1/files/content?path=/home/sandbox/a%20b%26c%3Dd%2Be%23f%3F.txt");
        QTest::newRow("list, not ASCII") << ApiPaths::filesPath(id, QStringLiteral("/ü"))
                                         << QStringLiteral("/v1/sandboxes/sbx_1/files?path=/%C3%BC");
        QTest::newRow("list with depth") << ApiPaths::filesPath(id, QStringLiteral("/"), 4)
                                         << QStringLiteral("/v1/sandboxes/sbx_1/files?path=/&depth=4");
        QTest::newRow("stat") << ApiPaths::fileStatPath(id, QStringLiteral("/x")) << QStringLiteral("/v1/sandboxes/sbx_1/files/stat?path=/x");
        QTest::newRow("exists") << ApiPaths::fileExistsPath(id, QStringLiteral("/x"))
                                << QStringLiteral("/v1/sandboxes/sbx_1/files/exists?path=/x");
        QTest::newRow("mkdir") << ApiPaths::mkdirPath(id) << QStringLiteral("/v1/sandboxes/sbx_1/files/mkdir");
        QTest::newRow("rename") << ApiPaths::renamePath(id) << QStringLiteral("/v1/sandboxes/sbx_1/files/rename");
        QTest::newRow("watch socket") << ApiPaths::watchSocketPath(id, QStringLiteral("w1"))
                                      << QStringLiteral("/v1/sandboxes/sbx_1/watches/w1/ws");
        QTest::newRow("diff") << ApiPaths::changesDiffPath(id, QStringLiteral("/etc/a b"))
                              << QStringLiteral("/v1/sandboxes/sbx_1/changes/diff?path=/etc/a%20b");
        QTest::newRow("patch") << ApiPaths::changesPatchPath(id) << QStringLiteral("/v1/sandboxes/sbx_1/changes/patch");
        QTest::newRow("archive") << ApiPaths::changesArchivePath(id) << QStringLiteral("/v1/sandboxes/sbx_1/changes/archive");
        QTest::newRow("archive gz") << ApiPaths::changesArchivePath(id, true)
                                    << QStringLiteral("/v1/sandboxes/sbx_1/changes/archive?format=tar.gz");
        QTest::newRow("pty") << ApiPaths::ptyPath(id) << QStringLiteral("/v1/sandboxes/sbx_1/pty");
        QTest::newRow("pty ws") << ApiPaths::ptyPath(id, QStringLiteral("/7/ws")) << QStringLiteral("/v1/sandboxes/sbx_1/pty/7/ws");
    }
    void paths()
    {
        QFETCH(QString, built);
        QFETCH(QString, expected);
        QCOMPARE(built, expected);
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
