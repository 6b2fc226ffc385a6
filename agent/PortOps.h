// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "Request.h"
#include "Response.h"
#include "Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

class EventLoop;
class TcpConnector;
class Tunnel;

// The Ports operations of PROTOCOL.md: `ports` lists what listens, `tunnel`
// turns a client connection into a byte pipe to a port of the sandbox.
class PortOps {
public:
    // Answers a connection whose tunnel could not be opened.
    using Reply = std::function<void(uint64_t connection, const Response& response)>;
    // Takes the client's socket out of its Connection; invalid when the
    // client is gone already.
    using TakeClient = std::function<Fd(uint64_t connection)>;
    // Ports the agent's own helpers listen on (the run_code kernel's), left
    // out of `ports`.
    using InternalPorts = std::function<std::vector<uint16_t>()>;

    PortOps(EventLoop& loop, Reply reply, TakeClient takeClient, InternalPorts internalPorts);
    ~PortOps();
    PortOps(const PortOps&) = delete;
    PortOps& operator=(const PortOps&) = delete;

    static bool handles(const Request& request);
    // nullopt: the answer comes once the connect finished.
    std::optional<Response> handle(const Request& request, uint64_t connection);

    size_t tunnelCount() const { return tunnels_.size(); }

private:
    Response ports() const;
    std::optional<Response> tunnel(const Request& request, uint64_t connection);
    void connected(uint64_t key, uint64_t connection, Result<Fd> result);

    EventLoop& loop_;
    Reply reply_;
    TakeClient takeClient_;
    InternalPorts internalPorts_;
    uint64_t nextKey_ = 1;
    std::unordered_map<uint64_t, std::unique_ptr<TcpConnector>> connecting_;
    std::unordered_map<const Tunnel*, std::unique_ptr<Tunnel>> tunnels_;
};
