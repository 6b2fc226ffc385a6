// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Command.h"
#include "MemoryCgroup.h"
#include "Request.h"
#include "Response.h"
#include "Timer.h"
#include "Users.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class EventLoop;
class TouchRecorder;

// The command operations of PROTOCOL.md and the bookkeeping behind them:
// output pipes, stdin queues, timeouts, kill escalation, reaping.
class CommandTable {
public:
    static constexpr size_t kMaxFinished = 256;
    static constexpr int64_t kMaxRunTimeoutMs = 120000;
    static constexpr int64_t kKillGraceMs = 2000;
    // All output kept for all commands together. The per-stream ring
    // (OutputBuffer::kLimit) alone would let 256 finished commands hold 2 GiB,
    // more than a sandbox's memory: past this budget the output of the oldest
    // finished commands is dropped first, then of the oldest running ones.
    // At most this, and at most an eighth of the sandbox's memory limit
    // (the output counts against it), but never less than one command's two
    // rings.
    static constexpr size_t kOutputBudget = 64 * 1024 * 1024;
    static size_t outputBudgetFor(std::optional<uint64_t> memoryLimitBytes);
    // The memory limit may change while the sandbox runs (a warm sandbox
    // taken from the engine's pool): the budget follows it.
    void refreshOutputBudget() { outputBudget_ = outputBudgetFor(memory_.limitBytes()); }
    static constexpr const char* kOomError = "killed: out of memory";

    // Whether a command that ended with `waitStatus` was the OOM killer's
    // victim: it died of SIGKILL (or is a shell that reports exit 137 for a
    // child that did), nobody else killed it, and the cgroup's OOM kill count
    // grew while it ran.
    static bool killedByOom(int waitStatus, bool killedByUs, std::optional<uint64_t> killsAtStart,
                            std::optional<uint64_t> killsNow);

    // Answers a connection parked in `run` once its command ends.
    using Reply = std::function<void(uint64_t connection, const Response& response)>;

    CommandTable(EventLoop& loop, Reply reply, TouchRecorder& touches);
    ~CommandTable();

    static bool handles(const Request& request);
    // nullopt: the connection is parked until the command ends.
    std::optional<Response> handle(const Request& request, const Users& users, uint64_t connection);

    // Called for every reaped child; unknown pids (orphans) are ignored.
    void onExit(pid_t pid, int waitStatus);
    // Sends `sig` to the process group of every running command.
    void signalAll(int sig);

private:
    std::optional<Response> spawn(const Request& r, const Users& users, uint64_t connection, bool blocking);
    Response list() const;
    Response logs(const Request& r);
    Response kill(const Request& r);
    Response writeStdin(const Request& r);

    Result<Command*> find(const nlohmann::json& header);
    void watchOutput(Command& c, Fd& fd, OutputBuffer& buffer);
    void readOutput(Command& c, Fd& fd, OutputBuffer& buffer, int maxReads);
    void closeFd(Fd& fd);
    void flushStdin(Command& c);
    void prune();
    void enforceOutputBudget();
    Response runResponse(const Command& c) const;
    // Every run's timeout shares one timer, armed for the earliest deadline
    // and re-armed only when a sooner one comes: a command sets up no timer
    // of its own (five system calls each on the path of every `run`).
    void armDeadline(int64_t deadlineMs);
    void onDeadline();

    EventLoop& loop_;
    Reply reply_;
    TouchRecorder& touches_;
    std::vector<std::unique_ptr<Command>> commands_; // in start order
    MemoryCgroup memory_;
    size_t outputBudget_;
    Timer deadlines_;
    std::optional<int64_t> armedFor_;
};
