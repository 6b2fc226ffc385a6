// SPDX-License-Identifier: GPL-3.0-or-later
// Memory and processes of hostile sandboxes, against the real engine: the
// OOM killer takes a user process (recorded as such), never the agent; the
// agent's kept output is bounded; a dead PID 1 turns the sandbox to `error`;
// a fork bomb is held by the pids limit and ended by killing its command.
// Plus the pure parsers these rely on.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"
#include "../../agent/MemoryCgroup.h"
#include "runtime/SandboxWatchdog.h"
#include "runtime/SessionKiller.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>
#include <QThread>

#include <csignal>
#include <memory>

using namespace E2e;

class tst_memory_processes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    // pure parsers
    void oomKillsParse_data();
    void oomKillsParse();
    void limitParse_data();
    void limitParse();
    void initPid_data();
    void initPid();
    void innerSession_data();
    void innerSession();
    void parseProcs_data();
    void parseProcs();

    // against the engine
    void agentIsProtected();
    void oomKillIsRecorded();
    void keptOutputIsBounded();
    void deadPid1IsError();
    void forkBombIsEndedByKill();

private:
    QJsonObject metrics(const QString &id);
    // The activity log's entry of command `commandId`, or {}.
    QJsonObject activityEntry(const QString &id, const QString &commandId);
    qint64 agentHostPid(const QString &id) const;

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_memory_processes::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
}

void tst_memory_processes::cleanup()
{
    if (QTest::currentTestFailed() && m_engine)
        m_engine->printLogTail();
    if (m_api)
        QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_memory_processes::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning())
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    m_api.reset();
    m_engine.reset();
}

QJsonObject tst_memory_processes::metrics(const QString &id)
{
    return m_api->get(sbx(id, QStringLiteral("/metrics"))).json();
}

QJsonObject tst_memory_processes::activityEntry(const QString &id, const QString &commandId)
{
    const QJsonObject page = m_api->get(sbx(id, QStringLiteral("/activity?limit=500"))).json();
    for (const QJsonValue &v : page.value(QStringLiteral("entries")).toArray()) {
        if (v.toObject().value(QStringLiteral("command_id")).toString() == commandId)
            return v.toObject();
    }
    return {};
}

qint64 tst_memory_processes::agentHostPid(const QString &id) const
{
    QProcess p;
    p.start(EngineProcess::runcPath(), {QStringLiteral("--root"), m_engine->runcRoot(), QStringLiteral("state"), id});
    if (!p.waitForFinished(30000))
        return 0;
    return SandboxWatchdog::initPid(p.readAllStandardOutput()).value_or(0);
}

// ---- parsers ---------------------------------------------------------------

void tst_memory_processes::oomKillsParse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("expected"); // -1: none

    QTest::newRow("v1 oom_control") << QByteArray("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n") << qint64(3);
    QTest::newRow("v2 memory.events")
        << QByteArray("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n") << qint64(2);
    QTest::newRow("no newline at end") << QByteArray("oom_kill 7") << qint64(7);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("old kernel: no counter") << QByteArray("oom_kill_disable 0\nunder_oom 0\n") << qint64(-1);
    QTest::newRow("not a number") << QByteArray("oom_kill x1\n") << qint64(-1);
    QTest::newRow("negative") << QByteArray("oom_kill -1\n") << qint64(-1);
    QTest::newRow("oversized") << QByteArray("oom_kill 99999999999999999999999\n") << qint64(-1);
    QTest::newRow("prefix only matches whole key") << QByteArray("oom_killer 5\noom_kill 1\n") << qint64(1);
}

void tst_memory_processes::oomKillsParse()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, expected);
    const auto v = MemoryCgroup::parseOomKills(std::string_view(text.constData(), size_t(text.size())));
    QCOMPARE(v ? qint64(*v) : qint64(-1), expected);
}

void tst_memory_processes::limitParse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("expected"); // -1: none

    QTest::newRow("v1 512 MiB") << QByteArray("536870912\n") << qint64(536870912);
    QTest::newRow("v2 max") << QByteArray("max\n") << qint64(-1);
    QTest::newRow("v1 no limit") << QByteArray("9223372036854771712\n") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
    QTest::newRow("junk") << QByteArray("12k\n") << qint64(-1);
}

