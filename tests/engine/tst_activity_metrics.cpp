// SPDX-License-Identifier: GPL-3.0-or-later
// The activity log (what was done in a sandbox, followed with a cursor), the
// metrics history of the 1 s sampler, and the pause that keeps memory
// (freezer), including across a restart of the engine.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace E2e;

namespace {
constexpr int kActivityLimit = 50;
}

class tst_activity_metrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void blockingCommand();
    void backgroundCommand();
    void anotherClientsCommands();
    void fileChanges();
    void touchedFiles();
    void lifecycleEvents();
    void cursor();
    void bounded();
    void badQueries();
    void metricsHistory();
    void freezeKeepsProcesses();
    void plainPauseEndsProcesses();
    void frozenSurvivesRestart();
    void frozenStillDiesAtEndAt();

private:
    QJsonArray entries(const QString &id, qint64 after = 0, int limit = 500);
    QJsonObject commandEntry(const QString &id, const QString &commandId);
    QJsonArray ofKind(const QString &id, const QString &kind);
    QString startBackground(const QString &id, const QString &cmd);
    int counter(const QString &id);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_activity_metrics::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--activity-limit"), QString::number(kActivityLimit)});
}

void tst_activity_metrics::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    if (m_engine->isRunning())
        QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_activity_metrics::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning())
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    m_api.reset();
    m_engine.reset();
}

QJsonArray tst_activity_metrics::entries(const QString &id, qint64 after, int limit)
{
    const ApiResponse r =
        m_api->get(sbx(id, QStringLiteral("/activity?after=%1&limit=%2").arg(after).arg(limit)));
    if (r.status != 200)
        qWarning("activity: %s", r.describe().constData());
    return r.json().value(QStringLiteral("entries")).toArray();
}

QJsonObject tst_activity_metrics::commandEntry(const QString &id, const QString &commandId)
{
    for (const QJsonValue &v : entries(id)) {
        if (v.toObject().value(QStringLiteral("command_id")).toString() == commandId)
            return v.toObject();
    }
    return {};
}

QJsonArray tst_activity_metrics::ofKind(const QString &id, const QString &kind)
{
    QJsonArray out;
    for (const QJsonValue &v : entries(id)) {
        if (v.toObject().value(QStringLiteral("kind")).toString() == kind)
            out.append(v);
    }
    return out;
}

QString tst_activity_metrics::startBackground(const QString &id, const QString &cmd)
{
    const ApiResponse r = m_api->run(id, cmd, QJsonObject{{QStringLiteral("background"), true}});
    if (r.status != 201)
        qWarning("start: %s", r.describe().constData());
    return r.json().value(QStringLiteral("command_id")).toString();
}

int tst_activity_metrics::counter(const QString &id)
{
    const ApiResponse r = m_api->get(sbx(id, QStringLiteral("/files/content?path=/tmp/counter")));
    return r.status == 200 ? r.body.trimmed().toInt() : -1;
}

void tst_activity_metrics::blockingCommand()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_RUN(out, *m_api, id, QStringLiteral("echo hi; echo oops >&2; exit 3"), QJsonObject(), 3);
    const QString cmdId = outRun.json().value(QStringLiteral("command_id")).toString();
    const QJsonObject e = commandEntry(id, cmdId);
    QVERIFY2(!e.isEmpty(), qPrintable(QString::fromUtf8(QJsonDocument(entries(id)).toJson())));
    QCOMPARE(e.value(QStringLiteral("kind")).toString(), QStringLiteral("command"));
    QCOMPARE(e.value(QStringLiteral("cmd")).toString(), QStringLiteral("echo hi; echo oops >&2; exit 3"));
    QCOMPARE(e.value(QStringLiteral("stdout")).toString(), QStringLiteral("hi\n"));
    QCOMPARE(e.value(QStringLiteral("stderr")).toString(), QStringLiteral("oops\n"));
    QCOMPARE(e.value(QStringLiteral("exit_code")).toInt(), 3);
    QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("exited"));
    QCOMPARE(e.value(QStringLiteral("background")).toBool(true), false);
    QCOMPARE(e.value(QStringLiteral("user")).toString(), QStringLiteral("sandbox"));
    QCOMPARE(e.value(QStringLiteral("truncated")).toBool(true), false);
    QVERIFY(isTimestamp(e.value(QStringLiteral("time"))));
    QVERIFY(isTimestamp(e.value(QStringLiteral("started_at"))));
    QVERIFY(isTimestamp(e.value(QStringLiteral("ended_at"))));
    QVERIFY(e.value(QStringLiteral("seq")).toInt() > 0);

    // Output beyond 64 KiB keeps its end and says it was cut.
    E2E_RUN(big, *m_api, id, QStringLiteral("head -c 100000 /dev/zero | tr '\\\\0' a; echo END"), QJsonObject(), 0);
    const QJsonObject b = commandEntry(id, bigRun.json().value(QStringLiteral("command_id")).toString());
    QVERIFY(b.value(QStringLiteral("truncated")).toBool());
    QVERIFY(b.value(QStringLiteral("stdout")).toString().size() <= 64 * 1024);
    QVERIFY(b.value(QStringLiteral("stdout")).toString().endsWith(QStringLiteral("END\n")));
}

