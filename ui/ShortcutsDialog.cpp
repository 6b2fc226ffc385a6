// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShortcutsDialog.h"

#include "CommandPalette.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QLineEdit>
#include <QScreen>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

QString keyText(const QKeySequence &keys)
{
    return keys.toString(QKeySequence::NativeText);
}

// Two keys that do the two halves of one thing ("Up / Down").
QString eitherKey(const QKeySequence &first, const QKeySequence &second)
{
    return keyText(first) + QStringLiteral(" / ") + keyText(second);
}

} // namespace

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard shortcuts"));
    m_search->setObjectName(QStringLiteral("shortcutsSearch"));
    m_search->setPlaceholderText(tr("Type to find a shortcut by name or key"));
    m_search->setAccessibleName(tr("Find a shortcut"));
    m_search->setClearButtonEnabled(true);
    m_tree->setObjectName(QStringLiteral("shortcutsTree"));
    m_tree->setAccessibleName(tr("Keyboard shortcuts"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Action"), tr("Keys")});
    m_tree->setRootIsDecorated(false);
    m_tree->setItemsExpandable(false);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);
    m_tree->setFocusPolicy(Qt::NoFocus);

    QList<Row> window;
    for (const QAction *a : actions) {
        QStringList keys;
        for (const QKeySequence &k : a->shortcuts())
            keys << keyText(k);
        if (!keys.isEmpty() && !CommandPalette::plainName(a).isEmpty())
            window.append({CommandPalette::plainName(a), keys.join(QStringLiteral(" / "))});
    }
    addSection(tr("Window"), window);
    addPaneSections();
    m_tree->expandAll();
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_tree, 1);
    layout->addWidget(buttons);
    connect(m_search, &QLineEdit::textChanged, this, &ShortcutsDialog::filter);
    // Tall enough for every row where the screen allows.
    const int rows = fontMetrics().height() * 46;
    resize(fontMetrics().horizontalAdvance(QLatin1Char('m')) * 48,
           screen() ? qMin(rows, screen()->availableGeometry().height() * 4 / 5) : rows);
}

ShortcutsDialog *ShortcutsDialog::openFor(QWidget *window)
{
    auto *dialog = window->findChild<ShortcutsDialog *>(QStringLiteral("shortcutsDialog"), Qt::FindDirectChildrenOnly);
    if (!dialog) {
        dialog = new ShortcutsDialog(window->actions(), window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    // A page to keep beside the window while working: not modal.
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

void ShortcutsDialog::addSection(const QString &title, const QList<Row> &rows)
{
    if (rows.isEmpty())
        return;
    auto *section = new QTreeWidgetItem(m_tree, {title});
    section->setFirstColumnSpanned(true);
    QFont bold = section->font(0);
    bold.setBold(true);
    section->setFont(0, bold);
    for (const Row &r : rows)
        new QTreeWidgetItem(section, {r.name, r.keys});
}

void ShortcutsDialog::addPaneSections()
{
    // Each pane handles these keys itself while it has the focus:
    // ui/terminal/TerminalTab.cpp and TerminalView.cpp, CodeEditor.cpp,
    // FilesPane.cpp, CommandLogPane.cpp and TimelineView.cpp.
    const auto shift = [](Qt::Key k) { return QKeySequence(Qt::SHIFT | k); };
#ifdef Q_OS_MACOS
    const QKeySequence termCopy(Qt::CTRL | Qt::Key_C), termPaste(Qt::CTRL | Qt::Key_V);
#else
    const QKeySequence termCopy(Qt::CTRL | Qt::SHIFT | Qt::Key_C), termPaste(Qt::CTRL | Qt::SHIFT | Qt::Key_V);
#endif
    addSection(tr("Terminal"),
               {{tr("New terminal in this sandbox"), keyText(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T))},
                {tr("Copy the selection"), keyText(termCopy)},
                {tr("Paste"), keyText(termPaste)},
                {tr("Paste the selected text"), keyText(shift(Qt::Key_Insert))},
                {tr("Scroll back or forward a page"), eitherKey(shift(Qt::Key_PageUp), shift(Qt::Key_PageDown))},
                {tr("Oldest line or newest line"), eitherKey(shift(Qt::Key_Home), shift(Qt::Key_End))}});
    addSection(tr("Code"),
               {{tr("Run the cell"), keyText(QKeySequence(Qt::CTRL | Qt::Key_Enter))},
                {tr("Earlier or later input (on the first or last line)"),
                 eitherKey(QKeySequence(Qt::Key_Up), QKeySequence(Qt::Key_Down))},
                {tr("Indent by four spaces"), keyText(QKeySequence(Qt::Key_Tab))}});
    addSection(tr("Files"),
               {{tr("Open the file"), keyText(QKeySequence(Qt::Key_Return))},
                {tr("Rename"), keyText(QKeySequence(Qt::Key_F2))},
                {tr("New folder"), keyText(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N))},
                {tr("Delete"), keyText(QKeySequence(QKeySequence::Delete))}});
    addSection(tr("Command log"),
               {{tr("Copy the selected rows"), keyText(QKeySequence(QKeySequence::Copy))},
                {tr("Kill the selected running commands"), keyText(QKeySequence(QKeySequence::Delete))}});
    addSection(tr("Timeline"),
               {{tr("Zoom in or out"), eitherKey(QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Minus))},
                {tr("Move back or forward a little"), eitherKey(QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_Right))},
                {tr("Move back or forward a page"), eitherKey(QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::Key_PageDown))},
                {tr("Go to the start"), keyText(QKeySequence(Qt::Key_Home))},
                {tr("Follow the present"), keyText(QKeySequence(Qt::Key_End))}});
}

void ShortcutsDialog::filter(const QString &query)
{
    for (int s = 0; s < m_tree->topLevelItemCount(); ++s) {
        QTreeWidgetItem *section = m_tree->topLevelItem(s);
        // A section's own name finds all of its rows ("terminal").
        const bool wholeSection = !query.trimmed().isEmpty() && CommandPalette::matches(section->text(0), query);
        int shown = 0;
        for (int r = 0; r < section->childCount(); ++r) {
            QTreeWidgetItem *row = section->child(r);
            const bool match = wholeSection
                || CommandPalette::matches(row->text(0) + QLatin1Char(' ') + row->text(1), query);
            row->setHidden(!match);
            shown += match ? 1 : 0;
        }
        section->setHidden(shown == 0);
    }
}
