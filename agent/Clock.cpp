// SPDX-License-Identifier: GPL-3.0-or-later
#include "Clock.h"

#include <ctime>

static int64_t readMs(clockid_t clock)
{
    timespec ts{};
    // clock_gettime only fails for an invalid clock id, which these are not.
    if (clock_gettime(clock, &ts) != 0)
        return 0;
    return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t Clock::wallMs() { return readMs(CLOCK_REALTIME); }
int64_t Clock::monotonicMs() { return readMs(CLOCK_MONOTONIC); }
