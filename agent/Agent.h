// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CommandTable.h"
#include "TouchRecorder.h"
#include "Connection.h"
#include "Fd.h"
#include "KernelDriver.h"
#include "PortOps.h"
#include "PtyTable.h"
#include "Timer.h"
#include "WatchTable.h"

#include <cstdint>
#include <memory>
#include <unordered_map>

class EventLoop;

// The agent as a whole: accepts clients, routes their requests, and does the
// PID 1 work (reaping, orderly shutdown on SIGTERM/SIGINT).
class Agent {
public:
    Agent(EventLoop& loop, Fd listener);
    bool start();

private:
    void acceptClients();
    void onSignals();
    void reapChildren();
    void beginShutdown();
    void finishShutdown();
    void dispatch(Connection& connection, Request request);
    // `claim`: see PROTOCOL.md.
    Response claim(const Request& request);
    void reply(uint64_t connection, const Response& response);
    void dropConnection(uint64_t id);

    EventLoop& loop_;
    Fd listener_;
    Fd signals_;
    Fd spare_; // given up for a moment when descriptors run out, see acceptClients
    std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
    TouchRecorder touches_; // before the two that use it
    CommandTable commands_;
    PortOps ports_;
    KernelDriver code_;
    PtyTable ptys_;
    WatchTable watches_;
    uint64_t nextConnection_ = 1;
    int64_t startedMs_;
    bool isInit_;
    bool shuttingDown_ = false;
    std::unique_ptr<Timer> shutdownTimer_;
};
