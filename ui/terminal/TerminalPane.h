// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PtySession.h"

#include <QWidget>

#include <optional>

class EngineClient;
class QLabel;
class QPushButton;
class QFrame;
class TerminalScreen;
class TerminalView;

// One terminal: the view, its emulator and its PTY session, and a bar that
// says why the session ended and offers the way back (reconnect, a new
// terminal, try again).
class TerminalPane : public QWidget
{
    Q_OBJECT
public:
    // `client`: the client of the engine that owns the sandbox.
    TerminalPane(EngineClient *client, const QString &sandboxId, QWidget *parent = nullptr);
    ~TerminalPane() override;

    // Starts a new terminal in the sandbox, sized to the view.
    void start(const PtySession::Options &options = {});
    // Attaches to a terminal that already runs (`from` < 0: from now on).
    void attach(const QString &ptyId, qint64 from = -1);
    // Closes the stream; with `kill` the shell in the sandbox ends as well.
    void closeSession(bool kill);

    TerminalScreen *screen() const { return m_screen; }
    TerminalView *view() const { return m_view; }
    PtySession *session() const { return m_session; }
    // The sentence of the bar, empty while the terminal is connected.
    QString message() const;
    // The bar's action ("Reconnect", "New terminal", "Try again"); empty when hidden.
    QString actionText() const;
    void triggerAction();
    // The sandbox runs again (after a pause): a terminal whose connection
    // was lost, or could not be made, reconnects by itself.
    void sandboxRunsAgain();

Q_SIGNALS:
    void titleChanged(const QString &title);
    void ended(const QString &sentence);

private:
    void showBar(const QString &sentence, const QString &action);
    void hideBar();

    TerminalScreen *m_screen;
    TerminalView *m_view;
    PtySession *m_session;
    QFrame *m_bar;
    QLabel *m_message;
    QPushButton *m_action;
    // How the session last ended, while its bar says so.
    std::optional<PtySession::End> m_end;
};
