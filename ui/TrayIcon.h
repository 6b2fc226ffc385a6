// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxNotifier.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMenu;
class QSystemTrayIcon;
class QWidget;

// The app in the system tray: how many sandboxes run (its tooltip), Show or
// Hide the window and Quit (its menu), and the notifier's notices as the
// tray's messages; a click on one brings the window up with that sandbox.
// Where the desktop has no tray, or one that shows no messages, a notice
// goes to `unshown` instead (the window's status bar), so none is lost.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    TrayIcon(QWidget *window, SandboxNotifier *notifier, QObject *parent = nullptr);
    ~TrayIcon() override;

    bool available() const { return m_tray != nullptr; }
    QString toolTip() const { return m_toolTip; }
    // Every notice so far, oldest first (what a person was told).
    const QList<SandboxNotifier::Notice> &told() const { return m_told; }

Q_SIGNALS:
    // The window should show this sandbox.
    void sandboxRequested(const QString &id);
    // A notice the tray could not show, as one sentence.
    void unshown(const QString &sentence);

private:
    void updateToolTip(int running);
    void tell(const SandboxNotifier::Notice &notice);

    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QString m_toolTip;
    QString m_lastSandbox; // of the last message, for a click on it
    QList<SandboxNotifier::Notice> m_told;
};
