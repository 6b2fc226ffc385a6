// SPDX-License-Identifier: GPL-3.0-or-later
// Draws docs/images/: the main window with each details tab showing a real
// sandbox at work. Not a test: run it by hand after a change to the look
// (`cmake --build build --target shoot_workbench && build/tools/shoot_workbench`).
// It starts its own engine, like the e2e suites, and prepares the sandbox
// as an agent would: files, commands (one failing), a web server, a busy CPU,
// network traffic (refused connections to its own gateway: nothing leaves
// the machine) under a policy that opens two hosts only.
#include "ActivityModel.h"
#include "ApiClient.h"
#include "CodePane.h"
#include "CommandLogPane.h"
#include "DesktopSettings.h"
#include "E2eHelpers.h"
#include "EngineClient.h"
#include "EngineProcess.h"
#include "ChangeTreeModel.h"
#include "ChangesPane.h"
#include "FilesPane.h"
#include "EngineSet.h"
#include "MainWindow.h"
#include "KeyValueTable.h"
#include "MetricsHistory.h"
#include "MetricsPane.h"
#include "NetworkPolicyEditor.h"
#include "NewSandboxDialog.h"
#include "PreviewBar.h"
#include "RemoteFileModel.h"
#include "SandboxModel.h"
#include "SandboxPoller.h"
#include "TerminalPane.h"
#include "TerminalScreen.h"
#include "TerminalStack.h"
#include "TerminalTab.h"
#include "TerminalView.h"
#include "TimelinePane.h"
#include "TimelineView.h"

#include <QAction>
#include <QSignalSpy>
#include <QApplication>
#include <QPlainTextEdit>
#include <QDir>
#include <QJsonArray>
#include <QLineSeries>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QTest>

#include <memory>

using namespace E2e;

class shoot_workbench : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void overview();
    void commandLog();
    void terminal();
    void files();
    void changes();
    void metrics();
    void code();
    void timeline();
    void newSandbox();

private:
    void show(QWidget *tab);
    void save(const QString &name);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<EngineSet> m_engines;
    std::unique_ptr<MainWindow> m_window;
    QString m_id;
};

void shoot_workbench::initTestCase()
{
    QVERIFY(QDir().mkpath(QStringLiteral(AI2IN_IMAGES_DIR)));
    E2E_START_ENGINE(m_engine, m_api);
    const QJsonObject body{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("agent"), QStringLiteral("report-writer")},
                                                                    {QStringLiteral("session"), QStringLiteral("42")}}},
                           {QStringLiteral("timeout"), 3600},
                           {QStringLiteral("network"),
                            QJsonObject{{QStringLiteral("allow_out"), QJsonArray{QStringLiteral("registry.npmjs.org"),
                                                                                 QStringLiteral("*.debian.org")}},
                                        {QStringLiteral("deny_out"), QJsonArray{QStringLiteral("0.0.0.0/0")}}}}};
    E2E_CREATE(id, *m_api, body);
    m_id = id;
    // Two more, so the list is not alone.
    const QJsonObject scraper{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("agent"), QStringLiteral("scraper")}}}};
    E2E_CREATE(other, *m_api, scraper);
    E2E_CREATE(third, *m_api, QJsonObject());
    E2E_EXPECT(paused, m_api->post(QStringLiteral("/v1/sandboxes/%1/pause").arg(third), {}), 200);

    const QStringList commands{
        QStringLiteral("mkdir -p project/data && cd project && printf 'name,score\\nada,91\\nlin,87\\n' > data/scores.csv"),
        QStringLiteral("cd project && printf 'import csv\\nrows = list(csv.DictReader(open(\"data/scores.csv\")))\\nprint(len(rows), \"rows\")\\n' > report.py && python3 report.py"),
        QStringLiteral("ls --color=always -la project"),
        QStringLiteral("python3 -c 'import missing_module'"),
        QStringLiteral("printf '\\033[32mok\\033[0m all checks passed\\n'"),
    };
    for (const QString &c : commands)
        QCOMPARE(m_api->run(m_id, c).status, 200);
    E2E_EXPECT(server, m_api->run(m_id, QStringLiteral("cd project && python3 -m http.server 8000"),
                                  QJsonObject{{QStringLiteral("background"), true}}), 201);
    E2E_EXPECT(busy, m_api->run(m_id, QStringLiteral("timeout 20 sh -c 'while :; do :; done'"),
                                QJsonObject{{QStringLiteral("background"), true}}), 201);
    // Bursts of connections to the sandbox's own gateway, which every policy
    // closes: refused at once, on this machine only, and counted.
    const QString traffic = QStringLiteral(
        "python3 -c \"import socket, time\n"
        "gw = [l.split()[1] for l in open('/etc/resolv.conf') if l.startswith('nameserver')][0]\n"
        "end = time.monotonic() + 60\n"
        "while time.monotonic() < end:\n"
        "    n = 40 if int(time.monotonic()) % 6 < 3 else 8\n"
        "    for _ in range(n):\n"
        "        s = socket.socket(); s.settimeout(1); s.connect_ex((gw, 9)); s.close()\n"
        "    time.sleep(0.1)\n\"");
    E2E_EXPECT(net, m_api->run(m_id, traffic, QJsonObject{{QStringLiteral("background"), true}}), 201);
    QTRY_VERIFY_WITH_TIMEOUT(!m_api->sandbox(m_id).json().value(QStringLiteral("ports")).toArray().isEmpty(), 15000);

    m_engines = std::make_unique<EngineSet>();
    m_window = std::make_unique<MainWindow>(m_engines.get());
    DesktopSettings s;
    s.pollIntervalMs = 500;
    m_window->setSettings(s);
    m_window->resize(1600, 800);
    m_window->setProfiles({QStringLiteral("Local")}, {QStringLiteral("Local")});
    m_window->findChild<QSplitter *>(QStringLiteral("mainSplitter"))->setSizes({700, 900});
    m_window->metricsPane()->setWindowMinutes(1);
    m_window->show();
    m_engines->watch(QStringLiteral("Local"), m_engine->baseUrl(), m_engine->apiKey());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->rowOf(m_id) >= 0, 15000);
    m_window->selectIds({m_id});
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->previews()->ports().isEmpty(), 15000);
}

