// SPDX-License-Identifier: GPL-3.0-or-later
// The engine dies (SIGKILL: no goodbye) and comes back on the same data dir:
// sandboxes are re-adopted with their metadata, status and files; deadlines
// that passed meanwhile are enforced; a create cut short leaves either a
// whole sandbox or nothing.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QNetworkReply>
#include <QTest>

#include <memory>

using namespace E2e;

class tst_restart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void runningAndPausedSurvive();
    void deadlinePassedWhileDown();
    void killDuringCreate_data();
    void killDuringCreate();

private:
    bool restartEngine();

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_restart::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
}

void tst_restart::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    if (m_engine->isRunning())
        QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_restart::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning())
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    m_api.reset();
    m_engine.reset();
}

bool tst_restart::restartEngine()
{
    m_engine->killHard();
    if (!m_engine->restart()) {
        qWarning("restart failed: %s", qPrintable(m_engine->errorString()));
        return false;
    }
    // The key is kept across restarts: clients must not need a new one.
    if (m_engine->apiKey() != m_api->apiKey()) {
        qWarning("the api key changed across a restart");
        return false;
    }
    return true;
}

void tst_restart::runningAndPausedSurvive()
{
    const QJsonObject metaRun{{QStringLiteral("role"), QStringLiteral("runner")}};
    const QJsonObject metaPause{{QStringLiteral("role"), QStringLiteral("sleeper")}};
    E2E_CREATE(running, *m_api, (QJsonObject{{QStringLiteral("metadata"), metaRun},
                                             {QStringLiteral("envs"), QJsonObject{{QStringLiteral("KEPT"), QStringLiteral("env")}}},
                                             {QStringLiteral("timeout"), 3600}}));
    E2E_CREATE(paused, *m_api, (QJsonObject{{QStringLiteral("metadata"), metaPause}}));
    E2E_RUN(w1, *m_api, running, QStringLiteral("echo one > /home/sandbox/a.txt && echo t > /tmp/t.txt"), QJsonObject(), 0);
    E2E_RUN(w2, *m_api, paused, QStringLiteral("echo two > /home/sandbox/b.txt && mkdir -p /var/tmp/x && echo v > /var/tmp/x/v"),
            QJsonObject(), 0);
    E2E_EXPECT(bg, m_api->run(running, QStringLiteral("exec sleep 600"), QJsonObject{{QStringLiteral("background"), true}}), 201);
    E2E_EXPECT(p, m_api->postRaw(sbx(paused, QStringLiteral("/pause")), QByteArray()), 200);
    E2E_EXPECT(beforeList, m_api->get(QStringLiteral("/v1/sandboxes")), 200);

    QVERIFY(restartEngine());

    E2E_EXPECT(afterList, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    // The same sandboxes with the same fields, in the same order. node_id is
    // compared last so a wrong one does not hide what else survived.
    const auto withoutNode = [](const QJsonArray &list) {
        QJsonArray out;
        for (const QJsonValue &v : list) {
            QJsonObject s = v.toObject();
            s.remove(QStringLiteral("node_id"));
            out << s;
        }
        return out;
    };
    const QJsonArray before = beforeList.json().value(QStringLiteral("sandboxes")).toArray();
    const QJsonArray after = afterList.json().value(QStringLiteral("sandboxes")).toArray();
    QCOMPARE(withoutNode(after), withoutNode(before));

    // The running one runs, its processes too (runc containers outlive the engine).
    E2E_RUN(r1, *m_api, running, QStringLiteral("cat a.txt /tmp/t.txt; echo $KEPT; pgrep -c -x sleep"), QJsonObject(), 0);
    QCOMPARE(r1, QStringLiteral("one\nt\nenv\n1\n"));
    E2E_EXPECT(m, m_api->get(sbx(running, QStringLiteral("/metrics"))), 200);
    QVERIFY2(m.json().value(QStringLiteral("pids")).toInt() >= 2, m.describe().constData());

    // The paused one is still paused, and resumes with its files.
    E2E_ERROR(m_api->run(paused, QStringLiteral("true")), 409, "conflict");
    E2E_EXPECT(res, m_api->postRaw(sbx(paused, QStringLiteral("/resume")), QByteArray()), 200);
    QCOMPARE(res.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(res.json().value(QStringLiteral("metadata")).toObject(), metaPause);
    E2E_RUN(r2, *m_api, paused, QStringLiteral("cat b.txt /var/tmp/x/v"), QJsonObject(), 0);
    QCOMPARE(r2, QStringLiteral("two\nv\n"));

    // A second crash right after a resume: both running now.
    QVERIFY(restartEngine());
    E2E_RUN(r3, *m_api, paused, QStringLiteral("cat b.txt"), QJsonObject(), 0);
    QCOMPARE(r3, QStringLiteral("two\n"));
    E2E_RUN(r4, *m_api, running, QStringLiteral("cat a.txt"), QJsonObject(), 0);
    QCOMPARE(r4, QStringLiteral("one\n"));

    for (const QJsonValue &v : after)
        QCOMPARE(v.toObject().value(QStringLiteral("node_id")).toString(), QStringLiteral("test-node"));

    // Kill still cleans everything up after a re-adoption.
    for (const QString &id : {running, paused}) {
        E2E_EXPECT(k, m_api->del(sbx(id)), 204);
        QVERIFY(!m_engine->runcContainers().contains(id));
        QCOMPARE(m_engine->mountsContaining(id), QStringList());
    }
}

void tst_restart::deadlinePassedWhileDown()
{
    E2E_CREATE(runningShort, *m_api, (QJsonObject{{QStringLiteral("timeout"), 4}}));
    E2E_CREATE(pausedShort, *m_api, (QJsonObject{{QStringLiteral("timeout"), 4}}));
    E2E_CREATE(keeper, *m_api, (QJsonObject{{QStringLiteral("timeout"), 3600}}));
    E2E_EXPECT(p, m_api->postRaw(sbx(pausedShort, QStringLiteral("/pause")), QByteArray()), 200);
    const QDateTime endAt = time(runningShortCreated.json().value(QStringLiteral("end_at")));
    m_engine->killHard();
    // The deadlines must pass while no engine runs; this wait is the point
    // of the test, not a settling delay.
    const qint64 untilDeadline = QDateTime::currentDateTimeUtc().msecsTo(endAt) + 1000;
    if (untilDeadline > 0)
        QTest::qWait(int(untilDeadline));
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));

    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(runningShort).status, 404, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(pausedShort).status, 404, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->runcContainers().contains(runningShort), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->runcContainers().contains(pausedShort), 10000);
    QCOMPARE(m_engine->mountsContaining(runningShort), QStringList());
    QCOMPARE(m_engine->mountsContaining(pausedShort), QStringList());
    E2E_RUN(alive, *m_api, keeper, QStringLiteral("echo alive"), QJsonObject(), 0);
    QCOMPARE(alive, QStringLiteral("alive\n"));
}