// Each command and code cell says which files it changed while it ran: in
// its answer and in its activity entry, the same.
void tst_activity_metrics::touchedFiles()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    auto lines = [](const QJsonValue &touched) {
        QStringList out;
        for (const QJsonValue &v : touched.toObject().value(QStringLiteral("paths")).toArray()) {
            const QJsonObject p = v.toObject();
            out << p.value(QStringLiteral("change")).toString() + QLatin1Char(' ') + p.value(QStringLiteral("path")).toString();
        }
        return out;
    };
    // A template file removed, a new tree, a file written and removed again,
    // one elsewhere in the working directory, a space and a non-ASCII name.
    E2E_RUN(work, *m_api, id,
            QStringLiteral("rm .bashrc; mkdir -p 'my src'; echo 'print(1)' > 'my src/app ü.py'; echo t > t; rm t; "
                           "echo log > /tmp/elsewhere.log"),
            QJsonObject(), 0);
    const QStringList expected{QStringLiteral("deleted /home/sandbox/.bashrc"), QStringLiteral("added /home/sandbox/my src"),
                               QStringLiteral("added /home/sandbox/my src/app ü.py")};
    const QJsonObject answer = workRun.json().value(QStringLiteral("touched")).toObject();
    QCOMPARE(lines(answer), expected);
    QCOMPARE(answer.value(QStringLiteral("partial")).toBool(true), false);
    const QJsonObject e = commandEntry(id, workRun.json().value(QStringLiteral("command_id")).toString());
    QCOMPARE(e.value(QStringLiteral("touched")).toObject(), answer);

    // In its working directory too, and a background command says it once
    // it has ended.
    const QString cmdId = startBackground(id, QStringLiteral("cd /tmp && echo more >> elsewhere.log"));
    QTRY_COMPARE_WITH_TIMEOUT(commandEntry(id, cmdId).value(QStringLiteral("status")).toString(),
                              QStringLiteral("exited"), 10000);
    E2E_RUN(inTmp, *m_api, id, QStringLiteral("echo again >> elsewhere.log"),
            (QJsonObject{{QStringLiteral("cwd"), QStringLiteral("/tmp")}}), 0);
    QCOMPARE(lines(inTmpRun.json().value(QStringLiteral("touched"))), QStringList{QStringLiteral("modified /tmp/elsewhere.log")});

    // A code cell, under the kernel user's home.
    const ApiResponse cell = m_api->post(sbx(id, QStringLiteral("/code")),
                                         {{QStringLiteral("code"), QStringLiteral("open('cell.txt', 'w').write('x')")}});
    QCOMPARE(cell.status, 200);
    QVERIFY2(cell.body.contains("\"touched\""), cell.body.constData());
    QJsonArray cells;
    QTRY_VERIFY_WITH_TIMEOUT(!(cells = ofKind(id, QStringLiteral("code"))).isEmpty(), 10000);
    const QStringList cellLines = lines(cells.last().toObject().value(QStringLiteral("touched")));
    QVERIFY2(cellLines == QStringList{QStringLiteral("added /home/sandbox/cell.txt")}, qPrintable(cellLines.join(QLatin1Char('\n'))));
}

