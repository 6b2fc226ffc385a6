// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxModel.h"

#include "Formatting.h"
#include "ModelLogging.h"
#include "SandboxListDiff.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <functional>
#include <limits>

namespace {

// The columns a changed field shows in.
QPair<int, int> columnSpan(quint32 fields)
{
    int lo = SandboxModel::ColumnCount;
    int hi = -1;
    auto take = [&](int c) {
        lo = std::min(lo, c);
        hi = std::max(hi, c);
    };
    // The list has no network column; the row still changes so the details follow.
    if (fields & (SandboxListDiff::State | SandboxListDiff::Other | SandboxListDiff::Network))
        take(SandboxModel::StateColumn);
    if (fields & SandboxListDiff::State) {
        take(SandboxModel::UptimeColumn);
        take(SandboxModel::MemoryColumn);
        take(SandboxModel::PortsColumn);
    }
    if (fields & SandboxListDiff::Template)
        take(SandboxModel::TemplateColumn);
    if (fields & SandboxListDiff::Metadata)
        take(SandboxModel::MetadataColumn);
    if (fields & SandboxListDiff::Started) {
        take(SandboxModel::StartedColumn);
        take(SandboxModel::UptimeColumn);
    }
    if (fields & SandboxListDiff::EndAt)
        take(SandboxModel::TimeLeftColumn);
    if (fields & SandboxListDiff::Ports)
        take(SandboxModel::PortsColumn);
    if (fields & SandboxListDiff::Node)
        take(SandboxModel::NodeColumn);
    return {lo, hi};
}

qint64 secondsUntil(const QDateTime &t, const QDateTime &now)
{
    return now.msecsTo(t) / 1000;
}

} // namespace

SandboxModel::SandboxModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_ticker.setInterval(m_tickMs);
    connect(&m_ticker, &QTimer::timeout, this, &SandboxModel::tick);
}

int SandboxModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_infos.size());
}

int SandboxModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SandboxModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StateColumn: return tr("State");
    case IdColumn: return tr("ID");
    case TemplateColumn: return tr("Template");
    case MetadataColumn: return tr("Metadata");
    case StartedColumn: return tr("Started");
    case UptimeColumn: return tr("Uptime");
    case TimeLeftColumn: return tr("Time left");
    case CpuColumn: return tr("CPU");
    case MemoryColumn: return tr("Memory");
    case PortsColumn: return tr("Ports");
    case NodeColumn: return tr("Node");
    case EngineColumn: return tr("Engine");
    }
    return {};
}

QVariant SandboxModel::display(int row, int column) const
{
    const SandboxInfo &s = m_infos.at(row);
    const bool paused = s.state == SandboxState::Paused;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    switch (column) {
    case StateColumn: return paused ? tr("Paused") : tr("Running");
    case IdColumn: return s.id;
    case TemplateColumn: return s.templateName;
    case MetadataColumn: return Formatting::metadataTags(s.metadata).join(QStringLiteral("  "));
    case StartedColumn:
        return Formatting::startTime(s.startedAt.toLocalTime(), now.toLocalTime());
    case UptimeColumn:
        if (paused || !s.startedAt.isValid())
            return QStringLiteral("—");
        return Formatting::coarseDuration(s.startedAt.secsTo(now));
    case TimeLeftColumn:
        return s.endAt.isValid() ? Formatting::duration(secondsUntil(s.endAt, now)) : QStringLiteral("—");
    case CpuColumn: {
        const auto &m = m_metrics.at(row);
        return (m && !paused) ? Formatting::percent(m->cpuPercent) : QStringLiteral("—");
    }
    case MemoryColumn: {
        const auto &m = m_metrics.at(row);
        return (m && !paused) ? Formatting::bytes(m->memoryBytes) : QStringLiteral("—");
    }
    case PortsColumn: return Formatting::ports(s.ports);
    case NodeColumn: return s.nodeId;
    case EngineColumn: return m_engines.at(row);
    }
    return {};
}

