// SPDX-License-Identifier: GPL-3.0-or-later
#include "Stream.h"

#include "EventLoop.h"
#include "Json.h"
#include "Log.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>

Stream::Stream(EventLoop& loop, Fd fd, std::string name)
    : loop_(loop), fd_(std::move(fd)), name_(std::move(name))
{
}

// The loop holds a reference while the socket is watched, so by the time a
// stream is destroyed it is no longer watched; only the descriptor is left.
Stream::~Stream() = default;

bool Stream::start(std::function<void()> onDrained, std::function<void()> onClosed)
{
    onDrained_ = std::move(onDrained);
    onClosed_ = std::move(onClosed);
    std::shared_ptr<Stream> self = shared_from_this();
    wantWrite_ = queued_ > 0;
    if (!loop_.watch(fd_.get(), EPOLLIN | EPOLLRDHUP | (wantWrite_ ? EPOLLOUT : 0u),
                     [self](uint32_t events) { self->onEvents(events); })) {
        fd_.reset();
        return false;
    }
    writeSome();
    return true;
}

void Stream::forgetOwner()
{
    onDrained_ = nullptr;
    onClosed_ = nullptr;
}

void Stream::send(const nlohmann::json& header, std::string_view body)
{
    if (closed() || finishing_)
        return;
    nlohmann::json h = header;
    if (!body.empty())
        h["body_len"] = body.size();
    std::string frame = Json::dump(h);
    frame.push_back('\n');
    frame.append(body);
    queued_ += frame.size();
    out_.push_back(std::move(frame));
    writeSome();
}

void Stream::finish()
{
    if (closed() || finishing_)
        return;
    finishing_ = true;
    writeSome();
}

void Stream::onEvents(uint32_t events)
{
    if (closed())
        return;
    if (events & EPOLLIN)
        discardInput();
    if (closed())
        return;
    if (events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
        // The client hung up or shut its side: either ends the stream.
        close();
        return;
    }
    if (events & EPOLLOUT)
        writeSome();
}

void Stream::discardInput()
{
    // Nothing is expected from the client once streaming; a read of 0 is its
    // way of ending the stream.
    char scratch[4096];
    for (int round = 0; round < 16; ++round) {
        ssize_t n = ::read(fd_.get(), scratch, sizeof scratch);
        if (n > 0)
            continue;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0 && errno != ECONNRESET)
            Log::sysError("read from the client of the " + name_, errno);
        close();
        return;
    }
}

void Stream::writeSome()
{
    bool wasCongested = congested();
    while (!closed() && !out_.empty()) {
        iovec iov[16];
        int count = 0;
        for (auto it = out_.begin(); it != out_.end() && count < 16; ++it) {
            size_t skip = count == 0 ? sentOfFront_ : 0;
            iov[count++] = {it->data() + skip, it->size() - skip};
        }
        ssize_t n = ::writev(fd_.get(), iov, count);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n < 0) {
            if (errno != EPIPE && errno != ECONNRESET)
                Log::sysError("write to the client of the " + name_, errno);
            close();
            return;
        }
        size_t done = static_cast<size_t>(n);
        queued_ -= done;
        while (done > 0) {
            size_t left = out_.front().size() - sentOfFront_;
            if (done < left) {
                sentOfFront_ += done;
                break;
            }
            done -= left;
            out_.pop_front();
            sentOfFront_ = 0;
        }
    }
    if (closed())
        return;
    if (out_.empty() && finishing_) {
        close();
        return;
    }
    updateInterest();
    if (wasCongested && !congested() && onDrained_)
        onDrained_();
}

void Stream::updateInterest()
{
    bool want = !out_.empty();
    if (want == wantWrite_)
        return;
    wantWrite_ = want;
    loop_.modify(fd_.get(), EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0u));
}

void Stream::close()
{
    if (closed())
        return;
    loop_.unwatch(fd_.get());
    fd_.reset();
    out_.clear();
    queued_ = 0;
    auto onClosed = std::move(onClosed_);
    forgetOwner();
    if (onClosed)
        onClosed();
}
