// SPDX-License-Identifier: GPL-3.0-or-later
// The main window against a real engine, offscreen: every lifecycle action
// driven through the UI changes the engine's state; selection survives
// refreshes; errors (a 4xx, a wrong key, the engine stopping) reach the
// window as sentences. One engine for the whole program.
#include "DesktopE2e.h"
#include "EngineClient.h"
#include "EngineSet.h"
#include "KeyValueTable.h"
#include "ChangeTreeModel.h"
#include "Banner.h"
#include "ChangesPane.h"
#include "CommandPalette.h"
#include "MainWindow.h"
#include "NetworkPolicyDialog.h"
#include "NetworkPolicyEditor.h"
#include "NewSandboxDialog.h"
#include "OverviewPane.h"
#include "SandboxFilterModel.h"
#include "SandboxListView.h"
#include "SandboxModel.h"
#include "SandboxNotifier.h"
#include "TrayIcon.h"
#include "SandboxPoller.h"
#include "SetTimeoutDialog.h"
#include "ActivityModel.h"
#include "ActivityPoller.h"
#include "MetricsHistory.h"
#include "MetricsHistoryPoller.h"
#include "ActivityFilterModel.h"
#include "ActivityOutputView.h"
#include "CodePane.h"
#include "CommandLogPane.h"
#include "FilesPane.h"
#include "MetricsPane.h"
#include "PreviewBar.h"
#include "ProfileDialog.h"
#include "TerminalPane.h"
#include "TerminalScreen.h"
#include "TerminalStack.h"
#include "TerminalTab.h"
#include "TerminalView.h"
#include "TimelineItems.h"
#include "TimelinePane.h"
#include "TimelineView.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QToolButton>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QHeaderView>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTableView>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStatusBar>
#include <QSpinBox>
#include <QTabBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QTreeView>
#include <QUrl>
#include <QWindow>

#include <limits>
#include <memory>

using namespace E2e;
using namespace DesktopE2e;

class tst_desktop_ui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void newSandboxDialogValidates();
    void newSandboxCreates();
    void newSandboxWithPolicy();
    void engineRefusalStaysInTheDialog();
    void overviewChangesPolicy();
    void pauseAndResume();
    void setTimeout();
    void killAsksFirst();
    void severalAtOnce();
    void settingsApply();
    void profileMenu();
    void copyIdAndSnippet();
    void selectionSurvivesRefreshes();
    void filterBar();
    void actionErrorIsASentence();
    void wrongKeyIsSaidPlainly();
    void layoutIsRemembered();
    void workbenchTabs();
    void workbenchFollowsSelection();
    void changesTab();
    void changesSaveArchive();
    void timelineTab();
    void exportReport();
    void notifiesOomKill();
    void listAtAGlance();
    void everyControlHasAName();
    void commandPalette();
    void engineStoppedAndBack();

private:
    QAction *action(const char *name) const { return m_window->findChild<QAction *>(QLatin1String(name)); }
    template <typename T>
    T *waitForDialog(const char *name)
    {
        T *d = nullptr;
        // nullptr when no such dialog showed up in time.
        if (!QTest::qWaitFor([&] { return (d = m_window->findChild<T *>(QLatin1String(name))) && d->isVisible(); }, 5000))
            return nullptr;
        return d;
    }
    void select(const QString &id)
    {
        QTRY_VERIFY(m_window->model()->rowOf(id) >= 0);
        m_window->selectIds({id});
        QCOMPARE(m_window->selectedIds(), QStringList{id});
        QApplication::processEvents();
    }
    bool actionsDone() { return m_window->pendingActions() == 0; }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    // The window's engines: the suite's engine, watched as "Test".
    std::unique_ptr<EngineSet> m_engines;
    std::unique_ptr<MainWindow> m_window;
    SandboxPoller *poller() const { return m_engines->poller(QStringLiteral("Test")); }
    QString m_created;
    QString m_netCreated;
};

void tst_desktop_ui::initTestCase()
{
    QVERIFY2(EngineProcess::templateExists(), "no base template (build it with ./dev.sh)");
    m_engine = std::make_unique<EngineProcess>();
    QVERIFY2(m_engine->start(), qPrintable(m_engine->errorString()));
    m_api = std::make_unique<ApiClient>(m_engine->baseUrl(), m_engine->apiKey());
    m_engines = std::make_unique<EngineSet>();
    m_window = std::make_unique<MainWindow>(m_engines.get());
    DesktopSettings s;
    s.pollIntervalMs = 500;
    m_window->setSettings(s);
    m_engines->setMetricsInterval(0);
    QCOMPARE(m_engines->watch(QStringLiteral("Test"), m_engine->baseUrl(), m_engine->apiKey()), QString());
    m_window->show();
    // Shortcuts go to the active window.
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTRY_COMPARE(poller()->connection(), SandboxPoller::Connection::Connected);
    QVERIFY2(m_window->statusText().contains(QStringLiteral("ai2ind " AI2IN_VERSION)), qPrintable(m_window->statusText()));
    QVERIFY(m_window->statusText().contains(QLatin1String("last poll")));
    QVERIFY(m_window->connectionMessage().isEmpty());
}

void tst_desktop_ui::cleanupTestCase()
{
    m_window.reset();
    m_engines.reset();
    if (m_api && m_engine && m_engine->isRunning())
        m_api->killAllSandboxes();
}

void tst_desktop_ui::cleanup()
{
    // A failed test must not leave a filter or a slow poll to the next one.
    m_window->findChild<QLineEdit *>(QStringLiteral("filterEdit"))->clear();
    m_window->findChild<QComboBox *>(QStringLiteral("stateFilter"))->setCurrentIndex(0);
    poller()->setInterval(500);
    // Nor a dialog: it would keep the window from being active.
    for (QDialog *d : m_window->findChildren<QDialog *>()) {
        if (d->isVisible())
            d->reject();
    }
}

void tst_desktop_ui::commandPalette()
{
    // Ctrl+K finds any action by words of its name and runs it with Enter.
    QVERIFY(CommandPalette::matches(QStringLiteral("Copy Python snippet"), QStringLiteral("snip py")));
    QVERIFY(!CommandPalette::matches(QStringLiteral("Copy ID"), QStringLiteral("copy url")));
    E2E_CREATE(id, *m_api, QJsonObject());
    select(id);
    // Shortcuts go to the active window (another test's window may have been).
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    CommandPalette *palette = nullptr;
    QTRY_VERIFY((palette = m_window->findChild<CommandPalette *>(QStringLiteral("commandPalette"))) && palette->isVisible());
    QVERIFY(palette->shownNames().contains(QStringLiteral("New sandbox")));
    QVERIFY(palette->shownNames().contains(QStringLiteral("Show the Changes tab")));
    QTest::keyClicks(palette->searchField(), QStringLiteral("changes tab"));
    QCOMPARE(palette->shownNames(), QStringList{QStringLiteral("Show the Changes tab")});
    QTest::keyClick(palette->searchField(), Qt::Key_Return);
    QTRY_COMPARE(m_window->detailsTabs()->currentWidget(), static_cast<QWidget *>(m_window->changesPane()));
    QTRY_VERIFY(!m_window->findChild<CommandPalette *>(QStringLiteral("commandPalette")));
    // Copy ID through it, as from the toolbar.
    QApplication::clipboard()->clear();
    palette = m_window->openCommandPalette();
    QTest::keyClicks(palette->searchField(), QStringLiteral("copy id"));
    QTest::keyClick(palette->searchField(), Qt::Key_Return);
    QTRY_COMPARE(QApplication::clipboard()->text(), id);
}