void tst_activity_metrics::backgroundCommand()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const QString cmdId =
        startBackground(id, QStringLiteral("echo first; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo second; exit 7"));
    QVERIFY(!cmdId.isEmpty());
    // Running, and its output so far is already there.
    QTRY_VERIFY_WITH_TIMEOUT(commandEntry(id, cmdId).value(QStringLiteral("stdout")).toString() ==
                                 QStringLiteral("first\n"),
                             10000);
    QJsonObject e = commandEntry(id, cmdId);
    QCOMPARE(e.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QVERIFY(e.value(QStringLiteral("exit_code")).isNull());
    QVERIFY(e.value(QStringLiteral("ended_at")).isNull());
    QCOMPARE(e.value(QStringLiteral("background")).toBool(), true);
    const int seq = e.value(QStringLiteral("seq")).toInt();
    const ApiResponse all = m_api->get(sbx(id, QStringLiteral("/activity")));
    QVERIFY(all.json().value(QStringLiteral("running")).toArray().contains(seq));

    E2E_RUN(go, *m_api, id, QStringLiteral("touch /tmp/go"), QJsonObject(), 0);
    // The same entry (same seq) ends, with its exit code and all its output.
    QTRY_COMPARE_WITH_TIMEOUT(commandEntry(id, cmdId).value(QStringLiteral("status")).toString(),
                              QStringLiteral("exited"), 10000);
    e = commandEntry(id, cmdId);
    QCOMPARE(e.value(QStringLiteral("seq")).toInt(), seq);
    QCOMPARE(e.value(QStringLiteral("exit_code")).toInt(), 7);
    QCOMPARE(e.value(QStringLiteral("stdout")).toString(), QStringLiteral("first\nsecond\n"));
    QVERIFY(isTimestamp(e.value(QStringLiteral("ended_at"))));

    // A command that ends on its own is settled too (by the 2 s poll or a read).
    const QString quick = startBackground(id, QStringLiteral("echo quick; exit 4"));
    QTRY_COMPARE_WITH_TIMEOUT(commandEntry(id, quick).value(QStringLiteral("status")).toString(),
                              QStringLiteral("exited"), 10000);
    QCOMPARE(commandEntry(id, quick).value(QStringLiteral("exit_code")).toInt(), 4);
}

void tst_activity_metrics::anotherClientsCommands()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    ApiClient other(m_engine->baseUrl(), m_engine->apiKey());
    E2E_RUN(out, other, id, QStringLiteral("echo from-other"), QJsonObject(), 0);
    const QJsonObject e = commandEntry(id, outRun.json().value(QStringLiteral("command_id")).toString());
    QCOMPARE(e.value(QStringLiteral("stdout")).toString(), QStringLiteral("from-other\n"));
}

void tst_activity_metrics::fileChanges()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(w, m_api->put(sbx(id, QStringLiteral("/files/content?path=a.txt")), QByteArray("hello")), 200);
    E2E_EXPECT(rn, m_api->post(sbx(id, QStringLiteral("/files/rename")),
                               QJsonObject{{QStringLiteral("from"), QStringLiteral("a.txt")},
                                           {QStringLiteral("to"), QStringLiteral("sub/b.txt")}}),
               200);
    E2E_EXPECT(mk, m_api->post(sbx(id, QStringLiteral("/files/mkdir")),
                               QJsonObject{{QStringLiteral("path"), QStringLiteral("d1/d2")}}),
               200);
    E2E_EXPECT(rm, m_api->del(sbx(id, QStringLiteral("/files?path=sub/b.txt"))), 204);
    // Reads are not changes.
    E2E_EXPECT(rd, m_api->get(sbx(id, QStringLiteral("/files/content?path=d1"))), 400);

    const QJsonArray files = ofKind(id, QStringLiteral("file"));
    QCOMPARE(files.size(), 4);
    QCOMPARE(files[0].toObject().value(QStringLiteral("op")).toString(), QStringLiteral("write"));
    QCOMPARE(files[0].toObject().value(QStringLiteral("path")).toString(), QStringLiteral("/home/sandbox/a.txt"));
    QCOMPARE(files[0].toObject().value(QStringLiteral("bytes")).toInt(), 5);
    QCOMPARE(files[1].toObject().value(QStringLiteral("op")).toString(), QStringLiteral("rename"));
    QCOMPARE(files[1].toObject().value(QStringLiteral("path")).toString(), QStringLiteral("a.txt"));
    QCOMPARE(files[1].toObject().value(QStringLiteral("to")).toString(), QStringLiteral("/home/sandbox/sub/b.txt"));
    QCOMPARE(files[2].toObject().value(QStringLiteral("op")).toString(), QStringLiteral("mkdir"));
    QCOMPARE(files[2].toObject().value(QStringLiteral("path")).toString(), QStringLiteral("/home/sandbox/d1/d2"));
    QCOMPARE(files[3].toObject().value(QStringLiteral("op")).toString(), QStringLiteral("remove"));
    QCOMPARE(files[3].toObject().value(QStringLiteral("path")).toString(), QStringLiteral("sub/b.txt"));
}

