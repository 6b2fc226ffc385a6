// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PreparedQuery.h"
#include "Result.h"
#include "TeamBudget.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

struct ApiKeyInfo
{
    QString prefix; // the first characters, enough to tell keys apart in a list
    QString team;
    QDateTime createdAt;
    QDateTime revokedAt;
    TeamBudget budget; // the team's
};

// API keys, stored as SHA-256 hashes: the database never holds a usable key.
class KeyStore
{
public:
    explicit KeyStore(QSqlDatabase db);

    static QString generateKey();
    static bool looksLikeKey(const QString &key);

    Result<QString> create(const QString &team);
    // The team of a valid, unrevoked key; nullopt when there is none.
    Result<std::optional<QString>> teamOf(const QString &key) const;
    Result<QList<ApiKeyInfo>> list() const;
    // Revokes by whole key or by a unique prefix as `list` shows it.
    Status revoke(const QString &keyOrPrefix);
    // Changes whenever another connection (such as `ai2ind keys revoke`)
    // has written the database since the last call: cheap enough to poll.
    qint64 changeStamp() const;
    // A team's budget; a field set in `change` replaces the stored one, a
    // field left empty keeps it. `clear` removes every limit first.
    Status setBudget(const QString &team, const TeamBudget &change, bool clear = false);
    // No budget at all is an empty TeamBudget, not an error.
    Result<TeamBudget> budget(const QString &team) const;

private:
    static QString hash(const QString &key);
    QSqlDatabase m_db;
    // Every API request looks its key up (twice: at the gate and at the route).
    mutable PreparedQuery m_teamOf;
};
