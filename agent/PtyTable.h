// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Pty.h"
#include "Request.h"
#include "Response.h"
#include "Users.h"

#include <memory>
#include <optional>
#include <vector>

class Connection;
class EventLoop;

// The terminal operations of PROTOCOL.md ("Terminals (PTYs)") and the
// lifetime of terminals: at most kMaxPtys, an exited one kept until its
// output was read or kKeepExitedMs passed.
class PtyTable {
public:
    static constexpr size_t kMaxPtys = 32;
    static constexpr int64_t kKeepExitedMs = 10 * 60 * 1000;
    static constexpr int64_t kMaxSize = 1000;

    explicit PtyTable(EventLoop& loop);

    static bool handles(const Request& request);
    // nullopt: the connection became a stream and is answered there.
    std::optional<Response> handle(const Request& request, const Users& users, Connection& connection);

    // Called for every reaped child; unknown pids are ignored.
    void onExit(pid_t pid, int waitStatus);
    // Sends `sig` to the process group of every terminal.
    void signalAll(int sig);

private:
    Response start(const Request& r, const Users& users);
    Response send(const Request& r);
    Response read(const Request& r);
    Response resize(const Request& r);
    Response kill(const Request& r);
    Response list() const;
    std::optional<Response> stream(const Request& r, Connection& connection);

    Result<Pty*> find(const nlohmann::json& header);
    void prune();

    EventLoop& loop_;
    std::vector<std::unique_ptr<Pty>> ptys_; // in start order
};