void tst_desktop_ui::everyControlHasAName()
{
    // A screen reader (or a test through QAccessible) can tell every control
    // of every tab apart by its name.
    E2E_CREATE(id, *m_api, QJsonObject());
    select(id);
    QTabWidget *tabs = m_window->detailsTabs();
    QStringList nameless;
    for (int t = 0; t < tabs->count(); ++t) {
        tabs->setCurrentIndex(t);
        QTest::qWait(100);
        const QList<QWidget *> all = m_window->findChildren<QWidget *>();
        for (QWidget *w : all) {
            const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) ||
                                 qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractItemView *>(w) ||
                                 qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QTextEdit *>(w) ||
                                 qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QTabBar *>(w);
            // A view's header and a tab's close button are parts of what holds them.
            if (!control || !w->isVisible() || qobject_cast<QComboBox *>(w->parentWidget()) ||
                qobject_cast<QHeaderView *>(w) || w->inherits("CloseButton"))
                continue;
            QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w);
            if (!a || a->text(QAccessible::Name).trimmed().isEmpty()) {
                const QString label = QStringLiteral("%1 %2").arg(QString::fromLatin1(w->metaObject()->className()),
                                                                 w->objectName());
                if (!nameless.contains(label))
                    nameless << label;
            }
        }
    }
    for (const QString &n : nameless)
        qInfo("no accessible name: %s", qPrintable(n));
    QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(QStringLiteral(", "))));
}

void tst_desktop_ui::notifiesOomKill()
{
    // An agent's command runs its sandbox out of memory: the app says so
    // (the tray's message; without a tray, as here, in the status bar),
    // once, and the list's memory cell tells the count.
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("memory_mb"), 256}}));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOf(id) >= 0, DESKTOP_TRY_TIMEOUT);
    // The suite reads no metrics elsewhere; the app's default does.
    poller()->setMetricsInterval(500);
    const auto restore = qScopeGuard([this] { poller()->setMetricsInterval(0); });
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->metricsOf(id).has_value(), DESKTOP_TRY_TIMEOUT);
    QSignalSpy notices(m_window->notifier(), &SandboxNotifier::notice);
    const QString hog = QStringLiteral("python3 -c 'b = []\nwhile True: b.append(bytearray(16 << 20))'");
    E2E_EXPECT(run, m_api->run(id, hog), 200);
    QCOMPARE(run.json().value(QStringLiteral("error")).toString(), QStringLiteral("killed: out of memory"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->tray()->told().isEmpty(), DESKTOP_TRY_TIMEOUT);
    const SandboxNotifier::Notice n = m_window->tray()->told().constLast();
    QCOMPARE(n.kind, SandboxNotifier::Notice::Kind::OutOfMemory);
    QCOMPARE(n.sandboxId, id);
    QVERIFY2(n.text.contains(QLatin1String("256 MiB")), qPrintable(n.text));
    QCOMPARE(notices.size(), 1);
    if (!m_window->tray()->available())
        QVERIFY2(m_window->statusBar()->currentMessage().contains(QStringLiteral("Out of memory in ") + id),
                 qPrintable(m_window->statusBar()->currentMessage()));
    const QModelIndex memory = m_window->model()->index(m_window->model()->rowOf(id), SandboxModel::MemoryColumn);
    QVERIFY2(memory.data(Qt::ToolTipRole).toString().contains(QLatin1String("OOM killer ended 1 process")),
             qPrintable(memory.data(Qt::ToolTipRole).toString()));
    // Later readings tell nothing new.
    QTest::qWait(3000);
    QCOMPARE(notices.size(), 1);
    QVERIFY(m_window->tray()->toolTip().contains(QLatin1String("running")));
}

void tst_desktop_ui::listAtAGlance()
{
    // At the default size a new user sees state, id, metadata, time left,
    // CPU and memory of each sandbox without scrolling sideways: a window
    // of its own, as a first start makes it (the suite's window has had its
    // layout restored by an earlier test), over every sandbox made so far.
    const QJsonObject body{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("agent"), QStringLiteral("coder")}}},
                           {QStringLiteral("timeout"), 3600}};
    E2E_CREATE(id, *m_api, body);
    EngineSet freshEngines;
    MainWindow fresh(&freshEngines);
    fresh.resize(1280, 800);
    fresh.show();
    freshEngines.watch(QStringLiteral("Test"), m_engine->baseUrl(), m_engine->apiKey());
    QTRY_VERIFY_WITH_TIMEOUT(fresh.model()->rowOf(id) >= 0, 15000);
    QTreeView *list = fresh.findChild<QTreeView *>(QStringLiteral("sandboxList"));
    QVERIFY(list);
    QTest::qWait(200);
    for (const int c : {SandboxModel::StateColumn, SandboxModel::IdColumn, SandboxModel::MetadataColumn,
                        SandboxModel::TimeLeftColumn, SandboxModel::CpuColumn, SandboxModel::MemoryColumn}) {
        const int right = list->header()->sectionViewportPosition(c) + list->header()->sectionSize(c);
        QVERIFY2(list->header()->sectionViewportPosition(c) >= 0 && right <= list->viewport()->width(),
                 qPrintable(QStringLiteral("column %1 ends at %2 of %3").arg(c).arg(right).arg(list->viewport()->width())));
    }
    fresh.close();
    QApplication::setActiveWindow(m_window.get());
}

void tst_desktop_ui::changesTab()
{
    // An agent adds, modifies and deletes files; the Changes tab lists
    // exactly those, follows new ones live, and shows each diff.
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(work,
               m_api->run(id, QStringLiteral("mkdir -p '/home/sandbox/dir with space' && echo one > '/home/sandbox/dir "
                                             "with space/\u00e9t\u00e9.txt' && sudo sed -i s/12/twelve/ /etc/debian_version "
                                             "&& sudo rm /etc/issue.net && printf 'a\\0b' > /home/sandbox/blob && ln -s /etc/shadow "
                                             "/home/sandbox/link")),
               200);
    select(id);
    ChangesPane *pane = m_window->changesPane();
    pane->setPollInterval(300);
    m_window->detailsTabs()->setCurrentWidget(pane);
    ChangeTreeModel *model = pane->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->changeCount(), 6, 15000);
    auto kindOf = [&](const QString &path) {
        const auto c = model->changeAt(path);
        return c ? QString(c->mark()) + c->type : QString();
    };
    QCOMPARE(kindOf(QStringLiteral("/etc/debian_version")), QStringLiteral("Mfile"));
    QCOMPARE(kindOf(QStringLiteral("/etc/issue.net")), QStringLiteral("Dfile"));
    QCOMPARE(kindOf(QStringLiteral("/home/sandbox/dir with space")), QStringLiteral("Adir"));
    QCOMPARE(kindOf(QStringLiteral("/home/sandbox/dir with space/\u00e9t\u00e9.txt")), QStringLiteral("Afile"));
    QCOMPARE(kindOf(QStringLiteral("/home/sandbox/blob")), QStringLiteral("Afile"));
    QCOMPARE(kindOf(QStringLiteral("/home/sandbox/link")), QStringLiteral("Asymlink"));
    QCOMPARE(model->changeAt(QStringLiteral("/home/sandbox/link"))->symlinkTarget, QStringLiteral("/etc/shadow"));
    QVERIFY(!model->changeAt(QStringLiteral("/etc/hostname")));
    QVERIFY2(pane->summary()->text().contains(QLatin1String("6 changes")), qPrintable(pane->summary()->text()));

    // A click on a row shows its diff, unified and side by side.
    QSignalSpy shown(pane, &ChangesPane::diffShown);
    const QModelIndex row = pane->tree()->model()->match(pane->tree()->model()->index(0, 0), ChangeTreeModel::PathRole,
                                                         QStringLiteral("/etc/debian_version"), 1,
                                                         Qt::MatchExactly | Qt::MatchRecursive).value(0);
    QVERIFY(row.isValid());
    pane->tree()->setCurrentIndex(row);
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
    QVERIFY2(pane->unifiedView()->toPlainText().contains(QLatin1String("-12.")), qPrintable(pane->unifiedView()->toPlainText()));
    QVERIFY(pane->unifiedView()->toPlainText().contains(QLatin1String("+twelve.")));
    pane->setDiffMode(ChangesPane::DiffMode::SideBySide);
    QVERIFY(pane->sideBySideView()->isVisible());
    QVERIFY(pane->sideBySideView()->rowCount() >= 2);
    pane->setDiffMode(ChangesPane::DiffMode::Unified);

    // The command log says which of them the command changed (in its home;
    // /etc is outside what is followed) and a click opens one's diff here.
    CommandLogPane *log = m_window->commandLog();
    m_window->detailsTabs()->setCurrentWidget(log);
    const QString workId = work.json().value(QStringLiteral("command_id")).toString();
    int workRow = -1;
    QTRY_VERIFY_WITH_TIMEOUT((workRow = [&] {
                                 for (int r = 0; r < log->model()->rowCount(); ++r) {
                                     if (log->model()->entryAt(r)->commandId == workId)
                                         return r;
                                 }
                                 return -1;
                             }()) >= 0,
                             15000);
    log->table()->setCurrentIndex(log->filterModel()->mapFromSource(log->model()->index(workRow, 0)));
    QListWidget *touched = log->outputView()->touchedList();
    QTRY_COMPARE_WITH_TIMEOUT(touched->count(), 4, 10000);
    QStringList touchedRows;
    for (int i = 0; i < touched->count(); ++i)
        touchedRows << touched->item(i)->text();
    QCOMPARE(touchedRows, (QStringList{QStringLiteral("A  /home/sandbox/blob"), QStringLiteral("A  /home/sandbox/dir with space/"),
                                       QStringLiteral("A  /home/sandbox/dir with space/\u00e9t\u00e9.txt"),
                                       QStringLiteral("A  /home/sandbox/link")}));
    QCOMPARE(log->outputView()->touchedTitle(), QStringLiteral("It changed 4 files:"));
    shown.clear();
    const QRect itemRect = touched->visualItemRect(touched->item(2));
    QTest::mouseClick(touched->viewport(), Qt::LeftButton, {}, itemRect.center());
    QTRY_COMPARE(m_window->detailsTabs()->currentWidget(), static_cast<QWidget *>(pane));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 10000);
    QCOMPARE(pane->shownPath(), QStringLiteral("/home/sandbox/dir with space/\u00e9t\u00e9.txt"));
    QVERIFY2(pane->unifiedView()->toPlainText().contains(QLatin1String("+one")), qPrintable(pane->unifiedView()->toPlainText()));

    // The agent goes on: a new file appears without a click, a removed one goes.
    E2E_EXPECT(more, m_api->run(id, QStringLiteral("echo later > /home/sandbox/later.txt && rm /home/sandbox/blob")), 200);
    QTRY_VERIFY_WITH_TIMEOUT(model->changeAt(QStringLiteral("/home/sandbox/later.txt")).has_value(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!model->changeAt(QStringLiteral("/home/sandbox/blob")).has_value(), 10000);

    // The filter keeps matching paths and the folders on their way.
    pane->filter()->setText(QStringLiteral("debian"));
    QAbstractItemModel *shownModel = pane->tree()->model();
    QCOMPARE(shownModel->rowCount(), 1); // etc
    QCOMPARE(shownModel->rowCount(shownModel->index(0, 0)), 1);
    pane->filter()->clear();

    // Save as patch: one unified diff of the text changes.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("changes.patch"));
    QString problem = QStringLiteral("not answered");
    pane->savePatch(file, [&](const QString &p) { problem = p; });
    QTRY_VERIFY_WITH_TIMEOUT(problem != QLatin1String("not answered"), 15000);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray patch = f.readAll();
    QVERIFY2(patch.contains("--- a/etc/issue.net\n+++ /dev/null\n"), patch.constData());
    QVERIFY(patch.contains("+++ b/home/sandbox/later.txt\n"));
    QVERIFY(patch.contains("+twelve."));
}

