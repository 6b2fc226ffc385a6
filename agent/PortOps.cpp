// SPDX-License-Identifier: GPL-3.0-or-later
#include "PortOps.h"

#include "EventLoop.h"
#include "Json.h"
#include "TcpConnector.h"
#include "TcpTable.h"
#include "Tunnel.h"

#include <algorithm>

PortOps::PortOps(EventLoop& loop, Reply reply, TakeClient takeClient, InternalPorts internalPorts)
    : loop_(loop), reply_(std::move(reply)), takeClient_(std::move(takeClient)),
      internalPorts_(std::move(internalPorts))
{
}

PortOps::~PortOps() = default;

bool PortOps::handles(const Request& request)
{
    return request.op == "ports" || request.op == "tunnel";
}

std::optional<Response> PortOps::handle(const Request& request, uint64_t connection)
{
    if (request.op == "ports")
        return ports();
    return tunnel(request, connection);
}

Response PortOps::ports() const
{
    auto listening = TcpTable::listening();
    if (!listening)
        return Response::fail(listening.failure());
    const std::vector<uint16_t> internal = internalPorts_ ? internalPorts_() : std::vector<uint16_t>();
    nlohmann::json all = nlohmann::json::array();
    for (const ListeningPort& p : *listening) {
        if (std::find(internal.begin(), internal.end(), p.port) == internal.end())
            all.push_back({{"port", p.port}, {"address", p.address}});
    }
    Response r = Response::ok();
    r.header["ports"] = std::move(all);
    return r;
}

std::optional<Response> PortOps::tunnel(const Request& request, uint64_t connection)
{
    if (!request.header.contains("port") || request.header["port"].is_null())
        return Response::fail(Failure::badRequest("Field 'port' is required."));
    auto port = Json::integer(request.header, "port", 0, 1, 65535);
    if (!port)
        return Response::fail(port.failure());
    uint64_t key = nextKey_++;
    auto connector = std::make_unique<TcpConnector>(
        loop_, static_cast<uint16_t>(*port),
        [this, key, connection](Result<Fd> result) { connected(key, connection, std::move(result)); });
    TcpConnector& started = *connector;
    connecting_.emplace(key, std::move(connector));
    started.start();
    return std::nullopt;
}

void PortOps::connected(uint64_t key, uint64_t connection, Result<Fd> result)
{
    // The connector is on the call stack.
    loop_.post([this, key] { connecting_.erase(key); });
    if (!result) {
        reply_(connection, Response::fail(result.failure()));
        return;
    }
    Fd client = takeClient_(connection);
    if (!client.valid())
        return; // the client gave up while we connected; the socket closes here
    auto tunnel = std::make_unique<Tunnel>(loop_, std::move(client), std::move(*result), "{\"ok\":true}\n",
                                           [this](Tunnel& done) {
                                               const Tunnel* t = &done;
                                               loop_.post([this, t] { tunnels_.erase(t); });
                                           });
    Tunnel& started = *tunnel;
    tunnels_.emplace(&started, std::move(tunnel));
    started.start();
}
