// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PreparedQuery.h"
#include "Result.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

// One row of a sandbox's activity log. `fields` holds what the kind adds
// (a command's output, a file's path, …), as ActivityRecord::fields travels;
// `open` marks an entry the engine still updates (a background command
// that runs).
struct ActivityRow
{
    QString sandboxId;
    qint64 seq = 0;
    qint64 timeMs = 0;
    QString kind;
    bool open = false;
    QJsonObject fields;
};

// The `activity` table: every sandbox's log, kept until the sandbox dies.
class ActivityStore
{
public:
    explicit ActivityStore(QSqlDatabase db);

    // Inserts the row, or replaces the one with the same sandbox and seq.
    Status put(const ActivityRow &row);
    // Rows with seq > `after`, oldest first, at most `limit`.
    Result<QList<ActivityRow>> after(const QString &sandboxId, qint64 after, int limit) const;
    Result<ActivityRow> one(const QString &sandboxId, qint64 seq) const;
    // The highest seq the sandbox ever had, 0 when none.
    Result<qint64> lastSeq(const QString &sandboxId) const;
    // Every open row of every sandbox (to pick up after a restart).
    Result<QList<ActivityRow>> openRows() const;
    // Drops rows with seq ≤ `upTo`.
    Status dropUpTo(const QString &sandboxId, qint64 upTo);
    Status removeAll(const QString &sandboxId);

private:
    Result<QList<ActivityRow>> select(PreparedQuery &query, const QVariantList &binds) const;

    QSqlDatabase m_db;
    // Prepared once: `put` and `lastSeq` run for every command.
    mutable PreparedQuery m_put;
    mutable PreparedQuery m_after;
    mutable PreparedQuery m_one;
    mutable PreparedQuery m_lastSeq;
    mutable PreparedQuery m_openRows;
    PreparedQuery m_dropUpTo;
};
