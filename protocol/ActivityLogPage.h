// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityRecord.h"

#include <QByteArray>
#include <QList>

// The answer of `GET /v1/sandboxes/{id}/activity?after=…&limit=…`.
struct ActivityLogPage
{
    QList<ActivityRecord> entries; // oldest first
    qint64 nextAfter = 0;          // pass as the next `after`
    QList<qint64> running;         // seqs still changing, ascending
    // Read by fromJson only: entries that were not records (no seq, no kind).
    int skipped = 0;

    QJsonObject toJson() const;
    // Pure: a sentence when the answer is not one; an entry that is not a
    // record is skipped and counted, not a failure of the page.
    static Result<ActivityLogPage> fromJson(const QByteArray &body);
};
