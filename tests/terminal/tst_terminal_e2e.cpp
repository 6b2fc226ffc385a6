// SPDX-License-Identifier: GPL-3.0-or-later
// The Terminal tab against a real engine with a real sandbox: keys typed
// into the widget reach the shell, the grid shows its answers, the PTY
// follows the widget's size, full-screen programs switch screens, and the
// session comes back after the WebSocket drops or the sandbox is paused.
// Terminals of two EngineClients live side by side in a TerminalStack.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineClient.h"
#include "EngineProcess.h"
#include "PtySession.h"
#include "TerminalPane.h"
#include "TerminalScreen.h"
#include "TerminalStack.h"
#include "TerminalTab.h"
#include "TerminalView.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>

using E2e::sbx;

namespace {

// Every line of the screen and of the scrollback, oldest first.
QStringList allLines(const TerminalScreen *s)
{
    QStringList lines;
    for (int r = -s->scrollbackLines(); r < s->rows(); ++r)
        lines << s->lineText(r);
    return lines;
}

bool hasLine(const TerminalScreen *s, const QString &line)
{
    return allLines(s).contains(line);
}

bool showsText(const TerminalScreen *s, const QString &text)
{
    return allLines(s).join(QLatin1Char('\n')).contains(text);
}

void type(TerminalView *view, const QString &line)
{
    QTest::keyClicks(view, line);
    QTest::keyClick(view, Qt::Key_Return);
}

} // namespace

class tst_terminal_e2e : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
    void typingEchoHi();
    void resizeFollowsWidget_data();
    void resizeFollowsWidget();
    void alternateScreen();
    void copyAndPaste();
    void reconnectAfterDrop();
    void severalTerminals();
    void exitOffersNewTerminal();
    void twoClientsSideBySide();
    // Last: it pauses the sandbox.
    void pauseResumeOffersReconnect();
    void firstTerminalOfAPausedSandbox();

private:
    bool waitReady(TerminalPane *pane);
    // Whether terminal `ptyId` of the sandbox still runs, as the engine says.
    bool ptyAlive(const QString &ptyId);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<EngineClient> m_client;
    std::unique_ptr<TerminalTab> m_tab;
    QString m_id;
};

void tst_terminal_e2e::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;
    m_client = std::make_unique<EngineClient>();
    m_client->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    m_tab = std::make_unique<TerminalTab>(m_client.get(), m_id);
    m_tab->resize(900, 600);
    m_tab->show(); // the first terminal starts when the tab is first shown
    QVERIFY(QTest::qWaitForWindowExposed(m_tab.get()));
    QCOMPARE(m_tab->count(), 1);
    QVERIFY(waitReady(m_tab->terminal(0)));
}

void tst_terminal_e2e::cleanup()
{
    if (QTest::currentTestFailed()) {
        m_engine->printLogTail(40);
        if (m_tab && m_tab->currentTerminal()) {
            qWarning() << "bar:" << m_tab->currentTerminal()->message();
            QStringList lines = allLines(m_tab->currentTerminal()->screen());
            lines.removeAll(QString());
            qWarning().noquote() << lines.join(QLatin1Char('\n')).right(2000);
        }
    }
}

void tst_terminal_e2e::cleanupTestCase()
{
    m_tab.reset();
    m_client.reset();
    if (m_api && !m_id.isEmpty())
        QCOMPARE(m_api->del(sbx(m_id)).status, 204);
    m_api.reset();
    m_engine.reset();
}

bool tst_terminal_e2e::waitReady(TerminalPane *pane)
{
    // Attached, and the shell has printed its prompt.
    return QTest::qWaitFor([pane] { return pane->session()->state() == PtySession::State::Attached; }, 20000)
        && QTest::qWaitFor([pane] { return showsText(pane->screen(), QStringLiteral("$")); }, 20000);
}

bool tst_terminal_e2e::ptyAlive(const QString &ptyId)
{
    for (const QJsonValue &v : m_api->get(sbx(m_id, QStringLiteral("/pty"))).json().value(QStringLiteral("ptys")).toArray())
        if (v.toObject().value(QStringLiteral("pty_id")).toString() == ptyId)
            return v.toObject().value(QStringLiteral("alive")).toBool();
    return false;
}