void tst_memory_processes::limitParse()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, expected);
    const auto v = MemoryCgroup::parseLimit(std::string_view(text.constData(), size_t(text.size())));
    QCOMPARE(v ? qint64(*v) : qint64(-1), expected);
}

void tst_memory_processes::initPid_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qint64>("expected"); // 0: none

    QTest::newRow("running") << QByteArray(R"({"id":"sbx_a","pid":4242,"status":"running"})") << qint64(4242);
    QTest::newRow("paused (frozen)") << QByteArray(R"({"pid":77,"status":"paused"})") << qint64(77);
    QTest::newRow("stopped") << QByteArray(R"({"pid":0,"status":"stopped"})") << qint64(0);
    QTest::newRow("created, not started") << QByteArray(R"({"pid":12,"status":"created"})") << qint64(0);
    QTest::newRow("pid 1 is never the host's") << QByteArray(R"({"pid":1,"status":"running"})") << qint64(0);
    QTest::newRow("pid as text") << QByteArray(R"({"pid":"12","status":"running"})") << qint64(0);
    QTest::newRow("fractional") << QByteArray(R"({"pid":12.5,"status":"running"})") << qint64(0);
    QTest::newRow("huge") << QByteArray(R"({"pid":1e12,"status":"running"})") << qint64(0);
    QTest::newRow("not json") << QByteArray("container does not exist") << qint64(0);
    QTest::newRow("empty") << QByteArray() << qint64(0);
}

void tst_memory_processes::initPid()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, expected);
    QCOMPARE(SandboxWatchdog::initPid(json).value_or(0), expected);
}

void tst_memory_processes::innerSession_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<qint64>("expected"); // -1: none

    QTest::newRow("nested pid namespace")
        << QByteArray("Name:\tbash\nPid:\t5000\nNSpid:\t5000\t17\nNSsid:\t4990\t12\nVmRSS:\t10 kB\n") << qint64(12);
    QTest::newRow("host namespace only") << QByteArray("NSsid:\t321\n") << qint64(321);
    QTest::newRow("three levels") << QByteArray("NSsid:\t9 8 7\n") << qint64(7);
    QTest::newRow("missing") << QByteArray("Name:\tx\nPid:\t1\n") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("NSsid:\tabc\n") << qint64(-1);
    QTest::newRow("empty value") << QByteArray("NSsid:\n") << qint64(-1);
}

void tst_memory_processes::innerSession()
{
    QFETCH(QByteArray, status);
    QFETCH(qint64, expected);
    QCOMPARE(SessionKiller::innerSession(status).value_or(-1), expected);
}

void tst_memory_processes::parseProcs_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::addColumn<bool>("valid");

    QTest::newRow("three") << QByteArray("10\n11\n12\n") << QList<qint64>{10, 11, 12} << true;
    QTest::newRow("empty cgroup") << QByteArray() << QList<qint64>{} << true;
    QTest::newRow("no final newline") << QByteArray("5") << QList<qint64>{5} << true;
    QTest::newRow("junk line") << QByteArray("5\nfoo\n") << QList<qint64>{} << false;
    QTest::newRow("zero") << QByteArray("0\n") << QList<qint64>{} << false;
}

void tst_memory_processes::parseProcs()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<qint64>, expected);
    QFETCH(bool, valid);
    const auto pids = SessionKiller::parseProcs(text);
    QCOMPARE(pids.has_value(), valid);
    if (valid)
        QCOMPARE(*pids, expected);
}

// ---- the engine -------------------------------------------------------------

