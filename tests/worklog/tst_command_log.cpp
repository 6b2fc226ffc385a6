// SPDX-License-Identifier: GPL-3.0-or-later
// The command log pane against a real engine: what another client does in a
// sandbox appears with its exit code and output; a background command's
// output shows while it runs and its exit code when it ends; the run field
// runs commands (blocking and in the background); a poll with nothing new
// changes nothing; filters, copy and export; Kill ends a running command and
// every process it started while another command survives; a killed sandbox
// is said in a sentence. One engine for the whole program.
#include "ActivityFilterModel.h"
#include "ActivityModel.h"
#include "ActivityOutputView.h"
#include "ActivityPoller.h"
#include "ApiClient.h"
#include "CommandKills.h"
#include "CommandLogPane.h"
#include "E2eHelpers.h"
#include "EngineClient.h"
#include "EngineProcess.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace E2e;

namespace {
// Creating a sandbox and background commands take real time on a loaded
// 2-core machine.
constexpr int kTryMs = 30000;
} // namespace

class tst_command_log : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void anotherClientsCommandAppears();
    void backgroundOutputWhileRunning();
    void runFieldRunsCommands();
    void quietPollEmitsNothing();
    void filterAndSearch();
    void copyAndExport();
    void hiddenPaneStopsReading();
    void endlessCommandHoldsNothingBack();
    void killEndsWhatTheCommandStarted();
    void killLeftoversOfAnEndedCommand();
    void killFailureIsASentence();
    void killedSandboxIsSaid();

private:
    // The row (in the model) of the newest entry whose command is `cmd`, or -1.
    int rowOfCommand(const QString &cmd) const
    {
        const ActivityModel *m = m_pane->model();
        for (int r = m->rowCount() - 1; r >= 0; --r) {
            if (m->entryAt(r)->cmd == cmd)
                return r;
        }
        return -1;
    }
    QString cell(int row, int column) const { return m_pane->model()->index(row, column).data().toString(); }
    void select(int modelRow)
    {
        const QModelIndex source = m_pane->model()->index(modelRow, 0);
        const QModelIndex shown = m_pane->filterModel()->mapFromSource(source);
        m_pane->table()->setCurrentIndex(shown);
    }

    bool rowRuns(const QString &cmd) const
    {
        const int row = rowOfCommand(cmd);
        return row >= 0 && m_pane->model()->index(row, 0).data(ActivityModel::RunningRole).toBool();
    }
    // How many processes in the sandbox run exactly `args` (-1: not known).
    int processesRunning(const QString &args)
    {
        const ApiResponse r = m_api->run(m_id, QStringLiteral("ps -eo args= | grep -cxF -- '%1' || true").arg(args));
        bool ok = false;
        const int n = r.json().value(QStringLiteral("stdout")).toString().trimmed().toInt(&ok);
        return r.status == 200 && ok ? n : -1;
    }
    QString commandStatus(const QString &commandId)
    {
        return m_api->get(sbx(m_id, QStringLiteral("/commands/") + commandId)).json().value(QStringLiteral("status")).toString();
    }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    EngineClient *m_client = nullptr;
    CommandLogPane *m_pane = nullptr;
    QString m_id;
};

