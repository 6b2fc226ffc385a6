// SPDX-License-Identifier: GPL-3.0-or-later
#include "Connection.h"

#include "EventLoop.h"
#include "FileWrite.h"
#include "Json.h"
#include "Log.h"
#include "RequestHeader.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

Connection::Connection(EventLoop& loop, Fd fd, uint64_t id, RequestHandler onRequest,
                       ClosedHandler onClosed)
    : loop_(loop), fd_(std::move(fd)), id_(id), onRequest_(std::move(onRequest)),
      onClosed_(std::move(onClosed))
{
}

Connection::~Connection()
{
    if (fd_.valid())
        loop_.unwatch(fd_.get());
}

bool Connection::start()
{
    return loop_.watch(fd_.get(), EPOLLIN, [this](uint32_t events) { onEvents(events); });
}

void Connection::onEvents(uint32_t events)
{
    try {
        handleEvents(events);
    } catch (const std::bad_alloc&) {
        // A 32 MiB body may not fit under the sandbox's memory limit.
        Log::line("out of memory while serving a client");
        std::string().swap(in_);
        std::string().swap(request_.body);
        if (state_ == State::Header || state_ == State::Body)
            respond(Response::fail(Failure::internal("The agent ran out of memory reading the request.")));
        else
            close();
    }
}

void Connection::handleEvents(uint32_t events)
{
    switch (state_) {
    case State::Header:
    case State::Body:
        readSome();
        break;
    case State::ToFile:
        readToFile();
        break;
    case State::Waiting:
        // Only hang-ups are watched while a request is being served: a client
        // that gave up needs no answer.
        if (events & (EPOLLHUP | EPOLLERR))
            close();
        break;
    case State::Writing:
        if (events & EPOLLERR)
            close();
        else
            writeSome();
        break;
    case State::Closed:
        break;
    }
}

void Connection::readSome()
{
    // Bounded per wake-up so a fast uploader cannot monopolise the loop.
    for (int round = 0; round < 16 && (state_ == State::Header || state_ == State::Body); ++round) {
        size_t want = 65536;
        if (state_ == State::Body)
            want = std::min<size_t>(static_cast<size_t>(bodyLen_) - request_.body.size(), 262144);
        size_t old = state_ == State::Body ? request_.body.size() : in_.size();
        std::string& target = state_ == State::Body ? request_.body : in_;
        target.resize(old + want);
        ssize_t n = ::read(fd_.get(), target.data() + old, want);
        target.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            const int err = n < 0 ? errno : 0;
            lostClient(err, state_ != State::Body ? std::string()
                                                : "after " + std::to_string(request_.body.size()) + " of "
                                                    + std::to_string(bodyLen_) + " body bytes of a '"
                                                    + request_.op + "' request");
            return;
        }
        if (state_ == State::Header) {
            size_t newline = in_.find('\n', scanned_);
            if (newline == std::string::npos) {
                scanned_ = in_.size();
                if (in_.size() > kMaxHeader) {
                    respond(Response::fail({"too_large", "The request header is longer than 1 MiB."}));
                    return;
                }
                continue;
            }
            if (!takeHeader(newline))
                return;
        }
        if (state_ == State::Body && request_.body.size() >= bodyLen_) {
            deliver();
            return;
        }
    }
}

