// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileOps.h"

#include "Fd.h"
#include "FileEntries.h"
#include "FsIdentity.h"
#include "Json.h"
#include "Paths.h"

#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

bool FileOps::handles(const Request& request)
{
    const std::string& op = request.op;
    // `list` is shared with commands; a `path` field marks the file listing.
    if (op == "list")
        return request.header.contains("path");
    return op == "stat" || op == "exists" || op == "read" || op == "write" || op == "remove"
        || op == "rename" || op == "mkdir";
}

Response FileOps::handle(const Request& request, const Users& users)
{
    auto user = users.forRequest(request.header);
    if (!user)
        return Response::fail(user.failure());
    FsIdentity identity(*user);
    if (identity.failure())
        return Response::fail(*identity.failure());
    const std::string& op = request.op;
    if (op == "list")
        return list(request, *user, users);
    if (op == "stat")
        return stat(request, *user, users);
    if (op == "exists")
        return exists(request, *user);
    if (op == "read")
        return read(request, *user);
    if (op == "write")
        return write(request, *user);
    if (op == "remove")
        return remove(request, *user);
    if (op == "rename")
        return rename(request, *user);
    return mkdir(request, *user);
}

Response FileOps::list(const Request& r, const User& user, const Users& users)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::MeansHome);
    if (!path)
        return Response::fail(path.failure());
    auto depth = Json::integer(r.header, "depth", 1, 1, FileEntries::kMaxDepth);
    if (!depth)
        return Response::fail(depth.failure());
    auto entries = FileEntries::list(*path, static_cast<int>(*depth), users);
    if (!entries)
        return Response::fail(entries.failure());
    Response resp = Response::ok();
    resp.header["entries"] = std::move(*entries);
    return resp;
}

Response FileOps::stat(const Request& r, const User& user, const Users& users)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::MeansHome);
    if (!path)
        return Response::fail(path.failure());
    auto entry = FileEntries::entry(*path, users);
    if (!entry)
        return Response::fail(entry.failure());
    Response resp = Response::ok();
    resp.header["entry"] = std::move(*entry);
    return resp;
}

Response FileOps::exists(const Request& r, const User& user)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::MeansHome);
    if (!path)
        return Response::fail(path.failure());
    struct stat st{};
    bool found = true;
    if (lstat(path->c_str(), &st) != 0) {
        // A missing parent is as much "no" as a missing file.
        if (errno != ENOENT && errno != ENOTDIR)
            return Response::fail(Failure::fromErrno(errno, *path));
        found = false;
    }
    Response resp = Response::ok();
    resp.header["exists"] = found;
    return resp;
}

Response FileOps::read(const Request& r, const User& user)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::IsBad);
    if (!path)
        return Response::fail(path.failure());
    // O_NONBLOCK: opening a FIFO must not stall the whole agent.
    Fd fd(::open(path->c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.valid())
        return Response::fail(Failure::fromErrno(errno, *path));
    struct stat st{};
    if (fstat(fd.get(), &st) != 0)
        return Response::fail(Failure::fromErrno(errno, *path));
    if (S_ISDIR(st.st_mode))
        return Response::fail(Failure::fromErrno(EISDIR, *path));
    auto tooLarge = [&] {
        return Response::fail({"too_large", "File is larger than 32 MiB: " + *path});
    };
    if (st.st_size > static_cast<off_t>(kMaxFileSize))
        return tooLarge();
    std::string data;
    data.reserve(static_cast<size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break; // a pipe or device with nothing more right now
        if (n < 0)
            return Response::fail(Failure::fromErrno(errno, *path));
        if (n == 0)
            break;
        if (data.size() + static_cast<size_t>(n) > kMaxFileSize)
            return tooLarge();
        data.append(buf, static_cast<size_t>(n));
    }
    Response resp = Response::ok();
    resp.header["size"] = data.size();
    resp.body = std::move(data);
    resp.hasBody = true;
    return resp;
}

static bool writeAll(int fd, const std::string& data, int& err)
{
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err = errno;
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

// Makes the directory entries of `dir` durable. A user who may write into a
// directory but not read it cannot open it; syncing the file system of the
// file (`fileFd`) then covers the entry too.
static bool syncDirectoryOf(const std::string& dir, int fileFd, int& err)
{
    Fd dirFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dirFd.valid()) {
        if (fsync(dirFd.get()) == 0)
            return true;
        err = errno;
        return false;
    }
    if (errno != EACCES && errno != EPERM) {
        err = errno;
        return false;
    }
    if (syncfs(fileFd) == 0)
        return true;
    err = errno;
    return false;
}