void tst_activity_metrics::lifecycleEvents()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(t, m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 600}}), 200);
    E2E_EXPECT(p, m_api->postRaw(sbx(id, QStringLiteral("/pause")), QByteArray()), 200);
    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    E2E_EXPECT(f, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 200);
    E2E_EXPECT(r2, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);

    const QJsonArray lc = ofKind(id, QStringLiteral("lifecycle"));
    QStringList events;
    for (const QJsonValue &v : lc)
        events << v.toObject().value(QStringLiteral("event")).toString() +
                      v.toObject().value(QStringLiteral("pause_kind")).toString(QString()).prepend(QLatin1Char('/'));
    QCOMPARE(events, (QStringList{QStringLiteral("created/"), QStringLiteral("timeout_changed/"),
                                  QStringLiteral("paused/stop"), QStringLiteral("resumed/stop"),
                                  QStringLiteral("paused/freeze"), QStringLiteral("resumed/freeze")}));
    QCOMPARE(lc[1].toObject().value(QStringLiteral("end_at")), t.json().value(QStringLiteral("end_at")));
}

void tst_activity_metrics::cursor()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const ApiResponse first = m_api->get(sbx(id, QStringLiteral("/activity")));
    QCOMPARE(first.status, 200);
    const qint64 next = first.json().value(QStringLiteral("next_after")).toInteger();
    QVERIFY(next >= 1);
    E2E_RUN(out, *m_api, id, QStringLiteral("echo later"), QJsonObject(), 0);
    const ApiResponse more = m_api->get(sbx(id, QStringLiteral("/activity?after=%1").arg(next)));
    const QJsonArray e = more.json().value(QStringLiteral("entries")).toArray();
    QCOMPARE(e.size(), 1);
    QCOMPARE(e[0].toObject().value(QStringLiteral("seq")).toInteger(), next + 1);
    QCOMPARE(e[0].toObject().value(QStringLiteral("stdout")).toString(), QStringLiteral("later\n"));
    QCOMPARE(more.json().value(QStringLiteral("next_after")).toInteger(), next + 1);
    // Nothing new: the cursor stays.
    const ApiResponse none = m_api->get(sbx(id, QStringLiteral("/activity?after=%1").arg(next + 1)));
    QCOMPARE(none.json().value(QStringLiteral("entries")).toArray().size(), 0);
    QCOMPARE(none.json().value(QStringLiteral("next_after")).toInteger(), next + 1);
}

void tst_activity_metrics::bounded()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    for (int i = 0; i < kActivityLimit + 10; ++i) {
        E2E_EXPECT(w, m_api->post(sbx(id, QStringLiteral("/files/mkdir")),
                                  QJsonObject{{QStringLiteral("path"), QStringLiteral("d%1").arg(i)}}),
                   200);
    }
    const QJsonArray all = entries(id);
    QCOMPARE(all.size(), kActivityLimit);
    const qint64 last = all.last().toObject().value(QStringLiteral("seq")).toInteger();
    QCOMPARE(last, qint64(kActivityLimit + 11)); // created + the mkdirs
    QCOMPARE(all.first().toObject().value(QStringLiteral("seq")).toInteger(), last - kActivityLimit + 1);
    QCOMPARE(all.last().toObject().value(QStringLiteral("path")).toString(),
             QStringLiteral("/home/sandbox/d%1").arg(kActivityLimit + 9));
    QCOMPARE(entries(id, 0, 5).size(), 5);
}

