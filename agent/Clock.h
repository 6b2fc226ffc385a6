// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

class Clock {
public:
    // Unix time, for timestamps shown to people.
    static int64_t wallMs();
    // Never jumps, for uptime and durations.
    static int64_t monotonicMs();
};