void tst_desktop_ui::changesSaveArchive()
{
    // "Save as archive…" writes the added and modified files as a tar, links
    // as links, with the list of every change (the deletion too) last.
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(work,
               m_api->run(id, QStringLiteral("mkdir -p '/home/sandbox/dir with space' && echo one > '/home/sandbox/dir "
                                             "with space/\u00e9t\u00e9.txt' && sudo sed -i s/12/twelve/ /etc/debian_version "
                                             "&& sudo rm /etc/issue.net && printf 'a\\0b' > /home/sandbox/blob && chmod 700 "
                                             "/home/sandbox/blob && ln -s /etc/shadow /home/sandbox/link")),
               200);
    select(id);
    ChangesPane *pane = m_window->changesPane();
    m_window->detailsTabs()->setCurrentWidget(pane);
    QTRY_COMPARE_WITH_TIMEOUT(pane->model()->changeCount(), 6, 15000);
    auto *button = pane->findChild<QPushButton *>(QStringLiteral("changesSaveArchive"));
    QVERIFY(button);
    QVERIFY(button->isEnabled());
    QVERIFY(!button->accessibleName().isEmpty());

    // The click asks for a file name; the dialog gets one and is accepted.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("changes.tar"));
    QTimer answer;
    answer.setInterval(50);
    connect(&answer, &QTimer::timeout, this, [&] {
        if (auto *d = qobject_cast<QFileDialog *>(QApplication::activeModalWidget())) {
            answer.stop();
            // Typed, as a user does; selectFile() keeps the proposed name.
            auto *name = d->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            QVERIFY(name);
            name->setText(file);
            QMetaObject::invokeMethod(d, "accept"); // a slot, protected in QFileDialog
        }
    });
    answer.start();
    QTest::mouseClick(button, Qt::LeftButton);
    auto *banner = pane->findChild<Banner *>();
    QVERIFY(banner);
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().startsWith(QLatin1String("Saved the archive")), 20000);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("changes.tar")});

    QProcess tar;
    tar.start(QStringLiteral("tar"), {QStringLiteral("-tvf"), file});
    QVERIFY(tar.waitForFinished(10000));
    QCOMPARE(tar.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(tar.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    auto line = [&](const QString &name) {
        for (const QString &l : lines) {
            if (l.contains(QLatin1Char(' ') + name))
                return l;
        }
        return QString();
    };
    QVERIFY2(line(QStringLiteral("etc/debian_version")).startsWith(QLatin1String("-rw-r--r-- 0/0")), qPrintable(lines.join('\n')));
    QVERIFY(line(QStringLiteral("home/sandbox/dir with space/\u00e9t\u00e9.txt")).startsWith(QLatin1Char('-')));
    QVERIFY(line(QStringLiteral("home/sandbox/dir with space/")).startsWith(QLatin1Char('d')));
    QVERIFY2(line(QStringLiteral("home/sandbox/blob")).startsWith(QLatin1String("-rwx------")), qPrintable(lines.join('\n')));
    QVERIFY(line(QStringLiteral("home/sandbox/blob")).contains(QLatin1String(" 3 ")));
    QVERIFY(line(QStringLiteral("home/sandbox/link")).startsWith(QLatin1Char('l')));
    QVERIFY(line(QStringLiteral("home/sandbox/link")).endsWith(QLatin1String("home/sandbox/link -> /etc/shadow")));
    QVERIFY(line(QStringLiteral("etc/issue.net")).isEmpty());
    QVERIFY(lines.last().endsWith(QLatin1String(" .ai2in-changes.txt")));
    tar.start(QStringLiteral("tar"), {QStringLiteral("-xOf"), file, QStringLiteral(".ai2in-changes.txt")});
    QVERIFY(tar.waitForFinished(10000));
    QCOMPARE(QString::fromUtf8(tar.readAllStandardOutput()),
             QStringLiteral("M /etc/debian_version\nD /etc/issue.net\nA /home/sandbox/blob\nA /home/sandbox/dir with "
                            "space\nA /home/sandbox/dir with space/\u00e9t\u00e9.txt\nA /home/sandbox/link\n"));

    // A file that cannot be made is a sentence in the banner, and nothing is left.
    const QString nowhere = dir.filePath(QStringLiteral("missing/changes.tar"));
    QString problem = QStringLiteral("not answered");
    pane->saveArchive(nowhere, [&](const QString &p) { problem = p; });
    QTRY_VERIFY_WITH_TIMEOUT(problem != QLatin1String("not answered"), 15000);
    QVERIFY2(problem.contains(QDir::toNativeSeparators(nowhere)), qPrintable(problem));
    QCOMPARE(banner->kind(), Banner::Kind::Error);
    QVERIFY(!QFileInfo::exists(nowhere));
}

void tst_desktop_ui::timelineTab()
{
    // Two commands and a code cell run through the API appear as bars in
    // the order they ran; a click on one shows it in the command log.
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(one, m_api->run(id, QStringLiteral("echo timeline-one && sleep 1")), 200);
    E2E_EXPECT(two, m_api->run(id, QStringLiteral("echo timeline-two; exit 4")), 200);
    E2E_EXPECT(cell, m_api->post(QStringLiteral("/v1/sandboxes/%1/code").arg(id), {{QStringLiteral("code"), QStringLiteral("6 * 7")}}),
               200);
    select(id);
    auto *pane = m_window->findChild<TimelinePane *>(QStringLiteral("timelinePane"));
    QVERIFY(pane);
    QTabWidget *tabs = m_window->detailsTabs();
    QCOMPARE(tabs->indexOf(pane), tabs->indexOf(m_window->commandLog()) + 1);
    QCOMPARE(tabs->tabText(tabs->indexOf(pane)), QStringLiteral("Timeline"));
    QCOMPARE(pane->poller()->state(), ActivityPoller::State::Stopped); // hidden: nothing read
    pane->setPollInterval(300);
    tabs->setCurrentWidget(pane);

    using Lane = TimelineItems::Lane;
    // The item of a lane whose label has `needle`.
    auto find = [&](Lane lane, const QString &needle) -> const TimelineItems::Item * {
        const TimelineItems::Item *found = nullptr;
        for (int row = 0; row < pane->items().rowCount(lane); ++row)
            pane->items().forEachIn(lane, row, 0, std::numeric_limits<qint64>::max() / 2, pane->view()->now(),
                                    [&](const TimelineItems::Item &i) {
                                        if (i.label.contains(needle))
                                            found = &i;
                                    });
        return found;
    };
    QTRY_VERIFY_WITH_TIMEOUT(find(Lane::Code, QStringLiteral("6 * 7")) && find(Lane::Commands, QStringLiteral("timeline-two")),
                             15000);
    const TimelineItems::Item first = *find(Lane::Commands, QStringLiteral("timeline-one"));
    const TimelineItems::Item second = *find(Lane::Commands, QStringLiteral("timeline-two"));
    const TimelineItems::Item third = *find(Lane::Code, QStringLiteral("6 * 7"));
    QCOMPARE(first.status, TimelineItems::Status::Ok);
    QCOMPARE(second.status, TimelineItems::Status::Failed);
    QCOMPARE(second.statusText, QStringLiteral("exit 4"));
    QCOMPARE(third.status, TimelineItems::Status::Ok);
    QVERIFY(first.endMs - first.startMs >= 900);
    QVERIFY(first.startMs < second.startMs && second.startMs <= third.startMs);
    QVERIFY(pane->items().find(1)); // the sandbox's `created`

    // On screen in the same order, the whole life in view.
    TimelineView *view = pane->view();
    view->fit();
    const QRect r1 = view->itemRect(first.seq);
    const QRect r2 = view->itemRect(second.seq);
    const QRect r3 = view->itemRect(third.seq);
    QVERIFY(!r1.isEmpty() && !r2.isEmpty() && !r3.isEmpty());
    QVERIFY2(r1.left() < r2.left() && r2.left() <= r3.left() + 1,
             qPrintable(QStringLiteral("%1 %2 %3").arg(r1.left()).arg(r2.left()).arg(r3.left())));
    QVERIFY(r1.top() == r2.top() && r3.top() > r2.top()); // the Code lane is under the Commands lane
    QVERIFY(view->toolTipFor(second).contains(QLatin1String("exit 4")));

    // A click on the failed command's bar (zoomed in: it took a few
    // milliseconds): the command log shows it.
    view->showRange(second.startMs - 40, second.endMs + 40);
    QVERIFY(!view->follow());
    const QRect bar = view->itemRect(second.seq);
    QVERIFY2(bar.width() > 10, qPrintable(QString::number(bar.width())));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, bar.center());
    CommandLogPane *log = m_window->commandLog();
    QTRY_COMPARE(tabs->currentWidget(), static_cast<QWidget *>(log));
    QTRY_COMPARE_WITH_TIMEOUT(log->table()->currentIndex().data(ActivityModel::SeqRole).toLongLong(), second.seq, 10000);
    QVERIFY(log->table()->selectionModel()->isRowSelected(log->table()->currentIndex().row(), {}));
    QVERIFY(log->table()->currentIndex().siblingAtColumn(ActivityModel::CommandColumn).data().toString().contains(
        QLatin1String("timeline-two")));
    // Hidden again, the timeline reads nothing.
    QCOMPARE(pane->poller()->state(), ActivityPoller::State::Stopped);
    QVERIFY(!pane->metricsPoller()->isPolling());
    tabs->setCurrentIndex(0);
}