void tst_activity_metrics::badQueries()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    for (const char *q : {"after=-1", "after=abc", "after=", "limit=0", "limit=501", "limit=x", "after=1.5"}) {
        const ApiResponse r = m_api->get(sbx(id, QStringLiteral("/activity?") + QString::fromLatin1(q)));
        E2E_ERROR(r, 400, "bad_request");
    }
    E2E_EXPECT(ok, m_api->get(sbx(id, QStringLiteral("/activity?after=0&limit=500"))), 200);

    const QString otherKey = m_engine->createKey(QStringLiteral("other-team"));
    QVERIFY(!otherKey.isEmpty());
    ApiClient other(m_engine->baseUrl(), otherKey);
    E2E_ERROR(other.get(sbx(id, QStringLiteral("/activity"))), 404, "not_found");
    E2E_ERROR(other.get(sbx(id, QStringLiteral("/metrics?since=0"))), 404, "not_found");

    E2E_EXPECT(k, m_api->del(sbx(id)), 204);
    E2E_ERROR(m_api->get(sbx(id, QStringLiteral("/activity"))), 404, "not_found");
}

void tst_activity_metrics::metricsHistory()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    auto samples = [&](const QString &since) {
        return m_api->get(sbx(id, QStringLiteral("/metrics?since=") + ApiClient::q(since)))
            .json()
            .value(QStringLiteral("samples"))
            .toArray();
    };
    QTRY_VERIFY_WITH_TIMEOUT(samples(QStringLiteral("0")).size() >= 2, 10000);
    const ApiResponse h = m_api->get(sbx(id, QStringLiteral("/metrics?since=0")));
    QCOMPARE(h.json().value(QStringLiteral("cpu_count")).toInt(), 2);
    QCOMPARE(h.json().value(QStringLiteral("memory_limit_bytes")).toInteger(), qint64(512) * 1024 * 1024);
    const QJsonObject s0 = samples(QStringLiteral("0")).first().toObject();
    QVERIFY(isTimestamp(s0.value(QStringLiteral("timestamp"))));
    QVERIFY(s0.value(QStringLiteral("memory_bytes")).toInteger() > 0);
    QVERIFY(s0.value(QStringLiteral("pids")).toInteger() >= 1);
    QVERIFY(s0.contains(QStringLiteral("cpu_percent")));

    // `since` filters, as an ISO time or as unix milliseconds.
    const QString t0 = s0.value(QStringLiteral("timestamp")).toString();
    const QJsonArray after = samples(t0);
    QVERIFY(!after.isEmpty());
    for (const QJsonValue &v : after)
        QVERIFY(time(v.toObject().value(QStringLiteral("timestamp"))) > time(QJsonValue(t0)));
    QCOMPARE(samples(QString::number(time(QJsonValue(t0)).toMSecsSinceEpoch())).size(), after.size());
    QCOMPARE(samples(QStringLiteral("2999-01-01T00:00:00.000Z")).size(), 0);

    // Without `since` the single reading is unchanged.
    E2E_EXPECT(one, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
    QVERIFY(one.json().contains(QStringLiteral("uptime_seconds")));
    QVERIFY(!one.json().contains(QStringLiteral("samples")));

    for (const char *bad : {"yesterday", "2026-13-01T00:00:00Z", "", "12abc", "2026-01-01T00:00:00"}) {
        const ApiResponse r = m_api->get(sbx(id, QStringLiteral("/metrics?since=") + ApiClient::q(QString::fromLatin1(bad))));
        E2E_ERROR(r, 400, "bad_request");
    }

    // CPU use shows up while something spins.
    const QString mark = QString::number(QDateTime::currentMSecsSinceEpoch());
    QVERIFY(!startBackground(id, QStringLiteral("yes > /dev/null")).isEmpty());
    auto busy = [&] {
        for (const QJsonValue &v : samples(mark)) {
            if (v.toObject().value(QStringLiteral("cpu_percent")).toDouble() > 50)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(busy(), 15000);
}

void tst_activity_metrics::freezeKeepsProcesses()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const ApiResponse sl = m_api->run(id, QStringLiteral("sleep 1000"), QJsonObject{{QStringLiteral("background"), true}});
    QCOMPARE(sl.status, 201);
    const int pid = sl.json().value(QStringLiteral("pid")).toInt();
    // The count is replaced whole: a read between a truncate and a write
    // would see 0, and QTRY_VERIFY reads its condition once more at the end.
    QVERIFY(!startBackground(id, QStringLiteral("python3 -c 'import os, time\ni = 0\nwhile True:\n    i += 1\n    "
                                                "open(\"/tmp/counter.new\", \"w\").write(str(i))\n    "
                                                "os.replace(\"/tmp/counter.new\", \"/tmp/counter\")\n    "
                                                "time.sleep(0.05)'"))
                 .isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(counter(id) >= 40, 20000);

    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 200);
    QCOMPARE(p.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(p.json().value(QStringLiteral("pause_kind")).toString(), QStringLiteral("freeze"));
    QCOMPARE(m_api->sandbox(id).json().value(QStringLiteral("pause_kind")).toString(), QStringLiteral("freeze"));
    E2E_ERROR(m_api->run(id, QStringLiteral("true")), 409, "conflict");
    // A frozen sandbox's container is still there, frozen.
    QVERIFY(m_engine->runcContainers().contains(id));

    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QVERIFY(r.json().value(QStringLiteral("pause_kind")).isNull());
    // The Python loop kept its variable: it counts on from where it was.
    const int after = counter(id);
    QVERIFY2(after >= 40, qPrintable(QString::number(after)));
    QTRY_VERIFY_WITH_TIMEOUT(counter(id) > after, 10000);
    E2E_RUN(alive, *m_api, id, QStringLiteral("ps -o comm= -p %1").arg(pid), QJsonObject(), 0);
    QCOMPARE(alive.trimmed(), QStringLiteral("sleep"));
}

void tst_activity_metrics::plainPauseEndsProcesses()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const ApiResponse sl = m_api->run(id, QStringLiteral("sleep 1000"), QJsonObject{{QStringLiteral("background"), true}});
    QCOMPARE(sl.status, 201);
    const int pid = sl.json().value(QStringLiteral("pid")).toInt();
    const QString cmdId = sl.json().value(QStringLiteral("command_id")).toString();
    E2E_EXPECT(p, m_api->postRaw(sbx(id, QStringLiteral("/pause")), QByteArray()), 200);
    QCOMPARE(p.json().value(QStringLiteral("pause_kind")).toString(), QStringLiteral("stop"));
    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    QVERIFY(r.json().value(QStringLiteral("pause_kind")).isNull());
    E2E_RUN(gone, *m_api, id, QStringLiteral("ps -o comm= -p %1 || echo none").arg(pid), QJsonObject(), 0);
    QVERIFY2(gone.trimmed() != QStringLiteral("sleep"), qPrintable(gone));
    QCOMPARE(commandEntry(id, cmdId).value(QStringLiteral("status")).toString(), QStringLiteral("lost"));
}

void tst_activity_metrics::frozenSurvivesRestart()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const ApiResponse sl = m_api->run(id, QStringLiteral("sleep 1000"), QJsonObject{{QStringLiteral("background"), true}});
    QCOMPARE(sl.status, 201);
    const int pid = sl.json().value(QStringLiteral("pid")).toInt();
    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 200);
    const qint64 lastSeq = m_api->get(sbx(id, QStringLiteral("/activity"))).json().value(QStringLiteral("next_after")).toInteger();

    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(info.json().value(QStringLiteral("pause_kind")).toString(), QStringLiteral("freeze"));
    QVERIFY(m_engine->runcContainers().contains(id));
    // The log survived too, and goes on from where it was.
    QCOMPARE(m_api->get(sbx(id, QStringLiteral("/activity"))).json().value(QStringLiteral("next_after")).toInteger(),
             lastSeq);

    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    E2E_RUN(alive, *m_api, id, QStringLiteral("ps -o comm= -p %1").arg(pid), QJsonObject(), 0);
    QCOMPARE(alive.trimmed(), QStringLiteral("sleep"));
    QVERIFY(entries(id, lastSeq).size() >= 2); // resumed, the ps
}

void tst_activity_metrics::frozenStillDiesAtEndAt()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 200);
    E2E_EXPECT(t, m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 1}}), 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(id).status, 404, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->runcContainers().contains(id), 15000);
    QVERIFY(m_engine->mountsContaining(id).isEmpty());
}

QTEST_GUILESS_MAIN(tst_activity_metrics)
#include "tst_activity_metrics.moc"
