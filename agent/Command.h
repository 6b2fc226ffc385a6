// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "OutputBuffer.h"
#include "Timer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

// One process started by `run` or `start`, alive or finished.
struct Command {
    enum class Status { Running, Exited, Killed };

    std::string id;
    std::string cmd;
    std::string user;
    std::string cwd;
    pid_t pid = -1; // also the process group id: every command is a session leader

    Fd stdinFd;
    Fd stdoutFd;
    Fd stderrFd;
    OutputBuffer out;
    OutputBuffer err;
    std::string pendingStdin; // accepted but not yet taken by the pipe
    bool closeStdinWhenFlushed = false;
    bool stdinClosed = false;

    Status status = Status::Running;
    std::optional<int> exitCode;
    int64_t startedAtMs = 0;
    std::optional<int64_t> endedAtMs;
    bool killRequested = false;
    bool timedOut = false;
    int64_t timeoutMs = 0;
    // When a `run` times out (monotonic ms); cleared once it has ended.
    std::optional<int64_t> deadlineMs;
    // The memory cgroup's OOM kill count when the command started (nullopt:
    // not readable), and why it ended when the exit code alone does not say:
    // "killed: out of memory".
    std::optional<uint64_t> oomKillsAtStart;
    std::string error;
    // The TouchRecorder's record while it runs; afterwards what it touched
    // (null until then).
    uint64_t touchRecord = 0;
    nlohmann::json touched;

    std::vector<uint64_t> waiters; // connections parked in `run`
    std::unique_ptr<Timer> killGrace;

    // "cmd_" + 16 of [a-z0-9] from getrandom().
    static std::string newId();
    static const char* statusName(Status status);
    nlohmann::json summary() const;
    bool truncated() const { return out.truncated() || err.truncated(); }
    bool outputDropped() const { return out.dropped() || err.dropped(); }
    size_t outputBytes() const { return out.size() + err.size(); }
    nlohmann::json errorJson() const { return error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error); }
};
