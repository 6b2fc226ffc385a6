// SPDX-License-Identifier: GPL-3.0-or-later
#include "Database.h"

#include <QSqlError>
#include <QSqlQuery>

Database::Database(QString connectionName)
    : m_name(std::move(connectionName))
{
}

Database::~Database()
{
    if (QSqlDatabase::contains(m_name)) {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
}

QSqlDatabase Database::db() const
{
    return QSqlDatabase::database(m_name, false);
}

Status Database::open(const QString &path)
{
    QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    d.setDatabaseName(path);
    d.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!d.open())
        return ApiError::internal(
            QStringLiteral("Cannot open the state database %1: %2.").arg(path, d.lastError().text()));
    QSqlQuery q(d);
    // WAL with synchronous=NORMAL: a committed change is in the WAL file
    // before the call returns, so killing the engine (even with SIGKILL)
    // loses nothing; only a power cut may lose the last changes. FULL would
    // add an fsync to every command the activity log records.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        if (!q.exec(QString::fromLatin1(pragma)))
            return ApiError::internal(QStringLiteral("Cannot set up the state database %1: %2.")
                                          .arg(path, q.lastError().text()));
    }
    return migrate();
}

Status Database::checkpoint()
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")))
        return ApiError::internal(QStringLiteral("Cannot checkpoint the state database: %1.").arg(q.lastError().text()));
    // One row: busy, pages in the WAL, pages copied. Busy means a reader
    // still holds an old snapshot and the WAL could not be emptied.
    if (q.next() && q.value(0).toInt() != 0)
        return ApiError::internal(QStringLiteral("Cannot checkpoint the state database: it is still being read."));
    return Done{};
}

Status Database::migrate()
{
    QSqlQuery q(db());
    const char *statements[] = {
        "CREATE TABLE IF NOT EXISTS api_keys ("
        " hash TEXT PRIMARY KEY, prefix TEXT NOT NULL, team TEXT NOT NULL,"
        " created_at INTEGER NOT NULL, revoked_at INTEGER)",
        "CREATE TABLE IF NOT EXISTS teams (team TEXT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS sandboxes ("
        " id TEXT PRIMARY KEY, team TEXT NOT NULL, template TEXT NOT NULL, state TEXT NOT NULL,"
        " created_at INTEGER NOT NULL, started_at INTEGER, end_at INTEGER, paused_at INTEGER,"
        " last_activity INTEGER NOT NULL, metadata TEXT NOT NULL, envs TEXT NOT NULL,"
        " cpu_count INTEGER NOT NULL, memory_mb INTEGER NOT NULL,"
        " uid_base INTEGER NOT NULL, uid_count INTEGER NOT NULL)",
        // One row per activity entry; `open` marks background commands still
        // running, which the engine keeps refreshing.
        "CREATE TABLE IF NOT EXISTS activity ("
        " sandbox_id TEXT NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, kind TEXT NOT NULL,"
        " open INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL, PRIMARY KEY (sandbox_id, seq))",
    };
    for (const char *s : statements) {
        if (!q.exec(QString::fromLatin1(s)))
            return ApiError::internal(QStringLiteral("Cannot create the state tables: %1.").arg(q.lastError().text()));
    }
    if (auto s = addColumn(QStringLiteral("sandboxes"), QStringLiteral("pause_kind"), QStringLiteral("TEXT")); !s)
        return s;
    // 0: made before sandboxes had their own disk.
    if (auto s = addColumn(QStringLiteral("sandboxes"), QStringLiteral("disk_mb"),
                           QStringLiteral("INTEGER NOT NULL DEFAULT 0"));
        !s)
        return s;
    // A team's optional budget; NULL: no budget of that kind.
    if (auto s = addColumn(QStringLiteral("teams"), QStringLiteral("max_cpu"), QStringLiteral("INTEGER")); !s)
        return s;
    if (auto s = addColumn(QStringLiteral("teams"), QStringLiteral("max_memory_mb"), QStringLiteral("INTEGER")); !s)
        return s;
    if (auto s = addColumn(QStringLiteral("teams"), QStringLiteral("max_disk_mb"), QStringLiteral("INTEGER")); !s)
        return s;
    // The token of a sandbox created with preview_auth; NULL without.
    if (auto s = addColumn(QStringLiteral("sandboxes"), QStringLiteral("preview_token"), QStringLiteral("TEXT")); !s)
        return s;
    if (auto s = addColumn(QStringLiteral("sandboxes"), QStringLiteral("error_reason"), QStringLiteral("TEXT")); !s)
        return s;
    // The network policy as JSON (NULL: the open default) and the
    // sandbox's own address (NULL: no network of its own).
    if (auto s = addColumn(QStringLiteral("sandboxes"), QStringLiteral("network"), QStringLiteral("TEXT")); !s)
        return s;
    return addColumn(QStringLiteral("sandboxes"), QStringLiteral("net_address"), QStringLiteral("TEXT"));
}

Status Database::addColumn(const QString &table, const QString &column, const QString &type)
{
    // Databases made by an older engine lack columns added since.
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(table)))
        return ApiError::internal(QStringLiteral("Cannot read the columns of %1: %2.").arg(table, q.lastError().text()));
    while (q.next()) {
        if (q.value(1).toString() == column)
            return Done{};
    }
    if (!q.exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3").arg(table, column, type)))
        return ApiError::internal(
            QStringLiteral("Cannot add the column %1 to %2: %3.").arg(column, table, q.lastError().text()));
    return Done{};
}
