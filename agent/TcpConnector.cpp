// SPDX-License-Identifier: GPL-3.0-or-later
#include "TcpConnector.h"

#include "EventLoop.h"
#include "Log.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>

TcpConnector::TcpConnector(EventLoop& loop, uint16_t port, Done done)
    : loop_(loop), port_(port), done_(std::move(done))
{
}

TcpConnector::~TcpConnector()
{
    stopWaiting();
}

void TcpConnector::start()
{
    timeout_ = std::make_unique<Timer>(loop_, [this] {
        stopWaiting();
        finish(Failure{"timeout", "Connecting to port " + std::to_string(port_)
                                      + " in the sandbox took longer than 10 seconds."});
    });
    timeout_->start(kTimeoutMs);
    tryNext();
}

void TcpConnector::tryNext()
{
    while (attempt_ < 2 && !finished_) {
        bool v6 = attempt_++ == 1;
        sockaddr_storage storage{};
        socklen_t length;
        if (v6) {
            auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
            a->sin6_family = AF_INET6;
            a->sin6_port = htons(port_);
            a->sin6_addr = in6addr_loopback;
            length = sizeof *a;
        } else {
            auto* a = reinterpret_cast<sockaddr_in*>(&storage);
            a->sin_family = AF_INET;
            a->sin_port = htons(port_);
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            length = sizeof *a;
        }
        socket_.reset(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        if (!socket_.valid()) {
            // EAFNOSUPPORT: a sandbox without IPv6 simply has no ::1 to try.
            lastError_ = errno;
            continue;
        }
        int r;
        do {
            r = ::connect(socket_.get(), reinterpret_cast<sockaddr*>(&storage), length);
        } while (r != 0 && errno == EINTR);
        if (r == 0) {
            finish(std::move(socket_));
            return;
        }
        if (errno == EINPROGRESS) {
            if (loop_.watch(socket_.get(), EPOLLOUT, [this](uint32_t) { onWritable(); }))
                return;
            lastError_ = ENOMEM;
            socket_.reset();
            continue;
        }
        lastError_ = errno;
        refused_ = refused_ || errno == ECONNREFUSED;
        socket_.reset();
    }
    if (finished_)
        return;
    std::string port = std::to_string(port_);
    if (refused_ || lastError_ == 0)
        finish(Failure{"connection_refused", "Nothing accepts connections on port " + port
                                                 + " in the sandbox (127.0.0.1 and ::1 refused)."});
    else
        finish(Failure::internal("Cannot connect to port " + port + " in the sandbox: "
                                 + std::strerror(lastError_) + "."));
}

void TcpConnector::onWritable()
{
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    stopWaiting();
    if (err == 0) {
        finish(std::move(socket_));
        return;
    }
    lastError_ = err;
    refused_ = refused_ || err == ECONNREFUSED;
    socket_.reset();
    tryNext();
}

void TcpConnector::stopWaiting()
{
    if (socket_.valid())
        loop_.unwatch(socket_.get());
}

void TcpConnector::finish(Result<Fd> result)
{
    if (finished_)
        return;
    finished_ = true;
    if (timeout_)
        timeout_->stop();
    socket_.reset();
    done_(std::move(result));
}