void tst_command_log::initTestCase()
{
    QVERIFY2(EngineProcess::templateExists(), "no base template (build it with ./dev.sh)");
    m_engine = std::make_unique<EngineProcess>();
    QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
    m_api = std::make_unique<ApiClient>(m_engine->baseUrl(), m_engine->apiKey());
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;

    m_client = new EngineClient(this);
    m_client->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    m_pane = new CommandLogPane(m_client);
    m_pane->setPollInterval(300);
    // Every change the live model and its filter make is checked.
    new QAbstractItemModelTester(m_pane->model(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    new QAbstractItemModelTester(m_pane->filterModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    m_pane->resize(1100, 700);
    m_pane->show();
    m_pane->setSandbox(m_id);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->model()->rowCount() >= 1, kTryMs);
    QCOMPARE(m_pane->poller()->state(), ActivityPoller::State::Live);
    const ActivityEntry *first = m_pane->model()->entryAt(0);
    QCOMPARE(first->kind, ActivityEntry::Kind::Lifecycle);
    QCOMPARE(first->event, QStringLiteral("created"));
}

void tst_command_log::cleanupTestCase()
{
    delete m_pane;
    if (m_api)
        m_api->killAllSandboxes();
}

void tst_command_log::cleanup()
{
    m_pane->setKindFilter(std::nullopt);
    m_pane->setSearchText(QString());
}

void tst_command_log::anotherClientsCommandAppears()
{
    const QString cmd = QStringLiteral("printf 'first line\\nlast out\\n'; printf '\\033[31mred error\\033[0m\\n' >&2; exit 3");
    E2E_EXPECT(run, m_api->run(m_id, cmd), 200);
    QCOMPARE(run.json().value(QStringLiteral("exit_code")).toInt(), 3);

    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(cmd) >= 0, kTryMs);
    const int row = rowOfCommand(cmd);
    QCOMPARE(cell(row, ActivityModel::KindColumn), QStringLiteral("command"));
    QCOMPARE(cell(row, ActivityModel::ExitColumn), QStringLiteral("3"));
    QCOMPARE(cell(row, ActivityModel::StatusColumn), QStringLiteral("exit 3"));
    QCOMPARE(cell(row, ActivityModel::OutputColumn), QStringLiteral("last out"));
    QVERIFY(!cell(row, ActivityModel::DurationColumn).isEmpty());
    QVERIFY(m_pane->model()->index(row, ActivityModel::ExitColumn).data(ActivityModel::FailedRole).toBool());
    QCOMPARE(m_pane->model()->entryAt(row)->err, QStringLiteral("\x1b[31mred error\x1b[0m\n"));

    // Selected: the whole output, colours rendered, then stripped.
    select(row);
    ActivityOutputView *view = m_pane->outputView();
    QCOMPARE(view->shownSeq().value_or(-1), m_pane->model()->entryAt(row)->seq);
    QVERIFY2(view->headerText().contains(QStringLiteral("exit 3")), qPrintable(view->headerText()));
    QString text = view->outputText();
    QVERIFY2(text.contains(QStringLiteral("first line\nlast out")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("red error")), qPrintable(text));
    QVERIFY(!text.contains(QChar(0x1b)));
    view->setColours(false);
    text = view->outputText();
    QVERIFY2(text.contains(QStringLiteral("stderr")) && text.contains(QStringLiteral("red error")), qPrintable(text));
    QVERIFY(!text.contains(QChar(0x1b)));
    view->setColours(true);
}

void tst_command_log::backgroundOutputWhileRunning()
{
    const QString cmd = QStringLiteral("for i in 1 2 3 4 5 6 7 8; do echo tick$i; sleep 1; done; exit 4");
    E2E_EXPECT(start, m_api->run(m_id, cmd, QJsonObject{{QStringLiteral("background"), true}}), 201);

    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(cmd) >= 0, kTryMs);
    select(rowOfCommand(cmd));
    // Output arrives while the command still runs.
    QTRY_VERIFY_WITH_TIMEOUT(cell(rowOfCommand(cmd), ActivityModel::OutputColumn).startsWith(QStringLiteral("tick"))
                                 && cell(rowOfCommand(cmd), ActivityModel::OutputColumn) != QStringLiteral("tick8"),
                             kTryMs);
    int row = rowOfCommand(cmd);
    QVERIFY(m_pane->model()->index(row, 0).data(ActivityModel::RunningRole).toBool());
    QCOMPARE(cell(row, ActivityModel::StatusColumn), QStringLiteral("running"));
    QCOMPARE(cell(row, ActivityModel::ExitColumn), QString());
    QVERIFY(m_pane->poller()->running().contains(m_pane->model()->entryAt(row)->seq));
    QVERIFY2(m_pane->outputView()->outputText().contains(QStringLiteral("tick1")),
             qPrintable(m_pane->outputView()->outputText()));

    // Then it ends, in the same row: exit code, duration, all the output.
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOfCommand(cmd), ActivityModel::ExitColumn), QStringLiteral("4"), kTryMs);
    row = rowOfCommand(cmd);
    QCOMPARE(cell(row, ActivityModel::StatusColumn), QStringLiteral("exit 4"));
    QCOMPARE(cell(row, ActivityModel::OutputColumn), QStringLiteral("tick8"));
    QVERIFY(!m_pane->model()->index(row, 0).data(ActivityModel::RunningRole).toBool());
    QVERIFY(!cell(row, ActivityModel::DurationColumn).isEmpty());
    QTRY_VERIFY(m_pane->outputView()->outputText().contains(QStringLiteral("tick8")));
    int count = 0;
    for (const ActivityEntry &e : m_pane->model()->entries())
        count += e.cmd == cmd;
    QCOMPARE(count, 1);
}

