// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "Response.h"
#include "Stream.h"
#include "User.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

class EventLoop;
struct inotify_event;

// One `watch_start`: an inotify instance on a directory (and, recursive, on
// every directory below it), its queue of events for `watch_poll` and the
// streams that follow it. Adding watches runs with the user's file-system
// identity, so a user only watches what it may read.
class DirWatch {
public:
    static constexpr size_t kMaxEvents = 10000;

    struct Info {
        std::string id;
        std::string path; // absolute, no trailing slash
        bool recursive = false;
        User user;
    };

    DirWatch(EventLoop& loop, Info info, Fd inotify);
    ~DirWatch();
    DirWatch(const DirWatch&) = delete;
    DirWatch& operator=(const DirWatch&) = delete;

    const Info& info() const { return info_; }
    // Watches the directory (and below); a failure names the path.
    std::optional<Failure> begin();
    Response poll();
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

    EventLoop& loop_;
    Info info_;
    Fd inotify_;
    bool watched_ = false;
    bool paused_ = false;
    int rootWd_ = -1;
    std::unordered_map<int, std::string> dirs_; // watch descriptor → absolute path
    std::deque<nlohmann::json> events_;         // for watch_poll
    bool dropped_ = false;
    std::vector<std::shared_ptr<Stream>> streams_;
    nlohmann::json lastEvent_; // the previous event of this batch, to fold repeats
};
