// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Failure.h"
#include "Fd.h"
#include "Request.h"
#include "RequestHeader.h"
#include "Response.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

class EventLoop;

// One client: reads one framed request without ever blocking, hands it on,
// writes the response and closes.
class Connection {
public:
    static constexpr size_t kMaxHeader = 1024 * 1024;
    static constexpr uint64_t kMaxBody = RequestHeader::kMaxBody;
    static constexpr size_t kLargeBytes = 256 * 1024;
    // A `write` body from this size on goes to its file as it arrives
    // (Request::bodyToCome) instead of being held whole first.
    static constexpr uint64_t kStreamBodyFrom = 256 * 1024;

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
    // ToFile: the request was handled; its body still arrives and goes to
    // sink_ (or, after a failure, nowhere) before the answer.
    enum class State { Header, Body, ToFile, Waiting, Writing, Closed };

    void onEvents(uint32_t events);
    void handleEvents(uint32_t events);
    void readSome();
    void readToFile();
    // A read found the client gone (err 0: at the end of its stream) or
    // failed: says so, closes.
    void lostClient(int err, const std::string& when);
    void takeToFile(const char* data, size_t size);
    bool takeHeader(size_t newline);
    void deliver();
    void writeSome();
    // One sendfile(2) of the file body; false when writing must stop.
    bool sendFileSome();
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

    std::unique_ptr<char[]> chunk_;         // what readToFile reads into
    uint64_t toFileLeft_ = 0;               // body bytes still to come in ToFile
    std::shared_ptr<class FileWrite> sink_; // where they go (null: dropped)
    Response pending_;                      // the answer once they are in
    std::string early_;                     // body bytes that came with the header

    std::string outHeader_;
    std::string outBody_;
    size_t written_ = 0;
    std::shared_ptr<Fd> outFile_; // a body sent with sendfile(2), after outHeader_
    uint64_t outFileLeft_ = 0;
    bool large_ = false;
};