void tst_command_log::runFieldRunsCommands()
{
    QLineEdit *field = m_pane->runField();
    QVERIFY(field->isEnabled());
    QSignalSpy finished(m_pane, &CommandLogPane::runFinished);
    const QString cmd = QStringLiteral("echo from-the-pane; exit 0");
    field->setText(cmd);
    QTest::keyClick(field, Qt::Key_Return);
    QVERIFY(field->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTryMs);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY2(m_pane->statusText().contains(QStringLiteral("exited with 0")), qPrintable(m_pane->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(cmd) >= 0, kTryMs);
    QCOMPARE(cell(rowOfCommand(cmd), ActivityModel::ExitColumn), QStringLiteral("0"));
    QCOMPARE(cell(rowOfCommand(cmd), ActivityModel::OutputColumn), QStringLiteral("from-the-pane"));
    QVERIFY(!m_pane->model()->index(rowOfCommand(cmd), 0).data(ActivityModel::FailedRole).toBool());

    // In the background: answered at once, the log shows it end.
    const QString bg = QStringLiteral("sleep 1; echo bg-done; exit 7");
    m_pane->backgroundBox()->setChecked(true);
    field->setText(bg);
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kTryMs);
    QVERIFY2(m_pane->statusText().contains(QStringLiteral("in the background")), qPrintable(m_pane->statusText()));
    m_pane->backgroundBox()->setChecked(false);
    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(bg) >= 0, kTryMs);
    QVERIFY(m_pane->model()->entryAt(rowOfCommand(bg))->background);
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOfCommand(bg), ActivityModel::ExitColumn), QStringLiteral("7"), kTryMs);
    QCOMPARE(cell(rowOfCommand(bg), ActivityModel::OutputColumn), QStringLiteral("bg-done"));

}

void tst_command_log::quietPollEmitsNothing()
{
    ActivityPoller *poller = m_pane->poller();
    // Let every command end first: running entries are re-read (and may
    // legitimately change) until the engine says they ended.
    QTRY_VERIFY_WITH_TIMEOUT(poller->running().isEmpty(), kTryMs);
    QSignalSpy polled(poller, &ActivityPoller::polled);
    QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 1, kTryMs);

    ActivityModel *model = m_pane->model();
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(model, &QAbstractItemModel::layoutChanged);
    const int rows = model->rowCount();
    const int requests = poller->requestCount();
    polled.clear();
    QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 4, kTryMs);
    QVERIFY(poller->requestCount() >= requests + 4);
    for (const QList<QVariant> &args : std::as_const(polled))
        QCOMPARE(args.at(0).toBool(), false);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(layout.size(), 0);
    QCOMPARE(model->rowCount(), rows);
    QCOMPARE(poller->cursor(), model->lastSeq());
}