Response FileOps::write(const Request& r, const User& user)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::IsBad);
    if (!path)
        return Response::fail(path.failure());
    auto mode = Json::integer(r.header, "mode", -1, 0, 07777);
    if (!mode)
        return Response::fail(mode.failure());
    std::string target = Paths::withoutTrailingSlashes(*path);
    mode_t fileMode = 0644;
    struct stat st{};
    if (::stat(target.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return Response::fail(Failure::fromErrno(EISDIR, target));
        if (S_ISREG(st.st_mode))
            fileMode = st.st_mode & 07777; // overwriting keeps the file's mode
    }
    if (*mode >= 0)
        fileMode = static_cast<mode_t>(*mode);
    std::string dir = Paths::parentOf(target);
    auto made = makeDirectories(dir);
    if (!made)
        return Response::fail(made.failure());

    std::string base = Paths::baseName(target);
    // Keep the temporary name within NAME_MAX even for long target names.
    std::string tmp = Paths::join(dir, base.size() > 200 ? ".ai2in-XXXXXX" : "." + base + ".ai2in-XXXXXX");
    Fd fd(mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd.valid())
        return Response::fail(Failure::fromErrno(errno, target));
    int err = 0;
    bool written = writeAll(fd.get(), r.body, err);
    if (written && fchmod(fd.get(), fileMode) != 0) {
        err = errno;
        written = false;
    }
    // The answer tells the client the file is kept: its data must be on the
    // disk before the rename makes it visible, or a crash of the host could
    // leave an empty or partial file under the acknowledged name.
    if (written && fsync(fd.get()) != 0) {
        err = errno;
        written = false;
    }
    if (written && ::rename(tmp.c_str(), target.c_str()) != 0) {
        err = errno;
        written = false;
    }
    if (!written) {
        ::unlink(tmp.c_str());
        return Response::fail(Failure::fromErrno(err, target));
    }
    // And the rename itself must be on the disk before the answer.
    if (!syncDirectoryOf(dir, fd.get(), err))
        return Response::fail(Failure::fromErrno(err, target));
    if (::close(fd.release()) != 0)
        return Response::fail(Failure::fromErrno(errno, target));
    Response resp = Response::ok();
    resp.header["path"] = target;
    resp.header["written"] = r.body.size();
    return resp;
}

// Never follows a symbolic link: a link is removed, not what it points to.
static bool removeAt(int dirFd, const std::string& name, const std::string& shownPath, int& err,
                     std::string& failedPath)
{
    struct stat st{};
    if (fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        err = errno;
        failedPath = shownPath;
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlinkat(dirFd, name.c_str(), 0) != 0) {
            err = errno;
            failedPath = shownPath;
            return false;
        }
        return true;
    }
    int fd = openat(dirFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        err = errno;
        failedPath = shownPath;
        return false;
    }
    DIR* d = fdopendir(fd);
    if (!d) {
        err = errno;
        failedPath = shownPath;
        ::close(fd);
        return false;
    }
    std::vector<std::string> names;
    while (dirent* ent = readdir(d)) {
        std::string child = ent->d_name;
        if (child != "." && child != "..")
            names.push_back(std::move(child));
    }
    bool ok = true;
    for (const std::string& child : names) {
        if (!removeAt(dirfd(d), child, Paths::join(shownPath, child), err, failedPath)) {
            ok = false;
            break;
        }
    }
    closedir(d);
    if (ok && unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) != 0) {
        err = errno;
        failedPath = shownPath;
        ok = false;
    }
    return ok;
}

Response FileOps::remove(const Request& r, const User& user)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::IsBad);
    if (!path)
        return Response::fail(path.failure());
    std::string target = Paths::withoutTrailingSlashes(*path);
    std::string base = Paths::baseName(target);
    if (target == "/" || base == "." || base == "..")
        return Response::fail(Failure::badRequest("Refusing to remove " + target + "."));
    std::string parent = Paths::parentOf(target);
    Fd dirFd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dirFd.valid())
        return Response::fail(Failure::fromErrno(errno, target));
    int err = 0;
    std::string failedPath;
    if (!removeAt(dirFd.get(), base, target, err, failedPath))
        return Response::fail(Failure::fromErrno(err, failedPath));
    return Response::ok();
}

Response FileOps::rename(const Request& r, const User& user)
{
    auto from = Paths::resolve(user, r.header, "from", Paths::Empty::IsBad);
    if (!from)
        return Response::fail(from.failure());
    auto to = Paths::resolve(user, r.header, "to", Paths::Empty::IsBad);
    if (!to)
        return Response::fail(to.failure());
    std::string source = Paths::withoutTrailingSlashes(*from);
    std::string target = Paths::withoutTrailingSlashes(*to);
    struct stat st{};
    if (lstat(source.c_str(), &st) != 0)
        return Response::fail(Failure::fromErrno(errno, source));
    auto made = makeDirectories(Paths::parentOf(target));
    if (!made)
        return Response::fail(made.failure());
    if (::rename(source.c_str(), target.c_str()) != 0)
        return Response::fail(Failure::fromErrno(errno, source + " -> " + target));
    Response resp = Response::ok();
    resp.header["path"] = target;
    return resp;
}

Response FileOps::mkdir(const Request& r, const User& user)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::IsBad);
    if (!path)
        return Response::fail(path.failure());
    std::string target = Paths::withoutTrailingSlashes(*path);
    auto created = makeDirectories(target);
    if (!created)
        return Response::fail(created.failure());
    Response resp = Response::ok();
    resp.header["path"] = target;
    resp.header["created"] = *created;
    return resp;
}

Result<bool> FileOps::makeDirectories(const std::string& path)
{
    auto existing = [&]() -> Result<bool> {
        struct stat st{};
        if (::stat(path.c_str(), &st) != 0)
            return Failure::fromErrno(errno, path);
        if (!S_ISDIR(st.st_mode))
            return Failure{"already_exists", "A file that is not a directory is in the way: " + path};
        return false;
    };
    if (::mkdir(path.c_str(), 0755) == 0)
        return true;
    if (errno == EEXIST)
        return existing();
    if (errno == ENOTDIR)
        return Failure::conflict("A file that is not a directory is in the way of " + path);
    if (errno != ENOENT)
        return Failure::fromErrno(errno, path);
    std::string parent = Paths::parentOf(path);
    if (parent == path || parent == ".")
        return Failure::fromErrno(ENOENT, path);
    auto made = makeDirectories(parent);
    if (!made)
        return made.failure();
    if (::mkdir(path.c_str(), 0755) == 0)
        return true;
    if (errno == EEXIST)
        return existing();
    return Failure::fromErrno(errno, path);
}
