// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QList>

class QAction;
class QLineEdit;
class QTreeWidget;

// F1: every key the app answers to, on one page. First the window's actions
// that have a shortcut (read from the actions themselves, so the page
// cannot disagree with them), then the keys each pane handles while it has
// the focus (terminal, code editor, files, command log, timeline). Typing
// in the field keeps the rows whose name or keys hold every word typed.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);

    // The page for `window`'s actions, shown without blocking it; the one
    // already open is brought up instead of a second.
    static ShortcutsDialog *openFor(QWidget *window);

    QLineEdit *searchField() const { return m_search; }
    // One top-level item per section, one child per key: action, keys.
    QTreeWidget *tree() const { return m_tree; }

private:
    struct Row
    {
        QString name;
        QString keys;
    };
    void addSection(const QString &title, const QList<Row> &rows);
    void filter(const QString &query);
    // The keys of the panes, as each pane's key handling has them.
    void addPaneSections();

    QLineEdit *m_search;
    QTreeWidget *m_tree;
};
