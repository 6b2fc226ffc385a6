// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FilterQuery.h"

#include <QSortFilterProxyModel>

class SandboxModel;

// Sorting on every column (by SandboxModel::SortRole) and the filter bar:
// words over id/template/metadata, `key=value` metadata pairs, a state and
// an engine.
class SandboxFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StateFilter { Any, Running, Paused };

    explicit SandboxFilterModel(QObject *parent = nullptr);

    void setSandboxModel(SandboxModel *model);
    SandboxModel *sandboxModel() const { return m_model; }

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    void setStateFilter(StateFilter state);
    StateFilter stateFilter() const { return m_state; }
    // Only the sandboxes of this engine ("" for every engine).
    void setEngineFilter(const QString &engine);
    QString engineFilter() const { return m_engine; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    SandboxModel *m_model = nullptr;
    QString m_text;
    FilterQuery m_query;
    StateFilter m_state = StateFilter::Any;
    QString m_engine;
};