QVariant SandboxModel::sortValue(int row, int column) const
{
    const SandboxInfo &s = m_infos.at(row);
    const bool paused = s.state == SandboxState::Paused;
    switch (column) {
    case StateColumn: return SandboxStates::apiName(s.state);
    case MetadataColumn: return Formatting::metadataTags(s.metadata).join(QLatin1Char(' '));
    case StartedColumn: return s.startedAt.toMSecsSinceEpoch();
    case UptimeColumn: return paused ? qint64(-1) : s.startedAt.msecsTo(QDateTime::currentDateTimeUtc());
    case TimeLeftColumn:
        return s.endAt.isValid() ? s.endAt.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    case CpuColumn: {
        const auto &m = m_metrics.at(row);
        return (m && !paused) ? m->cpuPercent : -1.0;
    }
    case MemoryColumn: {
        const auto &m = m_metrics.at(row);
        return (m && !paused) ? m->memoryBytes : qint64(-1);
    }
    case PortsColumn: return s.ports.isEmpty() ? 0 : s.ports.first().port;
    default: return display(row, column);
    }
}

QVariant SandboxModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const SandboxInfo &s = m_infos.at(row);
    switch (role) {
    case Qt::DisplayRole: return display(row, index.column());
    case SortRole: return sortValue(row, index.column());
    case IdRole: return s.id;
    case StateRole: return SandboxStates::apiName(s.state);
    case TagsRole: return Formatting::metadataTags(s.metadata);
    case EndAtRole: return s.endAt;
    case EngineRole: return m_engines.at(row);
    case MetadataRole: {
        QVariantMap m;
        for (auto it = s.metadata.cbegin(); it != s.metadata.cend(); ++it)
            m.insert(it.key(), it.value());
        return m;
    }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case StateColumn:
            if (s.state == SandboxState::Error)
                return tr("Error: %1").arg(s.errorReason);
            return s.state == SandboxState::Paused
                ? tr("Paused since %1 (%2)").arg(QLocale().toString(s.pausedAt.toLocalTime(), QLocale::ShortFormat),
                                                 s.pauseKind == QLatin1String("freeze") ? tr("memory kept") : tr("processes stopped"))
                : tr("Running");
        case StartedColumn:
            return QLocale().toString(s.startedAt.toLocalTime(), QLocale::LongFormat);
        case TimeLeftColumn:
            return s.endAt.isValid() ? tr("Killed at %1").arg(QLocale().toString(s.endAt.toLocalTime(), QLocale::LongFormat))
                                     : tr("No time limit: lives until killed (running sandboxes idle for 30 minutes are reaped)");
        case MemoryColumn: {
            const auto &m = m_metrics.at(index.row());
            if (!m || m->oomKills == 0)
                return {};
            return m->oomKills == 1 ? tr("The OOM killer ended 1 process since the sandbox started")
                                    : tr("The OOM killer ended %1 processes since the sandbox started").arg(m->oomKills);
        }
        case PortsColumn: {
            QStringList urls;
            for (const SandboxPort &p : s.ports)
                urls.append(p.url);
            return urls.join(QLatin1Char('\n'));
        }
        default: return {};
        }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case UptimeColumn:
        case TimeLeftColumn:
        case CpuColumn:
        case MemoryColumn: return int(Qt::AlignRight | Qt::AlignVCenter);
        default: return {};
        }
    }
    return {};
}

const SandboxInfo *SandboxModel::infoAt(int row) const
{
    return row >= 0 && row < m_infos.size() ? &m_infos.at(row) : nullptr;
}

const SandboxInfo *SandboxModel::find(const QString &id) const
{
    return infoAt(rowOf(id));
}

std::optional<SandboxMetrics> SandboxModel::metricsOf(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? std::nullopt : m_metrics.at(row);
}

QStringList SandboxModel::runningIds() const
{
    QStringList ids;
    for (const SandboxInfo &s : m_infos) {
        if (s.state != SandboxState::Paused)
            ids.append(s.id);
    }
    return ids;
}

