// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalStack.h"

#include "TerminalTab.h"

#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

TerminalStack::TerminalStack(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(tr("Select one sandbox to open a terminal in it."), this))
{
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_stack->addWidget(m_placeholder);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void TerminalStack::setEndpoint(const QUrl &baseUrl, const QString &apiKey)
{
    if (baseUrl == m_url && apiKey == m_key)
        return;
    clear();
    m_url = baseUrl;
    m_key = apiKey;
}

void TerminalStack::setSandbox(const QString &id, bool running)
{
    if (id.isEmpty() || !m_url.isValid()) {
        m_stack->setCurrentWidget(m_placeholder);
        return;
    }
    TerminalTab *tab = m_tabs.value(id);
    if (!tab) {
        // Nothing is asked of the engine until the tab is first shown.
        tab = new TerminalTab(m_url, m_key, id, m_stack);
        tab->setObjectName(QStringLiteral("terminalTab_") + id);
        m_stack->addWidget(tab);
        m_tabs.insert(id, tab);
    }
    m_stack->setCurrentWidget(tab);
    tab->setRunning(running);
}

void TerminalStack::retainOnly(const std::function<bool(const QString &)> &exists)
{
    for (auto it = m_tabs.begin(); it != m_tabs.end();) {
        if (exists(it.key())) {
            ++it;
            continue;
        }
        it.value()->deleteLater();
        it = m_tabs.erase(it);
    }
}

TerminalTab *TerminalStack::current() const
{
    return qobject_cast<TerminalTab *>(m_stack->currentWidget());
}

void TerminalStack::clear()
{
    m_stack->setCurrentWidget(m_placeholder);
    for (TerminalTab *tab : std::as_const(m_tabs))
        tab->deleteLater();
    m_tabs.clear();
}
