// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "PtyRing.h"
#include "Result.h"
#include "Response.h"
#include "Stream.h"
#include "Timer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

class EventLoop;

// One terminal: its master side in the event loop, the output ring, the
// input queue and the streams that follow its output.
class Pty {
public:
    static constexpr size_t kMaxRead = 1024 * 1024;
    static constexpr size_t kMaxPendingInput = 8 * 1024 * 1024;
    static constexpr int64_t kKillGraceMs = 2000;
    // How long output may keep coming after the process ended (from children
    // that still hold the terminal) before the terminal is closed.
    static constexpr int64_t kExitGraceMs = 2000;

    struct Info {
        std::string id;
        std::string cmd;
        std::string user;
        pid_t pid = -1;
        int cols = 0;
        int rows = 0;
        int64_t startedAtMs = 0;
    };

    Pty(EventLoop& loop, Info info, Fd master);
    ~Pty();
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;

    const Info& info() const { return info_; }
    nlohmann::json summary() const;
    // The process has exited and all its output is in the ring.
    bool finished() const { return exitCode_.has_value() && !master_.valid(); }
    bool exited() const { return exitCode_.has_value(); }
    std::optional<int64_t> finishedAtMs() const { return finishedAtMs_; }
    bool fullyRead() const { return readCursor_ >= ring_.end(); }
    uint64_t outputEnd() const { return ring_.end(); }

    Result<size_t> send(const std::string& bytes);
    Response read();
    std::optional<Failure> resize(int cols, int rows);
    std::optional<Failure> kill();
    void addStream(std::shared_ptr<Stream> stream, uint64_t from);
    void onExit(int waitStatus);
    void signal(int sig);

private:
    void onEvents(uint32_t events);
    void readMaster(int maxReads);
    void fanOut(const char* data, size_t size, uint64_t offset);
    void flushInput();
    void closeMaster();
    void finishStreams();
    void resumeIfDrained();
    void updateInterest();
    bool anyCongested() const;

    EventLoop& loop_;
    Info info_;
    Fd master_;
    uint32_t interest_ = 0; // what the loop watches on master_, 0 = not watched
    PtyRing ring_;
    uint64_t readCursor_ = 0;
    std::string pendingInput_;
    bool paused_ = false;
    bool exitGraceOver_ = false;
    std::optional<int> exitCode_;
    std::optional<int64_t> finishedAtMs_;
    std::vector<std::shared_ptr<Stream>> streams_;
    std::unique_ptr<Timer> killGrace_;
    std::unique_ptr<Timer> exitGrace_;
};