void tst_command_log::filterAndSearch()
{
    ActivityFilterModel *filter = m_pane->filterModel();
    const int all = filter->rowCount();
    QVERIFY(all >= 5);
    m_pane->setKindFilter(ActivityEntry::Kind::Lifecycle);
    QCOMPARE(filter->rowCount(), 1);
    m_pane->setKindFilter(ActivityEntry::Kind::Command);
    QCOMPARE(filter->rowCount(), all - 1);
    m_pane->setSearchText(QStringLiteral("TICK5"));
    QCOMPARE(filter->rowCount(), 1);
    m_pane->setKindFilter(std::nullopt);
    m_pane->setSearchText(QString());
    QCOMPARE(filter->rowCount(), all);
}

void tst_command_log::copyAndExport()
{
    const QString cmd = QStringLiteral("echo from-the-pane; exit 0");
    const int row = rowOfCommand(cmd);
    QVERIFY(row >= 0);
    select(row);
    const QString copied = m_pane->copySelection();
    QVERIFY2(copied.contains(QStringLiteral("$ ") + cmd) && copied.contains(QStringLiteral("exit 0")), qPrintable(copied));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString text = dir.filePath(QStringLiteral("log.txt"));
    const Status s = m_pane->exportTo(text);
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
    QFile f(text);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString written = QString::fromUtf8(f.readAll());
    QVERIFY2(written.contains(QStringLiteral("$ ") + cmd), qPrintable(written));
    QVERIFY(written.contains(QStringLiteral("exit 3")));
    QVERIFY(written.contains(QStringLiteral("red error")));
    QVERIFY(written.contains(QStringLiteral("tick8")));
    QVERIFY(!written.contains(QChar(0x1b)));

    // JSON lines: one object per shown entry, in order; filters apply.
    m_pane->setKindFilter(ActivityEntry::Kind::Command);
    const QString jsonl = dir.filePath(QStringLiteral("log.jsonl"));
    QVERIFY(m_pane->exportTo(jsonl).ok());
    QFile j(jsonl);
    QVERIFY(j.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = j.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), m_pane->filterModel()->rowCount());
    qint64 last = 0;
    for (const QByteArray &line : lines) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("command"));
        QVERIFY(o.value(QStringLiteral("seq")).toInteger() > last);
        last = o.value(QStringLiteral("seq")).toInteger();
    }

    const Status bad = m_pane->exportTo(dir.filePath(QStringLiteral("missing/dir/log.txt")));
    QVERIFY(!bad.ok());
    QVERIFY(!bad.error().message.isEmpty());
}

void tst_command_log::hiddenPaneStopsReading()
{
    ActivityPoller *poller = m_pane->poller();
    m_pane->hide();
    QCOMPARE(poller->state(), ActivityPoller::State::Stopped);
    const int requests = poller->requestCount();
    const QString cmd = QStringLiteral("echo while-hidden");
    E2E_EXPECT(run, m_api->run(m_id, cmd), 200);
    QTest::qWait(1000);
    QCOMPARE(poller->requestCount(), requests);
    QCOMPARE(rowOfCommand(cmd), -1);
    // Shown again: it carries on from its cursor, nothing read twice.
    const int rows = m_pane->model()->rowCount();
    QSignalSpy reset(m_pane->model(), &QAbstractItemModel::modelReset);
    m_pane->show();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(cmd) >= 0, kTryMs);
    QCOMPARE(m_pane->model()->rowCount(), rows + 1);
    QCOMPARE(reset.size(), 0);
}

