// SPDX-License-Identifier: GPL-3.0-or-later
#include "TerminalStack.h"

#include "EngineClient.h"
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

void TerminalStack::setSandbox(EngineClient *client, const QString &id, bool running)
{
    if (id.isEmpty() || !client || !client->baseUrl().isValid()) {
        m_stack->setCurrentWidget(m_placeholder);
        return;
    }
    const Key key(client, id);
    TerminalTab *tab = m_tabs.value(key);
    if (!tab) {
        // Nothing is asked of the engine until the tab is first shown.
        tab = new TerminalTab(client, id, m_stack);
        tab->setObjectName(QStringLiteral("terminalTab_") + id);
        m_stack->addWidget(tab);
        m_tabs.insert(key, tab);
        // The tab's terminals belong to the engine the client speaks to now.
        connect(client, &EngineClient::endpointChanged, tab, [this, client] { dropClient(client); });
        connect(client, &QObject::destroyed, tab, [this, client] { dropClient(client); });
    }
    m_stack->setCurrentWidget(tab);
    tab->setRunning(running);
}

void TerminalStack::retainOnly(const std::function<bool(const QString &)> &exists, const EngineClient *client)
{
    for (auto it = m_tabs.begin(); it != m_tabs.end();) {
        if ((client && it.key().first != client) || exists(it.key().second))
            ++it;
        else
            it = drop(it);
    }
}

TerminalTab *TerminalStack::current() const
{
    return qobject_cast<TerminalTab *>(m_stack->currentWidget());
}

void TerminalStack::dropClient(const EngineClient *client)
{
    // Only compared: the client may be half destroyed.
    for (auto it = m_tabs.begin(); it != m_tabs.end();)
        it = it.key().first == client ? drop(it) : std::next(it);
}

QHash<TerminalStack::Key, TerminalTab *>::iterator TerminalStack::drop(QHash<Key, TerminalTab *>::iterator it)
{
    TerminalTab *tab = it.value();
    if (m_stack->currentWidget() == tab)
        m_stack->setCurrentWidget(m_placeholder);
    tab->deleteLater();
    return m_tabs.erase(it);
}
