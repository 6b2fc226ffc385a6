// SPDX-License-Identifier: GPL-3.0-or-later
// Several engines at once, as a user watches them: two real engines, one
// window over both; a combined list with an Engine column and filter, the
// workbench and the actions reaching each sandbox's own engine, a new
// sandbox on the engine chosen, and one engine killed mid-way while the
// other goes on unaffected.
#include "DesktopE2e.h"
#include "EngineClient.h"
#include "EngineSet.h"
#include "KeyValueTable.h"
#include "MainWindow.h"
#include "NewSandboxDialog.h"
#include "SandboxFilterModel.h"
#include "SandboxListView.h"
#include "SandboxModel.h"
#include "SandboxPoller.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <memory>

using DesktopE2e::engineState;

namespace {
const QString kAlpha = QStringLiteral("Alpha");
const QString kBeta = QStringLiteral("Beta");
} // namespace

class tst_multi_engine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void combinedList();
    void workbenchReachesTheOwner();
    void actionsOnBothEngines();
    void newSandboxOnTheChosenEngine();
    void sameEngineTwiceIsRefused();
    void oneEngineKilledTheOtherGoesOn();
    void unwatchDropsOnlyItsRows();

private:
    QAction *action(const char *name) const { return m_window->findChild<QAction *>(QLatin1String(name)); }
    void select(const QStringList &ids)
    {
        for (const QString &id : ids)
            QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOf(id) >= 0, DESKTOP_TRY_TIMEOUT);
        m_window->selectIds(ids);
        QCOMPARE(m_window->selectedIds().size(), ids.size());
        QApplication::processEvents();
    }
    QString engineLabel() const { return m_window->findChild<QLabel *>(QStringLiteral("engineLabel"))->text(); }
    bool actionsDone() const { return m_window->pendingActions() == 0; }

    std::unique_ptr<EngineProcess> m_a;
    std::unique_ptr<EngineProcess> m_b;
    std::unique_ptr<ApiClient> m_apiA;
    std::unique_ptr<ApiClient> m_apiB;
    std::unique_ptr<EngineSet> m_engines;
    std::unique_ptr<MainWindow> m_window;
    QString m_idA;
    QString m_idB;
};

void tst_multi_engine::initTestCase()
{
    QVERIFY2(EngineProcess::templateExists(), "no base template (build it with ./dev.sh)");
    m_a = std::make_unique<EngineProcess>();
    m_b = std::make_unique<EngineProcess>();
    QVERIFY2(m_a->start(), qPrintable(m_a->errorString()));
    QVERIFY2(m_b->start(), qPrintable(m_b->errorString()));
    QVERIFY(m_a->baseUrl() != m_b->baseUrl());
    m_apiA = std::make_unique<ApiClient>(m_a->baseUrl(), m_a->apiKey());
    m_apiB = std::make_unique<ApiClient>(m_b->baseUrl(), m_b->apiKey());
    // One sandbox on each engine, made as an agent would.
    {
        E2E_CREATE(a, *m_apiA, QJsonObject({{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("on"), QStringLiteral("alpha")}}}}));
        m_idA = a;
    }
    {
        E2E_CREATE(b, *m_apiB, QJsonObject({{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("on"), QStringLiteral("beta")}}}}));
        m_idB = b;
    }
    m_engines = std::make_unique<EngineSet>();
    m_window = std::make_unique<MainWindow>(m_engines.get());
    DesktopSettings s;
    s.pollIntervalMs = 500;
    s.confirmKill = false;
    m_window->setSettings(s);
    m_engines->setMetricsInterval(0);
    m_window->resize(1280, 800);
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QCOMPARE(m_engines->watch(kAlpha, m_a->baseUrl(), m_a->apiKey()), QString());
    QCOMPARE(m_engines->watch(kBeta, m_b->baseUrl(), m_b->apiKey()), QString());
    m_window->setProfiles({kAlpha, kBeta}, {kAlpha, kBeta});
    QTRY_VERIFY_WITH_TIMEOUT(m_engines->anyConnected(), DESKTOP_TRY_TIMEOUT);
}

void tst_multi_engine::cleanupTestCase()
{
    m_window.reset();
    m_engines.reset();
    for (ApiClient *api : {m_apiA.get(), m_apiB.get()}) {
        if (api)
            api->killAllSandboxes();
    }
}