void shoot_workbench::cleanupTestCase()
{
    m_window.reset();
    if (m_api)
        m_api->killAllSandboxes();
}

void shoot_workbench::show(QWidget *tab)
{
    m_window->detailsTabs()->setCurrentWidget(tab);
    QTest::qWait(300);
}

void shoot_workbench::save(const QString &name)
{
    QTest::qWait(1500); // settled layout, a poll or two
    const QString file = QStringLiteral(AI2IN_IMAGES_DIR "/%1.png").arg(name);
    QVERIFY2(m_window->grab().save(file), qPrintable(file));
    qInfo("saved %s", qPrintable(file));
}

void shoot_workbench::overview()
{
    show(m_window->detailsTabs()->widget(0));
    save(QStringLiteral("overview"));
}

void shoot_workbench::commandLog()
{
    show(m_window->commandLog());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->commandLog()->shownEntries().size() >= 5, 15000);
    // The `ls --color` entry, to show its output with its colours.
    QTableView *table = m_window->commandLog()->table();
    for (int r = 0; r < table->model()->rowCount(); ++r) {
        if (table->model()->index(r, ActivityModel::CommandColumn).data().toString().startsWith(QLatin1String("ls ")))
            table->selectRow(r);
    }
    save(QStringLiteral("command-log"));
}

void shoot_workbench::terminal()
{
    show(m_window->terminals());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->terminals()->current() && m_window->terminals()->current()->count() > 0, 15000);
    TerminalPane *pane = m_window->terminals()->current()->terminal(0);
    QTRY_VERIFY_WITH_TIMEOUT(pane->screen()->lineText(0).contains(QLatin1Char('$')), 15000); // the prompt
    QTest::keyClicks(pane->view(), QStringLiteral("htop"));
    QTest::keyClick(pane->view(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(pane->screen()->altScreen(), 10000);
    save(QStringLiteral("terminal"));
    QTest::keyClick(pane->view(), Qt::Key_Q);
}

void shoot_workbench::files()
{
    show(m_window->files());
    FilesPane *files = m_window->files();
    const QString project = QStringLiteral("/home/sandbox/project");
    QTRY_VERIFY_WITH_TIMEOUT(files->model()->indexOf(project).isValid(), 15000);
    files->view()->expand(files->model()->indexOf(project));
    QTRY_VERIFY_WITH_TIMEOUT(files->model()->indexOf(project + QStringLiteral("/data")).isValid(), 15000);
    files->view()->expand(files->model()->indexOf(project + QStringLiteral("/data")));
    files->view()->setCurrentIndex(files->model()->indexOf(project + QStringLiteral("/report.py")));
    save(QStringLiteral("files"));
}

void shoot_workbench::changes()
{
    // An agent's edit of a file the template has, beside the project it made.
    E2E_EXPECT(edit, m_api->run(m_id, QStringLiteral("sed -i 's/^#force_color_prompt=yes/force_color_prompt=yes/; "
                                                     "s/HISTSIZE=1000/HISTSIZE=50000/' /home/sandbox/.bashrc")),
               200);
    ChangesPane *pane = m_window->changesPane();
    pane->setPollInterval(500);
    show(pane);
    QTRY_VERIFY_WITH_TIMEOUT(pane->model()->changeAt(QStringLiteral("/home/sandbox/.bashrc")).has_value(), 15000);
    QSignalSpy shown(pane, &ChangesPane::diffShown);
    pane->tree()->setCurrentIndex(pane->tree()->model()->match(pane->tree()->model()->index(0, 0),
                                                               ChangeTreeModel::PathRole,
                                                               QStringLiteral("/home/sandbox/.bashrc"), 1,
                                                               Qt::MatchExactly | Qt::MatchRecursive)
                                      .value(0));
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 15000);
    pane->setDiffMode(ChangesPane::DiffMode::SideBySide);
    save(QStringLiteral("changes"));
}

