// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>
#include <QWidget>

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
    TerminalTab(const QUrl &engineUrl, const QString &apiKey, const QString &sandboxId, QWidget *parent = nullptr);

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
    QUrl m_engine;
    QString m_key;
    QString m_sandbox;
    QTabWidget *m_tabs;
    QToolButton *m_add;
    int m_opened = 0;
    bool m_shown = false;
    bool m_running = true;
};
