// SPDX-License-Identifier: GPL-3.0-or-later
#include "TouchRecorder.h"

#include "Log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/inotify.h>
#include <sys/stat.h>

TouchRecorder::TouchRecorder(EventLoop& loop) : loop_(loop) {}

TouchRecorder::~TouchRecorder() = default;

static bool covers(const std::string& root, const std::string& dir)
{
    if (root == "/" || dir == root)
        return true;
    return dir.size() > root.size() && dir.compare(0, root.size(), root) == 0 && dir[root.size()] == '/';
}

bool TouchRecorder::inUse(const DirWatch* watch) const
{
    for (const auto& [id, record] : open_) {
        for (const DirWatch* w : record.roots) {
            if (w == watch)
                return true;
        }
    }
    return false;
}

DirWatch* TouchRecorder::follow(const std::string& dir)
{
    // Roots whose directory went away, or least recently used, make room;
    // never one an open record still reads.
    std::erase_if(roots_, [this](const Root& r) { return !r.watch->active() && !inUse(r.watch.get()); });
    for (Root& r : roots_) {
        if (r.watch->active() && covers(r.watch->info().path, dir)) {
            r.lastUsed = ++uses_;
            return r.watch.get();
        }
    }
    if (roots_.size() >= kMaxRoots) {
        auto oldest = roots_.end();
        for (auto it = roots_.begin(); it != roots_.end(); ++it) {
            if (!inUse(it->watch.get()) && (oldest == roots_.end() || it->lastUsed < oldest->lastUsed))
                oldest = it;
        }
        if (oldest == roots_.end())
            return nullptr;
        roots_.erase(oldest);
    }
    Fd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!inotify.valid()) {
        Log::sysError("inotify_init1 for touched files", errno);
        return nullptr;
    }
    DirWatch::Info info;
    info.id = "touched " + dir;
    info.path = dir;
    info.recursive = true;
    info.user = User{"root", 0, 0, "/root", "/bin/sh"};
    info.maxDirs = kMaxDirsPerRoot;
    info.oneFileSystem = true;
    auto watch = std::make_unique<DirWatch>(loop_, info, std::move(inotify));
    watch->setSink([this, from = watch.get()](const char* type, const std::string& path, bool isDir) {
        onEvent(from, type, path, isDir);
    });
    if (auto failure = watch->begin()) {
        Log::line("cannot follow " + dir + " for touched files: " + failure->message);
        return nullptr;
    }
    roots_.push_back({std::move(watch), ++uses_});
    return roots_.back().watch.get();
}

uint64_t TouchRecorder::begin(const std::vector<std::string>& dirs)
{
    const uint64_t id = next_++;
    Record& record = open_[id];
    for (auto it = dirs.begin(); it != dirs.end(); ++it) {
        const std::string& dir = *it;
        // The working directory is most often the home itself: one look is enough.
        if (std::find(dirs.begin(), it, dir) != it)
            continue;
        // A home that does not exist (nobody's) holds nothing to miss.
        struct stat st{};
        if (dir.empty() || (stat(dir.c_str(), &st) != 0 && errno == ENOENT))
            continue;
        DirWatch* root = follow(dir);
        if (!root || !root->complete())
            record.partial = true;
        if (root)
            record.roots.push_back(root);
    }
    return id;
}

nlohmann::json TouchRecorder::end(uint64_t id)
{
    // What happened before the process ended is queued by now.
    for (Root& r : roots_)
        r.watch->drain();
    nlohmann::json paths = nlohmann::json::array();
    bool partial = false;
    auto it = open_.find(id);
    if (it != open_.end()) {
        for (const auto& [path, touch] : it->second.paths)
            paths.push_back({{"path", path}, {"change", touchChangeName(touch.change)}, {"is_dir", touch.isDir}});
        partial = it->second.partial;
        open_.erase(it);
    }
    return {{"paths", std::move(paths)}, {"partial", partial}};
}

void TouchRecorder::note(Record& record, const std::string& path, TouchChange change, bool isDir)
{
    auto it = record.paths.find(path);
    std::optional<TouchChange> earlier;
    if (it != record.paths.end())
        earlier = it->second.change;
    const std::optional<TouchChange> now = foldTouch(earlier, change);
    if (!now) {
        record.paths.erase(it);
        return;
    }
    if (it != record.paths.end()) {
        it->second = {*now, isDir};
        return;
    }
    if (record.paths.size() >= kMaxPaths) {
        record.partial = true;
        return;
    }
    record.paths.emplace(path, Touch{*now, isDir});
}

void TouchRecorder::onEvent(const DirWatch* from, const char* type, const std::string& path, bool isDir)
{
    if (open_.empty())
        return;
    const bool dropped = std::strcmp(type, "dropped") == 0;
    const TouchChange change = std::strcmp(type, "create") == 0 ? TouchChange::Added
        : std::strcmp(type, "remove") == 0                       ? TouchChange::Deleted
                                                                 : TouchChange::Modified;
    // Each record keeps what happened under its own directories.
    for (auto& [id, record] : open_) {
        if (std::find(record.roots.begin(), record.roots.end(), from) == record.roots.end())
            continue;
        if (dropped)
            record.partial = true;
        else
            note(record, path, change, isDir);
    }
}