void tst_terminal_e2e::typingEchoHi()
{
    TerminalPane *pane = m_tab->terminal(0);
    TerminalView *view = pane->view();
    view->setFocus();
    const int frames = view->framesPainted();
    type(view, QStringLiteral("echo hi"));
    // The answer is a line of its own in the grid, not just the echoed command.
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("hi")), 10000);
    // ...and the widget repainted for it.
    QTRY_VERIFY_WITH_TIMEOUT(view->framesPainted() > frames, 5000);
    QVERIFY(showsText(pane->screen(), QStringLiteral("echo hi")));
    // Ctrl+C reaches the shell as an interrupt: a sleeping command stops.
    type(view, QStringLiteral("sleep 30; echo not-interrupted"));
    QTest::qWait(500);
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
    type(view, QStringLiteral("echo after-$((6*7))"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("after-42")), 10000);
    QVERIFY(!hasLine(pane->screen(), QStringLiteral("not-interrupted")));
}

void tst_terminal_e2e::resizeFollowsWidget_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("small") << QSize(500, 300);
    QTest::newRow("large") << QSize(1200, 800);
}

void tst_terminal_e2e::resizeFollowsWidget()
{
    QFETCH(QSize, size);
    TerminalPane *pane = m_tab->terminal(0);
    m_tab->resize(size);
    QTRY_VERIFY_WITH_TIMEOUT(pane->view()->viewport()->width() / pane->view()->cellSize().width() == pane->screen()->cols()
                                 && pane->screen()->cols() == pane->session()->cols(),
                             5000);
    const int cols = pane->screen()->cols();
    const int rows = pane->screen()->rows();
    QVERIFY(cols > 20 && rows > 5);
    type(pane->view(), QStringLiteral("stty size"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("%1 %2").arg(rows).arg(cols)), 10000);
}

