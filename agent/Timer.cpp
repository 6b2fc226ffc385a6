// SPDX-License-Identifier: GPL-3.0-or-later
#include "Timer.h"

#include "EventLoop.h"
#include "Log.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/timerfd.h>

Timer::Timer(EventLoop& loop, std::function<void()> onFire)
    : loop_(loop), onFire_(std::move(onFire))
{
}

Timer::~Timer()
{
    stop();
}

bool Timer::start(int64_t ms)
{
    stop();
    fd_.reset(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
    if (!fd_.valid()) {
        Log::sysError("timerfd_create", errno);
        return false;
    }
    itimerspec spec{};
    spec.it_value.tv_sec = ms / 1000;
    spec.it_value.tv_nsec = (ms % 1000) * 1000000;
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0)
        spec.it_value.tv_nsec = 1; // zero would disarm the timer
    if (timerfd_settime(fd_.get(), 0, &spec, nullptr) != 0) {
        Log::sysError("timerfd_settime", errno);
        fd_.reset();
        return false;
    }
    int fd = fd_.get();
    // The watch owns a copy of the callback: the callback may delete this Timer.
    return loop_.watch(fd, EPOLLIN, [this, fd, fire = onFire_](uint32_t) {
        uint64_t expirations = 0;
        if (::read(fd, &expirations, sizeof expirations) != sizeof expirations)
            return; // spurious wake-up; the timer is still armed
        stop();
        fire();
    });
}

void Timer::stop()
{
    if (!fd_.valid())
        return;
    loop_.unwatch(fd_.get());
    fd_.reset();
}
