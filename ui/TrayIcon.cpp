// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrayIcon.h"

#include "Icons.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

TrayIcon::TrayIcon(QWidget *window, SandboxNotifier *notifier, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(Icons::get(Icons::Name::Tray), this);
        m_tray->setObjectName(QStringLiteral("trayIcon"));
        m_menu = new QMenu();
        QAction *show = m_menu->addAction(tr("Show the window"));
        connect(show, &QAction::triggered, this, [this] {
            if (m_window) {
                m_window->showNormal();
                m_window->raise();
                m_window->activateWindow();
            }
        });
        QAction *hide = m_menu->addAction(tr("Hide the window"));
        connect(hide, &QAction::triggered, this, [this] {
            if (m_window)
                m_window->hide();
        });
        m_menu->addSeparator();
        connect(m_menu->addAction(tr("Quit")), &QAction::triggered, qApp, &QApplication::quit);
        m_tray->setContextMenu(m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason why) {
            if (why == QSystemTrayIcon::Trigger && m_window)
                m_window->setVisible(!m_window->isVisible());
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_lastSandbox.isEmpty())
                Q_EMIT sandboxRequested(m_lastSandbox);
        });
        m_tray->show();
    }
    connect(notifier, &SandboxNotifier::runningCountChanged, this, &TrayIcon::updateToolTip);
    connect(notifier, &SandboxNotifier::notice, this, &TrayIcon::tell);
    updateToolTip(notifier->runningCount());
}

TrayIcon::~TrayIcon()
{
    delete m_menu; // a menu has no parent object to take it along
}

void TrayIcon::updateToolTip(int running)
{
    m_toolTip = running == 0   ? tr("ai2in: no sandbox running")
                : running == 1 ? tr("ai2in: 1 sandbox running")
                               : tr("ai2in: %1 sandboxes running").arg(running);
    if (m_tray)
        m_tray->setToolTip(m_toolTip);
}

void TrayIcon::tell(const SandboxNotifier::Notice &notice)
{
    m_told.append(notice);
    m_lastSandbox = notice.sandboxId;
    const auto icon = notice.kind == SandboxNotifier::Notice::Kind::EndingSoon ? QSystemTrayIcon::Information
                                                                               : QSystemTrayIcon::Warning;
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(notice.title, notice.text, icon, 10000);
    else
        Q_EMIT unshown(notice.title + QStringLiteral(": ") + notice.text);
}
