// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IdRange.h"
#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// Hands every sandbox its own run of host ids from a pool of equal slots:
// slot i is [base + i*slotSize, base + (i+1)*slotSize). It keeps no list of
// its own: the ranges in use are those recorded in the sandboxes' rows, given
// to allocate() each time, so a range is free again once its row is gone
// (the sandbox killed and its files deleted) and an engine restart finds the
// same ranges taken. Slots that overlap a reserved range (a template's own,
// one of /etc/subuid or /etc/subgid) are never handed out.
class UidRangeAllocator
{
public:
    static constexpr uint kDefaultBase = 1u << 30; // 1073741824
    static constexpr uint kDefaultSlots = 4096;
    static constexpr uint kSlotSize = 65536;
    // Ids above 2^31-1 trip tools that keep ids in signed ints, and
    // 4294967295 is (uid_t)-1: the pool must end below 2^31.
    static constexpr quint64 kPoolLimit = quint64(1) << 31;

    UidRangeAllocator() = default;
    UidRangeAllocator(uint base, uint slots, uint slotSize = kSlotSize);

    // A sentence when the pool cannot work (empty slots, past kPoolLimit,
    // a base below 65536 where the host's own users live), else "".
    QString checkPool() const;
    // False when slots == 0: sandboxes share their template's range.
    bool enabled() const { return m_slots > 0 && m_slotSize > 0; }
    IdRange pool() const { return {m_base, uint(qMin<quint64>(quint64(m_slots) * m_slotSize, 0xffffffffu))}; }
    uint slotSize() const { return m_slotSize; }

    void setReserved(const QList<IdRange> &reserved) { m_reserved = reserved; }
    const QList<IdRange> &reserved() const { return m_reserved; }
    // How many slots a reserved range takes out of the pool.
    int reservedSlots() const;

    // The lowest free slot, given the ranges in use and more ranges to keep
    // clear of (the templates', which can be built while the engine runs);
    // nullopt when every slot is taken or reserved.
    std::optional<IdRange> allocate(const QList<IdRange> &inUse, const QList<IdRange> &alsoReserved = {}) const;
    // Whether `r` is one of the pool's slots.
    bool isSlot(const IdRange &r) const;

    // The ranges of an /etc/subuid or /etc/subgid file ("name:start:count"
    // per line); blank lines, comments and malformed lines are skipped.
    static QList<IdRange> parseSubordinateIds(const QByteArray &text);
    // Both files of this host; a missing file has no ranges.
    static QList<IdRange> hostSubordinateIds();

private:
    uint m_base = kDefaultBase;
    uint m_slots = kDefaultSlots;
    uint m_slotSize = kSlotSize;
    QList<IdRange> m_reserved;
};
