// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxFilterModel.h"

#include "SandboxModel.h"

SandboxFilterModel::SandboxFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SandboxModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Rows that change keep their place until the user sorts again would be
    // surprising in a live list; re-sorting on change is what people expect.
    setDynamicSortFilter(true);
}

void SandboxFilterModel::setSandboxModel(SandboxModel *model)
{
    m_model = model;
    setSourceModel(model);
}

void SandboxFilterModel::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_query = FilterQuery::parse(text);
    invalidateFilter();
}

void SandboxFilterModel::setStateFilter(StateFilter state)
{
    if (state == m_state)
        return;
    m_state = state;
    invalidateFilter();
}

void SandboxFilterModel::setEngineFilter(const QString &engine)
{
    if (engine == m_engine)
        return;
    m_engine = engine;
    invalidateFilter();
}

bool SandboxFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid() || !m_model)
        return false;
    const SandboxInfo *info = m_model->infoAt(sourceRow);
    if (!info)
        return false;
    const bool paused = info->state == SandboxState::Paused;
    if ((m_state == StateFilter::Running && paused) || (m_state == StateFilter::Paused && !paused))
        return false;
    if (!m_engine.isEmpty() && m_model->index(sourceRow, 0).data(SandboxModel::EngineRole).toString() != m_engine)
        return false;
    return m_query.matches(*info);
}
