// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// The last `capacity` bytes of a terminal's output, addressed by absolute
// offsets: offset 0 is the first byte ever appended, end() the next one.
class PtyRing {
public:
    static constexpr size_t kCapacity = 1024 * 1024;

    explicit PtyRing(size_t capacity = kCapacity) : capacity_(capacity) {}

    void append(const char* data, size_t size);
    // Oldest offset still held.
    uint64_t start() const { return end_ > capacity_ ? end_ - capacity_ : 0; }
    uint64_t end() const { return end_; }
    // Up to `max` bytes from `from` (clamped to start()…end()).
    std::string copy(uint64_t from, size_t max) const;

private:
    std::string data_; // grows to capacity_, then byte at offset o sits at o % capacity_
    uint64_t end_ = 0;
    size_t capacity_;
};
