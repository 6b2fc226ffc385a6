// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyValueTable.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

KeyValueTable::KeyValueTable(bool editable, const QString &keyHeader, QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
{
    m_table->setHorizontalHeaderLabels({keyHeader, tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    if (!editable) {
        m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        return;
    }
    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    add->setObjectName(QStringLiteral("addRow"));
    remove->setObjectName(QStringLiteral("removeRow"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] {
        addPair({}, {});
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0) {
            m_table->removeRow(row);
            Q_EMIT changed();
        }
    });
    connect(m_table, &QTableWidget::itemChanged, this, &KeyValueTable::changed);
}

void KeyValueTable::addPair(const QString &key, const QString &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(key));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
    Q_EMIT changed();
}

void KeyValueTable::setPairs(const StringMap &pairs)
{
    const QSignalBlocker block(m_table);
    m_table->setRowCount(0);
    for (auto it = pairs.cbegin(); it != pairs.cend(); ++it) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_table->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
}

StringMap KeyValueTable::pairs() const
{
    StringMap out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString key = m_table->item(r, 0) ? m_table->item(r, 0)->text().trimmed() : QString();
        if (!key.isEmpty())
            out.insert(key, m_table->item(r, 1) ? m_table->item(r, 1)->text() : QString());
    }
    return out;
}

QString KeyValueTable::duplicateKey() const
{
    QSet<QString> seen;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString key = m_table->item(r, 0) ? m_table->item(r, 0)->text().trimmed() : QString();
        if (key.isEmpty())
            continue;
        if (seen.contains(key))
            return key;
        seen.insert(key);
    }
    return {};
}
