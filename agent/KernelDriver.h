// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "Request.h"
#include "Response.h"
#include "Users.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

class Connection;
class EventLoop;
class Stream;
class TouchRecorder;

// The Code operations of PROTOCOL.md. One driver process
// (kernel_driver.py, which owns the Jupyter kernel) per agent, started on the
// first code_run and again after it died. Executions go to it one at a time;
// its events come back as JSON lines and are passed on as frames to the
// stream of the execution they belong to.
class KernelDriver {
public:
    static constexpr int64_t kDefaultTimeoutMs = 300000;
    static constexpr int64_t kMaxTimeoutMs = 24 * 3600 * 1000;
    static constexpr size_t kMaxLine = 64 * 1024 * 1024;

    // Answers a connection parked in code_restart.
    using Reply = std::function<void(uint64_t connection, const Response& response)>;

    KernelDriver(EventLoop& loop, Reply reply, TouchRecorder& touches);
    ~KernelDriver();
    KernelDriver(const KernelDriver&) = delete;
    KernelDriver& operator=(const KernelDriver&) = delete;

    static bool handles(const Request& request);
    // nullopt: answered later (a stream, or a restart in progress).
    std::optional<Response> handle(const Request& request, const Users& users, Connection& connection);

    // The TCP ports the kernel listens on itself, as the driver last said
    // (empty while no driver runs).
    const std::vector<uint16_t>& ownPorts() const { return ownPorts_; }

    // True when `pid` was the driver.
    bool onExit(pid_t pid, int waitStatus);
    void signal(int sig);

private:
    struct Execution {
        std::string id;
        std::string code;
        int64_t timeoutMs = 0;
        std::shared_ptr<Stream> stream;
        bool sent = false;
        uint64_t touchRecord = 0; // from when it was sent to the driver
    };

    std::optional<Response> run(const Request& request, const Users& users, Connection& connection);
    std::optional<Response> restart(const Request& request, Connection& connection);
    Response interrupt();
    std::optional<Failure> ensureStarted(const Users& users);
    void pump();
    void sendLine(const nlohmann::json& line);
    void flushStdin();
    void readEvents(int maxReads, bool drain);
    void readErrors();
    void handleLine(const std::string& line);
    void finishHead(const nlohmann::json& endFrame);
    void updateReading();
    void closeProcess();
    std::string deathReason(int waitStatus) const;

    EventLoop& loop_;
    Reply reply_;
    TouchRecorder& touches_;
    pid_t pid_ = -1;
    std::string home_; // the driver's user's home
    bool ready_ = false; // the driver said its kernel answers
    Fd stdin_;
    Fd stdout_;
    Fd stderr_;
    bool readingStdout_ = false;
    std::string toDriver_;  // request lines not yet written
    std::vector<uint16_t> ownPorts_;
    std::string fromDriver_; // event bytes after the last complete line
    std::string errorTail_;  // the end of the driver's stderr, for messages
    std::string fatal_;      // what the driver said before giving up
    std::deque<Execution> queue_; // the head is the one the driver runs
    std::vector<std::pair<std::string, uint64_t>> restarts_; // request id, connection
    uint64_t nextId_ = 1;
};
