// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxListView.h"

#include "SandboxItemDelegate.h"
#include "SandboxModel.h"

#include <QHeaderView>
#include <QPainter>

SandboxListView::SandboxListView(QWidget *parent)
    : QTreeView(parent)
    , m_delegate(new SandboxItemDelegate(this))
{
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setItemsExpandable(false);
    setAllColumnsShowFocus(true);
    setAlternatingRowColors(true);
    setSortingEnabled(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setContextMenuPolicy(Qt::CustomContextMenu);
    setItemDelegate(m_delegate);
    header()->setStretchLastSection(false);
    header()->setSectionsMovable(true);
    sortByColumn(SandboxModel::StartedColumn, Qt::DescendingOrder);
}

QStringList SandboxListView::selectedIds() const
{
    QStringList ids;
    if (!selectionModel())
        return ids;
    const QModelIndexList rows = selectionModel()->selectedRows(SandboxModel::IdColumn);
    for (const QModelIndex &i : rows)
        ids.append(i.data(SandboxModel::IdRole).toString());
    ids.sort();
    return ids;
}

void SandboxListView::selectIds(const QStringList &ids)
{
    if (!model() || !selectionModel())
        return;
    QItemSelection sel;
    for (int r = 0; r < model()->rowCount(); ++r) {
        const QModelIndex i = model()->index(r, 0);
        if (ids.contains(i.data(SandboxModel::IdRole).toString()))
            sel.select(i, i);
    }
    selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!sel.isEmpty()) {
        selectionModel()->setCurrentIndex(sel.indexes().first(), QItemSelectionModel::NoUpdate);
        scrollTo(sel.indexes().first());
    }
}

void SandboxListView::setStaleEngines(const QStringList &engines)
{
    if (engines == m_delegate->staleEngines())
        return;
    m_delegate->setStaleEngines(engines);
    viewport()->update();
}

bool SandboxListView::isStale(const QString &engine) const
{
    return m_delegate->staleEngines().contains(engine);
}

bool SandboxListView::isStale() const
{
    return !m_delegate->staleEngines().isEmpty();
}

void SandboxListView::setEmptyText(const QString &text)
{
    if (text == m_emptyText)
        return;
    m_emptyText = text;
    viewport()->update();
}

void SandboxListView::paintEvent(QPaintEvent *event)
{
    QTreeView::paintEvent(event);
    if (m_emptyText.isEmpty() || !model() || model()->rowCount() > 0)
        return;
    QPainter p(viewport());
    p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    p.drawText(viewport()->rect().adjusted(24, 24, -24, -24), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_emptyText);
}
