// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <optional>

// One SQL statement prepared on first use and reused after: SQLite parses
// and plans it once instead of on every request (on the command path that
// parsing was most of what the engine spent in SQLite). Bind values are set
// anew for each run; a run ends its statement (no read transaction is left
// open between runs).
class PreparedQuery
{
public:
    PreparedQuery(QSqlDatabase db, QString sql);

    // Runs the statement with `binds`; the query to read rows from, or
    // nullptr with `error` set. Call done() once the rows are read.
    QSqlQuery *run(const QVariantList &binds, QString *error);
    // Ends the last run (its read transaction, for a SELECT).
    void done();

private:
    QSqlDatabase m_db;
    QString m_sql;
    std::optional<QSqlQuery> m_query;
};
