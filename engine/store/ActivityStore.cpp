// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityStore.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

ActivityStore::ActivityStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

Status ActivityStore::put(const ActivityRow &row)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO activity(sandbox_id, seq, time, kind, open, data)"
                             " VALUES(?, ?, ?, ?, ?, ?)"));
    q.addBindValue(row.sandboxId);
    q.addBindValue(row.seq);
    q.addBindValue(row.timeMs);
    q.addBindValue(row.kind);
    q.addBindValue(row.open ? 1 : 0);
    q.addBindValue(QString::fromUtf8(QJsonDocument(row.fields).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot save activity entry %1 of sandbox %2: %3.")
                                      .arg(row.seq)
                                      .arg(row.sandboxId, q.lastError().text()));
    return Done{};
}

Result<QList<ActivityRow>> ActivityStore::select(const QString &where, const QVariantList &binds) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT sandbox_id, seq, time, kind, open, data FROM activity WHERE ") + where);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot read the activity log: %1.").arg(q.lastError().text()));
    QList<ActivityRow> out;
    while (q.next()) {
        ActivityRow r;
        r.sandboxId = q.value(0).toString();
        r.seq = q.value(1).toLongLong();
        r.timeMs = q.value(2).toLongLong();
        r.kind = q.value(3).toString();
        r.open = q.value(4).toInt() != 0;
        r.fields = QJsonDocument::fromJson(q.value(5).toString().toUtf8()).object();
        out.append(r);
    }
    return out;
}

Result<QList<ActivityRow>> ActivityStore::after(const QString &sandboxId, qint64 after, int limit) const
{
    return select(QStringLiteral("sandbox_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
                  {sandboxId, after, limit});
}

Result<ActivityRow> ActivityStore::one(const QString &sandboxId, qint64 seq) const
{
    const auto rows = select(QStringLiteral("sandbox_id = ? AND seq = ?"), {sandboxId, seq});
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return ApiError::notFound(QStringLiteral("No activity entry %1 in sandbox %2.").arg(seq).arg(sandboxId));
    return rows->first();
}

Result<qint64> ActivityStore::lastSeq(const QString &sandboxId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT MAX(seq) FROM activity WHERE sandbox_id = ?"));
    q.addBindValue(sandboxId);
    if (!q.exec() || !q.next())
        return ApiError::internal(QStringLiteral("Cannot read the activity log of sandbox %1: %2.")
                                      .arg(sandboxId, q.lastError().text()));
    return q.value(0).isNull() ? qint64(0) : q.value(0).toLongLong();
}

Result<QList<ActivityRow>> ActivityStore::openRows() const
{
    return select(QStringLiteral("open = 1 ORDER BY sandbox_id, seq"), {});
}

Status ActivityStore::dropUpTo(const QString &sandboxId, qint64 upTo)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM activity WHERE sandbox_id = ? AND seq <= ?"));
    q.addBindValue(sandboxId);
    q.addBindValue(upTo);
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot trim the activity log of sandbox %1: %2.")
                                      .arg(sandboxId, q.lastError().text()));
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
