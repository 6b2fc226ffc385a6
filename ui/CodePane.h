// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QImage>
#include <QList>
#include <QStringList>
#include <QWidget>

class CodeCellView;
class CodeEditor;
class CodeHistoryView;
class CodeSession;
class EngineClient;
class LivePoll;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

// The Code tab: a small Python console on the sandbox's kernel (run_code).
// Earlier cells stay above — number, code, streamed output, rich results,
// errors with their traceback, duration — and the input sits at the bottom
// (Ctrl+Enter runs it, Up and Down recall earlier inputs). Interrupt stops
// the running cell; Restart kernel, once confirmed, starts a fresh kernel.
//
// Cells an agent ran through the API (run_code) show in the same history,
// marked so, read from the sandbox's activity log every two seconds while
// the pane shows; cells run from here are not shown twice.
//
// Each sandbox keeps its own history while the pane lives: switching to
// another sandbox and back shows the cells as they were (a cell may even
// finish meanwhile). Histories of sandboxes that are gone are dropped by
// keepSandboxes(); beyond kMaxSessions the least recently shown idle one
// is dropped too.
class CodePane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxSessions = 16;

    explicit CodePane(EngineClient *client, QWidget *parent = nullptr);

    // The sandbox to work in ("" = none) and whether it runs (a paused one
    // shows its history but runs nothing). The same id and state again
    // changes nothing.
    void setSandbox(const QString &id, bool running);
    QString sandbox() const { return m_id; }
    // Drops the histories of sandboxes not in `ids` (the ones that exist).
    void keepSandboxes(const QStringList &ids);

    // Runs `code` as Ctrl+Enter runs the editor's text; false when it
    // cannot run now (no sandbox, paused, a cell running, nothing to run).
    bool run(const QString &code);
    bool isRunning() const;
    void interrupt();
    // Asks first (a non-modal question); a yes restarts the kernel.
    void restart();

    CodeEditor *editor() const { return m_editor; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *interruptButton() const { return m_interrupt; }
    QPushButton *restartButton() const { return m_restart; }
    // The sentence shown instead of, or above, the history ("" when none).
    QString noticeText() const;
    // The shown sandbox's history: entries (cells and notes), each one's
    // prompt ("[3]"), output as plain text, images, and the line under it.
    int cellCount() const;
    QString cellPrompt(int index) const;
    QString cellOutputText(int index) const;
    QList<QImage> cellImages(int index) const;
    QString cellFacts(int index) const;

Q_SIGNALS:
    // A cell of the shown sandbox started or ended (drawn as it ended).
    void cellStarted(int index);
    void cellFinished(int index);

private:
    CodeSession *session() const;
    CodeHistoryView *historyView() const;
    const CodeCellView *cellView(int index) const;
    CodeSession *openSession(const QString &id);
    void dropSession(const QString &id);
    void runFromEditor();
    void updateState();
    // Cells an agent ran: read from the activity log while the pane shows.
    void readLog();
    void updateLogReading();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    EngineClient *m_client;
    QString m_id;
    bool m_running = false;
    bool m_known = false; // setSandbox() was called at least once
    QHash<QString, CodeSession *> m_sessions;
    QHash<QString, CodeHistoryView *> m_views;
    QHash<QString, QString> m_drafts;
    QStringList m_recent; // most recently shown last
    QHash<QString, qint64> m_logCursor; // the activity log read up to this seq
    LivePoll *m_logPoll;
    bool m_logInFlight = false;

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QLabel *m_notice;
    CodeEditor *m_editor;
    QPushButton *m_run;
    QPushButton *m_interrupt;
    QPushButton *m_restart;
};