void tst_command_log::endlessCommandHoldsNothingBack()
{
    // Small pages, so a few entries put the running one far behind the
    // newest: it is then re-read on its own while new entries page in.
    ActivityPoller *poller = m_pane->poller();
    poller->setPageSize(6);
    const QString server = QStringLiteral("echo serving; sleep 600");
    E2E_EXPECT(start, m_api->run(m_id, server, QJsonObject{{QStringLiteral("background"), true}}), 201);
    const QString commandId = start.json().value(QStringLiteral("command_id")).toString();
    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(server) >= 0, kTryMs);
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOfCommand(server), ActivityModel::OutputColumn), QStringLiteral("serving"), kTryMs);
    for (int i = 0; i < 14; ++i) {
        E2E_EXPECT(step, m_api->run(m_id, QStringLiteral("echo step%1").arg(i)), 200);
    }
    QTRY_VERIFY_WITH_TIMEOUT(rowOfCommand(QStringLiteral("echo step13")) >= 0, kTryMs);
    for (int i = 0; i < 14; ++i)
        QVERIFY(rowOfCommand(QStringLiteral("echo step%1").arg(i)) >= 0);
    QVERIFY(m_pane->model()->index(rowOfCommand(server), 0).data(ActivityModel::RunningRole).toBool());
    QVERIFY(poller->cursor() - m_pane->model()->entryAt(rowOfCommand(server))->seq > 6);

    // Killed, far behind the newest: its row still learns how it ended.
    E2E_EXPECT(kill, m_api->post(sbx(m_id, QStringLiteral("/commands/") + commandId + QStringLiteral("/kill")), {}), 200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_pane->model()->index(rowOfCommand(server), 0).data(ActivityModel::RunningRole).toBool(),
                             kTryMs);
    QCOMPARE(cell(rowOfCommand(server), ActivityModel::StatusColumn), QStringLiteral("killed"));
    QVERIFY(m_pane->model()->index(rowOfCommand(server), 0).data(ActivityModel::FailedRole).toBool());
    poller->setPageSize(200);
}

