// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "Result.h"
#include "Timer.h"

#include <cstdint>
#include <functional>
#include <memory>

class EventLoop;

// A non-blocking connect to a port of the sandbox's own loopback: 127.0.0.1
// first, then ::1. The result arrives through `done`, possibly from within
// start(); `done` must not destroy the connector (post the destruction).
class TcpConnector {
public:
    static constexpr int64_t kTimeoutMs = 10000;
    using Done = std::function<void(Result<Fd>)>;

    TcpConnector(EventLoop& loop, uint16_t port, Done done);
    ~TcpConnector();
    TcpConnector(const TcpConnector&) = delete;
    TcpConnector& operator=(const TcpConnector&) = delete;

    void start();

private:
    void tryNext();
    void onWritable();
    void stopWaiting();
    void finish(Result<Fd> result);

    EventLoop& loop_;
    uint16_t port_;
    Done done_;
    Fd socket_;
    int attempt_ = 0;
    bool refused_ = false; // some address answered "refused"
    int lastError_ = 0;
    bool finished_ = false;
    std::unique_ptr<Timer> timeout_;
};
