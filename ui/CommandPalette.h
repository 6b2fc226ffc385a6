// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QList>
#include <QPointer>

class QAction;
class QLineEdit;
class QListWidget;

// Ctrl+K: every action of the window in one list, found by typing any
// words of its name (in any order), run with Enter. An action that cannot
// run now (nothing selected, say) is listed greyed; each shows its shortcut.
class CommandPalette : public QDialog
{
    Q_OBJECT
public:
    CommandPalette(const QList<QAction *> &actions, QWidget *parent = nullptr);

    QLineEdit *searchField() const { return m_search; }
    QListWidget *list() const { return m_list; }
    // The names shown for the current search, in order.
    QStringList shownNames() const;
    // Pure: whether `name` matches `query` (every word of it, any order,
    // ignoring case and the '…' and '&' of menu texts).
    static bool matches(const QString &name, const QString &query);
    static QString plainName(const QAction *action);

private:
    void refill();
    void runCurrent();

    QList<QPointer<QAction>> m_actions;
    QLineEdit *m_search;
    QListWidget *m_list;
};