void tst_command_log::killEndsWhatTheCommandStarted()
{
    // A command that keeps forking, each child in a process group of its
    // own (set -m), and one that waits on two children; a third must live on.
    const QString bomb = QStringLiteral("set -m; sleep 1234 & while :; do sleep 1234 & sleep 0.2; done");
    const QString pair = QStringLiteral("sleep 1235 & sleep 1235; wait");
    const QString survivor = QStringLiteral("sleep 4321; echo survived");
    const QJsonObject bg{{QStringLiteral("background"), true}};
    E2E_EXPECT(keep, m_api->run(m_id, survivor, bg), 201);
    const QString survivorId = keep.json().value(QStringLiteral("command_id")).toString();
    E2E_EXPECT(forks, m_api->run(m_id, bomb, bg), 201);
    const QString bombId = forks.json().value(QStringLiteral("command_id")).toString();
    E2E_EXPECT(two, m_api->run(m_id, pair, bg), 201);
    const QString pairId = two.json().value(QStringLiteral("command_id")).toString();
    QTRY_VERIFY_WITH_TIMEOUT(rowRuns(bomb) && rowRuns(pair) && rowRuns(survivor), kTryMs);
    QTRY_VERIFY_WITH_TIMEOUT(processesRunning(QStringLiteral("sleep 1234")) >= 5, kTryMs);

    // Kill is offered for a running command only.
    QAction *kill = m_pane->killAction();
    select(rowOfCommand(QStringLiteral("echo from-the-pane; exit 0")));
    QVERIFY(!kill->isEnabled());
    QVERIFY(!m_pane->outputView()->killButton()->isVisible());
    select(rowOfCommand(bomb));
    QVERIFY(kill->isEnabled());
    QPushButton *button = m_pane->outputView()->killButton();
    QVERIFY(button->isVisible());
    QVERIFY(button->isEnabled());

    // The button above the output asks first; Cancel sends nothing.
    m_pane->setConfirmKill(true);
    auto confirmation = [] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (w->objectName() == QLatin1String("commandKillConfirm") && w->isVisible())
                return qobject_cast<QMessageBox *>(w);
        }
        return static_cast<QMessageBox *>(nullptr);
    };
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY(confirmation());
    QVERIFY2(confirmation()->text().contains(QStringLiteral("sleep 1234")), qPrintable(confirmation()->text()));
    confirmation()->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!confirmation());
    QCOMPARE(m_pane->kills()->pendingCount(), 0);
    QTest::qWait(500);
    QCOMPARE(commandStatus(bombId), QStringLiteral("running"));

    // Confirmed: the kill goes out, Kill is off while it is in flight, and
    // the row learns that the command ended.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY(confirmation());
    QMessageBox *box = confirmation();
    auto *yes = box->findChild<QPushButton *>(QStringLiteral("commandKillConfirmButton"));
    QVERIFY(yes);
    yes->click();
    QVERIFY(m_pane->kills()->isPending(m_id, bombId));
    QVERIFY(!kill->isEnabled());
    QVERIFY(!button->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOfCommand(bomb), ActivityModel::StatusColumn), QStringLiteral("killed"), kTryMs);
    QVERIFY2(m_pane->statusText().startsWith(QStringLiteral("Killed")), qPrintable(m_pane->statusText()));
    QVERIFY(!kill->isEnabled());
    QTRY_VERIFY(!m_pane->outputView()->killButton()->isVisible());
    QCOMPARE(commandStatus(bombId), QStringLiteral("killed"));
    // Everything it forked is gone, also what it forked into groups of
    // their own, and stays gone (nothing forks any more).
    QTRY_COMPARE_WITH_TIMEOUT(processesRunning(QStringLiteral("sleep 1234")), 0, 10000);
    QTest::qWait(1000);
    QCOMPARE(processesRunning(QStringLiteral("sleep 1234")), 0);

    // The Delete key on the table, not asking: the other one, both its
    // children. The app's window has its own Delete (kill the sandbox); in
    // the log that one must never fire, on a running row or another.
    auto *windowDelete = new QAction(m_pane);
    windowDelete->setShortcut(QKeySequence::Delete);
    m_pane->addAction(windowDelete);
    QSignalSpy windowDeletes(windowDelete, &QAction::triggered);
    m_pane->setConfirmKill(false);
    select(rowOfCommand(bomb));
    m_pane->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_pane));
    m_pane->table()->setFocus();
    QTRY_VERIFY(m_pane->table()->hasFocus());
    QTest::keyClick(m_pane->table(), Qt::Key_Delete);
    QCOMPARE(windowDeletes.size(), 0);
    QCOMPARE(m_pane->kills()->pendingCount(), 0);
    select(rowOfCommand(pair));
    QVERIFY(kill->isEnabled());
    QTest::keyClick(m_pane->table(), Qt::Key_Delete);
    QCOMPARE(windowDeletes.size(), 0);
    QVERIFY(m_pane->kills()->isPending(m_id, pairId) || cell(rowOfCommand(pair), ActivityModel::StatusColumn) == QStringLiteral("killed"));
    delete windowDelete;
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOfCommand(pair), ActivityModel::StatusColumn), QStringLiteral("killed"), kTryMs);
    QCOMPARE(commandStatus(pairId), QStringLiteral("killed"));
    QTRY_COMPARE_WITH_TIMEOUT(processesRunning(QStringLiteral("sleep 1235")), 0, 10000);

    // The third command was never touched.
    QCOMPARE(commandStatus(survivorId), QStringLiteral("running"));
    QCOMPARE(processesRunning(QStringLiteral("sleep 4321")), 1);
    QVERIFY(rowRuns(survivor));
    m_pane->setConfirmKill(true);
}

