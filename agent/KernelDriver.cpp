// SPDX-License-Identifier: GPL-3.0-or-later
#include "KernelDriver.h"

#include "Connection.h"
#include "EventLoop.h"
#include "Json.h"
#include "Log.h"
#include "ProcessSpawner.h"
#include "Stream.h"
#include "TouchRecorder.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static constexpr size_t kErrorTail = 4096;

namespace {

std::string shellQuote(const std::string& s)
{
    std::string out = "'";
    for (char ch : s) {
        if (ch == '\'')
            out += "'\\''";
        else
            out += ch;
    }
    return out + "'";
}

std::string envOr(const char* name, const char* fallback)
{
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::string(fallback);
}

// Only the fields PROTOCOL.md names: a typo must not pass silently.
std::optional<Failure> unknownField(const nlohmann::json& header, std::initializer_list<const char*> known)
{
    for (auto it = header.begin(); it != header.end(); ++it) {
        bool ok = it.key() == "op" || it.key() == "body_len";
        for (const char* k : known)
            ok = ok || it.key() == k;
        if (!ok)
            return Failure::badRequest("Field '" + it.key() + "' is not known to '"
                                       + header["op"].get<std::string>() + "'.");
    }
    return std::nullopt;
}

} // namespace

KernelDriver::KernelDriver(EventLoop& loop, Reply reply, TouchRecorder& touches)
    : loop_(loop), reply_(std::move(reply)), touches_(touches)
{
}

KernelDriver::~KernelDriver()
{
    closeProcess();
}

bool KernelDriver::handles(const Request& request)
{
    return request.op == "code_run" || request.op == "code_interrupt" || request.op == "code_restart";
}

std::optional<Response> KernelDriver::handle(const Request& request, const Users& users, Connection& connection)
{
    if (request.op == "code_run")
        return run(request, users, connection);
    if (auto bad = unknownField(request.header, {}))
        return Response::fail(*bad);
    if (request.op == "code_interrupt")
        return interrupt();
    return restart(request, connection);
}

std::optional<Response> KernelDriver::run(const Request& request, const Users& users, Connection& connection)
{
    if (auto bad = unknownField(request.header, {"code", "timeout_ms"}))
        return Response::fail(*bad);
    auto code = Json::requiredString(request.header, "code");
    if (!code)
        return Response::fail(code.failure());
    auto timeout = Json::integer(request.header, "timeout_ms", kDefaultTimeoutMs, 1, kMaxTimeoutMs);
    if (!timeout)
        return Response::fail(timeout.failure());
    if (auto failed = ensureStarted(users))
        return Response::fail(*failed);
    Fd fd = connection.detach();
    if (!fd.valid())
        return std::nullopt; // the client left; nothing was queued
    Execution e;
    e.id = "exe_" + std::to_string(nextId_++);
    e.code = std::move(*code);
    e.timeoutMs = *timeout;
    e.stream = std::make_shared<Stream>(loop_, std::move(fd), "code stream of " + e.id);
    // A caller that leaves does not stop its execution: the stream just
    // drops what is sent to it. Draining resumes reading the driver.
    if (!e.stream->start([this] { updateReading(); }, [this] { updateReading(); }))
        return std::nullopt;
    e.stream->send(Response::ok().header);
    queue_.push_back(std::move(e));
    pump();
    return std::nullopt;
}

Response KernelDriver::interrupt()
{
    if (pid_ > 0)
        sendLine({{"id", "int_" + std::to_string(nextId_++)}, {"op", "interrupt"}});
    return Response::ok();
}

std::optional<Response> KernelDriver::restart(const Request&, Connection& connection)
{
    // No driver: the next code_run starts a fresh kernel anyway.
    if (pid_ <= 0)
        return Response::ok();
    std::string id = "rst_" + std::to_string(nextId_++);
    restarts_.emplace_back(id, connection.id());
    sendLine({{"id", id}, {"op", "restart"}});
    return std::nullopt;
}

std::optional<Failure> KernelDriver::ensureStarted(const Users& users)
{
    if (pid_ > 0)
        return std::nullopt;
    std::string script = envOr("AI2IN_KERNEL_DRIVER", "/.ai2in/kernel_driver.py");
    std::string python = envOr("AI2IN_KERNEL_PYTHON", "python3");
    struct stat st {};
    if (::stat(script.c_str(), &st) != 0)
        return Failure::internal("The kernel driver " + script + " cannot be found: " + std::strerror(errno) + ".");
    // The sandbox's own account; an agent run elsewhere (tests) uses its own.
    const User* user = users.find("sandbox");
    if (!user)
        user = users.find(users.nameOf(::geteuid()));
    if (!user)
        return Failure::internal("There is no account 'sandbox' to run the kernel as.");
    auto process = ProcessSpawner::spawn(*user, "exec " + shellQuote(python) + " -u " + shellQuote(script),
                                         user->home, {}, true);
    if (!process)
        return process.failure();
    pid_ = process->pid;
    home_ = user->home;
    stdin_ = std::move(process->stdinFd);
    stdout_ = std::move(process->stdoutFd);
    stderr_ = std::move(process->stderrFd);
    fatal_.clear();
    errorTail_.clear();
    fromDriver_.clear();
    toDriver_.clear();
    readingStdout_ = false;
    updateReading();
    if (!loop_.watch(stderr_.get(), EPOLLIN, [this](uint32_t) { readErrors(); }))
        stderr_.reset();
    return std::nullopt;
}

