// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityFilterModel.h"

#include "ActivityModel.h"

ActivityFilterModel::ActivityFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // Rows of running commands change while shown; the filter follows them.
    setDynamicSortFilter(true);
}

void ActivityFilterModel::setKind(std::optional<ActivityEntry::Kind> kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateFilter();
}

void ActivityFilterModel::setSearch(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    invalidateFilter();
}

bool ActivityFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_kind && i.data(ActivityModel::KindRole).toString() != ActivityEntry::kindName(*m_kind))
        return false;
    if (m_search.isEmpty())
        return true;
    return i.data(ActivityModel::SearchTextRole).toString().contains(m_search, Qt::CaseInsensitive);
}
