// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"

#include <cstdint>
#include <functional>

class EventLoop;

// A one-shot timerfd. The callback may destroy the Timer that fired it.
class Timer {
public:
    Timer(EventLoop& loop, std::function<void()> onFire);
    ~Timer();
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    bool start(int64_t ms);
    void stop();

private:
    EventLoop& loop_;
    Fd fd_;
    std::function<void()> onFire_;
};
