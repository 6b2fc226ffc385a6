// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

#include <QList>

// What turns the rows the model holds into a fresh list from the engine, as
// the smallest set of row operations: runs of removed rows, appended rows and
// changed rows with the fields that changed. Rows keep their place; the
// order on screen is the sort proxy's business, so a change never moves a row.
struct SandboxListDiff
{
    enum Field : quint32 {
        State = 1u << 0,
        Template = 1u << 1,
        Metadata = 1u << 2,
        Started = 1u << 3,
        EndAt = 1u << 4,
        Ports = 1u << 5,
        Node = 1u << 6,
        Other = 1u << 7, // created_at, paused_at, cpu/memory size, pause kind
        Network = 1u << 8, // policy or address
    };

    struct Range
    {
        int first = 0;
        int last = 0;
        bool operator==(const Range &) const = default;
    };
    struct Change
    {
        int row = 0;        // in the list after the removals
        int freshIndex = 0; // in the fresh list
        quint32 fields = 0;
        bool operator==(const Change &) const = default;
    };

    QList<Range> removed; // rows of the current list, highest range first
    QList<int> added;     // indexes into the fresh list, to append in order
    QList<Change> changed;

    bool isEmpty() const { return removed.isEmpty() && added.isEmpty() && changed.isEmpty(); }

    static SandboxListDiff compute(const QList<SandboxInfo> &current, const QList<SandboxInfo> &fresh);
    // The fields in which two infos of the same sandbox differ (0: none).
    static quint32 changedFields(const SandboxInfo &a, const SandboxInfo &b);
};