void tst_terminal_e2e::alternateScreen()
{
    // vim (vim-tiny, as `vi`) and htop take the alternate screen and give it
    // back on quitting; the shell's lines are hidden meanwhile and return.
    TerminalPane *pane = m_tab->terminal(0);
    TerminalScreen *screen = pane->screen();
    type(pane->view(), QStringLiteral("echo before-alt"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(screen, QStringLiteral("before-alt")), 10000);
    QSignalSpy alt(screen, &TerminalScreen::altScreenChanged);
    type(pane->view(), QStringLiteral("printf 'line-in-vim\\n' > /tmp/alt.txt; vi /tmp/alt.txt"));
    QTRY_VERIFY_WITH_TIMEOUT(screen->altScreen(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(screen, QStringLiteral("line-in-vim")), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(showsText(screen, QStringLiteral("\"/tmp/alt.txt\"")), 10000); // vim's status line
    QVERIFY(!showsText(screen, QStringLiteral("before-alt")));
    QTest::keyClicks(pane->view(), QStringLiteral(":q"));
    QTest::keyClick(pane->view(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!screen->altScreen(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(screen, QStringLiteral("before-alt")), 5000);
    QVERIFY(!hasLine(screen, QStringLiteral("line-in-vim")));
    QCOMPARE(alt.count(), 2);

    type(pane->view(), QStringLiteral("htop"));
    QTRY_VERIFY_WITH_TIMEOUT(screen->altScreen(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(showsText(screen, QStringLiteral("Load average")), 10000);
    QTest::keyClick(pane->view(), Qt::Key_Q);
    QTRY_VERIFY_WITH_TIMEOUT(!screen->altScreen(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(screen, QStringLiteral("before-alt")), 5000);
    QCOMPARE(alt.count(), 4);
}

void tst_terminal_e2e::copyAndPaste()
{
    TerminalPane *pane = m_tab->terminal(0);
    TerminalView *view = pane->view();
    type(view, QStringLiteral("clear; echo copy-me-please"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("copy-me-please")), 10000);
    const int row = allLines(pane->screen()).indexOf(QStringLiteral("copy-me-please")) - pane->screen()->scrollbackLines();
    const QSize cell = view->cellSize();
    // Double-click selects the word; Ctrl+Shift+C copies it.
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, QPoint(cell.width() * 2 + 1, row * cell.height() + cell.height() / 2));
    QCOMPARE(view->selectedText(), QStringLiteral("copy-me-please"));
    QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("copy-me-please"));
    // Paste it back after `echo `: Ctrl+Shift+V, with the shell's bracketed paste.
    QTest::keyClicks(view, QStringLiteral("echo pasted:"));
    QTest::keyClick(view, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QTest::keyClick(view, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("pasted:copy-me-please")), 10000);
}

void tst_terminal_e2e::reconnectAfterDrop()
{
    TerminalPane *pane = m_tab->terminal(0);
    PtySession *session = pane->session();
    const QString ptyId = session->ptyId();
    type(pane->view(), QStringLiteral("KEPT=kept-$((40+2))"));
    QTest::qWait(300);
    QSignalSpy ended(session, &PtySession::ended);
    auto *ws = session->findChild<QWebSocket *>();
    QVERIFY(ws);
    ws->abort(); // the network drops
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 5000);
    QCOMPARE(ended.first().first().value<PtySession::End>(), PtySession::End::Disconnected);
    QCOMPARE(pane->actionText(), QStringLiteral("Reconnect"));
    QVERIFY(!pane->message().isEmpty());
    // While nobody is attached the shell goes on; nothing it prints is lost.
    E2E_EXPECT(sent, m_api->postRaw(sbx(m_id, QStringLiteral("/pty/") + ptyId + QStringLiteral("/input")),
                                    "echo while-away-$((2*3))\n", "application/octet-stream"),
               200);
    QTest::qWait(300);
    pane->triggerAction();
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), PtySession::State::Attached, 10000);
    QCOMPARE(session->ptyId(), ptyId);
    QVERIFY(pane->message().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("while-away-6")), 10000);
    type(pane->view(), QStringLiteral("echo $KEPT"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("kept-42")), 10000);
}

void tst_terminal_e2e::severalTerminals()
{
    TerminalPane *second = m_tab->openTerminal();
    QCOMPARE(m_tab->count(), 2);
    QCOMPARE(m_tab->currentTerminal(), second);
    QVERIFY(waitReady(second));
    QVERIFY(second->session()->ptyId() != m_tab->terminal(0)->session()->ptyId());
    type(second->view(), QStringLiteral("echo second-$((1+1))"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(second->screen(), QStringLiteral("second-2")), 10000);
    QVERIFY(!hasLine(m_tab->terminal(0)->screen(), QStringLiteral("second-2")));
    // A title set by the program names the inner tab (bash sets its own
    // again at the next prompt, hence the sleep).
    type(second->view(), QStringLiteral("printf '\\033]0;my-title\\007'; sleep 5"));
    QTRY_COMPARE_WITH_TIMEOUT(second->screen()->title(), QStringLiteral("my-title"), 10000);
    // Closing the tab ends that shell in the sandbox.
    const QString id = second->session()->ptyId();
    m_tab->closeTerminal(1);
    QCOMPARE(m_tab->count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!ptyAlive(id), 10000);
}

void tst_terminal_e2e::exitOffersNewTerminal()
{
    TerminalPane *pane = m_tab->openTerminal();
    QVERIFY(waitReady(pane));
    const QString first = pane->session()->ptyId();
    type(pane->view(), QStringLiteral("exit 3"));
    QTRY_COMPARE_WITH_TIMEOUT(pane->actionText(), QStringLiteral("New terminal"), 10000);
    QVERIFY2(pane->message().contains(QStringLiteral("code 3")), qPrintable(pane->message()));
    pane->triggerAction();
    QVERIFY(waitReady(pane));
    QVERIFY(pane->session()->ptyId() != first);
    // Typed ahead of the new shell's line editor, the echo of the command may
    // end up on its output's row; what counts is the output, which the
    // command line cannot contain.
    type(pane->view(), QStringLiteral("echo again-$((20+22))"));
    QTRY_VERIFY2_WITH_TIMEOUT(showsText(pane->screen(), QStringLiteral("again-42")),
                              qPrintable(allLines(pane->screen()).join(QLatin1Char('|'))), 10000);
    m_tab->closeTerminal(m_tab->count() - 1);
}

void tst_terminal_e2e::twoClientsSideBySide()
{
    // The app will watch several engines, each through its own client; here
    // two clients of the one engine stand for two engines. The same sandbox
    // id through each is two entries, each with its own shell.
    EngineClient one;
    auto two = std::make_unique<EngineClient>();
    one.setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    two->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    TerminalStack stack;
    stack.resize(900, 600);
    stack.show();
    QVERIFY(QTest::qWaitForWindowExposed(&stack));
    stack.setSandbox(&one, m_id);
    QPointer<TerminalTab> tabOne = stack.current();
    QVERIFY(tabOne);
    QCOMPARE(tabOne->client(), &one);
    QTRY_COMPARE_WITH_TIMEOUT(tabOne->count(), 1, 5000);
    QVERIFY(waitReady(tabOne->terminal(0)));
    stack.setSandbox(two.get(), m_id);
    QPointer<TerminalTab> tabTwo = stack.current();
    QVERIFY(tabTwo && tabTwo != tabOne);
    QCOMPARE(tabTwo->client(), two.get());
    QCOMPARE(stack.sandboxCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(tabTwo->count(), 1, 5000);
    TerminalPane *paneTwo = tabTwo->terminal(0);
    QVERIFY(waitReady(paneTwo));
    const QString shellOne = tabOne->terminal(0)->session()->ptyId();
    QVERIFY(shellOne != paneTwo->session()->ptyId());

    // Another key for the first client: its terminal goes, shown or not,
    // and its shell runs on; the second client's terminal is untouched.
    stack.setSandbox(&one, m_id);
    QCOMPARE(stack.current(), tabOne.data());
    one.setEndpoint(m_engine->baseUrl(), QStringLiteral("ai2in_live_anotherkey00000000000000"));
    QCOMPARE(stack.current(), nullptr);
    QCOMPARE(stack.sandboxCount(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(tabOne.isNull(), 5000);
    QVERIFY(ptyAlive(shellOne));
    stack.setSandbox(two.get(), m_id);
    QCOMPARE(stack.current(), tabTwo.data());
    QCOMPARE(paneTwo->session()->state(), PtySession::State::Attached);
    type(paneTwo->view(), QStringLiteral("echo still-$((5*5))"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(paneTwo->screen(), QStringLiteral("still-25")), 10000);

    // A client that goes away takes its terminals with it.
    const QString shellTwo = paneTwo->session()->ptyId();
    two.reset();
    QCOMPARE(stack.current(), nullptr);
    QCOMPARE(stack.sandboxCount(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(tabTwo.isNull(), 5000);
    QVERIFY(ptyAlive(shellTwo));
}

void tst_terminal_e2e::pauseResumeOffersReconnect()
{
    TerminalPane *pane = m_tab->terminal(0);
    const QString before = pane->session()->ptyId();
    E2E_EXPECT(paused, m_api->post(sbx(m_id, QStringLiteral("/pause")), QJsonObject()), 200);
    m_tab->setRunning(false); // as the window says once its list shows the pause
    QTRY_COMPARE_WITH_TIMEOUT(pane->actionText(), QStringLiteral("Reconnect"), 10000);
    qInfo() << "after pause:" << pane->message();
    QVERIFY(!pane->message().isEmpty());
    // Reconnecting to a paused sandbox fails with a sentence that says why.
    pane->triggerAction();
    QTRY_COMPARE_WITH_TIMEOUT(pane->actionText(), QStringLiteral("Try again"), 10000);
    qInfo() << "reconnect while paused:" << pane->message();
    // The advice is given once, not twice.
    QCOMPARE(pane->message().count(QStringLiteral("resume"), Qt::CaseInsensitive), 1);
    E2E_EXPECT(resumed, m_api->post(sbx(m_id, QStringLiteral("/resume")), QJsonObject()), 200);
    // Pause ended every process: once the sandbox runs again the terminal
    // comes back by itself, as a new one, and says so; the bar goes.
    QSignalSpy reconnected(pane->session(), &PtySession::reconnected);
    m_tab->setRunning(true);
    QVERIFY(waitReady(pane));
    QTRY_COMPARE_WITH_TIMEOUT(pane->message(), QString(), 10000);
    QCOMPARE(reconnected.count(), 1);
    QCOMPARE(reconnected.first().first().toBool(), true);
    QVERIFY(pane->session()->ptyId() != before);
    QVERIFY(showsText(pane->screen(), QStringLiteral("new one")));
    // The old shell's prompts are still on the screen: wait for the new one's.
    auto newPrompt = [pane] {
        const QString all = allLines(pane->screen()).join(QLatin1Char('\n'));
        const qsizetype notice = all.lastIndexOf(QStringLiteral("new one"));
        return notice >= 0 && all.indexOf(QLatin1Char('$'), notice) > notice;
    };
    QTRY_VERIFY_WITH_TIMEOUT(newPrompt(), 20000);
    type(pane->view(), QStringLiteral("echo resumed-$((3*3))"));
    QTRY_VERIFY_WITH_TIMEOUT(hasLine(pane->screen(), QStringLiteral("resumed-9")), 10000);
}

void tst_terminal_e2e::firstTerminalOfAPausedSandbox()
{
    // A terminal opened while the sandbox is paused says so, comes up by
    // itself when it runs, and does not speak of a previous terminal.
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(paused, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject()), 200);
    TerminalTab tab(m_client.get(), id);
    tab.setRunning(false);
    tab.resize(900, 600);
    tab.show();
    QTRY_COMPARE_WITH_TIMEOUT(tab.count(), 1, 5000);
    TerminalPane *pane = tab.terminal(0);
    QTRY_COMPARE_WITH_TIMEOUT(pane->actionText(), QStringLiteral("Try again"), 10000);
    QCOMPARE(pane->message().count(QStringLiteral("resume"), Qt::CaseInsensitive), 1);
    E2E_EXPECT(resumed, m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 200);
    tab.setRunning(true);
    QVERIFY(waitReady(pane));
    QTRY_COMPARE_WITH_TIMEOUT(pane->message(), QString(), 10000);
    QTest::qWait(300);
    QVERIFY(!showsText(pane->screen(), QStringLiteral("previous terminal")));
}

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    tst_terminal_e2e t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_terminal_e2e.moc"