void tst_memory_processes::agentIsProtected()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    // Where the engine may lower scores (CAP_SYS_RESOURCE, which this test
    // shares with the engine it started), the agent gets -1000 right after
    // start; elsewhere it keeps 0.
    QFile self(QStringLiteral("/proc/self/status"));
    QVERIFY(self.open(QIODevice::ReadOnly));
    const QByteArray status = self.readAll();
    const qsizetype at = status.indexOf("CapEff:");
    QVERIFY(at >= 0);
    const bool mayLower = (status.mid(at + 7, 20).trimmed().left(16).toULongLong(nullptr, 16) >> 24) & 1;
    const QString wanted = mayLower ? QStringLiteral("-1000") : QStringLiteral("0");
    QString score;
    for (int i = 0; i < 50 && score != wanted; ++i) {
        E2E_RUN(s, *m_api, id, QStringLiteral("cat /proc/1/oom_score_adj"), QJsonObject(), 0);
        score = s.trimmed();
        if (score != wanted)
            QTest::qWait(100);
    }
    QCOMPARE(score, wanted);
    // Its children are the first victims: commands of any user, terminals' too.
    E2E_RUN(mine, *m_api, id, QStringLiteral("cat /proc/self/oom_score_adj"), QJsonObject(), 0);
    QCOMPARE(mine.trimmed(), QStringLiteral("1000"));
    E2E_RUN(rootOwn, *m_api, id, QStringLiteral("cat /proc/self/oom_score_adj"),
            (QJsonObject{{QStringLiteral("user"), QStringLiteral("root")}}), 0);
    QCOMPARE(rootOwn.trimmed(), QStringLiteral("1000"));
    // The kernel's own ranking: the agent scores below any of its children.
    E2E_RUN(scores, *m_api, id, QStringLiteral("cat /proc/1/oom_score /proc/self/oom_score"), QJsonObject(), 0);
    const QStringList both = scores.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(both.size(), 2);
    QVERIFY2(both.at(0).toInt() < both.at(1).toInt(), qPrintable(scores));
    // The host sees the same value for the agent's host pid.
    const qint64 pid = agentHostPid(id);
    QVERIFY(pid > 1);
    QFile adj(QStringLiteral("/proc/%1/oom_score_adj").arg(pid));
    QVERIFY(adj.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromLatin1(adj.readAll().trimmed()), wanted);
}

void tst_memory_processes::oomKillIsRecorded()
{
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("memory_mb"), 256}}));
    // Allocates (and touches) 16 MiB at a time until the cgroup's limit.
    const QString hog = QStringLiteral(
        "python3 -c 'b = []\nwhile True: b.append(bytearray(16 << 20))'");
    E2E_EXPECT(run, m_api->run(id, hog), 200);
    const QJsonObject r = run.json();
    QCOMPARE(r.value(QStringLiteral("exit_code")).toInt(), 137);
    QCOMPARE(r.value(QStringLiteral("error")).toString(), QStringLiteral("killed: out of memory"));
    const QString cmdId = r.value(QStringLiteral("command_id")).toString();

    // The same in the command's logs and the activity log.
    E2E_EXPECT(logs, m_api->get(sbx(id, QStringLiteral("/commands/") + cmdId)), 200);
    QCOMPARE(logs.json().value(QStringLiteral("error")).toString(), QStringLiteral("killed: out of memory"));
    const QJsonObject entry = activityEntry(id, cmdId);
    QCOMPARE(entry.value(QStringLiteral("error")).toString(), QStringLiteral("killed: out of memory"));
    QCOMPARE(entry.value(QStringLiteral("exit_code")).toInt(), 137);

    // A background command through a shell: exit 137 from bash, same finding.
    E2E_EXPECT(started, m_api->post(sbx(id, QStringLiteral("/commands")),
                                    QJsonObject{{QStringLiteral("cmd"), hog + QStringLiteral("; exit $?")},
                                                {QStringLiteral("background"), true}}),
               201);
    const QString bgId = started.json().value(QStringLiteral("command_id")).toString();
    QJsonObject bg;
    QTRY_VERIFY_WITH_TIMEOUT((bg = m_api->get(sbx(id, QStringLiteral("/commands/") + bgId)).json())
                                     .value(QStringLiteral("status"))
                                     .toString() != QLatin1String("running"),
                             60000);
    QCOMPARE(bg.value(QStringLiteral("exit_code")).toInt(), 137);
    QCOMPARE(bg.value(QStringLiteral("error")).toString(), QStringLiteral("killed: out of memory"));
    QTRY_COMPARE_WITH_TIMEOUT(activityEntry(id, bgId).value(QStringLiteral("error")).toString(),
                              QStringLiteral("killed: out of memory"), 10000);

    // A plain SIGKILL is not an OOM kill.
    E2E_EXPECT(killed, m_api->run(id, QStringLiteral("kill -9 $$")), 200);
    QCOMPARE(killed.json().value(QStringLiteral("exit_code")).toInt(), 137);
    QVERIFY2(killed.json().value(QStringLiteral("error")).isNull(), killed.describe().constData());

    // The agent survived and the sandbox works.
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    E2E_RUN(ok, *m_api, id, QStringLiteral("echo still here"), QJsonObject(), 0);
    QCOMPARE(ok.trimmed(), QStringLiteral("still here"));
}

