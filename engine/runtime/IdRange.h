// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// A run of host user (and group) ids: base, base+1, …, base+count-1.
struct IdRange
{
    uint base = 0;
    uint count = 0;

    // One past the last id; 64 bits, so a range ending at 2^32 is no overflow.
    quint64 end() const { return quint64(base) + count; }
    bool isEmpty() const { return count == 0; }
    bool overlaps(const IdRange &o) const { return !isEmpty() && !o.isEmpty() && base < o.end() && o.base < end(); }
    bool contains(const IdRange &o) const { return o.base >= base && o.end() <= end(); }
    bool operator==(const IdRange &o) const { return base == o.base && count == o.count; }
};
