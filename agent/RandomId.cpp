// SPDX-License-Identifier: GPL-3.0-or-later
#include "RandomId.h"

#include "Clock.h"

#include <cerrno>
#include <cstdint>
#include <sys/random.h>

std::string RandomId::make(std::string_view prefix)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const size_t length = prefix.size() + 16;
    std::string id(prefix);
    while (id.size() < length) {
        unsigned char bytes[32];
        ssize_t n = getrandom(bytes, sizeof bytes, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // Ids must be unique, not secret: a counter will do without getrandom.
            static uint64_t counter = static_cast<uint64_t>(Clock::monotonicMs());
            uint64_t v = ++counter * 0x9E3779B97F4A7C15ull;
            for (size_t i = 0; i < sizeof bytes; ++i)
                bytes[i] = static_cast<unsigned char>((v >> ((i % 8) * 8)) ^ (i * 41));
            n = sizeof bytes;
        }
        for (ssize_t i = 0; i < n && id.size() < length; ++i) {
            // 252 = 7 * 36 keeps every letter equally likely.
            if (bytes[i] < 252)
                id.push_back(alphabet[bytes[i] % 36]);
        }
    }
    return id;
}
