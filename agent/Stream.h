// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

class EventLoop;

// A client connection that stays open after its answer and carries frames
// (PROTOCOL.md, "Streams"). Frames are queued without limit; the producer
// asks congested() and stops reading its source, so nothing is ever lost.
//
// Owned through shared_ptr: while the socket is open the event loop holds a
// reference too, so a stream that was finished by its owner still flushes
// its last frames after the owner let go of it.
class Stream : public std::enable_shared_from_this<Stream> {
public:
    static constexpr size_t kHighWater = 1024 * 1024;

    Stream(EventLoop& loop, Fd fd, std::string name);
    ~Stream();
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    // Starts watching the socket. onDrained: the queue fell to kHighWater or
    // less after being above it. onClosed: the socket is gone (client left,
    // write failed, or a finished stream was flushed).
    bool start(std::function<void()> onDrained, std::function<void()> onClosed);
    // The owner no longer wants to hear from the stream.
    void forgetOwner();

    void send(const nlohmann::json& header, std::string_view body = {});
    // Closes once everything queued has been written.
    void finish();

    bool closed() const { return !fd_.valid(); }
    bool congested() const { return queued_ > kHighWater; }
    size_t queued() const { return queued_; }

private:
    void onEvents(uint32_t events);
    void discardInput();
    void writeSome();
    void updateInterest();
    void close();

    EventLoop& loop_;
    Fd fd_;
    std::string name_; // for diagnostics: "stream of pty_…"
    std::deque<std::string> out_;
    size_t sentOfFront_ = 0;
    size_t queued_ = 0;
    bool finishing_ = false;
    bool wantWrite_ = false;
    std::function<void()> onDrained_;
    std::function<void()> onClosed_;
};
