// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DirWatch.h"
#include "TouchChange.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

class EventLoop;

// Which files each command and code cell touched while it ran. The agent
// follows the directories work happens in (each user's home and each
// command's working directory, recursively, on their own file system) with
// inotify, which works inside an unprivileged sandbox where fanotify does
// not. Every record open when a change happens gets it, so commands that run
// at the same time share what either did. A path's changes are folded into
// their net effect: written and then removed is nothing, removed and then
// written again is modified.
class TouchRecorder {
public:
    // Paths kept per record; past it the record says `partial`.
    static constexpr size_t kMaxPaths = 128;
    // Directories followed per root, and roots followed at once (the least
    // recently used one no open record needs makes room): inotify watches
    // are the sandbox user's, shared with its own tools.
    static constexpr size_t kMaxDirsPerRoot = 4096;
    static constexpr size_t kMaxRoots = 4;

    explicit TouchRecorder(EventLoop& loop);
    ~TouchRecorder();
    TouchRecorder(const TouchRecorder&) = delete;
    TouchRecorder& operator=(const TouchRecorder&) = delete;

    // Opens a record; `dirs` are followed from now on if they are not yet.
    uint64_t begin(const std::vector<std::string>& dirs);
    // Closes it after taking what the kernel has queued until now:
    // {"paths": [{"path", "change", "is_dir"}, …] (sorted), "partial": bool}.
    nlohmann::json end(uint64_t record);

private:
    struct Touch {
        TouchChange change = TouchChange::Modified;
        bool isDir = false;
    };
    struct Record {
        std::map<std::string, Touch> paths;
        bool partial = false;
        std::vector<const DirWatch*> roots; // kept while the record is open
    };
    struct Root {
        std::unique_ptr<DirWatch> watch;
        uint64_t lastUsed = 0;
    };

    // The root that covers `dir`, followed from now if it was not;
    // nullptr when it cannot be (unreadable, every root in use).
    DirWatch* follow(const std::string& dir);
    bool inUse(const DirWatch* watch) const;
    void onEvent(const DirWatch* from, const char* type, const std::string& path, bool isDir);
    static void note(Record& record, const std::string& path, TouchChange change, bool isDir);

    EventLoop& loop_;
    std::vector<Root> roots_;
    std::unordered_map<uint64_t, Record> open_;
    uint64_t next_ = 1;
    uint64_t uses_ = 0;
};
