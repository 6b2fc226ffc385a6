// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <functional>
#include <QString>
#include <QUrl>
#include <QWidget>

class QLabel;
class QStackedWidget;
class TerminalTab;

// The details area's Terminal tab: one TerminalTab per sandbox, kept while
// the sandbox exists so its terminals survive switching the selection or the
// tab; a sentence in their place when no single sandbox is selected.
class TerminalStack : public QWidget
{
    Q_OBJECT
public:
    explicit TerminalStack(QWidget *parent = nullptr);

    // A different engine or key: every terminal of the old one is dropped
    // (their shells keep running in their sandboxes).
    void setEndpoint(const QUrl &baseUrl, const QString &apiKey);
    // Shows the terminals of `id` ("" when none or several are selected).
    void setSandbox(const QString &id, bool running = true);
    // Drops the terminals of sandboxes that are gone.
    void retainOnly(const std::function<bool(const QString &)> &exists);

    TerminalTab *current() const;
    int sandboxCount() const { return int(m_tabs.size()); }

private:
    void clear();

    QUrl m_url;
    QString m_key;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QHash<QString, TerminalTab *> m_tabs;
};
