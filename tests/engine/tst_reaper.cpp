// SPDX-License-Identifier: GPL-3.0-or-later
// The idle reaper, with an engine whose idle period is 3 s: an idle running
// sandbox is killed, activity keeps one alive, watching (info, metrics,
// list) does not, and a paused sandbox is never reaped.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace E2e;

class tst_reaper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void idleRunningIsReaped();
    void watchingIsNotActivity();
    void activityKeepsAlive();
    void pausedIsNotReaped();

private:
    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

static constexpr int kIdleSeconds = 3;

void tst_reaper::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--idle-timeout"), QString::number(kIdleSeconds)});
}

void tst_reaper::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_reaper::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning())
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    m_api.reset();
    m_engine.reset();
}

void tst_reaper::idleRunningIsReaped()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    QElapsedTimer idle;
    idle.start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_api->sandboxIds().contains(id), 30000);
    // Not before its idle period.
    QVERIFY2(idle.elapsed() >= (kIdleSeconds - 1) * 1000, qPrintable(QString::number(idle.elapsed())));
    E2E_ERROR(m_api->sandbox(id), 404, "not_found");
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->runcContainers().contains(id), 10000);
    QCOMPARE(m_engine->mountsContaining(id), QStringList());
}

void tst_reaper::watchingIsNotActivity()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    // A desktop polls info, metrics and the list; the sandbox still goes.
    QTRY_VERIFY_WITH_TIMEOUT(m_api->get(sbx(id, QStringLiteral("/metrics"))).status == 404
                                 && m_api->get(QStringLiteral("/v1/sandboxes")).status == 200
                                 && m_api->sandbox(id).status == 404,
                             30000);
}

void tst_reaper::activityKeepsAlive()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    QElapsedTimer clock;
    clock.start();
    // Commands every second for three idle periods: still there.
    while (clock.elapsed() < 3 * kIdleSeconds * 1000) {
        E2E_RUN(out, *m_api, id, QStringLiteral("echo busy"), QJsonObject(), 0);
        QCOMPARE(out, QStringLiteral("busy\n"));
        QTest::qWait(1000);
    }
    // File requests and set-timeout are activity too.
    for (int i = 0; i < kIdleSeconds + 2; ++i) {
        E2E_EXPECT(e, m_api->get(sbx(id, QStringLiteral("/files/exists?path=.bashrc"))), 200);
        QTest::qWait(1000);
    }
    E2E_EXPECT(alive, m_api->sandbox(id), 200);
    // And once left alone it goes.
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(id).status, 404, 30000);
}

void tst_reaper::pausedIsNotReaped()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_RUN(w, *m_api, id, QStringLiteral("echo kept > note.txt"), QJsonObject(), 0);
    E2E_EXPECT(p, m_api->postRaw(sbx(id, QStringLiteral("/pause")), QByteArray()), 200);
    // Three idle periods with nothing happening: proving an absence needs a
    // wait of fixed length.
    QTest::qWait(3 * kIdleSeconds * 1000);
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    // Resume is activity and restarts the idle clock: it runs, then is reaped.
    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    E2E_RUN(out, *m_api, id, QStringLiteral("cat note.txt"), QJsonObject(), 0);
    QCOMPARE(out, QStringLiteral("kept\n"));
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(id).status, 404, 30000);
}

QTEST_GUILESS_MAIN(tst_reaper)
#include "tst_reaper.moc"
