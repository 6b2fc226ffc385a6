// SPDX-License-Identifier: GPL-3.0-or-later
#include "Pty.h"

#include "Clock.h"
#include "EventLoop.h"
#include "Log.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static constexpr size_t kFrameBytes = 65536;

Pty::Pty(EventLoop& loop, Info info, Fd master) : loop_(loop), info_(std::move(info)), master_(std::move(master))
{
    updateInterest();
}

Pty::~Pty()
{
    if (interest_ != 0)
        loop_.unwatch(master_.get());
    for (auto& s : streams_) {
        s->forgetOwner();
        s->finish();
    }
}

nlohmann::json Pty::summary() const
{
    return {{"pty_id", info_.id},
            {"pid", info_.pid},
            {"cols", info_.cols},
            {"rows", info_.rows},
            {"alive", !finished()},
            {"exit_code", exitCode_ ? nlohmann::json(*exitCode_) : nlohmann::json(nullptr)},
            {"cmd", info_.cmd},
            {"user", info_.user},
            {"started_at_ms", info_.startedAtMs}};
}

void Pty::updateInterest()
{
    uint32_t want = 0;
    if (master_.valid()) {
        if (!paused_)
            want |= EPOLLIN;
        if (!pendingInput_.empty())
            want |= EPOLLOUT;
    }
    if (want == interest_)
        return;
    // Not watched at all rather than watched for nothing: epoll reports a
    // hang-up of the slave side even for an empty mask, and a paused
    // terminal must not spin on it.
    if (want == 0) {
        loop_.unwatch(master_.get());
    } else if (interest_ == 0) {
        if (!loop_.watch(master_.get(), want, [this](uint32_t events) { onEvents(events); }))
            want = 0;
    } else if (!loop_.modify(master_.get(), want)) {
        return;
    }
    interest_ = want;
}

void Pty::onEvents(uint32_t events)
{
    if (events & EPOLLOUT)
        flushInput();
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        readMaster(16);
}

void Pty::readMaster(int maxReads)
{
    static char chunk[kFrameBytes];
    for (int i = 0; i < maxReads && master_.valid() && !paused_; ++i) {
        ssize_t n = ::read(master_.get(), chunk, sizeof chunk);
        if (n > 0) {
            uint64_t offset = ring_.end();
            ring_.append(chunk, static_cast<size_t>(n));
            fanOut(chunk, static_cast<size_t>(n), offset);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            // Everything there is was read; after the exit grace nothing that
            // still holds the terminal gets to delay the end any longer.
            if (exitGraceOver_)
                closeMaster();
            return;
        }
        // EIO: the last holder of the slave side is gone, all output is read.
        if (n < 0 && errno != EIO)
            Log::sysError("read terminal " + info_.id, errno);
        closeMaster();
        return;
    }
}

void Pty::fanOut(const char* data, size_t size, uint64_t offset)
{
    std::erase_if(streams_, [](const std::shared_ptr<Stream>& s) { return s->closed(); });
    nlohmann::json header = {{"type", "data"}, {"offset", offset}};
    for (size_t i = 0; i < streams_.size(); ++i)
        streams_[i]->send(header, std::string_view(data, size));
    if (!paused_ && anyCongested()) {
        paused_ = true;
        updateInterest();
    }
}

bool Pty::anyCongested() const
{
    return std::any_of(streams_.begin(), streams_.end(),
                       [](const std::shared_ptr<Stream>& s) { return !s->closed() && s->congested(); });
}

void Pty::resumeIfDrained()
{
    if (!paused_ || anyCongested())
        return;
    paused_ = false;
    updateInterest();
    // The exit grace may have ended while paused; its close happens on the
    // next read that finds nothing.
}

Result<size_t> Pty::send(const std::string& bytes)
{
    if (exitCode_ || !master_.valid())
        return Failure::conflict("Terminal " + info_.id + " has exited; it takes no more input.");
    if (pendingInput_.size() + bytes.size() > kMaxPendingInput)
        return Failure{"too_large", "Terminal " + info_.id + " already has "
                                       + std::to_string(pendingInput_.size())
                                       + " bytes of input waiting; it is not reading."};
    pendingInput_ += bytes;
    flushInput();
    return bytes.size();
}

