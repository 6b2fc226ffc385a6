// SPDX-License-Identifier: GPL-3.0-or-later
#include "DirWatch.h"

#include "EventLoop.h"
#include "FsIdentity.h"
#include "Log.h"
#include "Paths.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>

static constexpr uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM
    | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;
// Directory trees deeper than this are not followed (a guard against
// pathological trees, not a limit anyone should meet).
static constexpr int kMaxDepth = 64;

DirWatch::DirWatch(EventLoop& loop, Info info, Fd inotify)
    : loop_(loop), info_(std::move(info)), inotify_(std::move(inotify))
{
}

DirWatch::~DirWatch()
{
    stop();
}

std::optional<Failure> DirWatch::begin()
{
    FsIdentity as(info_.user);
    if (as.failure())
        return *as.failure();
    // The root itself may be reached through a link; nothing below it is.
    int wd = inotify_add_watch(inotify_.get(), info_.path.c_str(), kEvents);
    if (wd < 0) {
        if (errno == ENOSPC)
            return Failure::internal("The sandbox has no inotify watches left for " + info_.path + ".");
        return Failure::fromErrno(errno, info_.path);
    }
    rootWd_ = wd;
    dirs_[wd] = info_.path;
    struct stat st{};
    if (info_.oneFileSystem && stat(info_.path.c_str(), &st) == 0)
        rootDev_ = st.st_dev;
    if (info_.recursive)
        addTree(info_.path, false, 0);
    updateInterest();
    return std::nullopt;
}

// Adds watches below `dir` (already watched). With reportContents, what is
// found is reported as created: it appeared after the watch began.
void DirWatch::addTree(const std::string& dir, bool reportContents, int depth)
{
    if (depth >= kMaxDepth)
        return;
    DIR* d = opendir(dir.c_str());
    if (!d) {
        // Gone again already, or not ours to read: nothing below to watch.
        if (errno != ENOENT && errno != EACCES && errno != ENOTDIR)
            Log::sysError("opendir " + dir + " for " + info_.id, errno);
        return;
    }
    std::vector<std::pair<std::string, bool>> entries;
    while (dirent* e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        bool isDir = e->d_type == DT_DIR;
        if (e->d_type == DT_UNKNOWN) {
            struct stat st{};
            isDir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
        }
        entries.emplace_back(Paths::join(dir, name), isDir);
    }
    closedir(d);
    std::sort(entries.begin(), entries.end());
    for (const auto& [path, isDir] : entries) {
        if (reportContents)
            emit("create", path, isDir);
        if (isDir && watchDir(path))
            addTree(path, reportContents, depth + 1);
    }
}

// Watches one directory below the root; false when it is not watched.
bool DirWatch::watchDir(const std::string& path)
{
    if (info_.maxDirs != 0 && dirs_.size() >= info_.maxDirs) {
        complete_ = false;
        markDropped(); // events below it will be missing
        return false;
    }
    if (info_.oneFileSystem) {
        struct stat st{};
        if (lstat(path.c_str(), &st) != 0 || st.st_dev != rootDev_)
            return false;
    }
    int wd = inotify_add_watch(inotify_.get(), path.c_str(), kEvents | IN_DONT_FOLLOW);
    if (wd < 0) {
        if (errno == ENOSPC) {
            complete_ = false;
            markDropped();
        } else if (errno != ENOENT && errno != EACCES && errno != ENOTDIR)
            Log::sysError("inotify_add_watch " + path + " for " + info_.id, errno);
        return false;
    }
    dirs_[wd] = path;
    return true;
}

void DirWatch::forgetTree(const std::string& dir)
{
    std::string prefix = dir + "/";
    for (auto it = dirs_.begin(); it != dirs_.end();) {
        if (it->first != rootWd_ && (it->second == dir || it->second.compare(0, prefix.size(), prefix) == 0)) {
            // EINVAL: the kernel dropped it already (the directory is gone).
            if (inotify_rm_watch(inotify_.get(), it->first) != 0 && errno != EINVAL)
                Log::sysError("inotify_rm_watch " + it->second + " for " + info_.id, errno);
            it = dirs_.erase(it);
        } else {
            ++it;
        }
    }
}

void DirWatch::updateInterest()
{
    bool want = inotify_.valid() && !paused_;
    if (want == watched_)
        return;
    if (want) {
        if (!loop_.watch(inotify_.get(), EPOLLIN, [this](uint32_t) { onReadable(); }))
            return;
    } else if (inotify_.valid()) {
        loop_.unwatch(inotify_.get());
    }
    watched_ = want;
}

