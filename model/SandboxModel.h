// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"
#include "SandboxMetrics.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>

#include <optional>

// The sandboxes of every engine the app watches, one row each, with the
// name of the engine that owns it (ids are the engines' own and do not
// repeat across engines). It only holds data and changes incrementally: a fresh list becomes row removals, one append and batched
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
        EngineColumn, // the connection's name ("" for an unnamed single engine)
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        StateRole,    // "running", "paused" or "error"
        SortRole,     // a value that sorts the column's way
        TagsRole,     // QStringList "key=value"
        MetadataRole, // QVariantMap
        EndAtRole,    // QDateTime (invalid: no limit)
        EngineRole,   // QString: the engine that owns the row
    };

    explicit SandboxModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A fresh list from `engine`: only that engine's rows change.
    void applyList(const QList<SandboxInfo> &fresh, const QString &engine = {});
    // One sandbox as an action's answer returned it; a new row belongs to
    // `engine`, a known one keeps its engine.
    void upsert(const SandboxInfo &info, const QString &engine = {});
    void removeSandbox(const QString &id);
    void setMetrics(const QString &id, const SandboxMetrics &metrics);
    // Every row goes: the one real reload.
    void clear();
    // The rows of an engine the app stops watching (or that became another).
    void clearEngine(const QString &engine);

    int rowOf(const QString &id) const { return m_index.value(id, -1); }
    const SandboxInfo *infoAt(int row) const;
    const SandboxInfo *find(const QString &id) const;
    std::optional<SandboxMetrics> metricsOf(const QString &id) const;
    // The ids of running sandboxes: all, or those of one engine.
    QStringList runningIds() const;
    QStringList runningIds(const QString &engine) const;
    QString engineOf(const QString &id) const;
    int rowCountOf(const QString &engine) const { return int(rowsOf(engine).size()); }
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

    QList<int> rowsOf(const QString &engine) const;
    void applyOwnList(const QList<SandboxInfo> &fresh, const QString &engine);
    void removeRows(QList<int> rows);

    QList<SandboxInfo> m_infos;
    QStringList m_engines; // per row
    QList<std::optional<SandboxMetrics>> m_metrics;
    QHash<QString, int> m_index;
    QTimer m_ticker;
    int m_tickMs = 1000;
    int m_ticks = 0;
};
