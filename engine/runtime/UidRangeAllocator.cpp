// SPDX-License-Identifier: GPL-3.0-or-later
#include "UidRangeAllocator.h"

#include <QFile>

#include <algorithm>

UidRangeAllocator::UidRangeAllocator(uint base, uint slots, uint slotSize)
    : m_base(base)
    , m_slots(slots)
    , m_slotSize(slotSize)
{
}

QString UidRangeAllocator::checkPool() const
{
    if (!enabled())
        return {};
    if (m_slotSize < 65536)
        return QStringLiteral("A sandbox's id range must hold at least 65536 ids; %1 was asked.").arg(m_slotSize);
    if (m_base < 65536)
        return QStringLiteral("The sandbox id pool must start at 65536 or above, clear of the host's own users; "
                              "it starts at %1.")
            .arg(m_base);
    const quint64 end = quint64(m_base) + quint64(m_slots) * m_slotSize;
    if (end > kPoolLimit)
        return QStringLiteral("The sandbox id pool of %1 ranges of %2 ids from %3 ends at %4, past %5: ids that high "
                              "break tools that keep them in signed integers. Lower --uid-pool-base or "
                              "--uid-pool-size.")
            .arg(m_slots)
            .arg(m_slotSize)
            .arg(m_base)
            .arg(end - 1)
            .arg(kPoolLimit - 1);
    return {};
}

int UidRangeAllocator::reservedSlots() const
{
    int n = 0;
    for (uint i = 0; i < m_slots; ++i) {
        const IdRange slot{uint(m_base + quint64(i) * m_slotSize), m_slotSize};
        if (std::any_of(m_reserved.cbegin(), m_reserved.cend(), [&](const IdRange &r) { return r.overlaps(slot); }))
            ++n;
    }
    return n;
}

std::optional<IdRange> UidRangeAllocator::allocate(const QList<IdRange> &inUse, const QList<IdRange> &alsoReserved) const
{
    if (!enabled())
        return std::nullopt;
    // Everything that blocks a slot, by where it starts: one sweep over the
    // slots finds the first one nothing overlaps.
    QList<IdRange> blockers = m_reserved + alsoReserved + inUse;
    blockers.removeIf([](const IdRange &r) { return r.isEmpty(); });
    std::sort(blockers.begin(), blockers.end(), [](const IdRange &a, const IdRange &b) { return a.base < b.base; });
    qsizetype first = 0;
    for (uint i = 0; i < m_slots; ++i) {
        const quint64 start = m_base + quint64(i) * m_slotSize;
        const quint64 end = start + m_slotSize;
        if (end > quint64(0xffffffffu))
            break; // (uid_t)-1 is never an id
        while (first < blockers.size() && blockers.at(first).end() <= start)
            ++first;
        bool taken = false;
        for (qsizetype j = first; j < blockers.size() && blockers.at(j).base < end; ++j) {
            if (blockers.at(j).end() > start) {
                taken = true;
                break;
            }
        }
        if (!taken)
            return IdRange{uint(start), m_slotSize};
    }
    return std::nullopt;
}

bool UidRangeAllocator::isSlot(const IdRange &r) const
{
    if (!enabled() || r.count != m_slotSize || r.base < m_base)
        return false;
    const quint64 offset = r.base - m_base;
    return offset % m_slotSize == 0 && offset / m_slotSize < m_slots;
}

QList<IdRange> UidRangeAllocator::parseSubordinateIds(const QByteArray &text)
{
    QList<IdRange> ranges;
    for (const QByteArray &raw : text.split('\n')) {
        const QByteArray line = raw.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> fields = line.split(':');
        if (fields.size() != 3 || fields.at(0).isEmpty())
            continue;
        bool okStart = false;
        bool okCount = false;
        // Digits only: toULongLong would also take "+5" or " 5".
        auto digits = [](const QByteArray &f) {
            return !f.isEmpty() && std::all_of(f.cbegin(), f.cend(), [](char c) { return c >= '0' && c <= '9'; });
        };
        if (!digits(fields.at(1)) || !digits(fields.at(2)))
            continue;
        const quint64 start = fields.at(1).toULongLong(&okStart);
        const quint64 count = fields.at(2).toULongLong(&okCount);
        if (!okStart || !okCount || count == 0 || start > 0xffffffffu || count > 0xffffffffu)
            continue;
        // A range running past the id space still reserves what it covers.
        const quint64 end = qMin<quint64>(start + count, 0xffffffffu);
        ranges.append({uint(start), uint(end - start)});
    }
    return ranges;
}

QList<IdRange> UidRangeAllocator::hostSubordinateIds()
{
    QList<IdRange> all;
    for (const QString &path : {QStringLiteral("/etc/subuid"), QStringLiteral("/etc/subgid")}) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            all += parseSubordinateIds(f.readAll());
    }
    return all;
}