void KernelDriver::pump()
{
    if (queue_.empty() || queue_.front().sent || pid_ <= 0)
        return;
    Execution& head = queue_.front();
    head.sent = true;
    // The kernel writes its own files while it starts (~/.ipython): what a
    // cell touched is recorded from when the kernel is ready.
    if (ready_)
        head.touchRecord = touches_.begin({home_});
    sendLine({{"id", head.id}, {"op", "run"}, {"code", head.code}, {"timeout_ms", head.timeoutMs}});
    std::string().swap(head.code);
}

void KernelDriver::sendLine(const nlohmann::json& line)
{
    if (!stdin_.valid())
        return;
    bool idle = toDriver_.empty();
    toDriver_ += Json::dump(line);
    toDriver_.push_back('\n');
    if (idle && !loop_.watch(stdin_.get(), EPOLLOUT, [this](uint32_t) { flushStdin(); }))
        return;
    flushStdin();
}

void KernelDriver::flushStdin()
{
    while (!toDriver_.empty() && stdin_.valid()) {
        ssize_t n = ::write(stdin_.get(), toDriver_.data(), toDriver_.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return; // EPOLLOUT brings us back
        if (n < 0) {
            // EPIPE: the driver is gone; its exit is handled by onExit.
            if (errno != EPIPE)
                Log::sysError("write to the kernel driver", errno);
            toDriver_.clear();
            break;
        }
        toDriver_.erase(0, static_cast<size_t>(n));
    }
    if (stdin_.valid())
        loop_.unwatch(stdin_.get());
}

void KernelDriver::updateReading()
{
    if (!stdout_.valid())
        return;
    // Stop reading while the running execution's client is behind; the
    // driver then blocks on its pipe, and the kernel on the driver.
    bool want = queue_.empty() || !queue_.front().stream->congested();
    if (want == readingStdout_)
        return;
    readingStdout_ = want;
    if (!want) {
        loop_.unwatch(stdout_.get());
        return;
    }
    if (!loop_.watch(stdout_.get(), EPOLLIN, [this](uint32_t) { readEvents(16, false); }))
        readingStdout_ = false;
}

void KernelDriver::readEvents(int maxReads, bool drain)
{
    static char chunk[65536];
    for (int i = 0; i < maxReads && stdout_.valid() && (readingStdout_ || drain); ++i) {
        ssize_t n = ::read(stdout_.get(), chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            if (n < 0)
                Log::sysError("read from the kernel driver", errno);
            if (readingStdout_)
                loop_.unwatch(stdout_.get());
            readingStdout_ = false;
            stdout_.reset();
            return;
        }
        fromDriver_.append(chunk, static_cast<size_t>(n));
        size_t start = 0;
        for (size_t nl; (nl = fromDriver_.find('\n', start)) != std::string::npos; start = nl + 1)
            handleLine(fromDriver_.substr(start, nl - start));
        fromDriver_.erase(0, start);
        if (fromDriver_.size() > kMaxLine) {
            Log::line("the kernel driver wrote a line longer than 64 MiB; it is dropped");
            std::string().swap(fromDriver_);
        }
        if (!drain)
            updateReading();
    }
}

void KernelDriver::readErrors()
{
    char chunk[4096];
    ssize_t n = ::read(stderr_.get(), chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        loop_.unwatch(stderr_.get());
        stderr_.reset();
        return;
    }
    errorTail_.append(chunk, static_cast<size_t>(n));
    if (errorTail_.size() > kErrorTail)
        errorTail_.erase(0, errorTail_.size() - kErrorTail);
}

void KernelDriver::handleLine(const std::string& line)
{
    nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string())
        return;
    const std::string type = event["type"].get<std::string>();
    if (type == "fatal") {
        fatal_ = event.value("message", std::string());
        return;
    }
    if (type == "ready") {
        ready_ = true;
        if (!queue_.empty() && queue_.front().sent && queue_.front().touchRecord == 0)
            queue_.front().touchRecord = touches_.begin({home_});
        return;
    }
    if (type == "ports") {
        ownPorts_.clear();
        const nlohmann::json ports = event.value("ports", nlohmann::json::array());
        for (const nlohmann::json& p : ports.is_array() ? ports : nlohmann::json::array()) {
            if (p.is_number_unsigned() && p.get<uint64_t>() >= 1 && p.get<uint64_t>() <= 65535)
                ownPorts_.push_back(static_cast<uint16_t>(p.get<uint64_t>()));
        }
        return;
    }
    if (!event.contains("id") || !event["id"].is_string())
        return;
    const std::string id = event["id"].get<std::string>();
    for (auto it = restarts_.begin(); it != restarts_.end(); ++it) {
        if (it->first == id) {
            uint64_t connection = it->second;
            restarts_.erase(it);
            reply_(connection, Response::ok());
            return;
        }
    }
    if (queue_.empty() || queue_.front().id != id)
        return;
    Stream& stream = *queue_.front().stream;
    if (type == "end") {
        nlohmann::json count = event.value("execution_count", nlohmann::json());
        finishHead({{"type", "end"}, {"execution_count", count.is_number_integer() ? count : nlohmann::json()}});
    } else if ((type == "stdout" || type == "stderr") && event.contains("text")) {
        stream.send({{"type", type}, {"text", event["text"]}});
    } else if (type == "result" && event.contains("result")) {
        stream.send({{"type", type}, {"result", event["result"]}});
    } else if (type == "error" && event.contains("error")) {
        stream.send({{"type", type}, {"error", event["error"]}});
    }
}