void tst_desktop_ui::exportReport()
{
    // An agent writes, changes and deletes files and runs a cell; Export
    // report… writes one HTML file, and a browser that may not reach any
    // network opens it: the sandbox, its commands, a diff line, the files a
    // command touched and the timeline's picture are in the page.
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(write, m_api->run(id, QStringLiteral("echo report-one > /home/sandbox/notes.txt && mkdir -p /home/sandbox/src "
                                                    "&& printf 'alpha\\nbeta\\n' > /home/sandbox/src/main.py")),
               200);
    E2E_EXPECT(change, m_api->run(id, QStringLiteral("sed -i s/beta/gamma/ /home/sandbox/src/main.py && rm /home/sandbox/notes.txt "
                                                     "&& sudo rm /etc/issue.net && sudo sed -i s/12/twelve/ /etc/debian_version")),
               200);
    E2E_EXPECT(fail, m_api->run(id, QStringLiteral("echo '<script>alert(1)</script>'; exit 3")), 200);
    E2E_EXPECT(cell, m_api->post(QStringLiteral("/v1/sandboxes/%1/code").arg(id),
                                 {{QStringLiteral("code"), QStringLiteral("print('cell-output', 6 * 7)")}}),
               200);
    // A few readings of CPU and memory for the charts (one a second).
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        const auto page = MetricsHistory::parse(m_api->get(QStringLiteral("/v1/sandboxes/%1/metrics?since=0").arg(id)).body);
        return page && page->samples.size() >= 3;
    }(), 15000);
    select(id);

    QTemporaryDir dir;
    if (qEnvironmentVariableIsSet("AI2IN_KEEP_REPORT"))
        dir.setAutoRemove(false); // to look at what the browser showed
    const QString file = dir.filePath(QStringLiteral("report.html"));
    QAction *exportAction = action("actionExportReport");
    QVERIFY(exportAction);
    QTRY_VERIFY(exportAction->isEnabled());
    exportAction->trigger();
    auto *dialog = waitForDialog<QFileDialog>("exportReportDialog");
    QVERIFY(dialog);
    QVERIFY(!dialog->isModal() || dialog->windowModality() == Qt::WindowModal); // open(), not exec()
    QVERIFY(!dialog->accessibleName().isEmpty());
    dialog->selectFile(file);
    static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept(), as the Save button
    // Under way at once, in the status bar like any action.
    QVERIFY2(m_window->statusText().contains(id) && m_window->statusText().contains(QLatin1String("report")),
             qPrintable(m_window->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), 60000);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
    const QString page = QString::fromUtf8(f.readAll());
    QVERIFY(page.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")));
    QVERIFY(!page.contains(QLatin1String("<script")));

    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (chromium.isEmpty())
        QSKIP("chromium is not installed here (./dev.sh deps installs it), so the report is not opened in a browser.");
    QTemporaryDir profile;
    // Headless, and with no way out: the page has nothing to fetch, and a
    // mistake that made it try would fail to resolve instead of sending
    // traffic. As root chromium needs --no-sandbox.
    const QStringList common{QStringLiteral("--headless"),
                             QStringLiteral("--no-sandbox"),
                             QStringLiteral("--disable-gpu"),
                             QStringLiteral("--no-proxy-server"),
                             QStringLiteral("--host-resolver-rules=MAP * ~NOTFOUND"),
                             QStringLiteral("--disable-background-networking"),
                             QStringLiteral("--disable-component-update"),
                             QStringLiteral("--disable-sync"),
                             QStringLiteral("--no-first-run"),
                             QStringLiteral("--user-data-dir=") + profile.path()};
    const QString url = QUrl::fromLocalFile(file).toString();
    auto runChromium = [&](const QStringList &args, QByteArray *out) {
        QProcess p;
        p.start(chromium, common + args);
        if (!p.waitForStarted(10000))
            return QStringLiteral("chromium did not start: %1").arg(p.errorString());
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 90000)) {
            p.kill(); // ours only
            p.waitForFinished(5000);
            return QStringLiteral("chromium did not finish within 90 s");
        }
        *out = p.readAllStandardOutput();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return QStringLiteral("chromium exited with %1: %2").arg(p.exitCode()).arg(QString::fromLocal8Bit(p.readAllStandardError().right(2000)));
        return QString();
    };
    QByteArray dom;
    QString problem = runChromium({QStringLiteral("--dump-dom"), url}, &dom);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString shown = QString::fromUtf8(dom);
    for (const QString &want : {id, QStringLiteral("echo report-one &gt; /home/sandbox/notes.txt"),
                                QStringLiteral("sudo rm /etc/issue.net"), QStringLiteral("exit 3"),
                                QStringLiteral("cell-output 42"),
                                QStringLiteral("<span class=\"d-add\">+gamma</span>"),
                                QStringLiteral("<span class=\"d-del\">-12."),
                                QStringLiteral("<span class=\"d-add\">+twelve."),
                                QStringLiteral("<span class=\"d-del\">-Debian GNU/Linux"),
                                QStringLiteral("<code>/etc/issue.net</code>"),
                                QStringLiteral("<span class=\"mark A\">A</span><code>/home/sandbox/src/main.py</code>"),
                                QStringLiteral("<span class=\"mark D\">D</span><code>/home/sandbox/notes.txt</code>"),
                                QStringLiteral("<span class=\"mark A\">A</span><code>/home/sandbox/notes.txt</code>"),
                                QStringLiteral("<img src=\"data:image/png;base64,"),
                                QStringLiteral("<polyline")}) {
        QVERIFY2(shown.contains(want), qPrintable(QStringLiteral("not in the page chromium shows: %1").arg(want)));
    }
    QVERIFY(!shown.contains(QLatin1String("<script")));

    const QString shot = dir.filePath(QStringLiteral("report.png"));
    problem = runChromium({QStringLiteral("--screenshot=") + shot, QStringLiteral("--window-size=1280,2000"), url}, &dom);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY2(QFileInfo(shot).size() > 0, qPrintable(shot));
    const QImage picture(shot);
    QCOMPARE(picture.size(), QSize(1280, 2000));
    qInfo("the report %s and chromium's picture of it %s", qPrintable(file), qPrintable(shot));
}