QStringList SandboxModel::runningIds(const QString &engine) const
{
    QStringList ids;
    for (int row : rowsOf(engine)) {
        if (m_infos.at(row).state != SandboxState::Paused)
            ids.append(m_infos.at(row).id);
    }
    return ids;
}

QString SandboxModel::engineOf(const QString &id) const
{
    const int row = rowOf(id);
    return row < 0 ? QString() : m_engines.at(row);
}

QList<int> SandboxModel::rowsOf(const QString &engine) const
{
    QList<int> rows;
    for (int i = 0; i < m_engines.size(); ++i) {
        if (m_engines.at(i) == engine)
            rows.append(i);
    }
    return rows;
}

void SandboxModel::removeRows(QList<int> rows)
{
    if (rows.isEmpty())
        return;
    // Highest first, one signal per run of neighbouring rows.
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int i = 0; i < rows.size();) {
        int j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) - 1)
            ++j;
        const int first = rows.at(j);
        const int count = rows.at(i) - first + 1;
        beginRemoveRows({}, first, rows.at(i));
        m_infos.remove(first, count);
        m_metrics.remove(first, count);
        m_engines.remove(first, count);
        endRemoveRows();
        i = j + 1;
    }
    rebuildIndex();
}

void SandboxModel::rebuildIndex()
{
    m_index.clear();
    m_index.reserve(m_infos.size());
    for (int i = 0; i < m_infos.size(); ++i)
        m_index.insert(m_infos.at(i).id, i);
}

void SandboxModel::emitRowRanges(const QList<int> &rows, int firstColumn, int lastColumn)
{
    for (int i = 0; i < rows.size();) {
        int j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
            ++j;
        Q_EMIT dataChanged(index(rows.at(i), firstColumn), index(rows.at(j), lastColumn));
        i = j + 1;
    }
}

void SandboxModel::applyList(const QList<SandboxInfo> &fresh, const QString &engine)
{
    // An id another engine already has (the same engine watched under two
    // names) stays that engine's: rows are keyed by id.
    QList<SandboxInfo> own;
    own.reserve(fresh.size());
    for (const SandboxInfo &info : fresh) {
        const int row = rowOf(info.id);
        if (row < 0 || m_engines.at(row) == engine)
            own.append(info);
    }
    applyOwnList(own, engine);
}

void SandboxModel::applyOwnList(const QList<SandboxInfo> &fresh, const QString &engine)
{
    // The diff is over this engine's rows only; its row numbers are mapped
    // back to the model's.
    QList<int> rows = rowsOf(engine);
    QList<SandboxInfo> current;
    current.reserve(rows.size());
    for (int row : rows)
        current.append(m_infos.at(row));
    const SandboxListDiff d = SandboxListDiff::compute(current, fresh);
    if (d.isEmpty())
        return;
    qCDebug(lcModelSandboxes) << "engine" << engine << "removed ranges" << d.removed.size() << "added"
                              << d.added.size() << "changed" << d.changed.size();

    QList<int> gone;
    for (const SandboxListDiff::Range &r : d.removed) {
        for (int k = r.first; k <= r.last; ++k)
            gone.append(rows.at(k));
    }
    if (!gone.isEmpty()) {
        removeRows(gone);
        rows = rowsOf(engine);
    }

    // Changed rows, batched: neighbouring rows share one signal over the
    // union of their changed columns.
    for (int i = 0; i < d.changed.size();) {
        int j = i;
        auto [lo, hi] = columnSpan(d.changed.at(i).fields);
        while (j + 1 < d.changed.size() && rows.at(d.changed.at(j + 1).row) == rows.at(d.changed.at(j).row) + 1) {
            ++j;
            const auto [l, h] = columnSpan(d.changed.at(j).fields);
            lo = std::min(lo, l);
            hi = std::max(hi, h);
        }
        for (int k = i; k <= j; ++k) {
            const auto &c = d.changed.at(k);
            const int row = rows.at(c.row);
            if (fresh.at(c.freshIndex).state != m_infos.at(row).state)
                m_metrics[row].reset();
            m_infos[row] = fresh.at(c.freshIndex);
        }
        Q_EMIT dataChanged(index(rows.at(d.changed.at(i).row), lo), index(rows.at(d.changed.at(j).row), hi));
        i = j + 1;
    }

    if (!d.added.isEmpty()) {
        const int first = int(m_infos.size());
        beginInsertRows({}, first, first + int(d.added.size()) - 1);
        for (int idx : d.added) {
            m_index.insert(fresh.at(idx).id, int(m_infos.size()));
            m_infos.append(fresh.at(idx));
            m_metrics.append(std::nullopt);
            m_engines.append(engine);
        }
        endInsertRows();
    }
    updateTicker();
}

