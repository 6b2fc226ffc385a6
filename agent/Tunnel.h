// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"

#include <cstdint>
#include <functional>
#include <string>

class EventLoop;

// Relays raw bytes both ways between a client connection and a TCP
// connection inside the sandbox. Each direction stops reading while more than
// kMaxPending bytes wait for the other side; an EOF is passed on as
// shutdown(SHUT_WR) once the bytes before it are delivered; the tunnel ends
// when both directions ended or either side failed.
class Tunnel {
public:
    static constexpr size_t kMaxPending = 1024 * 1024;
    using Finished = std::function<void(Tunnel&)>;

    // `greeting` is sent to the client before any relayed byte.
    Tunnel(EventLoop& loop, Fd client, Fd tcp, std::string greeting, Finished onFinished);
    ~Tunnel();
    Tunnel(const Tunnel&) = delete;
    Tunnel& operator=(const Tunnel&) = delete;

    void start();

private:
    struct Side {
        Fd fd;
        std::string out;    // bytes waiting to be written to this side
        size_t outDone = 0; // of `out`, already written
        uint32_t interest = 0;
        bool watched = false;
        bool readEof = false;   // this side sent EOF
        bool writeShut = false; // EOF passed on to this side
        bool gone = false;      // hung up completely; nothing can reach it any more

        size_t pending() const { return out.size() - outDone; }
    };

    void onEvents(Side& side, Side& other, uint32_t events);
    bool readFrom(Side& side, Side& other);
    bool writeTo(Side& side);
    bool passEof(Side& from, Side& to);
    void update(Side& side, Side& other);
    void finish(const char* why, int err);

    EventLoop& loop_;
    Side client_;
    Side tcp_;
    Finished onFinished_;
    bool finished_ = false;
};
