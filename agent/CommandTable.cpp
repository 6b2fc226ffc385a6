// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandTable.h"

#include "Clock.h"
#include "EventLoop.h"
#include "Json.h"
#include "Log.h"
#include "Paths.h"
#include "ProcessSpawner.h"
#include "TouchRecorder.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

CommandTable::CommandTable(EventLoop& loop, Reply reply, TouchRecorder& touches)
    : loop_(loop), reply_(std::move(reply)), touches_(touches), outputBudget_(outputBudgetFor(memory_.limitBytes())),
      deadlines_(loop, [this] { onDeadline(); })
{
}

size_t CommandTable::outputBudgetFor(std::optional<uint64_t> memoryLimitBytes)
{
    size_t budget = kOutputBudget;
    if (memoryLimitBytes && *memoryLimitBytes / 8 < budget)
        budget = static_cast<size_t>(*memoryLimitBytes / 8);
    return std::max(budget, 2 * OutputBuffer::kLimit);
}

CommandTable::~CommandTable()
{
    for (auto& c : commands_) {
        closeFd(c->stdinFd);
        closeFd(c->stdoutFd);
        closeFd(c->stderrFd);
    }
}

bool CommandTable::handles(const Request& request)
{
    const std::string& op = request.op;
    return op == "run" || op == "start" || op == "list" || op == "logs" || op == "kill"
        || op == "stdin";
}

std::optional<Response> CommandTable::handle(const Request& request, const Users& users,
                                             uint64_t connection)
{
    const std::string& op = request.op;
    if (op == "run")
        return spawn(request, users, connection, true);
    if (op == "start")
        return spawn(request, users, connection, false);
    if (op == "list")
        return list();
    if (op == "logs")
        return logs(request);
    if (op == "kill")
        return kill(request);
    return writeStdin(request);
}

std::optional<Response> CommandTable::spawn(const Request& r, const Users& users,
                                            uint64_t connection, bool blocking)
{
    auto cmd = Json::requiredString(r.header, "cmd");
    if (!cmd)
        return Response::fail(cmd.failure());
    if (cmd->find('\0') != std::string::npos)
        return Response::fail(Failure::badRequest("Field 'cmd' contains a NUL byte."));
    auto user = users.forRequest(r.header);
    if (!user)
        return Response::fail(user.failure());
    auto cwd = Paths::resolve(*user, r.header, "cwd", Paths::Empty::MeansHome);
    if (!cwd)
        return Response::fail(cwd.failure());
    auto env = Json::stringMap(r.header, "env");
    if (!env)
        return Response::fail(env.failure());
    int64_t timeoutMs = 0;
    if (blocking) {
        auto t = Json::integer(r.header, "timeout_ms", kMaxRunTimeoutMs, 1, kMaxRunTimeoutMs);
        if (!t)
            return Response::fail(t.failure());
        timeoutMs = *t;
    }

    // Opened first, so nothing the process does escapes it.
    const uint64_t touchRecord = touches_.begin({user->home, *cwd});
    auto process = ProcessSpawner::spawn(*user, *cmd, *cwd, *env, !blocking);
    if (!process) {
        touches_.end(touchRecord);
        return Response::fail(process.failure());
    }

    auto owned = std::make_unique<Command>();
    Command& c = *owned;
    c.id = Command::newId();
    c.cmd = *cmd;
    c.user = user->name;
    c.cwd = *cwd;
    c.pid = process->pid;
    c.touchRecord = touchRecord;
    c.startedAtMs = Clock::wallMs();
    c.stdinFd = std::move(process->stdinFd);
    c.stdinClosed = !c.stdinFd.valid();
    c.stdoutFd = std::move(process->stdoutFd);
    c.stderrFd = std::move(process->stderrFd);
    // Read after the spawn: a kill counted before it cannot be this command's.
    c.oomKillsAtStart = memory_.oomKills();
    commands_.push_back(std::move(owned));
    watchOutput(c, c.stdoutFd, c.out);
    watchOutput(c, c.stderrFd, c.err);

    if (!blocking) {
        Response resp = Response::ok();
        resp.header["command_id"] = c.id;
        resp.header["pid"] = c.pid;
        return resp;
    }
    c.waiters.push_back(connection);
    c.timeoutMs = timeoutMs;
    c.deadlineMs = Clock::monotonicMs() + timeoutMs;
    armDeadline(*c.deadlineMs);
    return std::nullopt;
}