void DirWatch::onReadable()
{
    alignas(inotify_event) static char buffer[65536];
    for (int round = 0; round < 16 && inotify_.valid() && !paused_; ++round) {
        ssize_t n = ::read(inotify_.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            Log::sysError("read inotify of " + info_.id, n < 0 ? errno : EIO);
            stop();
            return;
        }
        lastEvent_ = nullptr;
        for (ssize_t at = 0; at < n && inotify_.valid();) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            handle(*event);
        }
    }
}

void DirWatch::handle(const inotify_event& event)
{
    if (event.mask & IN_Q_OVERFLOW) {
        markDropped();
        return;
    }
    auto dir = dirs_.find(event.wd);
    if (event.mask & IN_IGNORED) {
        if (dir != dirs_.end())
            dirs_.erase(dir);
        if (event.wd == rootWd_)
            stop();
        return;
    }
    if (dir == dirs_.end())
        return; // a directory that was forgotten while its events were queued
    if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        // Below the root, the parent reports the removal or the move.
        if (event.wd == rootWd_)
            stop();
        return;
    }
    if (event.len == 0)
        return;
    std::string path = Paths::join(dir->second, event.name);
    bool isDir = event.mask & IN_ISDIR;
    if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
        emit("create", path, isDir);
        if (isDir && info_.recursive) {
            FsIdentity as(info_.user);
            if (as.failure()) {
                markDropped();
                return;
            }
            if (watchDir(path))
                addTree(path, true, 1);
        }
    } else if (event.mask & (IN_DELETE | IN_MOVED_FROM)) {
        emit("remove", path, isDir);
        if (isDir && (event.mask & IN_MOVED_FROM))
            forgetTree(path);
    } else if (event.mask & (IN_MODIFY | IN_ATTRIB)) {
        emit("modify", path, isDir);
    }
}

void DirWatch::emit(const char* type, const std::string& path, bool isDir)
{
    if (sink_) {
        sink_(type, path, isDir);
        return;
    }
    nlohmann::json event = {{"type", type}, {"path", path}, {"is_dir", isDir}};
    // A write in many small pieces is one change to whoever looks.
    if (event == lastEvent_)
        return;
    lastEvent_ = event;
    if (events_.size() >= kMaxEvents) {
        events_.pop_front();
        dropped_ = true;
    }
    events_.push_back(event);
    std::erase_if(streams_, [](const std::shared_ptr<Stream>& s) { return s->closed(); });
    nlohmann::json frame = {{"type", "event"}, {"event", event}};
    bool congested = false;
    for (size_t i = 0; i < streams_.size(); ++i) {
        streams_[i]->send(frame);
        congested = congested || streams_[i]->congested();
    }
    if (congested && !paused_) {
        paused_ = true;
        updateInterest();
    }
}

void DirWatch::markDropped()
{
    dropped_ = true;
    if (sink_)
        sink_("dropped", std::string(), false);
    for (auto& s : streams_)
        s->send({{"type", "dropped"}});
}

void DirWatch::resumeIfDrained()
{
    if (!paused_)
        return;
    for (auto& s : streams_) {
        if (!s->closed() && s->congested())
            return;
    }
    paused_ = false;
    updateInterest();
}

Response DirWatch::poll()
{
    nlohmann::json list = nlohmann::json::array();
    for (auto& e : events_)
        list.push_back(std::move(e));
    events_.clear();
    Response r = Response::ok();
    r.header["events"] = std::move(list);
    r.header["dropped"] = dropped_;
    dropped_ = false;
    return r;
}

void DirWatch::addStream(std::shared_ptr<Stream> stream)
{
    if (!stream->start([this] { resumeIfDrained(); }, [this] { resumeIfDrained(); }))
        return;
    stream->send(Response::ok().header);
    if (!inotify_.valid()) {
        stream->send({{"type", "stopped"}});
        stream->forgetOwner();
        stream->finish();
        return;
    }
    streams_.push_back(std::move(stream));
}

void DirWatch::stop()
{
    if (inotify_.valid()) {
        if (watched_)
            loop_.unwatch(inotify_.get());
        watched_ = false;
        inotify_.reset();
    }
    dirs_.clear();
    auto streams = std::move(streams_);
    streams_.clear();
    for (auto& s : streams) {
        s->send({{"type", "stopped"}});
        s->forgetOwner();
        s->finish();
    }
}
