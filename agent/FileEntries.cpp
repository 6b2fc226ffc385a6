// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileEntries.h"

#include "Log.h"
#include "Paths.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static nlohmann::json describe(const std::string& path, const struct stat& st, const Users& users)
{
    const char* type = "other";
    if (S_ISREG(st.st_mode))
        type = "file";
    else if (S_ISDIR(st.st_mode))
        type = "dir";
    else if (S_ISLNK(st.st_mode))
        type = "symlink";
    nlohmann::json e = {
        {"name", Paths::baseName(path)},
        {"path", path},
        {"type", type},
        {"size", static_cast<int64_t>(st.st_size)},
        {"mode", st.st_mode & 07777},
        {"mtime_ms", static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000},
        {"owner", users.nameOf(st.st_uid)},
        {"symlink_target", nullptr},
    };
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(path.c_str(), target, sizeof target);
        if (n >= 0)
            e["symlink_target"] = std::string(target, static_cast<size_t>(n));
    }
    return e;
}

Result<nlohmann::json> FileEntries::entry(const std::string& path, const Users& users)
{
    struct stat st{};
    if (lstat(path.c_str(), &st) != 0)
        return Failure::fromErrno(errno, path);
    return describe(path, st, users);
}

// Entries of unreadable subdirectories are left out rather than failing the
// whole listing; only the top directory's errors are the request's errors.
static bool walk(const std::string& dir, int levelsLeft, const Users& users, nlohmann::json& out,
                 int& err)
{
    DIR* d = opendir(dir.c_str());
    if (!d) {
        err = errno;
        return false;
    }
    std::vector<std::string> subdirs;
    errno = 0;
    while (dirent* ent = readdir(d)) {
        std::string name = ent->d_name;
        if (name == "." || name == "..")
            continue;
        std::string path = Paths::join(dir, name);
        struct stat st{};
        if (lstat(path.c_str(), &st) != 0)
            continue; // removed while we were listing
        if (out.size() >= FileEntries::kMaxEntries)
            break; // list() says so
        out.push_back(describe(path, st, users));
        if (S_ISDIR(st.st_mode) && levelsLeft > 1)
            subdirs.push_back(std::move(path));
    }
    if (closedir(d) != 0)
        Log::sysError("closedir " + dir, errno);
    for (const std::string& sub : subdirs) {
        if (out.size() >= FileEntries::kMaxEntries)
            break;
        int ignored = 0;
        walk(sub, levelsLeft - 1, users, out, ignored);
    }
    return true;
}

Result<nlohmann::json> FileEntries::list(const std::string& dir, int depth, const Users& users)
{
    struct stat st{};
    if (stat(dir.c_str(), &st) != 0)
        return Failure::fromErrno(errno, dir);
    if (!S_ISDIR(st.st_mode))
        return Failure::fromErrno(ENOTDIR, dir);
    nlohmann::json entries = nlohmann::json::array();
    int err = 0;
    if (!walk(Paths::withoutTrailingSlashes(dir), depth, users, entries, err))
        return Failure::fromErrno(err, dir);
    if (entries.size() >= kMaxEntries)
        return Failure{"too_large", dir + " has more than " + std::to_string(kMaxEntries - 1)
                                        + " entries" + (depth > 1 ? " at that depth; list fewer levels." : ".")};
    std::sort(entries.begin(), entries.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return a["path"].get_ref<const std::string&>() < b["path"].get_ref<const std::string&>();
    });
    return entries;
}
