// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

// Level-triggered epoll loop. Callbacks may unwatch any descriptor, their own
// included, at any time: retired watches stay alive until the batch ends and
// events for them are skipped.
class EventLoop {
public:
    using Callback = std::function<void(uint32_t events)>;

    EventLoop();
    bool valid() const { return epoll_.valid(); }

    bool watch(int fd, uint32_t events, Callback callback);
    bool modify(int fd, uint32_t events);
    void unwatch(int fd);
    // Runs after the current batch of events, when no callback is on the stack.
    void post(std::function<void()> fn);

    int run();
    void quit(int exitCode);

private:
    struct Watch {
        int fd;
        uint64_t id;
        Callback callback;
    };

    Fd epoll_;
    std::unordered_map<int, std::unique_ptr<Watch>> byFd_;
    std::unordered_map<uint64_t, Watch*> byId_;
    std::vector<std::unique_ptr<Watch>> retired_;
    std::vector<std::function<void()>> posted_;
    uint64_t nextId_ = 1;
    bool running_ = false;
    int exitCode_ = 0;
};