void tst_desktop_ui::workbenchTabs()
{
    // The details area's Command log and Terminal tabs follow the selection.
    E2E_CREATE(id, *m_api, QJsonObject());
    select(id);
    QTabWidget *tabs = m_window->detailsTabs();
    tabs->setCurrentWidget(m_window->commandLog());
    const ApiResponse run = m_api->run(id, QStringLiteral("echo from-another-client; exit 3"));
    QCOMPARE(run.status, 200);
    ActivityModel *log = m_window->commandLog()->model();
    auto commandRow = [&]() -> int {
        for (int r = 0; r < log->rowCount(); ++r) {
            if (log->index(r, ActivityModel::CommandColumn).data().toString().contains(QLatin1String("from-another-client")))
                return r;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(commandRow() >= 0, 15000);
    QVERIFY(log->index(commandRow(), ActivityModel::ExitColumn).data().toString().contains(QLatin1Char('3')));

    tabs->setCurrentWidget(m_window->terminals());
    TerminalTab *tab = m_window->terminals()->current();
    QVERIFY(tab);
    QCOMPARE(tab->sandboxId(), id);
    QTRY_VERIFY_WITH_TIMEOUT(tab->currentTerminal() != nullptr, 15000);
    TerminalPane *term = tab->currentTerminal();
    auto screenHas = [&](const QString &needle) {
        const TerminalScreen *screen = term->screen();
        return screen->text(0, 0, screen->rows() - 1, screen->cols() - 1).contains(needle);
    };
    QTRY_VERIFY_WITH_TIMEOUT(screenHas(QStringLiteral("$")), 15000); // the prompt
    term->view()->setFocus();
    QTest::keyClicks(term->view(), QStringLiteral("echo $((6*7))x"));
    QTest::keyClick(term->view(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(screenHas(QStringLiteral("42x")), 15000);

    // Another sandbox has its own terminals; coming back finds the first.
    E2E_CREATE(other, *m_api, QJsonObject());
    select(other);
    QVERIFY(m_window->terminals()->current() != tab);
    select(id);
    QCOMPARE(m_window->terminals()->current(), tab);
    QVERIFY(screenHas(QStringLiteral("42x")));

    // A killed sandbox's terminals go away with it.
    const int kept = m_window->terminals()->sandboxCount();
    QCOMPARE(m_api->del(QStringLiteral("/v1/sandboxes/") + other).status, 204);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->terminals()->sandboxCount(), kept - 1, 15000);
    tabs->setCurrentIndex(0);
}

void tst_desktop_ui::workbenchFollowsSelection()
{
    // Files, Metrics, Code and the preview buttons show the one selected
    // sandbox, know when it is paused, and the buttons follow its servers.
    E2E_CREATE(id, *m_api, QJsonObject());
    select(id);
    QCOMPARE(m_window->files()->sandbox(), id);
    QCOMPARE(m_window->metricsPane()->sandbox(), id);
    QCOMPARE(m_window->code()->sandbox(), id);
    QCOMPARE(m_window->previews()->sandbox(), id);
    QVERIFY(m_window->previews()->ports().isEmpty());
    QVERIFY(m_window->metricsPane()->isRunning());

    E2E_EXPECT(server, m_api->run(id, QStringLiteral("python3 -m http.server 8123"), QJsonObject{{QStringLiteral("background"), true}}), 201);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->previews()->ports(), QList<int>{8123}, 15000);
    QVERIFY(m_window->previews()->urlFor(8123).toString().startsWith(QStringLiteral("http://8123-") + id));
    E2E_EXPECT(stop, m_api->run(id, QStringLiteral("pkill -f http.server; true")), 200);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->previews()->ports().isEmpty(), 15000);

    E2E_EXPECT(paused, m_api->post(QStringLiteral("/v1/sandboxes/%1/pause").arg(id), QJsonObject()), 200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->metricsPane()->isRunning(), 15000);
    QVERIFY(!m_window->code()->runButton()->isEnabled());

    // Several selected: no single sandbox to show.
    E2E_CREATE(other, *m_api, QJsonObject());
    QTRY_VERIFY(m_window->model()->rowOf(other) >= 0);
    m_window->selectIds({id, other});
    QTRY_VERIFY(m_window->files()->sandbox().isEmpty());
    QVERIFY(m_window->metricsPane()->sandbox().isEmpty());
    QVERIFY(m_window->code()->sandbox().isEmpty());
    QVERIFY(m_window->previews()->sandbox().isEmpty());
}

void tst_desktop_ui::newSandboxDialogValidates()
{
    action("actionNew")->trigger();
    auto *d = waitForDialog<NewSandboxDialog>("newSandboxDialog");
    QVERIFY(d);
    QPushButton *ok = d->buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    // The engine's templates are offered; the default stays typed.
    QTRY_VERIFY(d->templateBox()->findText(QStringLiteral("base")) >= 0);
    QCOMPARE(d->templateEdit()->text(), QStringLiteral("base"));
    d->templateEdit()->setText(QStringLiteral("Not A Template"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(d->validationError().startsWith(QLatin1String("Template must be")), qPrintable(d->validationError()));
    d->templateEdit()->setText(QStringLiteral("base"));
    d->envsTable()->addPair(QStringLiteral("1BAD"), QStringLiteral("x"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(d->validationError().contains(QLatin1String("1BAD")), qPrintable(d->validationError()));
    // In the dialog's words, not the API's field names.
    QVERIFY2(d->validationError().startsWith(QLatin1String("The environment variable name '1BAD'")),
             qPrintable(d->validationError()));
    QVERIFY(!d->validationError().contains(QLatin1String("'envs'")));
    d->envsTable()->table()->item(0, 0)->setText(QStringLiteral("GOOD"));
    QVERIFY2(ok->isEnabled(), qPrintable(d->validationError()));
    d->metadataTable()->addPair(QStringLiteral("k"), QString(3000, QLatin1Char('x')));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(d->validationError().contains(QLatin1String("2048")), qPrintable(d->validationError()));
    d->metadataTable()->addPair(QStringLiteral("k"), QStringLiteral("y"));
    QVERIFY2(d->validationError().contains(QLatin1String("twice")), qPrintable(d->validationError()));
    d->reject();
}

void tst_desktop_ui::newSandboxCreates()
{
    const QStringList before = m_api->sandboxIds();
    action("actionNew")->trigger();
    auto *d = waitForDialog<NewSandboxDialog>("newSandboxDialog");
    QVERIFY(d);
    d->metadataTable()->addPair(QStringLiteral("owner"), QStringLiteral("ui-test"));
    d->envsTable()->addPair(QStringLiteral("GREETING"), QStringLiteral("hello"));
    d->timeoutCheck()->setChecked(true);
    d->timeoutSpin()->setValue(900);
    QVERIFY2(d->validationError().isEmpty(), qPrintable(d->validationError()));
    QTest::mouseClick(d->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    // Progress shows while the engine starts the container.
    QVERIFY(m_window->pendingActions() == 1);
    QVERIFY(m_window->statusText().contains(QLatin1String("Creating a sandbox")));
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));

    const QStringList ids = m_api->sandboxIds(QStringLiteral("?metadata=") + ApiClient::q(QStringLiteral("owner=ui-test")));
    QCOMPARE(ids.size(), 1);
    m_created = ids.first();
    QVERIFY(!before.contains(m_created));
    const QJsonObject info = engineSandbox(*m_api, m_created);
    QVERIFY(!info.value(QStringLiteral("end_at")).isNull());
    E2E_RUN(out, *m_api, m_created, QStringLiteral("echo $GREETING"), QJsonObject(), 0);
    QCOMPARE(out.trimmed(), QStringLiteral("hello"));
    // The new sandbox is selected and detailed.
    QCOMPARE(m_window->selectedIds(), QStringList{m_created});
    QTRY_COMPARE(m_window->overview()->shownId(), m_created);
    QCOMPARE(m_window->overview()->fieldText(QStringLiteral("template")), QStringLiteral("base"));
}

void tst_desktop_ui::newSandboxWithPolicy()
{
    action("actionNew")->trigger();
    auto *d = waitForDialog<NewSandboxDialog>("newSandboxDialog");
    QVERIFY(d);
    QPushButton *ok = d->buttons()->button(QDialogButtonBox::Ok);
    NetworkPolicyEditor *net = d->networkEditor();
    QVERIFY(net->internetCheck()->isChecked());
    d->metadataTable()->addPair(QStringLiteral("owner"), QStringLiteral("ui-net"));
    // A bad rule is named with its list and line, before anything is sent.
    net->allowEdit()->setPlainText(QStringLiteral("registry.npmjs.org\n\nnot a rule"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(d->validationError().startsWith(QLatin1String("Allow list, line 3: ")), qPrintable(d->validationError()));
    QVERIFY2(d->validationError().contains(QLatin1String("'not a rule'")), qPrintable(d->validationError()));
    net->allowEdit()->setPlainText(QStringLiteral("registry.npmjs.org\n  *.debian.org  \n"));
    net->denyEdit()->setPlainText(QStringLiteral("198.51.100.7/24"));
    QVERIFY2(d->validationError().contains(QLatin1String("198.51.100.0/24")), qPrintable(d->validationError()));
    net->denyEdit()->setPlainText(QStringLiteral("198.51.100.0/24"));
    // On the box itself: the check box is as wide as the dialog, its middle is empty.
    QTest::mouseClick(net->internetCheck(), Qt::LeftButton, {}, QPoint(6, net->internetCheck()->height() / 2));
    QVERIFY(!net->internetCheck()->isChecked());
    QVERIFY2(ok->isEnabled(), qPrintable(d->validationError()));
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    // Accepted and gone once the engine had created it.
    QTRY_VERIFY(!m_window->findChild<NewSandboxDialog *>(QStringLiteral("newSandboxDialog")));

    const QStringList ids = m_api->sandboxIds(QStringLiteral("?metadata=") + ApiClient::q(QStringLiteral("owner=ui-net")));
    QCOMPARE(ids.size(), 1);
    m_netCreated = ids.first();
    const QJsonObject network = engineSandbox(*m_api, m_netCreated).value(QStringLiteral("network")).toObject();
    QCOMPARE(network.value(QStringLiteral("allow_internet_access")).toBool(true), false);
    QCOMPARE(network.value(QStringLiteral("allow_out")).toArray(),
             (QJsonArray{QStringLiteral("registry.npmjs.org"), QStringLiteral("*.debian.org")}));
    QCOMPARE(network.value(QStringLiteral("deny_out")).toArray(), QJsonArray{QStringLiteral("198.51.100.0/24")});
}

void tst_desktop_ui::engineRefusalStaysInTheDialog()
{
    // Valid by every local rule, refused by the engine (no such template):
    // the sentence shows in the dialog, which keeps what was typed.
    const QStringList before = m_api->sandboxIds();
    action("actionNew")->trigger();
    auto *d = waitForDialog<NewSandboxDialog>("newSandboxDialog");
    QVERIFY(d);
    d->templateEdit()->setText(QStringLiteral("no-such-template"));
    d->networkEditor()->denyEdit()->setPlainText(QStringLiteral("0.0.0.0/0"));
    QPushButton *ok = d->buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY(d->isVisible());
    QVERIFY2(d->validationError().startsWith(QLatin1String("The engine refused: ")), qPrintable(d->validationError()));
    QVERIFY2(d->validationError().contains(QLatin1String("no-such-template")), qPrintable(d->validationError()));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(d->networkEditor()->denyEdit()->toPlainText(), QStringLiteral("0.0.0.0/0"));
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    // A change clears the refusal.
    d->templateEdit()->setText(QStringLiteral("base"));
    QVERIFY(ok->isEnabled());
    d->reject();
    QCOMPARE(m_api->sandboxIds(), before);
}

void tst_desktop_ui::overviewChangesPolicy()
{
    QVERIFY(!m_netCreated.isEmpty());
    select(m_netCreated);
    QTRY_COMPARE(m_window->overview()->shownId(), m_netCreated);
    const QJsonObject network = engineSandbox(*m_api, m_netCreated).value(QStringLiteral("network")).toObject();
    const QString address = network.value(QStringLiteral("address")).toString();
    QVERIFY2(QHostAddress(address).protocol() == QAbstractSocket::IPv4Protocol, qPrintable(address));
    QTRY_COMPARE(m_window->overview()->fieldText(QStringLiteral("address")), address);
    const QString shown = m_window->overview()->fieldText(QStringLiteral("network"));
    QVERIFY2(shown.startsWith(QLatin1String("Closed except the allow list")), qPrintable(shown));
    QVERIFY2(shown.contains(QLatin1String("registry.npmjs.org, *.debian.org")), qPrintable(shown));
    QVERIFY2(shown.contains(QLatin1String("Deny: 198.51.100.0/24")), qPrintable(shown));

    auto *change = m_window->overview()->findChild<QPushButton *>(QStringLiteral("changeNetworkButton"));
    QVERIFY(change && change->isEnabled());
    change->click();
    auto *d = waitForDialog<NetworkPolicyDialog>("networkPolicyDialog");
    QVERIFY(d);
    QCOMPARE(d->sandboxId(), m_netCreated);
    // Filled with the policy in force.
    QVERIFY(!d->editor()->internetCheck()->isChecked());
    QCOMPARE(d->editor()->allowEdit()->toPlainText(), QStringLiteral("registry.npmjs.org\n*.debian.org"));
    QCOMPARE(d->editor()->denyEdit()->toPlainText(), QStringLiteral("198.51.100.0/24"));
    d->editor()->denyEdit()->setPlainText(QStringLiteral("::/0"));
    QVERIFY2(d->validationError().contains(QLatin1String("IPv6")), qPrintable(d->validationError()));
    QVERIFY(!d->buttons()->button(QDialogButtonBox::Ok)->isEnabled());
    d->editor()->denyEdit()->setPlainText(QStringLiteral("0.0.0.0/0"));
    d->editor()->allowEdit()->setPlainText(QStringLiteral("registry.npmjs.org"));
    d->editor()->internetCheck()->setChecked(true);
    QTest::mouseClick(d->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    const QJsonObject changed = engineSandbox(*m_api, m_netCreated).value(QStringLiteral("network")).toObject();
    QCOMPARE(changed.value(QStringLiteral("allow_internet_access")).toBool(false), true);
    QCOMPARE(changed.value(QStringLiteral("allow_out")).toArray(), QJsonArray{QStringLiteral("registry.npmjs.org")});
    QCOMPARE(changed.value(QStringLiteral("deny_out")).toArray(), QJsonArray{QStringLiteral("0.0.0.0/0")});
    QCOMPARE(changed.value(QStringLiteral("address")).toString(), address);
    // The Overview follows at once (the answer updates the model).
    QTRY_VERIFY2(m_window->overview()->fieldText(QStringLiteral("network")).contains(QLatin1String("Deny: 0.0.0.0/0")),
                 qPrintable(m_window->overview()->fieldText(QStringLiteral("network"))));

    // An agent changes it through the API: the Overview shows it after a poll.
    E2E_EXPECT(agent, m_api->post(sbx(m_netCreated, QStringLiteral("/network")),
                                  QJsonObject{{QStringLiteral("network"), QJsonObject{{QStringLiteral("deny_out"), QJsonArray()}}}}),
               200);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->overview()->fieldText(QStringLiteral("network")).section(QLatin1String("<br>"), 0, 0),
                              QStringLiteral("Open to the internet"), DESKTOP_TRY_TIMEOUT);

    // The sandbox goes behind the dialog's back: the engine's sentence shows in it.
    change->click();
    d = waitForDialog<NetworkPolicyDialog>("networkPolicyDialog");
    QVERIFY(d);
    E2E_EXPECT(killed, m_api->del(sbx(m_netCreated)), 204);
    d->editor()->denyEdit()->setPlainText(QStringLiteral("198.51.100.0/24"));
    QTest::mouseClick(d->buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY(d->isVisible());
    QVERIFY2(d->validationError().startsWith(QLatin1String("The engine refused: ")) && d->validationError().contains(m_netCreated),
             qPrintable(d->validationError()));
    d->reject();
}

void tst_desktop_ui::pauseAndResume()
{
    QVERIFY(!m_created.isEmpty());
    select(m_created);
    QTRY_VERIFY(action("actionPause")->isEnabled());
    QVERIFY(!action("actionResume")->isEnabled());
    action("actionPause")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QCOMPARE(engineState(*m_api, m_created), QStringLiteral("paused"));
    QTRY_VERIFY(action("actionResume")->isEnabled());
    QVERIFY(!action("actionPause")->isEnabled());
    QVERIFY(m_window->overview()->fieldText(QStringLiteral("state")).startsWith(QLatin1String("Paused")));

    // Through the keyboard shortcut this time.
    // (A closed dialog leaves no active window on the offscreen platform.)
    m_window->activateWindow();
    m_window->windowHandle()->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_window->listView()->setFocus();
    QSignalSpy triggered(action("actionResume"), &QAction::triggered);
    QTest::keyClick(m_window->listView(), Qt::Key_R, Qt::ControlModifier);
    QCOMPARE(triggered.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone() && engineState(*m_api, m_created) == QLatin1String("running"), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QTRY_COMPARE(m_window->overview()->fieldText(QStringLiteral("state")), QStringLiteral("Running"));
}

void tst_desktop_ui::setTimeout()
{
    select(m_created);
    action("actionSetTimeout")->trigger();
    auto *d = waitForDialog<SetTimeoutDialog>("setTimeoutDialog");
    QVERIFY(d);
    d->setSeconds(4000);
    const QDateTime asked = QDateTime::currentDateTimeUtc();
    d->accept();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    const QDateTime end = E2e::time(engineSandbox(*m_api, m_created).value(QStringLiteral("end_at")));
    QVERIFY2(qAbs(asked.secsTo(end) - 4000) < 30, qPrintable(end.toString(Qt::ISODate)));
    const int row = m_window->model()->rowOf(m_created);
    QVERIFY(m_window->model()->index(row, SandboxModel::TimeLeftColumn).data().toString().startsWith(QLatin1String("1 h 0")));

    // The Overview's "Extend…" opens the same dialog for the shown sandbox.
    QTRY_COMPARE(m_window->overview()->shownId(), m_created);
    auto *extend = m_window->overview()->findChild<QPushButton *>(QStringLiteral("extendButton"));
    QVERIFY(extend);
    extend->click();
    d = waitForDialog<SetTimeoutDialog>("setTimeoutDialog");
    QVERIFY(d);
    QCOMPARE(d->ids(), QStringList{m_created});
    d->reject();
}

void tst_desktop_ui::killAsksFirst()
{
    E2E_CREATE(victim, *m_api, QJsonObject());
    select(victim);
    action("actionKill")->trigger();
    auto *box = waitForDialog<QMessageBox>("killConfirm");
    QVERIFY(box);
    QVERIFY2(box->text().contains(victim), qPrintable(box->text()));
    QVERIFY(box->informativeText().contains(QLatin1String("destroyed")));
    box->button(QMessageBox::Cancel)->click();
    QTest::qWait(300);
    QCOMPARE(engineState(*m_api, victim), QStringLiteral("running"));

    action("actionKill")->trigger();
    box = waitForDialog<QMessageBox>("killConfirm");
    QVERIFY(box);
    auto *yes = box->findChild<QPushButton *>(QStringLiteral("killConfirmButton"));
    QVERIFY(yes);
    yes->click();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QVERIFY2(m_window->actionMessage().isEmpty(), qPrintable(m_window->actionMessage()));
    QCOMPARE(m_api->sandbox(victim).status, 404);
    QCOMPARE(m_window->model()->rowOf(victim), -1);
}

void tst_desktop_ui::severalAtOnce()
{
    // Two selected sandboxes, one action: both change, from the context menu.
    E2E_CREATE(a, *m_api, QJsonObject());
    E2E_CREATE(b, *m_api, QJsonObject());
    QTRY_VERIFY(m_window->model()->rowOf(a) >= 0 && m_window->model()->rowOf(b) >= 0);
    m_window->selectIds({a, b});
    QCOMPARE(m_window->selectedIds().size(), 2);
    Q_EMIT m_window->listView()->customContextMenuRequested(QPoint(5, 5));
    auto *menu = m_window->findChild<QMenu *>(QStringLiteral("sandboxMenu"));
    QTRY_VERIFY(menu && menu->isVisible());
    QVERIFY(menu->actions().contains(action("actionPause")));
    menu->hide();
    action("actionPause")->trigger();
    QVERIFY(m_window->statusText().contains(QLatin1String("Pausing")));
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QCOMPARE(engineState(*m_api, a), QStringLiteral("paused"));
    QCOMPARE(engineState(*m_api, b), QStringLiteral("paused"));

    // Kill both without the question (the setting is off).
    DesktopSettings s = m_window->settings();
    s.confirmKill = false;
    m_window->setSettings(s);
    action("actionKill")->trigger();
    QVERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("killConfirm")));
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    QCOMPARE(m_api->sandbox(a).status, 404);
    QCOMPARE(m_api->sandbox(b).status, 404);
    s.confirmKill = true;
    m_window->setSettings(s);
}

void tst_desktop_ui::settingsApply()
{
    QSignalSpy changed(m_window.get(), &MainWindow::settingsChanged);
    action("actionSettings")->trigger();
    auto *d = waitForDialog<QDialog>("settingsDialog");
    QVERIFY(d);
    d->findChild<QSpinBox *>(QStringLiteral("pollInterval"))->setValue(1500);
    d->findChild<QCheckBox *>(QStringLiteral("confirmKill"))->setChecked(false);
    auto *theme = d->findChild<QComboBox *>(QStringLiteral("theme"));
    theme->setCurrentIndex(theme->findData(QStringLiteral("dark")));
    d->accept();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(poller()->interval(), 1500);
    QVERIFY(!m_window->settings().confirmKill);
    QCOMPARE(m_window->settings().theme, QStringLiteral("dark"));
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
    DesktopSettings back;
    back.pollIntervalMs = 500;
    m_window->setSettings(back);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
}

void tst_desktop_ui::profileMenu()
{
    // The Engines menu ticks the connections watched; ticking another one
    // asks to watch it too, unticking asks to stop.
    m_window->setProfiles({QStringLiteral("Local"), QStringLiteral("Test")}, {QStringLiteral("Test")});
    auto *button = m_window->findChild<QToolButton *>(QStringLiteral("enginesButton"));
    QVERIFY(button);
    QCOMPARE(button->text(), QStringLiteral("Engine: Test"));
    auto *local = m_window->findChild<QAction *>(QStringLiteral("watch_Local"));
    auto *test = m_window->findChild<QAction *>(QStringLiteral("watch_Test"));
    QVERIFY(local && test);
    QVERIFY(!local->isChecked());
    QVERIFY(test->isChecked());
    QSignalSpy watch(m_window.get(), &MainWindow::profileWatchRequested);
    QSignalSpy add(m_window.get(), &MainWindow::addProfileRequested);
    local->trigger();
    QCOMPARE(watch.size(), 1);
    QCOMPARE(watch.first().at(0).toString(), QStringLiteral("Local"));
    QCOMPARE(watch.first().at(1).toBool(), true);
    m_window->findChild<QAction *>(QStringLiteral("addConnection"))->trigger();
    QCOMPARE(add.size(), 1);
    m_window->setProfiles({QStringLiteral("Local"), QStringLiteral("Test")}, {QStringLiteral("Local"), QStringLiteral("Test")});
    QCOMPARE(button->text(), QStringLiteral("Engines: 2"));
    // Its dialog has room for a whole URL and key.
    ProfileDialog dialog({}, m_window.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    for (const char *field : {"profileName", "profileUrl", "profileKey"}) {
        auto *edit = dialog.findChild<QLineEdit *>(QLatin1String(field));
        QVERIFY(edit);
        QVERIFY2(edit->width() >= 300, qPrintable(QStringLiteral("%1 is %2 px wide").arg(QLatin1String(field)).arg(edit->width())));
    }
}

void tst_desktop_ui::copyIdAndSnippet()
{
    select(m_created);
    QApplication::clipboard()->clear();
    action("actionCopyId")->trigger();
    QCOMPARE(QApplication::clipboard()->text(), m_created);
    action("actionCopySnippet")->trigger();
    const QString snippet = QApplication::clipboard()->text();
    QVERIFY2(snippet.contains(QStringLiteral("Sandbox.connect(\"%1\")").arg(m_created)), qPrintable(snippet));
    QVERIFY(snippet.startsWith(QLatin1String("from ai2in import Sandbox")));
}

void tst_desktop_ui::selectionSurvivesRefreshes()
{
    select(m_created);
    SandboxListView *view = m_window->listView();
    const QModelIndex current = view->currentIndex();
    QVERIFY(current.isValid());
    // Others create, pause and kill around the selected row.
    E2E_CREATE(x, *m_api, QJsonObject());
    E2E_CREATE(y, *m_api, QJsonObject());
    QTRY_VERIFY(m_window->model()->rowOf(x) >= 0 && m_window->model()->rowOf(y) >= 0);
    E2E_EXPECT(p, m_api->post(sbx(x, QStringLiteral("/pause")), {}), 200);
    E2E_EXPECT(k, m_api->del(sbx(y)), 204);
    QTRY_VERIFY(m_window->model()->rowOf(y) < 0);
    QTRY_COMPARE(m_window->model()->index(m_window->model()->rowOf(x), 0).data(SandboxModel::StateRole).toString(), QStringLiteral("paused"));
    QCOMPARE(m_window->selectedIds(), QStringList{m_created});
    QCOMPARE(view->currentIndex().data(SandboxModel::IdRole).toString(), m_created);
    E2E_EXPECT(k2, m_api->del(sbx(x)), 204);
}

void tst_desktop_ui::filterBar()
{
    auto *filter = m_window->findChild<QLineEdit *>(QStringLiteral("filterEdit"));
    QVERIFY(filter);
    E2E_CREATE(other, *m_api, obj({{QStringLiteral("metadata"), obj({{QStringLiteral("owner"), QStringLiteral("someone-else")}})}}));
    QTRY_VERIFY(m_window->model()->rowOf(other) >= 0);
    QTest::keyClicks(filter, QStringLiteral("owner=ui-test"));
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    QCOMPARE(m_window->proxy()->index(0, SandboxModel::IdColumn).data().toString(), m_created);
    filter->clear();
    QTest::keyClicks(filter, QStringLiteral("someone"));
    QCOMPARE(m_window->proxy()->rowCount(), 1);
    filter->clear();
    auto *state = m_window->findChild<QComboBox *>(QStringLiteral("stateFilter"));
    state->setCurrentIndex(2); // paused
    QCOMPARE(m_window->proxy()->rowCount(), 0);
    state->setCurrentIndex(0);
    QVERIFY(m_window->proxy()->rowCount() >= 2);
    E2E_EXPECT(k, m_api->del(sbx(other)), 204);
}

void tst_desktop_ui::actionErrorIsASentence()
{
    // The list still says "running" when the engine already has it paused
    // (another client was faster than the next poll): the engine's 409 must
    // reach the window as a sentence.
    poller()->setInterval(60000);
    E2E_CREATE(id, *m_api, QJsonObject());
    poller()->pollNow();
    QTRY_VERIFY(m_window->model()->rowOf(id) >= 0);
    select(id);
    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), {}), 200);
    QVERIFY(action("actionPause")->isEnabled());
    action("actionPause")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(actionsDone(), DESKTOP_TRY_TIMEOUT);
    const QString message = m_window->actionMessage();
    QVERIFY2(message.startsWith(QStringLiteral("Could not pause %1: ").arg(id)), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("paused")), qPrintable(message));
    poller()->setInterval(500);
    poller()->pollNow();
    E2E_EXPECT(k, m_api->del(sbx(id)), 204);
}

void tst_desktop_ui::wrongKeyIsSaidPlainly()
{
    EngineSet otherEngines;
    MainWindow other(&otherEngines);
    otherEngines.watch(QStringLiteral("Other"), m_engine->baseUrl(), QStringLiteral("ai2in_live_wrongwrongwrongwrongwrongwron"));
    other.show();
    QTRY_COMPARE(otherEngines.poller(QStringLiteral("Other"))->connection(), SandboxPoller::Connection::Unauthorized);
    QVERIFY2(other.connectionMessage().contains(QLatin1String("does not accept this API key")), qPrintable(other.connectionMessage()));
    QVERIFY(other.listView()->isStale());
    QVERIFY(!other.findChild<QAction *>(QStringLiteral("actionNew"))->isEnabled());
}

void tst_desktop_ui::layoutIsRemembered()
{
    m_window->listView()->setColumnWidth(SandboxModel::MetadataColumn, 333);
    const QByteArray saved = m_window->saveLayout();
    EngineSet nextEngines;
    MainWindow next(&nextEngines);
    QVERIFY(next.restoreLayout(saved));
    QCOMPARE(next.listView()->columnWidth(SandboxModel::MetadataColumn), 333);
    QVERIFY(!next.restoreLayout(QByteArrayLiteral("not a layout")));
    QVERIFY(!next.restoreLayout({}));
}

void tst_desktop_ui::engineStoppedAndBack()
{
    const int rows = m_window->model()->rowCount();
    QVERIFY(rows > 0);
    select(m_created);
    m_engine->stop();
    QTRY_COMPARE_WITH_TIMEOUT(poller()->connection(), SandboxPoller::Connection::Unreachable, 10000);
    const QString message = m_window->connectionMessage();
    QVERIFY2(message.contains(QLatin1String("No engine answers")) && message.contains(QLatin1String("reconnecting")), qPrintable(message));
    QVERIFY(m_window->listView()->isStale());
    QCOMPARE(m_window->model()->rowCount(), rows);
    QVERIFY(!action("actionPause")->isEnabled());
    QCOMPARE(m_window->selectedIds(), QStringList{m_created});

    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(poller()->connection(), SandboxPoller::Connection::Connected, 20000);
    QVERIFY(m_window->connectionMessage().isEmpty());
    QVERIFY(!m_window->listView()->isStale());
    QCOMPARE(m_window->selectedIds(), QStringList{m_created});
}

QTEST_MAIN(tst_desktop_ui)
#include "tst_desktop_ui.moc"
