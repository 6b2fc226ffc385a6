// SPDX-License-Identifier: GPL-3.0-or-later
// The Code tab against a real engine and kernel: state across cells typed
// into the editor, output that streams while a cell runs, a matplotlib
// figure, SVG, HTML and markdown results, an error with its traceback,
// interrupt, restart, a flood of output that never stalls the window, and a
// paused sandbox. One engine and one sandbox for the whole program.
#include "ApiClient.h"
#include "CodeEditor.h"
#include "CodePane.h"
#include "CodeSession.h"
#include "E2eHelpers.h"
#include "EngineClient.h"
#include "EngineProcess.h"

#include <QElapsedTimer>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace E2e;

namespace {
// The first cell starts the kernel; a loaded 2-core machine is slow.
constexpr int kCellMs = 90000;
// The longest the window's event loop may go without running a timer.
constexpr qint64 kMaxStallMs = 200;
} // namespace

class tst_code_pane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void stateAcrossTypedCells();
    void outputStreamsWhileRunning();
    void matplotlibFigureIsAnImage();
    void svgResultIsDrawn();
    void htmlAndMarkdownResults();
    void errorShowsTraceback();
    void interruptEndsTheCell();
    void restartForgetsVariables();
    void floodDoesNotStallTheWindow();
    void agentCellsShow();
    void pausedSandboxCannotRun();

private:
    // Puts `code` in the editor and presses Ctrl+Enter: the new cell's
    // index, or -1 when nothing started.
    int start(const QString &code)
    {
        m_pane->editor()->setPlainText(code);
        QSignalSpy started(m_pane, &CodePane::cellStarted);
        QTest::keyClick(m_pane->editor(), Qt::Key_Return, Qt::ControlModifier);
        return started.size() == 1 ? started.first().at(0).toInt() : -1;
    }
    bool finished(int index) const
    {
        for (const QList<QVariant> &args : *m_finished) {
            if (args.at(0).toInt() == index)
                return true;
        }
        return false;
    }
    // Starts a cell and waits for its end: its index, or -1.
    int runCell(const QString &code)
    {
        const int index = start(code);
        if (index < 0 || !QTest::qWaitFor([&] { return finished(index); }, kCellMs))
            return -1;
        return index;
    }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    EngineClient *m_client = nullptr;
    CodePane *m_pane = nullptr;
    std::unique_ptr<QSignalSpy> m_finished;
    QString m_id;
};

void tst_code_pane::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;
    m_client = new EngineClient(this);
    m_client->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    m_pane = new CodePane(m_client);
    m_finished = std::make_unique<QSignalSpy>(m_pane, &CodePane::cellFinished);
    m_pane->resize(1000, 760);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane));
    QVERIFY2(m_pane->noticeText().contains(QStringLiteral("Select a sandbox")), qPrintable(m_pane->noticeText()));
    QVERIFY(!m_pane->runButton()->isEnabled());
    m_pane->setSandbox(m_id, true);
    QVERIFY(m_pane->runButton()->isEnabled());
    QVERIFY(!m_pane->interruptButton()->isEnabled());
}

void tst_code_pane::cleanupTestCase()
{
    m_finished.reset();
    delete m_pane;
    if (m_api)
        m_api->killAllSandboxes();
}

void tst_code_pane::stateAcrossTypedCells()
{
    CodeEditor *editor = m_pane->editor();
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("x = 41"));
    QSignalSpy started(m_pane, &CodePane::cellStarted);
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(started.size(), 1);
    const int first = started.first().at(0).toInt();
    QVERIFY(editor->toPlainText().isEmpty());
    QVERIFY(m_pane->isRunning());
    QVERIFY(!m_pane->runButton()->isEnabled());
    QVERIFY(m_pane->interruptButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(finished(first), kCellMs);
    QVERIFY(!m_pane->isRunning());
    QVERIFY(m_pane->runButton()->isEnabled());
    QCOMPARE(m_pane->cellOutputText(first), QString());

    const int second = runCell(QStringLiteral("x + 1"));
    QVERIFY(second > first);
    QCOMPARE(m_pane->cellOutputText(second), QStringLiteral("42"));
    QVERIFY2(QRegularExpression(QStringLiteral(R"(^\[\d+\]$)")).match(m_pane->cellPrompt(second)).hasMatch(),
             qPrintable(m_pane->cellPrompt(second)));
    QVERIFY2(QRegularExpression(QStringLiteral(R"(^\d+(\.\d+)? m?s)")).match(m_pane->cellFacts(second)).hasMatch(),
             qPrintable(m_pane->cellFacts(second)));
    // Earlier cells stay, as they were.
    QCOMPARE(m_pane->cellCount(), second + 1);
    QCOMPARE(m_pane->cellOutputText(first), QString());

    // Up at the editor's first line recalls the inputs, newest first; Down
    // goes back to what was being typed.
    editor->setPlainText(QStringLiteral("draft"));
    QTest::keyClick(editor, Qt::Key_Up);
    QCOMPARE(editor->toPlainText(), QStringLiteral("x + 1"));
    QTest::keyClick(editor, Qt::Key_Up);
    QCOMPARE(editor->toPlainText(), QStringLiteral("x = 41"));
    QTest::keyClick(editor, Qt::Key_Down);
    QTest::keyClick(editor, Qt::Key_Down);
    QCOMPARE(editor->toPlainText(), QStringLiteral("draft"));
    editor->clear();
}

