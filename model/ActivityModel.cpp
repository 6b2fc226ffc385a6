// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityModel.h"

#include "Formatting.h"

#include <algorithm>

namespace {

bool failed(const ActivityEntry &e)
{
    if (e.kind == ActivityEntry::Kind::Code)
        return e.status == QLatin1String("error");
    if (e.kind != ActivityEntry::Kind::Command || e.isRunning())
        return false;
    if (e.status != QLatin1String("exited"))
        return true;
    return e.exitCode && *e.exitCode != 0;
}

} // namespace

ActivityModel::ActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const ActivityEntry *ActivityModel::entryAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

int ActivityModel::rowOfSeq(qint64 seq) const
{
    const auto it = std::lower_bound(m_entries.cbegin(), m_entries.cend(), seq,
                                     [](const ActivityEntry &e, qint64 s) { return e.seq < s; });
    if (it == m_entries.cend() || it->seq != seq)
        return -1;
    return int(it - m_entries.cbegin());
}

QVariant ActivityModel::display(const ActivityEntry &e, int column) const
{
    switch (column) {
    case TimeColumn:
        return e.time.isValid() ? Formatting::startTime(e.time.toLocalTime(), QDateTime::currentDateTime()) : QString();
    case KindColumn:
        return ActivityEntry::kindName(e.kind);
    case CommandColumn:
        return e.summary();
    case ExitColumn:
        return e.exitText();
    case DurationColumn:
        if (const auto ms = e.durationMs())
            return Formatting::elapsed(*ms);
        return QString();
    case StatusColumn:
        return e.statusText();
    case OutputColumn:
        return e.lastOutputLine();
    }
    return {};
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActivityEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(e, index.column());
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn && e.time.isValid())
            return e.time.toLocalTime().toString(Qt::ISODateWithMs);
        if (index.column() == CommandColumn && (e.kind == ActivityEntry::Kind::Command || e.kind == ActivityEntry::Kind::Code))
            return e.cmd.left(2000);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ExitColumn || index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SeqRole:
        return e.seq;
    case KindRole:
        return ActivityEntry::kindName(e.kind);
    case RunningRole:
        return e.isRunning();
    case ExitCodeRole:
        return e.exitCode ? QVariant(*e.exitCode) : QVariant();
    case FailedRole:
        return failed(e);
    case SearchTextRole:
        return QStringList{e.cmd, e.path, e.to, e.event, e.detail, e.statusText(), e.out, e.err, e.result,
                           e.errorName, e.errorValue}
            .join(QLatin1Char('\n'));
    }
    return {};
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Kind");
    case CommandColumn: return tr("Command");
    case ExitColumn: return tr("Exit");
    case DurationColumn: return tr("Duration");
    case StatusColumn: return tr("Status");
    case OutputColumn: return tr("Output");
    }
    return {};
}

bool ActivityModel::apply(const QList<ActivityEntry> &entries)
{
    bool changed = false;
    QList<ActivityEntry> fresh;
    qint64 last = lastSeq();
    for (const ActivityEntry &e : entries) {
        if (e.seq > last) {
            fresh.append(e);
            last = e.seq;
            continue;
        }
        const int row = rowOfSeq(e.seq);
        if (row < 0 || m_entries.at(row).raw == e.raw)
            continue;
        m_entries[row] = e;
        changed = true;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (!fresh.isEmpty()) {
        const int first = int(m_entries.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_entries.append(fresh);
        endInsertRows();
        changed = true;
        trim();
    }
    return changed;
}

void ActivityModel::trim()
{
    const int excess = int(m_entries.size()) - m_maxRows;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_entries.remove(0, excess);
    endRemoveRows();
}

void ActivityModel::setMaxRows(int n)
{
    m_maxRows = qMax(1, n);
    trim();
}

void ActivityModel::clear()
{
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}