void SandboxModel::upsert(const SandboxInfo &info, const QString &engine)
{
    const int row = rowOf(info.id);
    if (row < 0) {
        const int first = int(m_infos.size());
        beginInsertRows({}, first, first);
        m_index.insert(info.id, first);
        m_infos.append(info);
        m_metrics.append(std::nullopt);
        m_engines.append(engine);
        endInsertRows();
    } else {
        const quint32 fields = SandboxListDiff::changedFields(m_infos.at(row), info);
        if (!fields)
            return;
        if (info.state != m_infos.at(row).state)
            m_metrics[row].reset();
        m_infos[row] = info;
        const auto [lo, hi] = columnSpan(fields);
        Q_EMIT dataChanged(index(row, lo), index(row, hi));
    }
    updateTicker();
}

void SandboxModel::removeSandbox(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    removeRows({row});
    updateTicker();
}

void SandboxModel::setMetrics(const QString &id, const SandboxMetrics &metrics)
{
    const int row = rowOf(id);
    if (row < 0 || m_metrics.at(row) == metrics)
        return;
    const auto old = m_metrics.at(row);
    m_metrics[row] = metrics;
    if (m_infos.at(row).state == SandboxState::Paused)
        return; // shown as "—" either way
    const bool cpu = !old || old->cpuPercent != metrics.cpuPercent;
    // An OOM kill counts as a change of the memory column (its tooltip says it).
    const bool mem = !old || old->memoryBytes != metrics.memoryBytes || old->oomKills != metrics.oomKills;
    Q_EMIT dataChanged(index(row, cpu ? CpuColumn : MemoryColumn), index(row, mem ? MemoryColumn : CpuColumn));
}

void SandboxModel::clear()
{
    if (m_infos.isEmpty())
        return;
    beginResetModel();
    m_infos.clear();
    m_metrics.clear();
    m_engines.clear();
    m_index.clear();
    endResetModel();
    updateTicker();
}

void SandboxModel::clearEngine(const QString &engine)
{
    removeRows(rowsOf(engine));
    updateTicker();
}

void SandboxModel::setTickInterval(int ms)
{
    m_tickMs = ms;
    if (ms > 0)
        m_ticker.setInterval(ms);
    updateTicker();
}

void SandboxModel::updateTicker()
{
    const bool want = m_tickMs > 0 && !m_infos.isEmpty();
    if (want && !m_ticker.isActive())
        m_ticker.start();
    else if (!want)
        m_ticker.stop();
}

void SandboxModel::tick()
{
    ++m_ticks;
    QList<int> countdown;
    for (int i = 0; i < m_infos.size(); ++i) {
        if (m_infos.at(i).endAt.isValid())
            countdown.append(i);
    }
    emitRowRanges(countdown, TimeLeftColumn, TimeLeftColumn);
    // Uptime shows minutes: once a minute is often enough.
    if (m_ticks % 60 == 0) {
        QList<int> running;
        for (int i = 0; i < m_infos.size(); ++i) {
            if (m_infos.at(i).state != SandboxState::Paused)
                running.append(i);
        }
        emitRowRanges(running, UptimeColumn, UptimeColumn);
    }
}
