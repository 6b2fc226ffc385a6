// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityStore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {
const QString kColumns = QStringLiteral("SELECT sandbox_id, seq, time, kind, open, data FROM activity WHERE ");
} // namespace

ActivityStore::ActivityStore(QSqlDatabase db)
    : m_db(db)
    , m_put(db, QStringLiteral("INSERT OR REPLACE INTO activity(sandbox_id, seq, time, kind, open, data)"
                               " VALUES(?, ?, ?, ?, ?, ?)"))
    , m_after(db, kColumns + QStringLiteral("sandbox_id = ? AND seq > ? ORDER BY seq LIMIT ?"))
    , m_one(db, kColumns + QStringLiteral("sandbox_id = ? AND seq = ?"))
    , m_lastSeq(db, QStringLiteral("SELECT MAX(seq) FROM activity WHERE sandbox_id = ?"))
    , m_openRows(db, kColumns + QStringLiteral("open = 1 ORDER BY sandbox_id, seq"))
    , m_dropUpTo(db, QStringLiteral("DELETE FROM activity WHERE sandbox_id = ? AND seq <= ?"))
{
}

Status ActivityStore::put(const ActivityRow &row)
{
    QString error;
    const QSqlQuery *q = m_put.run({row.sandboxId, row.seq, row.timeMs, row.kind, row.open ? 1 : 0,
                                    QString::fromUtf8(QJsonDocument(row.fields).toJson(QJsonDocument::Compact))},
                                   &error);
    m_put.done();
    if (!q)
        return ApiError::internal(QStringLiteral("Cannot save activity entry %1 of sandbox %2: %3.")
                                      .arg(row.seq)
                                      .arg(row.sandboxId, error));
    return Done{};
}

Result<QList<ActivityRow>> ActivityStore::select(PreparedQuery &query, const QVariantList &binds) const
{
    QString error;
    QSqlQuery *q = query.run(binds, &error);
    if (!q)
        return ApiError::internal(QStringLiteral("Cannot read the activity log: %1.").arg(error));
    QList<ActivityRow> out;
    while (q->next()) {
        ActivityRow r;
        r.sandboxId = q->value(0).toString();
        r.seq = q->value(1).toLongLong();
        r.timeMs = q->value(2).toLongLong();
        r.kind = q->value(3).toString();
        r.open = q->value(4).toInt() != 0;
        r.fields = QJsonDocument::fromJson(q->value(5).toString().toUtf8()).object();
        out.append(r);
    }
    query.done();
    return out;
}

Result<QList<ActivityRow>> ActivityStore::after(const QString &sandboxId, qint64 after, int limit) const
{
    return select(m_after, {sandboxId, after, limit});
}

Result<ActivityRow> ActivityStore::one(const QString &sandboxId, qint64 seq) const
{
    const auto rows = select(m_one, {sandboxId, seq});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return ApiError::notFound(QStringLiteral("No activity entry %1 in sandbox %2.").arg(seq).arg(sandboxId));
    return rows->first();
}

Result<qint64> ActivityStore::lastSeq(const QString &sandboxId) const
{
    QString error;
    QSqlQuery *q = m_lastSeq.run({sandboxId}, &error);
    if (!q || !q->next()) {
        m_lastSeq.done();
        return ApiError::internal(QStringLiteral("Cannot read the activity log of sandbox %1: %2.")
                                      .arg(sandboxId, q ? QStringLiteral("no answer") : error));
    }
    const qint64 last = q->value(0).isNull() ? qint64(0) : q->value(0).toLongLong();
    m_lastSeq.done();
    return last;
}

Result<QList<ActivityRow>> ActivityStore::openRows() const
{
    return select(m_openRows, {});
}

Status ActivityStore::dropUpTo(const QString &sandboxId, qint64 upTo)
{
    QString error;
    const QSqlQuery *q = m_dropUpTo.run({sandboxId, upTo}, &error);
    m_dropUpTo.done();
    if (!q)
        return ApiError::internal(QStringLiteral("Cannot trim the activity log of sandbox %1: %2.").arg(sandboxId, error));
    return Done{};
}

Status ActivityStore::removeAll(const QString &sandboxId)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM activity WHERE sandbox_id = ?"));
    q.addBindValue(sandboxId);
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot delete the activity log of sandbox %1: %2.")
                                      .arg(sandboxId, q.lastError().text()));
    return Done{};
}
