// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"
#include "SandboxMetrics.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

#include <optional>

// The engine's sandboxes, one row each. It only holds data and changes
// incrementally: a fresh list becomes row removals, one append and batched
// dataChanged (never a reset), so selections, scroll positions and open
// editors survive every refresh. The time-left column counts down between
// polls through a one-second ticker that touches that column alone.
class SandboxModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StateColumn,
        IdColumn,
        TemplateColumn,
        MetadataColumn,
        StartedColumn,
        UptimeColumn,
        TimeLeftColumn,
        CpuColumn,
        MemoryColumn,
        PortsColumn,
        NodeColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        StateRole,    // "running", "paused" or "error"
        SortRole,     // a value that sorts the column's way
        TagsRole,     // QStringList "key=value"
        MetadataRole, // QVariantMap
        EndAtRole,    // QDateTime (invalid: no limit)
    };

    explicit SandboxModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A fresh list from the engine.
    void applyList(const QList<SandboxInfo> &fresh);
    // One sandbox as an action's answer returned it.
    void upsert(const SandboxInfo &info);
    void removeSandbox(const QString &id);
    void setMetrics(const QString &id, const SandboxMetrics &metrics);
    // A different engine: the one real reload.
    void clear();

    int rowOf(const QString &id) const { return m_index.value(id, -1); }
    const SandboxInfo *infoAt(int row) const;
    const SandboxInfo *find(const QString &id) const;
    std::optional<SandboxMetrics> metricsOf(const QString &id) const;
    QStringList runningIds() const;
    const QList<SandboxInfo> &sandboxes() const { return m_infos; }

    // The live countdown; 0 stops it (tests that count signals).
    void setTickInterval(int ms);
    int tickInterval() const { return m_tickMs; }

private:
    void tick();
    void updateTicker();
    void rebuildIndex();
    void emitRowRanges(const QList<int> &sortedRows, int firstColumn, int lastColumn);
    QVariant display(int row, int column) const;
    QVariant sortValue(int row, int column) const;

    QList<SandboxInfo> m_infos;
    QList<std::optional<SandboxMetrics>> m_metrics;
    QHash<QString, int> m_index;
    QTimer m_ticker;
    int m_tickMs = 1000;
    int m_ticks = 0;
};