void tst_code_pane::outputStreamsWhileRunning()
{
    const int index = start(QStringLiteral("print('a'); import time; time.sleep(1.5); print('b')"));
    QVERIFY(index >= 0);
    // "a" is shown while the cell still sleeps.
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->cellOutputText(index).contains(QLatin1Char('a')), kCellMs);
    QVERIFY(!finished(index));
    QVERIFY(!m_pane->cellOutputText(index).contains(QLatin1Char('b')));
    QCOMPARE(m_pane->cellPrompt(index), QStringLiteral("[*]"));
    QTRY_VERIFY_WITH_TIMEOUT(finished(index), kCellMs);
    QCOMPARE(m_pane->cellOutputText(index), QStringLiteral("a\nb\n"));
}

void tst_code_pane::matplotlibFigureIsAnImage()
{
    const int index = runCell(QStringLiteral("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"));
    QVERIFY(index >= 0);
    const QList<QImage> images = m_pane->cellImages(index);
    QVERIFY2(images.size() == 1, qPrintable(m_pane->cellOutputText(index)));
    QVERIFY(!images.first().isNull());
    QVERIFY2(images.first().width() > 100, qPrintable(QString::number(images.first().width())));
}

void tst_code_pane::svgResultIsDrawn()
{
    const int index = runCell(QStringLiteral(
        "from IPython.display import SVG\n"
        "SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"80\">"
        "<rect width=\"120\" height=\"80\" fill=\"#ff0000\"/></svg>')"));
    QVERIFY(index >= 0);
#ifdef AI2IN_HAVE_SVG
    const QList<QImage> images = m_pane->cellImages(index);
    QVERIFY2(images.size() == 1, qPrintable(m_pane->cellOutputText(index)));
    QCOMPARE(images.first().size(), QSize(120, 80));
    QCOMPARE(images.first().pixelColor(60, 40), QColor(Qt::red));
#else
    QVERIFY2(m_pane->cellOutputText(index).contains(QStringLiteral("<rect")), qPrintable(m_pane->cellOutputText(index)));
#endif
}

void tst_code_pane::htmlAndMarkdownResults()
{
    int index = runCell(QStringLiteral("from IPython.display import HTML\n"
                                       "HTML('<table><tr><td><b>cell-one</b></td><td>cell-two</td></tr></table>')"));
    QVERIFY(index >= 0);
    QString text = m_pane->cellOutputText(index);
    QVERIFY2(text.contains(QStringLiteral("cell-one")) && text.contains(QStringLiteral("cell-two")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1Char('<')), qPrintable(text));

    index = runCell(QStringLiteral("from IPython.display import Markdown\nMarkdown('# Big title\\n\\nsome *stress*')"));
    QVERIFY(index >= 0);
    text = m_pane->cellOutputText(index);
    QVERIFY2(text.contains(QStringLiteral("Big title")) && text.contains(QStringLiteral("some stress")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1Char('#')) && !text.contains(QLatin1Char('*')), qPrintable(text));
}

