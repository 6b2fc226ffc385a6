// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyStore.h"

#include "RandomId.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace {
const QString kKeyPrefix = QStringLiteral("ai2in_live_");
constexpr int kKeyRandomChars = 32;
constexpr int kShownPrefixChars = 16;
} // namespace

KeyStore::KeyStore(QSqlDatabase db)
    : m_db(db)
    , m_teamOf(db, QStringLiteral("SELECT team FROM api_keys WHERE hash = ? AND revoked_at IS NULL"))
{
}

QString KeyStore::generateKey()
{
    return kKeyPrefix + RandomId::chars(kKeyRandomChars);
}

bool KeyStore::looksLikeKey(const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^ai2in_live_[a-z0-9]{32}\\z"));
    return re.match(key).hasMatch();
}

QString KeyStore::hash(const QString &key)
{
    return QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Result<QString> KeyStore::create(const QString &team)
{
    static const QRegularExpression teamRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\\z"));
    if (!teamRe.match(team).hasMatch())
        return ApiError::badRequest(
            QStringLiteral("'%1' is not a valid team name: use letters, digits, '.', '_' or '-', at most 63.")
                .arg(team));
    const QString key = generateKey();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO api_keys(hash, prefix, team, created_at) VALUES(?, ?, ?, ?)"));
    q.addBindValue(hash(key));
    q.addBindValue(key.left(kShownPrefixChars));
    q.addBindValue(team);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot store the new API key: %1.").arg(q.lastError().text()));
    return key;
}

Result<std::optional<QString>> KeyStore::teamOf(const QString &key) const
{
    if (!looksLikeKey(key))
        return std::optional<QString>();
    QString error;
    QSqlQuery *q = m_teamOf.run({hash(key)}, &error);
    if (!q)
        return ApiError::internal(QStringLiteral("Cannot look up the API key: %1.").arg(error));
    std::optional<QString> team;
    if (q->next())
        team = q->value(0).toString();
    m_teamOf.done();
    return team;
}

Result<QList<ApiKeyInfo>> KeyStore::list() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT k.prefix, k.team, k.created_at, k.revoked_at, t.max_cpu, t.max_memory_mb,"
                               " t.max_disk_mb FROM api_keys k LEFT JOIN teams t ON t.team = k.team"
                               " ORDER BY k.created_at")))
        return ApiError::internal(QStringLiteral("Cannot list the API keys: %1.").arg(q.lastError().text()));
    QList<ApiKeyInfo> keys;
    while (q.next()) {
        ApiKeyInfo k;
        k.prefix = q.value(0).toString();
        k.team = q.value(1).toString();
        k.createdAt = QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(), Qt::UTC);
        if (!q.value(3).isNull())
            k.revokedAt = QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC);
        if (!q.value(4).isNull())
            k.budget.maxCpu = q.value(4).toInt();
        if (!q.value(5).isNull())
            k.budget.maxMemoryMb = q.value(5).toInt();
        if (!q.value(6).isNull())
            k.budget.maxDiskMb = q.value(6).toInt();
        keys.append(k);
    }
    return keys;
}

Status KeyStore::revoke(const QString &keyOrPrefix)
{
    QSqlQuery q(m_db);
    if (looksLikeKey(keyOrPrefix)) {
        q.prepare(QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL"));
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        q.addBindValue(hash(keyOrPrefix));
    } else {
        if (keyOrPrefix.size() < 12 || !keyOrPrefix.startsWith(kKeyPrefix))
            return ApiError::badRequest(QStringLiteral("'%1' is neither an API key nor a key prefix as 'keys list' shows it.")
                                            .arg(keyOrPrefix));
        QSqlQuery count(m_db);
        // Compared as text: LIKE would read '_' and '%' as wildcards and ignore case.
        count.prepare(QStringLiteral("SELECT COUNT(*) FROM api_keys WHERE substr(prefix, 1, ?) = ? AND revoked_at IS NULL"));
        count.addBindValue(keyOrPrefix.size());
        count.addBindValue(keyOrPrefix);
        if (!count.exec() || !count.next())
            return ApiError::internal(QStringLiteral("Cannot look up the API key: %1.").arg(count.lastError().text()));
        if (count.value(0).toInt() > 1)
            return ApiError::badRequest(
                QStringLiteral("The prefix '%1' matches several keys; give the whole key.").arg(keyOrPrefix));
        q.prepare(QStringLiteral("UPDATE api_keys SET revoked_at = ? WHERE substr(prefix, 1, ?) = ? AND revoked_at IS NULL"));
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        q.addBindValue(keyOrPrefix.size());
        q.addBindValue(keyOrPrefix);
    }
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot revoke the API key: %1.").arg(q.lastError().text()));
    if (q.numRowsAffected() == 0)
        return ApiError::notFound(QStringLiteral("No active API key matches '%1'.").arg(keyOrPrefix));
    return Done{};
}

qint64 KeyStore::changeStamp() const
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

Status KeyStore::setBudget(const QString &team, const TeamBudget &change, bool clear)
{
    auto current = budget(team);
    if (!current)
        return current.error();
    TeamBudget b = clear ? TeamBudget() : *current;
    if (change.maxCpu)
        b.maxCpu = change.maxCpu;
    if (change.maxMemoryMb)
        b.maxMemoryMb = change.maxMemoryMb;
    if (change.maxDiskMb)
        b.maxDiskMb = change.maxDiskMb;
    auto orNull = [](const std::optional<int> &v) { return v ? QVariant(*v) : QVariant(QMetaType(QMetaType::Int)); };
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO teams(team, max_cpu, max_memory_mb, max_disk_mb) VALUES(?, ?, ?, ?)"));
    q.addBindValue(team);
    q.addBindValue(orNull(b.maxCpu));
    q.addBindValue(orNull(b.maxMemoryMb));
    q.addBindValue(orNull(b.maxDiskMb));
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot store the budget of team '%1': %2.").arg(team, q.lastError().text()));
    return Done{};
}

Result<TeamBudget> KeyStore::budget(const QString &team) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT max_cpu, max_memory_mb, max_disk_mb FROM teams WHERE team = ?"));
    q.addBindValue(team);
    if (!q.exec())
        return ApiError::internal(QStringLiteral("Cannot read the budget of team '%1': %2.").arg(team, q.lastError().text()));
    TeamBudget b;
    if (!q.next())
        return b;
    if (!q.value(0).isNull())
        b.maxCpu = q.value(0).toInt();
    if (!q.value(1).isNull())
        b.maxMemoryMb = q.value(1).toInt();
    if (!q.value(2).isNull())
        b.maxDiskMb = q.value(2).toInt();
    return b;
}
