// SPDX-License-Identifier: GPL-3.0-or-later
#include "Tunnel.h"

#include "EventLoop.h"
#include "Log.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static constexpr size_t kChunk = 65536;
static constexpr int kReadsPerWakeup = 8;

Tunnel::Tunnel(EventLoop& loop, Fd client, Fd tcp, std::string greeting, Finished onFinished)
    : loop_(loop), onFinished_(std::move(onFinished))
{
    client_.fd = std::move(client);
    tcp_.fd = std::move(tcp);
    client_.out = std::move(greeting);
}

Tunnel::~Tunnel()
{
    for (Side* s : {&client_, &tcp_}) {
        if (s->watched)
            loop_.unwatch(s->fd.get());
    }
}

void Tunnel::start()
{
    update(client_, tcp_);
    update(tcp_, client_);
    if (!finished_ && writeTo(client_))
        update(client_, tcp_);
}

void Tunnel::onEvents(Side& side, Side& other, uint32_t events)
{
    if (finished_)
        return;
    // A unix peer that closed its end completely raises HUP at once; a peer
    // that only shut down its writing does not. Nothing it sent is lost: the
    // reads below still drain it.
    if ((events & EPOLLHUP) && !side.writeShut)
        side.gone = true;
    if ((side.interest & EPOLLOUT) && !writeTo(side))
        return;
    if ((side.interest & EPOLLIN) && !readFrom(side, other))
        return;
    if ((events & EPOLLERR) && !(side.interest & (EPOLLIN | EPOLLOUT))) {
        finish("error", 0);
        return;
    }
    update(side, other);
    update(other, side);
}

// false: the tunnel finished.
bool Tunnel::readFrom(Side& side, Side& other)
{
    for (int round = 0; round < kReadsPerWakeup && !side.readEof && other.pending() < kMaxPending; ++round) {
        if (other.outDone == other.out.size()) {
            other.out.clear();
            other.outDone = 0;
        }
        size_t old = other.out.size();
        other.out.resize(old + kChunk);
        ssize_t n = ::read(side.fd.get(), other.out.data() + old, kChunk);
        other.out.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n < 0) {
            finish("read from", errno);
            return false;
        }
        if (n == 0) {
            side.readEof = true;
            break;
        }
    }
    // Hand the bytes on at once rather than waiting for the next wake-up.
    if (other.pending() > 0 && !writeTo(other))
        return false;
    return passEof(side, other);
}

bool Tunnel::writeTo(Side& side)
{
    while (side.pending() > 0) {
        ssize_t n = ::send(side.fd.get(), side.out.data() + side.outDone, side.pending(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n < 0) {
            finish("write to", errno);
            return false;
        }
        side.outDone += static_cast<size_t>(n);
    }
    if (side.outDone == side.out.size()) {
        side.out.clear();
        side.outDone = 0;
    } else if (side.outDone > kMaxPending / 2) {
        side.out.erase(0, side.outDone);
        side.outDone = 0;
    }
    return true;
}

// Passes `from`'s EOF on to `to` once everything before it was delivered.
bool Tunnel::passEof(Side& from, Side& to)
{
    if (!from.readEof || to.pending() > 0 || to.writeShut)
        return true;
    if (from.gone) {
        // The client left for good: what the TCP side could still send has
        // nowhere to go, so the tunnel ends instead of waiting for it.
        finish(nullptr, 0);
        return false;
    }
    if (::shutdown(to.fd.get(), SHUT_WR) != 0 && errno != ENOTCONN) {
        finish("shut down writing to", errno);
        return false;
    }
    to.writeShut = true;
    if (client_.writeShut && tcp_.writeShut) {
        finish(nullptr, 0);
        return false;
    }
    return true;
}

void Tunnel::update(Side& side, Side& other)
{
    if (finished_)
        return;
    if (!passEof(other, side))
        return;
    uint32_t want = 0;
    if (!side.readEof && other.pending() < kMaxPending)
        want |= EPOLLIN;
    if (side.pending() > 0)
        want |= EPOLLOUT;
    if (want == side.interest && (want == 0) == !side.watched)
        return;
    side.interest = want;
    // A descriptor with nothing to do is taken out of epoll: HUP and ERR are
    // reported whatever the mask, and level triggering would spin on them.
    if (want == 0) {
        if (side.watched)
            loop_.unwatch(side.fd.get());
        side.watched = false;
        return;
    }
    if (side.watched) {
        if (!loop_.modify(side.fd.get(), want))
            finish("watch", 0);
        return;
    }
    bool isClient = &side == &client_;
    side.watched = loop_.watch(side.fd.get(), want, [this, isClient](uint32_t events) {
        if (isClient)
            onEvents(client_, tcp_, events);
        else
            onEvents(tcp_, client_, events);
    });
    if (!side.watched)
        finish("watch", 0);
}

void Tunnel::finish(const char* why, int err)
{
    if (finished_)
        return;
    finished_ = true;
    // A peer that hangs up or resets is the normal end of a tunnel, not news.
    if (why && err != 0 && err != EPIPE && err != ECONNRESET)
        Log::sysError(std::string("tunnel: ") + why + " the peer", err);
    for (Side* s : {&client_, &tcp_}) {
        if (s->watched)
            loop_.unwatch(s->fd.get());
        s->watched = false;
        s->fd.reset();
        std::string().swap(s->out);
    }
    onFinished_(*this);
}
