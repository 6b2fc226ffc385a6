// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "runtime/SandboxRecord.h"

#include <QList>
#include <QSqlDatabase>

// Sandboxes as rows; every change is written before the engine acts on it or
// answers, so a restart finds what the clients were told.
class SandboxStore
{
public:
    explicit SandboxStore(QSqlDatabase db);

    Result<QList<SandboxRecord>> loadAll() const;
    Status upsert(const SandboxRecord &r);
    Status touch(const QString &id, qint64 lastActivityMs);
    Status remove(const QString &id);

private:
    QSqlDatabase m_db;
};
