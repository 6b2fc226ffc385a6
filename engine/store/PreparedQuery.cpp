// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreparedQuery.h"

#include <QSqlError>

PreparedQuery::PreparedQuery(QSqlDatabase db, QString sql)
    : m_db(std::move(db))
    , m_sql(std::move(sql))
{
}

QSqlQuery *PreparedQuery::run(const QVariantList &binds, QString *error)
{
    if (!m_query) {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!q.prepare(m_sql)) {
            *error = q.lastError().text();
            return nullptr;
        }
        m_query.emplace(std::move(q));
    }
    QSqlQuery &q = *m_query;
    for (int i = 0; i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    if (!q.exec()) {
        *error = q.lastError().text();
        q.finish();
        return nullptr;
    }
    return &q;
}

void PreparedQuery::done()
{
    if (m_query)
        m_query->finish();
}
