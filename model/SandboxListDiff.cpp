// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxListDiff.h"

#include <QHash>
#include <QSet>

quint32 SandboxListDiff::changedFields(const SandboxInfo &a, const SandboxInfo &b)
{
    quint32 f = 0;
    if (a.state != b.state)
        f |= State;
    if (a.templateName != b.templateName)
        f |= Template;
    if (a.metadata != b.metadata)
        f |= Metadata;
    if (a.startedAt != b.startedAt)
        f |= Started;
    if (a.endAt != b.endAt)
        f |= EndAt;
    if (a.ports != b.ports)
        f |= Ports;
    if (a.nodeId != b.nodeId)
        f |= Node;
    if (a.createdAt != b.createdAt || a.pausedAt != b.pausedAt || a.cpuCount != b.cpuCount
        || a.memoryMb != b.memoryMb || a.pauseKind != b.pauseKind)
        f |= Other;
    if (a.network != b.network || a.netAddress != b.netAddress)
        f |= Network;
    return f;
}

SandboxListDiff SandboxListDiff::compute(const QList<SandboxInfo> &current, const QList<SandboxInfo> &fresh)
{
    SandboxListDiff d;
    QHash<QString, int> freshIndex;
    freshIndex.reserve(fresh.size());
    for (int i = 0; i < fresh.size(); ++i)
        freshIndex.insert(fresh.at(i).id, i);

    QSet<QString> kept;
    kept.reserve(current.size());
    int removedSoFar = 0;
    QList<Range> ascending;
    for (int row = 0; row < current.size(); ++row) {
        const SandboxInfo &old = current.at(row);
        const auto it = freshIndex.constFind(old.id);
        if (it == freshIndex.cend() || kept.contains(old.id)) {
            // Gone (a duplicate id in our own rows would be a bug; drop it too).
            if (!ascending.isEmpty() && ascending.last().last == row - 1)
                ascending.last().last = row;
            else
                ascending.append({row, row});
            ++removedSoFar;
            continue;
        }
        kept.insert(old.id);
        if (const quint32 fields = changedFields(old, fresh.at(*it)))
            d.changed.append({row - removedSoFar, *it, fields});
    }
    d.removed.reserve(ascending.size());
    for (auto it = ascending.crbegin(); it != ascending.crend(); ++it)
        d.removed.append(*it);

    QSet<QString> seen;
    for (int i = 0; i < fresh.size(); ++i) {
        const QString &id = fresh.at(i).id;
        if (!kept.contains(id) && !seen.contains(id)) {
            seen.insert(id);
            d.added.append(i);
        }
    }
    return d;
}
