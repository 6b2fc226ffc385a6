// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"

#include <QSortFilterProxyModel>

#include <optional>

// What the command log shows of an ActivityModel: entries of one kind (or
// all) whose command, path or output contains the search text, in the
// source's order (oldest first).
class ActivityFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ActivityFilterModel(QObject *parent = nullptr);

    // nullopt: every kind.
    void setKind(std::optional<ActivityEntry::Kind> kind);
    std::optional<ActivityEntry::Kind> kind() const { return m_kind; }
    // Case-insensitive; empty shows everything.
    void setSearch(const QString &text);
    QString search() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    std::optional<ActivityEntry::Kind> m_kind;
    QString m_search;
};