void Pty::flushInput()
{
    while (!pendingInput_.empty() && master_.valid()) {
        ssize_t n = ::write(master_.get(), pendingInput_.data(), pendingInput_.size());
        if (n > 0) {
            pendingInput_.erase(0, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n < 0 && errno != EIO)
            Log::sysError("write terminal " + info_.id, errno);
        // Nobody holds the terminal any more: the input can never arrive.
        pendingInput_.clear();
    }
    if (pendingInput_.empty())
        std::string().swap(pendingInput_);
    updateInterest();
}

Response Pty::read()
{
    // Whatever already arrived belongs in this answer.
    readMaster(16);
    uint64_t start = ring_.start();
    bool dropped = readCursor_ < start;
    uint64_t offset = std::max(readCursor_, start);
    Response r = Response::ok();
    r.body = ring_.copy(offset, kMaxRead);
    r.hasBody = true;
    readCursor_ = offset + r.body.size();
    r.header["alive"] = !finished();
    r.header["exit_code"] = exitCode_ ? nlohmann::json(*exitCode_) : nlohmann::json(nullptr);
    r.header["dropped"] = dropped;
    r.header["offset"] = offset;
    return r;
}

std::optional<Failure> Pty::resize(int cols, int rows)
{
    if (!master_.valid())
        return Failure::conflict("Terminal " + info_.id + " has exited and cannot be resized.");
    winsize size{};
    size.ws_col = static_cast<unsigned short>(cols);
    size.ws_row = static_cast<unsigned short>(rows);
    if (ioctl(master_.get(), TIOCSWINSZ, &size) != 0)
        return Failure::fromErrno(errno, "resizing terminal " + info_.id);
    info_.cols = cols;
    info_.rows = rows;
    return std::nullopt;
}

std::optional<Failure> Pty::kill()
{
    if (exitCode_)
        return std::nullopt;
    if (::kill(-info_.pid, SIGHUP) != 0 && errno != ESRCH)
        return Failure::fromErrno(errno, "process group of terminal " + info_.id);
    pid_t group = info_.pid;
    killGrace_ = std::make_unique<Timer>(loop_, [group] {
        // kill(…, 0) probes the group: what ignored SIGHUP gets SIGKILL.
        if (::kill(-group, 0) == 0 && ::kill(-group, SIGKILL) != 0 && errno != ESRCH)
            Log::sysError("kill process group " + std::to_string(group), errno);
    });
    killGrace_->start(kKillGraceMs);
    return std::nullopt;
}

void Pty::signal(int sig)
{
    if (::kill(-info_.pid, sig) != 0 && errno != ESRCH)
        Log::sysError("kill terminal " + info_.id, errno);
}

void Pty::addStream(std::shared_ptr<Stream> stream, uint64_t from)
{
    std::erase_if(streams_, [](const std::shared_ptr<Stream>& s) { return s->closed(); });
    uint64_t start = ring_.start();
    bool dropped = from < start;
    uint64_t offset = std::clamp(from, start, ring_.end());
    Stream* raw = stream.get();
    bool started = stream->start([this] { resumeIfDrained(); }, [this] { resumeIfDrained(); });
    if (!started)
        return;
    Response ok = Response::ok();
    ok.header["offset"] = offset;
    raw->send(ok.header);
    while (offset < ring_.end()) {
        std::string bytes = ring_.copy(offset, kFrameBytes);
        nlohmann::json header = {{"type", "data"}, {"offset", offset}};
        if (dropped)
            header["dropped"] = true;
        dropped = false;
        raw->send(header, bytes);
        offset += bytes.size();
    }
    if (finished()) {
        raw->send({{"type", "exit"}, {"exit_code", *exitCode_}});
        raw->forgetOwner();
        raw->finish();
        return;
    }
    streams_.push_back(std::move(stream));
    if (!paused_ && anyCongested()) {
        paused_ = true;
        updateInterest();
    }
}

void Pty::onExit(int waitStatus)
{
    if (WIFEXITED(waitStatus))
        exitCode_ = WEXITSTATUS(waitStatus);
    else if (WIFSIGNALED(waitStatus))
        exitCode_ = 128 + WTERMSIG(waitStatus);
    else
        exitCode_ = 255;
    killGrace_.reset();
    std::string().swap(pendingInput_);
    if (!master_.valid()) {
        finishStreams();
        return;
    }
    readMaster(64);
    if (!master_.valid())
        return;
    exitGrace_ = std::make_unique<Timer>(loop_, [this] {
        exitGraceOver_ = true;
        readMaster(64);
    });
    exitGrace_->start(kExitGraceMs);
    updateInterest();
}

void Pty::closeMaster()
{
    if (!master_.valid())
        return;
    if (interest_ != 0)
        loop_.unwatch(master_.get());
    interest_ = 0;
    master_.reset();
    std::string().swap(pendingInput_);
    if (exitCode_)
        finishStreams();
}

void Pty::finishStreams()
{
    finishedAtMs_ = Clock::monotonicMs();
    exitGrace_.reset();
    auto streams = std::move(streams_);
    streams_.clear();
    for (auto& s : streams) {
        s->send({{"type", "exit"}, {"exit_code", *exitCode_}});
        s->forgetOwner();
        s->finish();
    }
}
