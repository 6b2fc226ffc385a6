// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Failure.h"
#include "Fd.h"
#include "Request.h"
#include "RequestHeader.h"
#include "Response.h"

#include <cstdint>
#include <functional>
#include <string>

class EventLoop;

// One client: reads one framed request without ever blocking, hands it on,
// writes the response and closes.
class Connection {
public:
    static constexpr size_t kMaxHeader = 1024 * 1024;
    static constexpr uint64_t kMaxBody = RequestHeader::kMaxBody;
    static constexpr size_t kLargeBytes = 256 * 1024;

    using RequestHandler = std::function<void(Connection&, Request)>;
    using ClosedHandler = std::function<void(uint64_t id)>;

    Connection(EventLoop& loop, Fd fd, uint64_t id, RequestHandler onRequest, ClosedHandler onClosed);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool start();
    uint64_t id() const { return id_; }
    // Moved a lot of bytes; worth giving freed memory back afterwards.
    bool wasLarge() const { return large_; }
    // Taken by value so a 32 MiB body is moved, not copied.
    void respond(Response response);
    // Hands the socket to whoever serves the request from now on (a tunnel,
    // a stream) and retires the connection; invalid once it was closed.
    Fd detach();

private:
    enum class State { Header, Body, Waiting, Writing, Closed };

    void onEvents(uint32_t events);
    void handleEvents(uint32_t events);
    void readSome();
    bool takeHeader(size_t newline);
    void deliver();
    void writeSome();
    void close();

    EventLoop& loop_;
    Fd fd_;
    uint64_t id_;
    RequestHandler onRequest_;
    ClosedHandler onClosed_;
    State state_ = State::Header;

    std::string in_;
    size_t scanned_ = 0; // bytes of in_ already searched for the newline
    Request request_;
    uint64_t bodyLen_ = 0;

    std::string outHeader_;
    std::string outBody_;
    size_t written_ = 0;
    bool large_ = false;
};