void tst_multi_engine::combinedList()
{
    SandboxModel *model = m_window->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(m_idA) >= 0 && model->rowOf(m_idB) >= 0, DESKTOP_TRY_TIMEOUT);
    // Each row names its engine in the Engine column, which shows now that
    // there are two.
    QCOMPARE(model->index(model->rowOf(m_idA), SandboxModel::EngineColumn).data().toString(), kAlpha);
    QCOMPARE(model->index(model->rowOf(m_idB), SandboxModel::EngineColumn).data().toString(), kBeta);
    QVERIFY(!m_window->listView()->isColumnHidden(SandboxModel::EngineColumn));
    // The per-engine filter: all, or one.
    auto *filter = m_window->findChild<QComboBox *>(QStringLiteral("engineFilter"));
    QVERIFY(filter && filter->isVisible());
    QCOMPARE(filter->count(), 3);
    filter->setCurrentIndex(filter->findData(kBeta));
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    QCOMPARE(m_window->proxy()->index(0, SandboxModel::IdColumn).data().toString(), m_idB);
    filter->setCurrentIndex(0);
    QCOMPARE(m_window->proxy()->rowCount(), 2);
    // Each engine's health in the status bar.
    QTRY_VERIFY_WITH_TIMEOUT(engineLabel().contains(kAlpha + QStringLiteral(" ●")) && engineLabel().contains(kBeta + QStringLiteral(" ●")),
                             DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->statusText().contains(QLatin1String("2 of 2 engines connected")), qPrintable(m_window->statusText()));
    QCOMPARE(m_window->findChild<QToolButton *>(QStringLiteral("enginesButton"))->text(), QStringLiteral("Engines: 2"));
}

