// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxStore.h"

#include "Timestamps.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace {

QString mapToText(const StringMap &m)
{
    return QString::fromUtf8(QJsonDocument(stringMapToJson(m)).toJson(QJsonDocument::Compact));
}

StringMap textToMap(const QString &s)
{
    StringMap m;
    const QJsonObject o = QJsonDocument::fromJson(s.toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key(), it.value().toString());
    return m;
}

QVariant msecsOrNull(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant(QMetaType(QMetaType::LongLong));
}

QDateTime fromNullable(const QVariant &v)
{
    return v.isNull() ? QDateTime() : Timestamps::fromMsecs(v.toLongLong());
}

} // namespace

SandboxStore::SandboxStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

Result<QList<SandboxRecord>> SandboxStore::loadAll() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral(
            "SELECT id, team, template, state, created_at, started_at, end_at, paused_at, last_activity,"
            " metadata, envs, cpu_count, memory_mb, uid_base, uid_count, pause_kind, disk_mb, preview_token, error_reason,"
            " network, net_address FROM sandboxes"
            " ORDER BY created_at, id")))
        return ApiError::internal(QStringLiteral("Cannot read the sandboxes: %1.").arg(q.lastError().text()));
    QList<SandboxRecord> out;
    while (q.next()) {
        SandboxRecord r;
        r.info.id = q.value(0).toString();
        r.team = q.value(1).toString();
        r.info.templateName = q.value(2).toString();
        r.info.state = SandboxStates::fromStorageName(q.value(3).toString()).value_or(SandboxState::Creating);
        r.info.createdAt = fromNullable(q.value(4));
        r.info.startedAt = fromNullable(q.value(5));
        r.info.endAt = fromNullable(q.value(6));
        r.info.pausedAt = fromNullable(q.value(7));
        r.lastActivityMs = q.value(8).toLongLong();
        r.info.metadata = textToMap(q.value(9).toString());
        r.envs = textToMap(q.value(10).toString());
        r.info.cpuCount = q.value(11).toInt();
        r.info.memoryMb = q.value(12).toInt();
        r.uidBase = q.value(13).toUInt();
        r.uidCount = q.value(14).toUInt();
        r.info.pauseKind = q.value(15).toString();
        r.info.diskMb = q.value(16).toInt();
        r.info.previewToken = q.value(17).toString();
        r.info.errorReason = q.value(18).toString();
        if (!q.value(19).isNull())
            r.info.network = NetworkPolicy::fromJson(QJsonDocument::fromJson(q.value(19).toByteArray()).object());
        r.info.netAddress = q.value(20).toString();
        out.append(r);
    }
    return out;
}

Status SandboxStore::upsert(const SandboxRecord &r)
{
    QSqlQuery q(m_db);
    if (!q.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO sandboxes(id, team, template, state, created_at, started_at, end_at, paused_at,"
            " last_activity, metadata, envs, cpu_count, memory_mb, uid_base, uid_count, pause_kind, disk_mb, preview_token,"
            " error_reason, network, net_address)"
            " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return ApiError::internal(QStringLiteral("Cannot save sandbox %1: %2.").arg(r.info.id, q.lastError().text()));
    q.addBindValue(r.info.id);
    q.addBindValue(r.team);
    q.addBindValue(r.info.templateName);
    q.addBindValue(SandboxStates::storageName(r.info.state));
    q.addBindValue(r.info.createdAt.toMSecsSinceEpoch());
    q.addBindValue(msecsOrNull(r.info.startedAt));
    q.addBindValue(msecsOrNull(r.info.endAt));
    q.addBindValue(msecsOrNull(r.info.pausedAt));
    q.addBindValue(r.lastActivityMs);
    q.addBindValue(mapToText(r.info.metadata));
    q.addBindValue(mapToText(r.envs));
    q.addBindValue(r.info.cpuCount);
    q.addBindValue(r.info.memoryMb);
    q.addBindValue(r.uidBase);
    q.addBindValue(r.uidCount);
    q.addBindValue(r.info.pauseKind.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(r.info.pauseKind));
    q.addBindValue(r.info.diskMb);
    q.addBindValue(r.info.previewToken.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(r.info.previewToken));
    q.addBindValue(r.info.errorReason.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                : QVariant(r.info.errorReason));
    q.addBindValue(QString::fromUtf8(QJsonDocument(r.info.network.toJson()).toJson(QJsonDocument::Compact)));
    q.addBindValue(r.info.netAddress.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(r.info.netAddress));
    if (!q.exec())
        return ApiError::internal(
            QStringLiteral("Cannot save sandbox %1: %2.").arg(r.info.id, q.lastError().text()));
    return Done{};
}

Status SandboxStore::touch(const QString &id, qint64 lastActivityMs)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE sandboxes SET last_activity = ? WHERE id = ?"));
    q.addBindValue(lastActivityMs);
    q.addBindValue(id);
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot save sandbox %1: %2.").arg(id, q.lastError().text()));
    return Done{};
}

Status SandboxStore::remove(const QString &id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM sandboxes WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot forget sandbox %1: %2.").arg(id, q.lastError().text()));
    return Done{};
}
