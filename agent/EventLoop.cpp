// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventLoop.h"

#include "Log.h"

#include <cerrno>
#include <exception>
#include <string>
#include <sys/epoll.h>

EventLoop::EventLoop() : epoll_(epoll_create1(EPOLL_CLOEXEC))
{
    if (!epoll_.valid())
        Log::sysError("epoll_create1", errno);
}

bool EventLoop::watch(int fd, uint32_t events, Callback callback)
{
    auto w = std::make_unique<Watch>(Watch{fd, nextId_++, std::move(callback)});
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = w->id;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
        Log::sysError("epoll_ctl(ADD)", errno);
        return false;
    }
    byId_[w->id] = w.get();
    byFd_[fd] = std::move(w);
    return true;
}

bool EventLoop::modify(int fd, uint32_t events)
{
    auto it = byFd_.find(fd);
    if (it == byFd_.end())
        return false;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = it->second->id;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
        Log::sysError("epoll_ctl(MOD)", errno);
        return false;
    }
    return true;
}

void EventLoop::unwatch(int fd)
{
    auto it = byFd_.find(fd);
    if (it == byFd_.end())
        return;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != EBADF)
        Log::sysError("epoll_ctl(DEL)", errno);
    byId_.erase(it->second->id);
    retired_.push_back(std::move(it->second));
    byFd_.erase(it);
}

void EventLoop::post(std::function<void()> fn)
{
    posted_.push_back(std::move(fn));
}

int EventLoop::run()
{
    running_ = true;
    epoll_event events[64];
    while (running_) {
        int n = epoll_wait(epoll_.get(), events, 64, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            Log::sysError("epoll_wait", errno);
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            auto it = byId_.find(events[i].data.u64);
            if (it == byId_.end())
                continue;
            try {
                it->second->callback(events[i].events);
            } catch (const std::exception& e) {
                // Mostly std::bad_alloc under a sandbox's memory limit: losing
                // one event is better than losing PID 1, and the whole sandbox.
                Log::line(std::string("event handling failed: ") + e.what());
            }
        }
        while (!posted_.empty()) {
            auto batch = std::move(posted_);
            posted_.clear();
            for (auto& fn : batch)
                fn();
        }
        retired_.clear();
    }
    return exitCode_;
}

void EventLoop::quit(int exitCode)
{
    exitCode_ = exitCode;
    running_ = false;
}
