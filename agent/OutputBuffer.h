// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>

// The last `limit` bytes of a stream. A ring once full, so a process that
// prints without end costs a copy per byte, not a shift of the whole buffer.
class OutputBuffer {
public:
    static constexpr size_t kLimit = 4 * 1024 * 1024;

    explicit OutputBuffer(size_t limit = kLimit) : limit_(limit) {}

    void append(const char* data, size_t size);
    std::string contents() const;
    bool truncated() const { return truncated_; }
    // Bytes held (what counts against the agent's output budget).
    size_t size() const { return data_.size(); }
    // Frees everything held; later output is kept again. `dropped` stays
    // true so a reader can tell "nothing printed" from "thrown away".
    void drop();
    bool dropped() const { return dropped_; }

private:
    std::string data_;
    size_t head_ = 0; // oldest byte once the ring is full
    size_t limit_;
    bool truncated_ = false;
    bool dropped_ = false;
};
