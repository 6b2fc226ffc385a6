// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalTab.h"

#include "EngineClient.h"

#include "TerminalPane.h"
#include "TerminalView.h"

#include <QAction>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
constexpr int kMaxTitle = 32;
}

TerminalTab::TerminalTab(EngineClient *client, const QString &sandboxId, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_sandbox(sandboxId)
    , m_tabs(new QTabWidget(this))
    , m_add(new QToolButton(this))
{
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_add->setText(QStringLiteral("+"));
    m_add->setAutoRaise(true);
    m_add->setToolTip(tr("New terminal in this sandbox (Ctrl+Shift+T)"));
    m_tabs->setCornerWidget(m_add, Qt::TopRightCorner);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    auto *newTerminal = new QAction(tr("New terminal"), this);
    newTerminal->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    newTerminal->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(newTerminal);
    connect(newTerminal, &QAction::triggered, this, [this] { openTerminal(); });
    connect(m_add, &QToolButton::clicked, this, [this] { openTerminal(); });
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &TerminalTab::closeTerminal);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (TerminalPane *pane = terminal(index))
            pane->view()->setFocus();
    });
}

EngineClient *TerminalTab::client() const
{
    return m_client;
}

int TerminalTab::count() const
{
    return m_tabs->count();
}

TerminalPane *TerminalTab::terminal(int index) const
{
    return qobject_cast<TerminalPane *>(m_tabs->widget(index));
}

TerminalPane *TerminalTab::currentTerminal() const
{
    return qobject_cast<TerminalPane *>(m_tabs->currentWidget());
}

TerminalPane *TerminalTab::openTerminal()
{
    auto *pane = new TerminalPane(m_client, m_sandbox, m_tabs);
    const QString name = tr("Terminal %1").arg(++m_opened);
    const int index = m_tabs->addTab(pane, name);
    m_tabs->setCurrentIndex(index);
    connect(pane, &TerminalPane::titleChanged, this, [this, pane, name](const QString &title) {
        const int i = m_tabs->indexOf(pane);
        if (i < 0)
            return;
        const QString shown = title.isEmpty() ? name : title;
        m_tabs->setTabText(i, shown.size() > kMaxTitle ? shown.left(kMaxTitle - 1) + QChar(0x2026) : shown);
        m_tabs->setTabToolTip(i, shown);
    });
    pane->start();
    pane->view()->setFocus();
    Q_EMIT terminalCountChanged(count());
    return pane;
}

void TerminalTab::closeTerminal(int index)
{
    TerminalPane *pane = terminal(index);
    if (!pane)
        return;
    pane->closeSession(true);
    m_tabs->removeTab(index);
    pane->deleteLater();
    Q_EMIT terminalCountChanged(count());
}

void TerminalTab::setRunning(bool running)
{
    const bool again = running && !m_running;
    m_running = running;
    if (!again)
        return;
    for (int i = 0; i < count(); ++i)
        terminal(i)->sandboxRunsAgain();
}

void TerminalTab::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    if (!m_shown) {
        m_shown = true;
        if (count() == 0)
            openTerminal();
    }
}
