// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DirWatch.h"
#include "Request.h"
#include "Response.h"
#include "Users.h"

#include <memory>
#include <optional>
#include <vector>

class Connection;
class EventLoop;

// The file watch operations of PROTOCOL.md ("File watches").
class WatchTable {
public:
    static constexpr size_t kMaxWatches = 64;

    explicit WatchTable(EventLoop& loop);

    static bool handles(const Request& request);
    // nullopt: the connection became a stream and is answered there.
    std::optional<Response> handle(const Request& request, const Users& users, Connection& connection);

private:
    Response start(const Request& r, const Users& users);
    Response poll(const Request& r);
    Response stop(const Request& r);
    std::optional<Response> stream(const Request& r, Connection& connection);
    Result<DirWatch*> find(const nlohmann::json& header);

    EventLoop& loop_;
    std::vector<std::unique_ptr<DirWatch>> watches_;
};