void tst_code_pane::errorShowsTraceback()
{
    const int index = runCell(QStringLiteral("1/0"));
    QVERIFY(index >= 0);
    const QString text = m_pane->cellOutputText(index);
    QVERIFY2(text.startsWith(QStringLiteral("ZeroDivisionError: division by zero\n")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Traceback")) && text.contains(QStringLiteral("1/0")), qPrintable(text));
    QVERIFY(!text.contains(QChar(0x1b)));
}

void tst_code_pane::interruptEndsTheCell()
{
    const int index = start(QStringLiteral("import time\nprint('sleeping', flush=True)\ntime.sleep(30)"));
    QVERIFY(index >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->cellOutputText(index).contains(QStringLiteral("sleeping")), kCellMs);
    QVERIFY(m_pane->interruptButton()->isEnabled());
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(m_pane->interruptButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished(index), 10000);
    QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
    const QString text = m_pane->cellOutputText(index);
    QVERIFY2(text.contains(QStringLiteral("KeyboardInterrupt")), qPrintable(text));
    QVERIFY(!m_pane->interruptButton()->isEnabled());
}

void tst_code_pane::restartForgetsVariables()
{
    QVERIFY(runCell(QStringLiteral("kept = 1")) >= 0);
    const int before = m_pane->cellCount();
    QTest::mouseClick(m_pane->restartButton(), Qt::LeftButton);
    // The question is asked first; nothing happens until it is answered.
    auto *box = m_pane->findChild<QMessageBox *>(QStringLiteral("codeRestartQuestion"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QCOMPARE(m_pane->cellCount(), before);
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->cellCount(), before + 1, kCellMs);
    QCOMPARE(m_pane->cellFacts(before), CodeSession::restartedSentence());

    const int index = runCell(QStringLiteral("x"));
    QVERIFY(index >= 0);
    QVERIFY2(m_pane->cellOutputText(index).startsWith(QStringLiteral("NameError: name 'x' is not defined")),
             qPrintable(m_pane->cellOutputText(index)));
}

void tst_code_pane::floodDoesNotStallTheWindow()
{
    QElapsedTimer beat;
    qint64 worst = 0;
    QTimer heartbeat;
    heartbeat.setInterval(10);
    connect(&heartbeat, &QTimer::timeout, this, [&] { worst = qMax(worst, beat.restart()); });
    const int index = start(QStringLiteral("for i in range(100000):\n    print(i)"));
    QVERIFY(index >= 0);
    beat.start();
    heartbeat.start();
    QTRY_VERIFY_WITH_TIMEOUT(finished(index), kCellMs);
    heartbeat.stop();
    const QString text = m_pane->cellOutputText(index);
    QVERIFY2(text.startsWith(QStringLiteral("0\n1\n2\n")), qPrintable(text.left(100)));
    QVERIFY2(text.endsWith(QStringLiteral("99998\n99999\n")), qPrintable(text.right(100)));
    QVERIFY2(worst <= kMaxStallMs, qPrintable(QStringLiteral("the event loop stalled for %1 ms").arg(worst)));
}

void tst_code_pane::agentCellsShow()
{
    // An agent runs a cell through the API: it shows in the history, marked
    // so; the kernel is the same one, and a cell run from the pane is not
    // shown twice once the log has it too.
    const int before = m_pane->cellCount();
    const ApiResponse r = m_api->post(E2e::sbx(m_id, QStringLiteral("/code")),
                                      {{QStringLiteral("code"), QStringLiteral("agent_value = 6 * 7\nagent_value")}});
    QCOMPARE(r.status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->cellCount(), before + 1, 15000);
    QCOMPARE(m_pane->cellOutputText(before), QStringLiteral("42"));
    QVERIFY2(m_pane->cellFacts(before).contains(QLatin1String("run through the API")), qPrintable(m_pane->cellFacts(before)));
    QVERIFY2(QRegularExpression(QStringLiteral(R"(^\[\d+\]$)")).match(m_pane->cellPrompt(before)).hasMatch(),
             qPrintable(m_pane->cellPrompt(before)));
    const int own = runCell(QStringLiteral("agent_value + 1"));
    QCOMPARE(own, before + 1);
    QCOMPARE(m_pane->cellOutputText(own), QStringLiteral("43"));
    QTest::qWait(4500); // two reads of the log
    QCOMPARE(m_pane->cellCount(), before + 2);
    QVERIFY(!m_pane->cellFacts(own).contains(QLatin1String("run through the API")));
}

void tst_code_pane::pausedSandboxCannotRun()
{
    const int cells = m_pane->cellCount();
    QVERIFY(cells > 0);
    E2E_EXPECT(paused, m_api->post(sbx(m_id, QStringLiteral("/pause")), QJsonObject()), 200);
    m_pane->setSandbox(m_id, false);
    QVERIFY(!m_pane->runButton()->isEnabled());
    QVERIFY(!m_pane->restartButton()->isEnabled());
    QVERIFY2(m_pane->noticeText().contains(QStringLiteral("not running")), qPrintable(m_pane->noticeText()));
    QVERIFY(!m_pane->run(QStringLiteral("1")));
    QCOMPARE(start(QStringLiteral("1")), -1);
    QCOMPARE(m_pane->cellCount(), cells);

    // No sandbox: a sentence; back to the paused one: its history is kept.
    m_pane->setSandbox(QString(), false);
    QVERIFY2(m_pane->noticeText().contains(QStringLiteral("Select a sandbox")), qPrintable(m_pane->noticeText()));
    QCOMPARE(m_pane->cellCount(), 0);
    m_pane->setSandbox(m_id, false);
    QCOMPARE(m_pane->cellCount(), cells);
    QCOMPARE(m_pane->editor()->toPlainText(), QStringLiteral("1"));
    QVERIFY(!m_pane->runButton()->isEnabled());
}

QTEST_MAIN(tst_code_pane)
#include "tst_code_pane.moc"