void tst_memory_processes::keptOutputIsBounded()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    // 40 commands of 4 MiB each: 160 MiB, well past the agent's 64 MiB budget.
    constexpr int kCommands = 40;
    QStringList ids;
    for (int i = 0; i < kCommands; ++i) {
        E2E_EXPECT(s, m_api->post(sbx(id, QStringLiteral("/commands")),
                                  QJsonObject{{QStringLiteral("cmd"), QStringLiteral("head -c 4194304 /dev/zero | tr '\\0' x")},
                                              {QStringLiteral("background"), true}}),
                   201);
        ids << s.json().value(QStringLiteral("command_id")).toString();
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const QJsonArray all = m_api->get(sbx(id, QStringLiteral("/commands"))).json().value(QStringLiteral("commands")).toArray();
            for (const QJsonValue &v : all) {
                if (v.toObject().value(QStringLiteral("status")).toString() == QLatin1String("running"))
                    return false;
            }
            return all.size() >= kCommands;
        }(),
        120000);
    // The oldest lost their output, visibly; the newest kept all of it.
    E2E_EXPECT(first, m_api->get(sbx(id, QStringLiteral("/commands/") + ids.first())), 200);
    QCOMPARE(first.json().value(QStringLiteral("stdout")).toString().size(), 0);
    QCOMPARE(first.json().value(QStringLiteral("truncated")).toBool(), true);
    E2E_EXPECT(last, m_api->get(sbx(id, QStringLiteral("/commands/") + ids.last())), 200);
    QCOMPARE(last.json().value(QStringLiteral("stdout")).toString().size(), 4194304);
    QCOMPARE(last.json().value(QStringLiteral("truncated")).toBool(), false);
    // The activity log keeps the tail it saw, and says it is cut.
    const QJsonObject entry = activityEntry(id, ids.first());
    QCOMPARE(entry.value(QStringLiteral("truncated")).toBool(), true);
    QCOMPARE(entry.value(QStringLiteral("status")).toString(), QStringLiteral("exited"));

    // The agent holds about its budget, not 160 MiB.
    E2E_RUN(rss, *m_api, id, QStringLiteral("awk '/VmRSS/ {print $2}' /proc/1/status"), QJsonObject(), 0);
    QVERIFY2(rss.trimmed().toLongLong() < 110 * 1024, qPrintable(QStringLiteral("agent RSS %1 kB").arg(rss.trimmed())));
}

void tst_memory_processes::deadPid1IsError()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_CREATE(other, *m_api, QJsonObject());
    E2E_EXPECT(bg, m_api->post(sbx(id, QStringLiteral("/commands")),
                               QJsonObject{{QStringLiteral("cmd"), QStringLiteral("sleep 600")},
                                           {QStringLiteral("background"), true}}),
               201);
    const qint64 pid = agentHostPid(id);
    QVERIFY(pid > 1);
    QElapsedTimer t;
    t.start();
    QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(id).json().value(QStringLiteral("status")).toString(),
                              QStringLiteral("error"), 5000);
    qInfo("error state seen %lld ms after the kill", t.elapsed());
    const QJsonObject info = m_api->sandbox(id).json();
    QVERIFY2(info.value(QStringLiteral("error_reason")).toString().contains(QStringLiteral("PID 1")),
             qPrintable(QJsonDocument(info).toJson()));

    // Listed as such, filterable, never as running.
    const QJsonArray listed = m_api->get(QStringLiteral("/v1/sandboxes")).json().value(QStringLiteral("sandboxes")).toArray();
    bool seen = false;
    for (const QJsonValue &v : listed) {
        if (v.toObject().value(QStringLiteral("sandbox_id")).toString() == id) {
            seen = true;
            QCOMPARE(v.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        }
    }
    QVERIFY2(seen, "the errored sandbox is not listed");
    QCOMPARE(m_api->sandboxIds(QStringLiteral("?state=error")), QStringList{id});
    QVERIFY(!m_api->sandboxIds(QStringLiteral("?state=running")).contains(id));
    // Work inside it is refused with a sentence; the other sandbox is fine.
    E2E_ERROR(m_api->run(id, QStringLiteral("true")), 409, "conflict");
    E2E_RUN(fine, *m_api, other, QStringLiteral("echo fine"), QJsonObject(), 0);
    QCOMPARE(fine.trimmed(), QStringLiteral("fine"));
    // The activity log says so.
    const QJsonArray entries =
        m_api->get(sbx(id, QStringLiteral("/activity"))).json().value(QStringLiteral("entries")).toArray();
    bool noted = false;
    for (const QJsonValue &v : entries)
        noted |= v.toObject().value(QStringLiteral("event")).toString() == QLatin1String("error");
    QVERIFY2(noted, "no error event in the activity log");

    // Kill cleans it up fully.
    const ApiResponse killed = m_api->del(sbx(id));
    QVERIFY2(killed.status == 204 || killed.status == 200, killed.describe().constData());
    E2E_ERROR(m_api->sandbox(id), 404, "not_found");
    QVERIFY(!m_engine->runcContainers().contains(id));
    QCOMPARE(m_engine->mountsContaining(id), QStringList());
    QVERIFY(!QFile::exists(m_engine->dataDir() + QStringLiteral("/sandboxes/") + id));
}