void tst_multi_engine::workbenchReachesTheOwner()
{
    // A file only each sandbox has, read through the window's one client:
    // each request goes to the engine that owns the sandbox.
    E2E_RUN(wa, *m_apiA, m_idA, QStringLiteral("echo from-alpha > /tmp/who"), QJsonObject(), 0);
    E2E_RUN(wb, *m_apiB, m_idB, QStringLiteral("echo from-beta > /tmp/who"), QJsonObject(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOf(m_idA) >= 0 && m_window->model()->rowOf(m_idB) >= 0, DESKTOP_TRY_TIMEOUT);
    EngineClient *client = m_window->client();
    for (const auto &[id, expected] : {std::pair{m_idA, QStringLiteral("from-alpha\n")}, std::pair{m_idB, QStringLiteral("from-beta\n")}}) {
        std::optional<Result<EngineClient::CommandReply>> got;
        client->runCommand(id, QStringLiteral("cat /tmp/who"), false, this, [&got](Result<EngineClient::CommandReply> r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), DESKTOP_TRY_TIMEOUT);
        if (!*got)
            QFAIL(qPrintable(got->error().message));
        QCOMPARE((*got)->out, expected);
    }
    // The command the window ran is in the owner's log, not the other's.
    select({m_idB});
    QCOMPARE(m_engines->clientOf(m_idB), m_engines->client(kBeta));
    QCOMPARE(m_engines->clientOf(m_idA), m_engines->client(kAlpha));
}

void tst_multi_engine::actionsOnBothEngines()
{
    // One Pause over a sandbox of each engine pauses both, each on its own.
    select({m_idA, m_idB});
    QTRY_VERIFY(action("actionPause")->isEnabled());
    action("actionPause")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QCOMPARE(engineState(*m_apiA, m_idA), QStringLiteral("paused"));
    QCOMPARE(engineState(*m_apiB, m_idB), QStringLiteral("paused"));
    select({m_idA, m_idB});
    QTRY_VERIFY(action("actionResume")->isEnabled());
    action("actionResume")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QCOMPARE(engineState(*m_apiA, m_idA), QStringLiteral("running"));
    QCOMPARE(engineState(*m_apiB, m_idB), QStringLiteral("running"));
}

void tst_multi_engine::newSandboxOnTheChosenEngine()
{
    select({m_idA});
    QTRY_VERIFY(action("actionNew")->isEnabled());
    action("actionNew")->trigger();
    NewSandboxDialog *d = nullptr;
    QVERIFY(QTest::qWaitFor([&] { return (d = m_window->findChild<NewSandboxDialog *>(QStringLiteral("newSandboxDialog"))) && d->isVisible(); }, 5000));
    // With two engines the dialog asks which; the selected sandbox's is offered first.
    auto *engine = d->findChild<QComboBox *>(QStringLiteral("engineChoice"));
    QVERIFY(engine && engine->isVisible());
    QCOMPARE(engine->currentText(), kAlpha);
    engine->setCurrentIndex(engine->findText(kBeta));
    QTRY_VERIFY(d->templateBox()->findText(QStringLiteral("base")) >= 0);
    d->metadataTable()->addPair(QStringLiteral("made"), QStringLiteral("in-dialog"));
    QTest::mouseClick(d->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    const QStringList selected = m_window->selectedIds();
    QCOMPARE(selected.size(), 1);
    const QString made = selected.first();
    // It is on Beta, and only there.
    QCOMPARE(engineState(*m_apiB, made), QStringLiteral("running"));
    QCOMPARE(m_apiA->sandbox(made).status, 404);
    QCOMPARE(m_window->model()->engineOf(made), kBeta);
    QCOMPARE(m_apiB->del(QStringLiteral("/v1/sandboxes/") + made).status, 204);
}

void tst_multi_engine::sameEngineTwiceIsRefused()
{
    const QString problem = m_engines->watch(QStringLiteral("Again"), m_a->baseUrl(), m_a->apiKey());
    QVERIFY2(problem.contains(QLatin1String("already watched as 'Alpha'")), qPrintable(problem));
    QCOMPARE(m_engines->count(), 2);
}

void tst_multi_engine::oneEngineKilledTheOtherGoesOn()
{
    select({m_idB});
    m_a->killHard();
    QTRY_COMPARE_WITH_TIMEOUT(m_engines->poller(kAlpha)->connection(), SandboxPoller::Connection::Unreachable, 15000);
    // Alpha's rows stay, greyed, with a sentence that names Alpha.
    QVERIFY(m_window->listView()->isStale(kAlpha));
    QVERIFY(!m_window->listView()->isStale(kBeta));
    QVERIFY(m_window->model()->rowOf(m_idA) >= 0);
    const QString message = m_window->connectionMessage();
    QVERIFY2(message.startsWith(kAlpha + QStringLiteral(": ")) && message.contains(QLatin1String("No engine answers")), qPrintable(message));
    QVERIFY2(!message.contains(kBeta), qPrintable(message));
    QVERIFY2(engineLabel().contains(kAlpha + QStringLiteral(" ○ unreachable")), qPrintable(engineLabel()));
    QVERIFY2(m_window->statusText().contains(QLatin1String("1 of 2 engines connected")), qPrintable(m_window->statusText()));
    // What would go to Alpha is off; Beta's sandboxes keep their actions.
    select({m_idA});
    QVERIFY(!action("actionPause")->isEnabled());
    QVERIFY(!action("actionKill")->isEnabled());
    QVERIFY(action("actionCopyId")->isEnabled());
    select({m_idA, m_idB});
    QVERIFY(!action("actionKill")->isEnabled());
    QVERIFY(action("actionNew")->isEnabled());
    // Beta goes on: it keeps polling, sees a new sandbox, and its actions work.
    const int polls = m_engines->poller(kBeta)->pollCount();
    E2E_CREATE(c, *m_apiB, QJsonObject());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOf(c) >= 0, DESKTOP_TRY_TIMEOUT);
    QVERIFY(m_engines->poller(kBeta)->pollCount() > polls);
    select({c});
    QTRY_VERIFY(action("actionKill")->isEnabled());
    action("actionKill")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QCOMPARE(m_apiB->sandbox(c).status, 404);
    // Alpha comes back: its rows are live again.
    QVERIFY2(m_a->restart(), qPrintable(m_a->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_engines->poller(kAlpha)->connection(), SandboxPoller::Connection::Connected, 30000);
    QVERIFY(!m_window->listView()->isStale());
    QVERIFY(m_window->connectionMessage().isEmpty());
}

void tst_multi_engine::unwatchDropsOnlyItsRows()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOf(m_idB) >= 0, DESKTOP_TRY_TIMEOUT);
    const int betaRows = m_window->model()->rowCountOf(kBeta);
    QVERIFY(betaRows > 0);
    m_engines->unwatch(kAlpha);
    QCOMPARE(m_window->model()->rowCountOf(kAlpha), 0);
    QCOMPARE(m_window->model()->rowCountOf(kBeta), betaRows);
    // One engine again: no Engine column, no engine filter.
    QVERIFY(m_window->listView()->isColumnHidden(SandboxModel::EngineColumn));
    QVERIFY(!m_window->findChild<QComboBox *>(QStringLiteral("engineFilter"))->isVisible());
    QTRY_VERIFY2(m_window->statusText().contains(QLatin1String("Connected to")), qPrintable(m_window->statusText()));
}

QTEST_MAIN(tst_multi_engine)
#include "tst_multi_engine.moc"
