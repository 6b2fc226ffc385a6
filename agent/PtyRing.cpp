// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtyRing.h"

#include <algorithm>

void PtyRing::append(const char* data, size_t size)
{
    if (size >= capacity_) {
        // Only the newest capacity_ bytes can survive.
        data += size - capacity_;
        end_ += size - capacity_;
        size = capacity_;
    }
    while (size > 0) {
        if (data_.size() < capacity_) {
            // Still filling linearly from offset 0, so data_.size() == end_.
            size_t take = std::min(size, capacity_ - data_.size());
            data_.append(data, take);
            data += take;
            size -= take;
            end_ += take;
            continue;
        }
        size_t at = static_cast<size_t>(end_ % capacity_);
        size_t take = std::min(size, capacity_ - at);
        data_.replace(at, take, data, take);
        data += take;
        size -= take;
        end_ += take;
    }
}

std::string PtyRing::copy(uint64_t from, size_t max) const
{
    from = std::clamp(from, start(), end_);
    size_t want = static_cast<size_t>(std::min<uint64_t>(end_ - from, max));
    std::string out;
    out.reserve(want);
    while (out.size() < want) {
        size_t at = static_cast<size_t>((from + out.size()) % capacity_);
        size_t take = std::min(want - out.size(), capacity_ - at);
        out.append(data_, at, take);
    }
    return out;
}
