// SPDX-License-Identifier: GPL-3.0-or-later
#include "OutputBuffer.h"

#include <algorithm>
#include <cstring>

void OutputBuffer::append(const char* data, size_t size)
{
    if (data_.size() < limit_) {
        size_t take = std::min(limit_ - data_.size(), size);
        size_t needed = data_.size() + take;
        // Grow without overshooting the limit (plain doubling could reach twice it).
        if (needed > data_.capacity())
            data_.reserve(std::min(limit_, std::max(needed, data_.capacity() * 2)));
        data_.append(data, take);
        data += take;
        size -= take;
        if (size == 0)
            return;
    }
    truncated_ = true;
    if (size >= limit_) {
        data_.assign(data + size - limit_, limit_);
        head_ = 0;
        return;
    }
    size_t first = std::min(size, limit_ - head_);
    std::memcpy(&data_[head_], data, first);
    std::memcpy(&data_[0], data + first, size - first);
    head_ = (head_ + size) % limit_;
}

std::string OutputBuffer::contents() const
{
    if (head_ == 0)
        return data_;
    std::string out;
    out.reserve(data_.size());
    out.append(data_, head_, std::string::npos);
    out.append(data_, 0, head_);
    return out;
}

void OutputBuffer::drop()
{
    if (!data_.empty())
        truncated_ = dropped_ = true;
    std::string().swap(data_);
    head_ = 0;
}
