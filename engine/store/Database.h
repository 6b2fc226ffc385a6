// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QSqlDatabase>
#include <QString>

// The engine's SQLite file, in WAL mode: a SIGKILL at any moment loses no
// committed change.
class Database
{
public:
    explicit Database(QString connectionName);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    Status open(const QString &path);
    QSqlDatabase db() const;
    // Copies every committed change from the WAL into the database file and
    // empties the WAL (a clean shutdown leaves one self-contained file).
    Status checkpoint();

private:
    Status migrate();
    Status addColumn(const QString &table, const QString &column, const QString &type);
    QString m_name;
};
