// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QPair>
#include <QString>
#include <QWidget>

#include <functional>

class EngineClient;
class QLabel;
class QStackedWidget;
class TerminalTab;

// The details area's Terminal tab: one TerminalTab per sandbox, kept while
// the sandbox exists so its terminals survive switching the selection or the
// tab; a sentence in their place when no single sandbox is selected. Each
// sandbox's terminals speak through the EngineClient of the engine that owns
// it, so terminals of sandboxes on several engines live side by side; when a
// client's endpoint changes or the client goes away, its terminals are
// dropped (their shells keep running in their sandboxes).
class TerminalStack : public QWidget
{
    Q_OBJECT
public:
    explicit TerminalStack(QWidget *parent = nullptr);

    // Shows the terminals of `id` on `client`'s engine ("" when none or
    // several are selected).
    void setSandbox(EngineClient *client, const QString &id, bool running = true);
    // Drops the terminals of sandboxes that are gone: of `client`'s engine,
    // or of every engine when `client` is null.
    void retainOnly(const std::function<bool(const QString &)> &exists, const EngineClient *client = nullptr);

    TerminalTab *current() const;
    int sandboxCount() const { return int(m_tabs.size()); }

private:
    // A sandbox id is unique on its engine only.
    using Key = QPair<const EngineClient *, QString>;

    void dropClient(const EngineClient *client);
    QHash<Key, TerminalTab *>::iterator drop(QHash<Key, TerminalTab *>::iterator it);

    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QHash<Key, TerminalTab *> m_tabs;
};
