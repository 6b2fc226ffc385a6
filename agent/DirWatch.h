// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "Response.h"
#include "Stream.h"
#include "User.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <unordered_map>
#include <vector>

class EventLoop;
struct inotify_event;

// One `watch_start`: an inotify instance on a directory (and, recursive, on
// every directory below it), its queue of events for `watch_poll` and the
// streams that follow it. Adding watches runs with the user's file-system
// identity, so a user only watches what it may read. With a sink, events go
// to it instead (TouchRecorder follows the home and working directories so).
class DirWatch {
public:
    static constexpr size_t kMaxEvents = 10000;

    struct Info {
        std::string id;
        std::string path; // absolute, no trailing slash
        bool recursive = false;
        User user;
        // At most this many directories watched (0: as many as inotify
        // allows); past it, events below the others are missing.
        size_t maxDirs = 0;
        // Directories on other file systems below the root (/proc under /)
        // are not followed.
        bool oneFileSystem = false;
    };
    // "create", "remove" or "modify" with the path; "dropped" (empty path)
    // when some events were lost.
    using Sink = std::function<void(const char* type, const std::string& path, bool isDir)>;

    DirWatch(EventLoop& loop, Info info, Fd inotify);
    ~DirWatch();
    DirWatch(const DirWatch&) = delete;
    DirWatch& operator=(const DirWatch&) = delete;

    const Info& info() const { return info_; }
    // Watches the directory (and below); a failure names the path.
    std::optional<Failure> begin();
    Response poll();
    void setSink(Sink sink) { sink_ = std::move(sink); }
    // Handles what the kernel has queued so far, now.
    void drain() { onReadable(); }
    bool active() const { return inotify_.valid(); }
    // False once a directory below the root could not be watched (maxDirs,
    // no inotify watches left): changes there are not seen.
    bool complete() const { return complete_; }
    void addStream(std::shared_ptr<Stream> stream);
    // The end: streams get their `stopped` frame, inotify is closed.
    void stop();

private:
    void onReadable();
    void handle(const inotify_event& event);
    void addTree(const std::string& dir, bool reportContents, int depth);
    void forgetTree(const std::string& dir);
    void emit(const char* type, const std::string& path, bool isDir);
    void markDropped();
    void resumeIfDrained();
    void updateInterest();
    bool watchDir(const std::string& path);

    EventLoop& loop_;
    Info info_;
    Fd inotify_;
    bool watched_ = false;
    bool paused_ = false;
    int rootWd_ = -1;
    dev_t rootDev_ = 0;
    std::unordered_map<int, std::string> dirs_; // watch descriptor → absolute path
    std::deque<nlohmann::json> events_;         // for watch_poll
    bool dropped_ = false;
    bool complete_ = true;
    std::vector<std::shared_ptr<Stream>> streams_;
    nlohmann::json lastEvent_; // the previous event of this batch, to fold repeats
    Sink sink_;
};