void Connection::readToFile()
{
    static constexpr size_t kChunk = 1024 * 1024;
    if (!chunk_)
        chunk_ = std::make_unique<char[]>(kChunk);
    // Bounded per wake-up so a fast uploader cannot monopolise the loop.
    for (int round = 0; round < 8 && state_ == State::ToFile; ++round) {
        ssize_t n = ::read(fd_.get(), chunk_.get(), std::min<uint64_t>(toFileLeft_, kChunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            // Closing drops sink_, which removes its temporary file.
            const int err = n < 0 ? errno : 0;
            lostClient(err, "with " + std::to_string(toFileLeft_) + " of " + std::to_string(bodyLen_)
                              + " body bytes of a 'write' still to come; nothing written");
            return;
        }
        takeToFile(chunk_.get(), static_cast<size_t>(n));
    }
}

void Connection::lostClient(int err, const std::string& when)
{
    if (err != 0 && err != ECONNRESET)
        Log::sysError("read request", err);
    else if (!when.empty())
        Log::line("client closed the connection " + when);
    close();
}

void Connection::takeToFile(const char* data, size_t size)
{
    toFileLeft_ -= size;
    if (sink_ && !sink_->append(data, size)) {
        pending_ = Response::fail(*sink_->failure());
        sink_.reset();
    }
    if (toFileLeft_ > 0)
        return;
    Response answer = sink_ ? sink_->finish() : std::move(pending_);
    sink_.reset();
    state_ = State::Waiting;
    respond(std::move(answer));
}

bool Connection::takeHeader(size_t newline)
{
    large_ = large_ || newline > kLargeBytes;
    if (newline > kMaxHeader) {
        respond(Response::fail({"too_large", "The request header is longer than 1 MiB."}));
        return false;
    }
    auto parsed = RequestHeader::parse(std::string_view(in_.data(), newline));
    if (!parsed) {
        respond(Response::fail(parsed.failure()));
        return false;
    }
    request_.op = std::move(parsed->op);
    request_.header = std::move(parsed->header);
    bodyLen_ = parsed->bodyLen;
    // Bytes after the newline are the start of the body; anything beyond
    // body_len is not ours to interpret (one request per connection).
    size_t available = in_.size() - newline - 1;
    if (request_.op == "write" && bodyLen_ >= kStreamBodyFrom) {
        early_.assign(in_, newline + 1, std::min<size_t>(available, bodyLen_));
        std::string().swap(in_);
        request_.bodyToCome = bodyLen_;
        toFileLeft_ = bodyLen_;
        deliver(); // its answer (respond) says where the body goes
        return false;
    }
    request_.body.reserve(bodyLen_);
    request_.body.assign(in_, newline + 1, std::min<size_t>(available, bodyLen_));
    std::string().swap(in_);
    state_ = State::Body;
    return true;
}

void Connection::deliver()
{
    state_ = State::Waiting;
    loop_.modify(fd_.get(), 0);
    Request request = std::move(request_);
    request_ = Request();
    onRequest_(*this, std::move(request));
}

void Connection::respond(Response response)
{
    if (state_ == State::Closed || state_ == State::Writing)
        return;
    if (state_ == State::Waiting && toFileLeft_ > 0) {
        // The request was handled before its body came: the body goes to
        // its file (or, when the handler failed, is read and dropped, so
        // the client's writes do not fail), then the answer goes out.
        sink_ = std::move(response.awaitingBody);
        pending_ = std::move(response);
        state_ = State::ToFile;
        loop_.modify(fd_.get(), EPOLLIN);
        std::string early = std::move(early_);
        takeToFile(early.data(), early.size());
        return;
    }
    if (response.hasBody) {
        response.header["body_len"] = response.body.size();
        outBody_ = std::move(response.body);
    } else if (response.file && response.file->valid()) {
        response.header["body_len"] = response.fileBytes;
        outFile_ = std::move(response.file);
        outFileLeft_ = response.fileBytes;
        // Fewer, larger hand-overs to the engine (the kernel caps this at
        // net.core.wmem_max; failing, the default stays).
        int sendBuffer = 1024 * 1024;
        setsockopt(fd_.get(), SOL_SOCKET, SO_SNDBUF, &sendBuffer, sizeof sendBuffer);
    }
    outHeader_ = Json::dump(response.header);
    outHeader_.push_back('\n');
    large_ = large_ || outHeader_.size() + outBody_.size() > kLargeBytes || bodyLen_ > kLargeBytes
        || in_.capacity() > kLargeBytes;
    std::string().swap(in_);
    state_ = State::Writing;
    loop_.modify(fd_.get(), EPOLLOUT);
    writeSome();
}

void Connection::writeSome()
{
    for (;;) {
        size_t total = outHeader_.size() + outBody_.size();
        if (written_ >= total && outFileLeft_ > 0) {
            if (!sendFileSome())
                return;
            continue;
        }
        if (written_ >= total) {
            close();
            return;
        }
        iovec iov[2];
        int count = 0;
        if (written_ < outHeader_.size()) {
            iov[count++] = {outHeader_.data() + written_, outHeader_.size() - written_};
            if (!outBody_.empty())
                iov[count++] = {outBody_.data(), outBody_.size()};
        } else {
            size_t offset = written_ - outHeader_.size();
            iov[count++] = {outBody_.data() + offset, outBody_.size() - offset};
        }
        ssize_t n = ::writev(fd_.get(), iov, count);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return; // EPOLLOUT brings us back
        if (n < 0) {
            // EPIPE/ECONNRESET: the client left before reading its answer.
            if (errno != EPIPE && errno != ECONNRESET)
                Log::sysError("write response", errno);
            close();
            return;
        }
        written_ += static_cast<size_t>(n);
    }
}

bool Connection::sendFileSome()
{
    ssize_t n = ::sendfile(fd_.get(), outFile_->get(), nullptr, std::min<uint64_t>(outFileLeft_, 1 << 20));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return errno == EINTR; // EAGAIN: EPOLLOUT brings us back
    if (n <= 0) {
        // The file shrank (or cannot be read) after body_len was sent: the
        // client must see the body cut short, not a different file.
        if (n < 0 && errno != EPIPE && errno != ECONNRESET)
            Log::sysError("send file", errno);
        else if (n == 0)
            Log::line("a file shrank while it was being sent; the answer was cut short");
        close();
        return false;
    }
    outFileLeft_ -= static_cast<uint64_t>(n);
    return true;
}

Fd Connection::detach()
{
    if (state_ == State::Closed)
        return Fd();
    state_ = State::Closed;
    loop_.unwatch(fd_.get());
    Fd fd = std::move(fd_);
    sink_.reset();
    outFile_.reset();
    outFileLeft_ = 0;
    std::string().swap(outBody_);
    std::string().swap(request_.body);
    onClosed_(id_);
    return fd;
}

void Connection::close()
{
    if (state_ == State::Closed)
        return;
    state_ = State::Closed;
    loop_.unwatch(fd_.get());
    fd_.reset();
    sink_.reset();
    outFile_.reset();
    outFileLeft_ = 0;
    std::string().swap(outBody_);
    std::string().swap(request_.body);
    onClosed_(id_);
}
