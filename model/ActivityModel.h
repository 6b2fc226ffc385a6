// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"

#include <QAbstractTableModel>

// One sandbox's activity log, one row per entry, oldest first. It only holds
// data and changes incrementally: new entries are appended with one
// beginInsertRows per batch, entries that changed (a running command's
// output, its exit code when it ends) are updated in place with one
// dataChanged per row, and an unchanged entry causes no signal at all. Past
// maxRows the oldest rows go with beginRemoveRows.
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        KindColumn,
        CommandColumn,
        ExitColumn,
        DurationColumn,
        StatusColumn,
        OutputColumn,
        ColumnCount
    };
    enum Role {
        SeqRole = Qt::UserRole + 1,
        KindRole,       // "command", "code", "file", "lifecycle", "pty"
        RunningRole,    // bool
        ExitCodeRole,   // int, or invalid when there is none
        FailedRole,     // bool: a non-zero exit, a failed cell, a killed or lost command
        SearchTextRole, // everything a search may match: command, output, path, …
    };

    explicit ActivityModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Entries as the engine returned them, oldest first: unknown seqs past
    // the last one are appended, known ones updated when they differ, others
    // (older than the oldest kept) ignored. Returns whether anything changed.
    bool apply(const QList<ActivityEntry> &entries);
    // Another sandbox: the one real reload.
    void clear();

    void setMaxRows(int n);
    int maxRows() const { return m_maxRows; }

    const ActivityEntry *entryAt(int row) const;
    int rowOfSeq(qint64 seq) const;
    qint64 lastSeq() const { return m_entries.isEmpty() ? 0 : m_entries.last().seq; }
    const QList<ActivityEntry> &entries() const { return m_entries; }

private:
    QVariant display(const ActivityEntry &e, int column) const;
    void trim();

    QList<ActivityEntry> m_entries;
    int m_maxRows = 2000;
};