void CommandTable::armDeadline(int64_t deadlineMs)
{
    if (armedFor_ && *armedFor_ <= deadlineMs)
        return;
    if (deadlines_.start(std::max<int64_t>(0, deadlineMs - Clock::monotonicMs())))
        armedFor_ = deadlineMs;
    else
        armedFor_.reset(); // the next run tries again
}

void CommandTable::onDeadline()
{
    armedFor_.reset();
    const int64_t now = Clock::monotonicMs();
    std::optional<int64_t> next;
    for (auto& owned : commands_) {
        Command& c = *owned;
        if (!c.deadlineMs)
            continue;
        if (*c.deadlineMs > now) {
            next = next ? std::min(*next, *c.deadlineMs) : *c.deadlineMs;
            continue;
        }
        c.deadlineMs.reset();
        c.timedOut = true;
        if (::kill(-c.pid, SIGKILL) != 0 && errno != ESRCH)
            Log::sysError("kill " + c.id, errno);
    }
    if (next)
        armDeadline(*next);
}

void CommandTable::watchOutput(Command& c, Fd& fd, OutputBuffer& buffer)
{
    // The pipe keeps the address of its Command: commands are heap objects
    // that outlive their watches (closeFd unwatches before destruction).
    loop_.watch(fd.get(), EPOLLIN, [this, &c, &fd, &buffer](uint32_t) {
        // A bounded number of reads per wake-up keeps one chatty process from
        // starving the other clients; level triggering brings us back.
        readOutput(c, fd, buffer, 16);
        enforceOutputBudget();
    });
}