void KernelDriver::finishHead(const nlohmann::json& endFrame)
{
    Execution& head = queue_.front();
    if (head.touchRecord != 0) {
        nlohmann::json frame = endFrame;
        frame["touched"] = touches_.end(head.touchRecord);
        head.stream->send(frame);
    } else {
        head.stream->send(endFrame);
    }
    head.stream->forgetOwner();
    head.stream->finish();
    queue_.pop_front();
    updateReading();
    pump();
}

bool KernelDriver::onExit(pid_t pid, int waitStatus)
{
    if (pid <= 0 || pid != pid_)
        return false;
    // What the driver wrote before it died still counts, congested or not.
    if (stdout_.valid())
        readEvents(1024, true);
    if (stderr_.valid())
        readErrors();
    std::string reason = deathReason(waitStatus);
    if (!WIFEXITED(waitStatus) || WEXITSTATUS(waitStatus) != 0)
        Log::line(reason);
    closeProcess();
    if (!queue_.empty() && queue_.front().sent) {
        queue_.front().stream->send({{"type", "error"},
                                     {"error", {{"name", "KernelDied"}, {"value", reason}, {"traceback", ""}}}});
        finishHead({{"type", "end"}, {"execution_count", nullptr}});
    }
    // The executions still waiting get a fresh driver; if even that cannot
    // start, they end with the reason instead of waiting forever.
    while (!queue_.empty()) {
        auto failed = ensureStarted(Users::load());
        if (!failed) {
            pump();
            break;
        }
        queue_.front().stream->send({{"type", "error"},
                                     {"error", {{"name", "KernelDied"}, {"value", failed->message}, {"traceback", ""}}}});
        finishHead({{"type", "end"}, {"execution_count", nullptr}});
    }
    return true;
}

void KernelDriver::closeProcess()
{
    // unwatch of a descriptor that is not watched is a no-op.
    for (Fd* fd : {&stdin_, &stdout_, &stderr_}) {
        if (fd->valid()) {
            loop_.unwatch(fd->get());
            fd->reset();
        }
    }
    readingStdout_ = false;
    ready_ = false;
    pid_ = -1;
    toDriver_.clear();
    ownPorts_.clear();
    // A restart asked of a driver that died is done: the next one is fresh.
    auto restarts = std::move(restarts_);
    restarts_.clear();
    for (const auto& r : restarts)
        reply_(r.second, Response::ok());
}

std::string KernelDriver::deathReason(int waitStatus) const
{
    std::string how = WIFSIGNALED(waitStatus) ? "was killed by signal " + std::to_string(WTERMSIG(waitStatus))
                                              : "exited with code " + std::to_string(WEXITSTATUS(waitStatus));
    std::string detail = fatal_;
    if (detail.empty()) {
        // The last non-empty line of its stderr, usually the exception.
        size_t end = errorTail_.find_last_not_of("\n ");
        if (end != std::string::npos) {
            size_t start = errorTail_.rfind('\n', end);
            detail = errorTail_.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
        }
    }
    return "The kernel driver " + how + (detail.empty() ? "." : ": " + detail);
}

void KernelDriver::signal(int sig)
{
    if (pid_ > 0 && ::kill(-pid_, sig) != 0 && errno != ESRCH)
        Log::sysError("kill the kernel driver", errno);
}