void shoot_workbench::metrics()
{
    show(m_window->metricsPane());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->metricsPane()->cpuSeries()->count() > 5, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->metricsPane()->netOutSeries()->count() > 5, 15000);
    save(QStringLiteral("metrics"));
}

void shoot_workbench::code()
{
    show(m_window->code());
    CodePane *code = m_window->code();
    const QStringList cells{
        QStringLiteral("import csv\nrows = list(csv.DictReader(open('project/data/scores.csv')))\n"
                       "{r['name']: int(r['score']) for r in rows}"),
        QStringLiteral("import matplotlib.pyplot as plt\n"
                       "fig, ax = plt.subplots(figsize=(5, 2.4))\nax.bar([r['name'] for r in rows], [int(r['score']) for r in rows])\n"
                       "ax.set_title('scores')\nplt.show()"),
    };
    for (const QString &cell : cells) {
        const int before = code->cellCount();
        QVERIFY(code->run(cell));
        QTRY_VERIFY_WITH_TIMEOUT(!code->isRunning() && code->cellCount() > before, 60000);
    }
    save(QStringLiteral("code"));
}

void shoot_workbench::timeline()
{
    // An agent's next minute on top of what initTestCase did: commands a
    // few seconds apart (one failing, one slow, two at once), code cells,
    // uploads and a terminal opened and closed, so every lane has something.
    const QString sbx = QStringLiteral("/v1/sandboxes/") + m_id;
    auto cell = [&](const QString &code) {
        E2E_EXPECT(c, m_api->post(sbx + QStringLiteral("/code"), {{QStringLiteral("code"), code}}), 200);
    };
    E2E_EXPECT(pty, m_api->post(sbx + QStringLiteral("/pty"), {{QStringLiteral("cols"), 100}, {QStringLiteral("rows"), 30}}), 201);
    cell(QStringLiteral("import csv\nrows = list(csv.DictReader(open('project/data/scores.csv')))\nlen(rows)"));
    QTest::qWait(1200);
    E2E_EXPECT(bg, m_api->run(m_id, QStringLiteral("cd project && sleep 6 && python3 report.py > report.txt"),
                              QJsonObject{{QStringLiteral("background"), true}}), 201);
    QCOMPARE(m_api->run(m_id, QStringLiteral("cd project && pip list 2>/dev/null | head -n 40 && sleep 2")).status, 200);
    QCOMPARE(m_api->put(sbx + QStringLiteral("/files/content?path=/home/sandbox/project/data/extra.csv"),
                        "name,score\nkim,78\n").status, 200);
    QTest::qWait(1000);
    QCOMPARE(m_api->run(m_id, QStringLiteral("cd project && python3 -c 'import pandas'")).status, 200);
    QTest::qWait(800);
    cell(QStringLiteral("import time\ntime.sleep(1.5)\nsum(int(r['score']) for r in rows)"));
    QCOMPARE(m_api->put(sbx + QStringLiteral("/files/content?path=/home/sandbox/project/notes.md"), "# notes\n").status, 200);
    QTest::qWait(1000);
    QCOMPARE(m_api->run(m_id, QStringLiteral("cd project && wc -l data/*.csv")).status, 200);
    QCOMPARE(m_api->del(sbx + QStringLiteral("/pty/") + pty.json().value(QStringLiteral("pty_id")).toString()).status, 204);
    cell(QStringLiteral("undefined_name + 1"));

    auto *pane = m_window->findChild<TimelinePane *>(QStringLiteral("timelinePane"));
    QVERIFY(pane);
    pane->setPollInterval(500);
    show(pane);
    QTRY_VERIFY_WITH_TIMEOUT(pane->items().count(TimelineItems::Lane::Code) >= 3, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(pane->metrics().size() > 10, 15000);
    pane->view()->fit();
    save(QStringLiteral("timeline"));
}

void shoot_workbench::newSandbox()
{
    // The New sandbox dialog with a policy: the package registries only.
    m_window->findChild<QAction *>(QStringLiteral("actionNew"))->trigger();
    NewSandboxDialog *d = nullptr;
    QTRY_VERIFY((d = m_window->findChild<NewSandboxDialog *>(QStringLiteral("newSandboxDialog"))) && d->isVisible());
    d->metadataTable()->addPair(QStringLiteral("agent"), QStringLiteral("packager"));
    d->networkEditor()->allowEdit()->setPlainText(
        QStringLiteral("registry.npmjs.org\n*.debian.org\npypi.org\nfiles.pythonhosted.org"));
    d->networkEditor()->denyEdit()->setPlainText(QStringLiteral("0.0.0.0/0"));
    QVERIFY2(d->validationError().isEmpty(), qPrintable(d->validationError()));
    QTest::qWait(300);
    const QString file = QStringLiteral(AI2IN_IMAGES_DIR "/new-sandbox.png");
    QVERIFY2(d->grab().save(file), qPrintable(file));
    qInfo("saved %s", qPrintable(file));
    d->reject();
}

QTEST_MAIN(shoot_workbench)
#include "shoot_workbench.moc"