void tst_restart::killDuringCreate_data()
{
    // How long after sending the create the engine dies: spread over the
    // whole create so different steps (record, mount, runc, agent) are hit.
    QTest::addColumn<int>("delayMs");
    QTest::newRow("at once") << 0;
    QTest::newRow("50 ms") << 50;
    QTest::newRow("200 ms") << 200;
    QTest::newRow("600 ms") << 600;
}

void tst_restart::killDuringCreate()
{
    QFETCH(int, delayMs);
    QCOMPARE(m_api->sandboxIds(), QStringList());
    QNetworkReply *reply = m_api->send("POST", QStringLiteral("/v1/sandboxes"), R"({"metadata": {"cut": "short"}})",
                                       "application/json");
    QElapsedTimer clock;
    clock.start();
    // Let the request reach the engine and run for delayMs.
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= delayMs || reply->isFinished(), delayMs + 1000);
    m_engine->killHard();
    const ApiResponse cut = ApiClient::waitFor(reply);
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));

    const QStringList ids = m_api->sandboxIds();
    QVERIFY2(ids.size() <= 1, qPrintable(ids.join(QLatin1Char(' '))));
    if (cut.status == 201)
        QVERIFY2(ids.size() == 1, "a create that answered 201 must survive the crash");
    if (ids.size() == 1) {
        // Whole: it answers commands and can be killed cleanly.
        const QString id = ids.first();
        E2E_EXPECT(info, m_api->sandbox(id), 200);
        QCOMPARE(info.json().value(QStringLiteral("metadata")).toObject().value(QStringLiteral("cut")).toString(), QStringLiteral("short"));
        QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        E2E_RUN(ok, *m_api, id, QStringLiteral("echo whole"), QJsonObject(), 0);
        QCOMPARE(ok, QStringLiteral("whole\n"));
        E2E_EXPECT(k, m_api->del(sbx(id)), 204);
    }
    // Nothing else may be left: no container, no mount, whatever step the
    // crash interrupted (the engine's warm sandboxes go with a clean stop).
    QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    QCOMPARE(m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/")), QStringList());
    QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
}

QTEST_GUILESS_MAIN(tst_restart)
#include "tst_restart.moc"