void CommandTable::readOutput(Command& c, Fd& fd, OutputBuffer& buffer, int maxReads)
{
    static char chunk[65536];
    for (int i = 0; i < maxReads && fd.valid(); ++i) {
        ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
        if (n > 0) {
            buffer.append(chunk, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0)
            Log::sysError("read output of " + c.id, errno);
        closeFd(fd);
    }
}

void CommandTable::closeFd(Fd& fd)
{
    if (!fd.valid())
        return;
    loop_.unwatch(fd.get());
    fd.reset();
}

Result<Command*> CommandTable::find(const nlohmann::json& header)
{
    auto id = Json::requiredString(header, "command_id");
    if (!id)
        return id.failure();
    for (auto& c : commands_) {
        if (c->id == *id)
            return c.get();
    }
    return Failure{"not_found", "No such command: " + *id};
}

Response CommandTable::list() const
{
    nlohmann::json all = nlohmann::json::array();
    for (const auto& c : commands_)
        all.push_back(c->summary());
    Response resp = Response::ok();
    resp.header["commands"] = std::move(all);
    return resp;
}

Response CommandTable::logs(const Request& r)
{
    auto c = find(r.header);
    if (!c)
        return Response::fail(c.failure());
    Command& cmd = **c;
    Response resp = Response::ok();
    resp.header["stdout"] = cmd.out.contents();
    resp.header["stderr"] = cmd.err.contents();
    resp.header["status"] = Command::statusName(cmd.status);
    resp.header["exit_code"] = cmd.exitCode ? nlohmann::json(*cmd.exitCode) : nlohmann::json(nullptr);
    resp.header["truncated"] = cmd.truncated();
    resp.header["output_dropped"] = cmd.outputDropped();
    resp.header["error"] = cmd.errorJson();
    resp.header["touched"] = cmd.touched;
    return resp;
}

Response CommandTable::kill(const Request& r)
{
    auto found = find(r.header);
    if (!found)
        return Response::fail(found.failure());
    auto sig = Json::integer(r.header, "signal", SIGTERM, 1, SIGRTMAX);
    if (!sig)
        return Response::fail(sig.failure());
    Command& c = **found;
    if (c.status != Command::Status::Running) {
        // The leader is gone, but what it started may live on in its session
        // (the engine ends those through the cgroup). Its pid cannot be
        // reused while any process still has it as session id, so a live
        // process with that pid means the session is empty and the pid
        // belongs to someone else now.
        Response resp = Response::ok();
        resp.header["pid"] = c.pid;
        bool pidTaken = ::kill(c.pid, 0) == 0 || errno == EPERM;
        resp.header["session"] = pidTaken ? nlohmann::json(nullptr) : nlohmann::json(c.pid);
        return resp;
    }
    c.killRequested = true;
    if (::kill(-c.pid, static_cast<int>(*sig)) != 0 && errno != ESRCH)
        return Response::fail(Failure::fromErrno(errno, "process group of " + c.id));
    if (*sig == SIGTERM) {
        pid_t group = c.pid;
        c.killGrace = std::make_unique<Timer>(loop_, [group] {
            // kill(…, 0) probes the group: anything left gets no second chance.
            if (::kill(-group, 0) == 0 && ::kill(-group, SIGKILL) != 0 && errno != ESRCH)
                Log::sysError("kill process group " + std::to_string(group), errno);
        });
        c.killGrace->start(kKillGraceMs);
    }
    Response resp = Response::ok();
    resp.header["pid"] = c.pid;
    resp.header["session"] = c.pid; // a command leads its own session
    return resp;
}

Response CommandTable::writeStdin(const Request& r)
{
    auto found = find(r.header);
    if (!found)
        return Response::fail(found.failure());
    auto eof = Json::boolean(r.header, "eof", false);
    if (!eof)
        return Response::fail(eof.failure());
    Command& c = **found;
    if (c.status != Command::Status::Running)
        return Response::fail(Failure::conflict("Command " + c.id + " has finished; its stdin is closed."));
    if (c.stdinClosed || c.closeStdinWhenFlushed)
        return Response::fail(Failure::conflict("The stdin of command " + c.id + " is already closed."));
    // Queued rather than waited for: a process that never reads must not
    // hold the engine's request open.
    c.pendingStdin += r.body;
    c.closeStdinWhenFlushed = *eof;
    flushStdin(c);
    Response resp = Response::ok();
    resp.header["written"] = r.body.size();
    return resp;
}

void CommandTable::flushStdin(Command& c)
{
    while (!c.pendingStdin.empty() && c.stdinFd.valid()) {
        ssize_t n = ::write(c.stdinFd.get(), c.pendingStdin.data(), c.pendingStdin.size());
        if (n > 0) {
            c.pendingStdin.erase(0, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            int fd = c.stdinFd.get();
            if (!loop_.modify(fd, EPOLLOUT))
                loop_.watch(fd, EPOLLOUT, [this, &c](uint32_t) { flushStdin(c); });
            return;
        }
        if (n < 0 && errno != EPIPE)
            Log::sysError("write stdin of " + c.id, errno);
        // The process closed its end: the rest can never be delivered.
        c.pendingStdin.clear();
        c.closeStdinWhenFlushed = true;
    }
    if (c.pendingStdin.empty() && c.closeStdinWhenFlushed) {
        closeFd(c.stdinFd);
        c.stdinClosed = true;
    } else if (c.pendingStdin.empty() && c.stdinFd.valid()) {
        loop_.unwatch(c.stdinFd.get()); // nothing to wait for until the next request
    }
}

void CommandTable::onExit(pid_t pid, int waitStatus)
{
    Command* found = nullptr;
    for (auto& c : commands_) {
        if (c->pid == pid && c->status == Command::Status::Running) {
            found = c.get();
            break;
        }
    }
    if (!found)
        return;
    Command& c = *found;
    // The process closed its pipe ends before it became reapable, so what it
    // wrote is already there. Descendants may keep the pipes open; their
    // later output still reaches `logs`.
    // Bounded: a descendant that keeps writing must not hold the loop here.
    // 64 reads cover the largest pipe buffer a process can ask for (1 MiB).
    readOutput(c, c.stdoutFd, c.out, 64);
    readOutput(c, c.stderrFd, c.err, 64);
    enforceOutputBudget();
    if (killedByOom(waitStatus, c.timedOut || c.killRequested, c.oomKillsAtStart, memory_.oomKills()))
        c.error = kOomError;
    if (WIFEXITED(waitStatus))
        c.exitCode = WEXITSTATUS(waitStatus);
    else if (WIFSIGNALED(waitStatus))
        c.exitCode = 128 + WTERMSIG(waitStatus);
    c.endedAtMs = Clock::wallMs();
    c.touched = touches_.end(c.touchRecord);
    c.status = c.killRequested ? Command::Status::Killed : Command::Status::Exited;
    c.deadlineMs.reset();
    closeFd(c.stdinFd);
    c.stdinClosed = true;
    c.pendingStdin.clear();
    c.pendingStdin.shrink_to_fit();

    if (!c.waiters.empty()) {
        Response resp = runResponse(c);
        for (uint64_t connection : c.waiters)
            reply_(connection, resp);
        c.waiters.clear();
    }
    prune();
}

Response CommandTable::runResponse(const Command& c) const
{
    Response resp;
    if (c.timedOut) {
        resp = Response::fail({"timeout", "Command " + c.id + " did not finish within "
                                              + std::to_string(c.timeoutMs) + " ms and was killed."});
    } else {
        resp = Response::ok();
    }
    resp.header["command_id"] = c.id;
    resp.header["pid"] = c.pid;
    resp.header["stdout"] = c.out.contents();
    resp.header["stderr"] = c.err.contents();
    resp.header["exit_code"] = c.exitCode ? nlohmann::json(*c.exitCode) : nlohmann::json(nullptr);
    resp.header["truncated"] = c.truncated();
    resp.header["output_dropped"] = c.outputDropped();
    resp.header["touched"] = c.touched;
    // A failed answer's "error" is the failure object; a timeout is its own
    // reason anyway.
    if (!c.timedOut)
        resp.header["error"] = c.errorJson();
    return resp;
}

bool CommandTable::killedByOom(int waitStatus, bool killedByUs, std::optional<uint64_t> killsAtStart,
                               std::optional<uint64_t> killsNow)
{
    bool sigkill = (WIFSIGNALED(waitStatus) && WTERMSIG(waitStatus) == SIGKILL)
        || (WIFEXITED(waitStatus) && WEXITSTATUS(waitStatus) == 128 + SIGKILL);
    return sigkill && !killedByUs && killsAtStart && killsNow && *killsNow > *killsAtStart;
}

void CommandTable::enforceOutputBudget()
{
    size_t total = 0;
    for (const auto& c : commands_)
        total += c->outputBytes();
    if (total <= outputBudget_)
        return;
    // Oldest first, finished before running: the newest output is what a
    // client is most likely still to ask for.
    for (bool running : {false, true}) {
        for (auto& c : commands_) {
            if (total <= outputBudget_)
                return;
            if ((c->status == Command::Status::Running) != running || c->outputBytes() == 0)
                continue;
            total -= c->outputBytes();
            c->out.drop();
            c->err.drop();
        }
    }
}

void CommandTable::prune()
{
    size_t finished = 0;
    for (const auto& c : commands_)
        finished += c->status != Command::Status::Running;
    for (auto it = commands_.begin(); finished > kMaxFinished && it != commands_.end();) {
        Command& c = **it;
        if (c.status == Command::Status::Running) {
            ++it;
            continue;
        }
        closeFd(c.stdinFd);
        closeFd(c.stdoutFd);
        closeFd(c.stderrFd);
        it = commands_.erase(it);
        --finished;
    }
}

void CommandTable::signalAll(int sig)
{
    // Finished commands too: their background processes stay in the group.
    for (const auto& c : commands_) {
        if (::kill(-c->pid, sig) != 0 && errno != ESRCH)
            Log::sysError("kill " + c->id, errno);
    }
}