void tst_memory_processes::forkBombIsEndedByKill()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    // Another command that must outlive the bomb's kill.
    E2E_EXPECT(bystander, m_api->post(sbx(id, QStringLiteral("/commands")),
                                      QJsonObject{{QStringLiteral("cmd"), QStringLiteral("sleep 600")},
                                                  {QStringLiteral("background"), true}}),
               201);
    const QString bystanderId = bystander.json().value(QStringLiteral("command_id")).toString();
    QTRY_VERIFY_WITH_TIMEOUT(metrics(id).value(QStringLiteral("pids")).toInt() >= 2, 10000);
    const int baseline = metrics(id).value(QStringLiteral("pids")).toInt();

    // With job control on (`set -m`) every background job leads a process
    // group of its own: a signal to the command's group reaches almost none.
    E2E_EXPECT(bomb, m_api->post(sbx(id, QStringLiteral("/commands")),
                                 QJsonObject{{QStringLiteral("cmd"),
                                              QStringLiteral("set -m; f() { f & f & wait; }; f 2>/dev/null")},
                                             {QStringLiteral("background"), true}}),
               201);
    const QString bombId = bomb.json().value(QStringLiteral("command_id")).toString();
    // It hits the pids limit and stays there.
    QTRY_VERIFY_WITH_TIMEOUT(metrics(id).value(QStringLiteral("pids")).toInt() >= 900, 30000);
    QTest::qWait(1000);
    const int peak = metrics(id).value(QStringLiteral("pids")).toInt();
    QVERIFY2(peak <= 1024, qPrintable(QStringLiteral("%1 processes, above the pids limit").arg(peak)));
    // The engine keeps serving meanwhile.
    E2E_EXPECT(health, m_api->get(QStringLiteral("/v1/health")), 200);

    // Kill it as the SDK's handle.kill() does (SIGTERM), while it forks.
    // A bounded wait: without the cgroup sweep the starved agent answers
    // late or not at all, and the test must fail, not hang.
    E2E_EXPECT(killed, m_api->request("POST", sbx(id, QStringLiteral("/commands/") + bombId + QStringLiteral("/kill")),
                                      "{}", "application/json", {}, 60000),
               200);
    QTRY_VERIFY_WITH_TIMEOUT(metrics(id).value(QStringLiteral("pids")).toInt() <= baseline, 15000);
    // Still none a while later: nothing kept forking.
    QTest::qWait(1500);
    QCOMPARE(metrics(id).value(QStringLiteral("pids")).toInt(), baseline);
    E2E_RUN(count, *m_api, id, QStringLiteral("ps -e --no-headers -o comm | grep -c bash || true"), QJsonObject(), 0);
    // The shell of this very command is the one bash left.
    QCOMPARE(count.trimmed(), QStringLiteral("1"));

    // The bystander and the agent lived through it.
    E2E_EXPECT(b, m_api->get(sbx(id, QStringLiteral("/commands/") + bystanderId)), 200);
    QCOMPARE(b.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    E2E_RUN(ok, *m_api, id, QStringLiteral("echo usable"), QJsonObject(), 0);
    QCOMPARE(ok.trimmed(), QStringLiteral("usable"));
    E2E_EXPECT(st, m_api->get(sbx(id, QStringLiteral("/commands/") + bombId)), 200);
    QCOMPARE(st.json().value(QStringLiteral("status")).toString(), QStringLiteral("killed"));
}

QTEST_GUILESS_MAIN(tst_memory_processes)
#include "tst_memory_processes.moc"
