// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPointer>
#include <QString>
#include <QWidget>

class EngineClient;
class QTabWidget;
class QToolButton;
class TerminalPane;

// The Terminal tab of one sandbox: any number of terminals, each in its own
// inner tab, a "+" to open another. The first terminal starts when the tab
// is first shown. Keep one TerminalTab per sandbox alive while the sandbox
// is on screen and the sessions survive switching tabs; closing an inner tab
// ends that shell in the sandbox.
class TerminalTab : public QWidget
{
    Q_OBJECT
public:
    // `client`: the client of the engine that owns the sandbox.
    TerminalTab(EngineClient *client, const QString &sandboxId, QWidget *parent = nullptr);

    EngineClient *client() const;
    QString sandboxId() const { return m_sandbox; }
    int count() const;
    TerminalPane *terminal(int index) const;
    TerminalPane *currentTerminal() const;

    // Opens and starts one more terminal, and makes it current.
    TerminalPane *openTerminal();
    // Ends the shell of terminal `index` and removes its tab.
    void closeTerminal(int index);
    // Whether the sandbox runs; when it runs again, lost terminals reconnect.
    void setRunning(bool running);

Q_SIGNALS:
    void terminalCountChanged(int count);

protected:
    void showEvent(QShowEvent *e) override;

private:
    QPointer<EngineClient> m_client; // the tab may outlive it (it is then dropped)
    QString m_sandbox;
    QTabWidget *m_tabs;
    QToolButton *m_add;
    int m_opened = 0;
    bool m_shown = false;
    bool m_running = true;
};
