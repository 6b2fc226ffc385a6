// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandPalette.h"

#include <QAction>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

CommandPalette::CommandPalette(const QList<QAction *> &actions, QWidget *parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
{
    setObjectName(QStringLiteral("commandPalette"));
    setWindowTitle(tr("Command palette"));
    for (QAction *a : actions) {
        if (a && !a->isSeparator() && !plainName(a).isEmpty())
            m_actions.append(a);
    }
    m_search->setObjectName(QStringLiteral("paletteSearch"));
    m_search->setPlaceholderText(tr("Type to find an action"));
    m_search->setAccessibleName(tr("Find an action"));
    m_list->setObjectName(QStringLiteral("paletteList"));
    m_list->setAccessibleName(tr("Actions"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    resize(fontMetrics().horizontalAdvance(QLatin1Char('m')) * 50, fontMetrics().height() * 20);
    connect(m_search, &QLineEdit::textChanged, this, &CommandPalette::refill);
    connect(m_search, &QLineEdit::returnPressed, this, &CommandPalette::runCurrent);
    connect(m_list, &QListWidget::itemActivated, this, &CommandPalette::runCurrent);
    // Up and Down in the field move in the list.
    auto *up = new QAction(this);
    up->setShortcut(QKeySequence(Qt::Key_Up));
    connect(up, &QAction::triggered, this, [this] { m_list->setCurrentRow(qMax(0, m_list->currentRow() - 1)); });
    auto *down = new QAction(this);
    down->setShortcut(QKeySequence(Qt::Key_Down));
    connect(down, &QAction::triggered, this,
            [this] { m_list->setCurrentRow(qMin(m_list->count() - 1, m_list->currentRow() + 1)); });
    m_search->addActions({up, down});
    refill();
}

QString CommandPalette::plainName(const QAction *action)
{
    QString name = action->text();
    name.remove(QLatin1Char('&'));
    if (name.endsWith(QChar(0x2026)))
        name.chop(1);
    if (name.endsWith(QLatin1String("...")))
        name.chop(3);
    return name.trimmed();
}

bool CommandPalette::matches(const QString &name, const QString &query)
{
    QString plain = name;
    plain.remove(QLatin1Char('&'));
    for (const QString &word : query.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!plain.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

QStringList CommandPalette::shownNames() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i)
        out << m_list->item(i)->data(Qt::UserRole + 1).toString();
    return out;
}

void CommandPalette::refill()
{
    m_list->clear();
    for (const QPointer<QAction> &a : std::as_const(m_actions)) {
        if (!a || !matches(plainName(a), m_search->text()))
            continue;
        const QString keys = a->shortcut().toString(QKeySequence::NativeText);
        auto *item = new QListWidgetItem(keys.isEmpty() ? plainName(a) : tr("%1    %2").arg(plainName(a), keys), m_list);
        item->setData(Qt::UserRole, QVariant::fromValue(static_cast<QObject *>(a.data())));
        item->setData(Qt::UserRole + 1, plainName(a));
        item->setToolTip(a->toolTip());
        if (!a->isEnabled())
            item->setFlags(item->flags() & ~Qt::ItemIsEnabled);
    }
    for (int i = 0; i < m_list->count(); ++i) {
        if (m_list->item(i)->flags() & Qt::ItemIsEnabled) {
            m_list->setCurrentRow(i);
            break;
        }
    }
}

void CommandPalette::runCurrent()
{
    QListWidgetItem *item = m_list->currentItem();
    auto *action = item ? qobject_cast<QAction *>(item->data(Qt::UserRole).value<QObject *>()) : nullptr;
    if (!action || !action->isEnabled())
        return;
    // Hidden first, so a dialog the action opens is on top; the palette (and
    // the actions it owns) is deleted only later, from the event loop.
    accept();
    action->trigger();
}