void tst_command_log::killLeftoversOfAnEndedCommand()
{
    // Like a fork bomb, its first shell returns at once and what it started
    // keeps forking: three loops, each in a process group of its own.
    const QString bomb = QStringLiteral("set -m; for i in 1 2 3; do (while :; do sleep 1236 & sleep 0.3; done) >/dev/null 2>&1 & done");
    const QString survivor = QStringLiteral("sleep 4321; echo survived");
    E2E_EXPECT(start, m_api->run(m_id, bomb), 200);
    const QString bombId = start.json().value(QStringLiteral("command_id")).toString();
    QTRY_COMPARE_WITH_TIMEOUT(cell(rowOfCommand(bomb), ActivityModel::StatusColumn), QStringLiteral("exit 0"), kTryMs);
    QTRY_VERIFY_WITH_TIMEOUT(processesRunning(QStringLiteral("sleep 1236")) >= 6, kTryMs);

    // Ended: no Kill, but its leftovers can be killed (not those of a
    // command killed already).
    select(rowOfCommand(bomb));
    QVERIFY(!m_pane->killAction()->isEnabled());
    QVERIFY(!m_pane->outputView()->killButton()->isVisible());
    QAction *leftovers = m_pane->killLeftoversAction();
    QVERIFY(leftovers->isVisible());
    QVERIFY(leftovers->isEnabled());
    select(rowOfCommand(QStringLiteral("sleep 1235 & sleep 1235; wait")));
    QVERIFY(!leftovers->isEnabled());
    QVERIFY(!leftovers->isVisible());
    select(rowOfCommand(bomb));
    QVERIFY(leftovers->isEnabled());

    m_pane->setConfirmKill(false);
    leftovers->trigger();
    QVERIFY(m_pane->kills()->isPending(m_id, bombId));
    QVERIFY(!leftovers->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->statusText().startsWith(QStringLiteral("Killed whatever")), kTryMs);
    QTRY_COMPARE_WITH_TIMEOUT(processesRunning(QStringLiteral("sleep 1236")), 0, 10000);
    QTest::qWait(1000);
    QCOMPARE(processesRunning(QStringLiteral("sleep 1236")), 0);
    // The entry still says how the command itself ended.
    QCOMPARE(cell(rowOfCommand(bomb), ActivityModel::StatusColumn), QStringLiteral("exit 0"));
    QCOMPARE(processesRunning(QStringLiteral("sleep 4321")), 1);
    QVERIFY(rowRuns(survivor));
    m_pane->setConfirmKill(true);
}

void tst_command_log::killFailureIsASentence()
{
    // A running entry whose command the engine does not know: the engine's
    // own sentence, shown as a problem.
    const QString survivor = QStringLiteral("sleep 4321; echo survived");
    QVERIFY(rowRuns(survivor));
    ActivityEntry stranger = *m_pane->model()->entryAt(rowOfCommand(survivor));
    stranger.commandId = QStringLiteral("no-such-command");
    QSignalSpy finished(m_pane->kills(), &CommandKills::finished);
    QVERIFY(m_pane->kills()->kill(m_id, stranger));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTryMs);
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("no-such-command"));
    QCOMPARE(finished.first().at(2).toBool(), false);
    const QString sentence = finished.first().at(3).toString();
    QVERIFY2(sentence.contains(QStringLiteral("was not killed")), qPrintable(sentence));
    QCOMPARE(m_pane->statusText(), sentence);
    QVERIFY(m_pane->findChild<QLabel *>(QStringLiteral("activityStatus"))->property("problem").toBool());
    QVERIFY(rowRuns(survivor));
}

void tst_command_log::killedSandboxIsSaid()
{
    const int rows = m_pane->model()->rowCount();
    E2E_EXPECT(killed, m_api->del(sbx(m_id)), 204);
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->poller()->state(), ActivityPoller::State::Gone, kTryMs);
    QVERIFY2(m_pane->poller()->problem().contains(QStringLiteral("is gone")), qPrintable(m_pane->poller()->problem()));
    QVERIFY(m_pane->poller()->problem().contains(m_id));
    QVERIFY(!m_pane->runField()->isEnabled());
    // A command still marked running cannot be killed in a gone sandbox.
    select(rowOfCommand(QStringLiteral("sleep 4321; echo survived")));
    QVERIFY(!m_pane->killAction()->isEnabled());
    // What was read stays readable.
    QVERIFY(m_pane->model()->rowCount() >= rows);
    // And it stops asking.
    const int requests = m_pane->poller()->requestCount();
    QTest::qWait(1000);
    QCOMPARE(m_pane->poller()->requestCount(), requests);
}

QTEST_MAIN(tst_command_log)
#include "tst_command_log.moc"
