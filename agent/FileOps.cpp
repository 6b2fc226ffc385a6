// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileOps.h"

#include "Fd.h"
#include "FileEntries.h"
#include "FileWrite.h"
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
    if (S_ISREG(st.st_mode) && st.st_size >= static_cast<off_t>(kSendFileFrom)) {
        // Large regular files go out by sendfile(2) as the client reads:
        // none of it is held here. (Small ones, and the files of /proc and
        // /sys whose size says nothing, are read below.)
        Response resp = Response::ok();
        resp.header["size"] = st.st_size;
        resp.fileBytes = static_cast<uint64_t>(st.st_size);
        resp.file = std::make_shared<Fd>(std::move(fd));
        return resp;
    }
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

Response FileOps::write(const Request& r, const User& user)
{
    auto w = FileWrite::begin(r, user);
    if (!w)
        return Response::fail(w.failure());
    if (r.bodyToCome > 0) {
        // A large body is still on the connection: it goes into the file as
        // it arrives, and the answer comes from finish() after the last byte.
        Response pending;
        pending.awaitingBody = std::move(*w);
        return pending;
    }
    if (!(*w)->append(r.body.data(), r.body.size()))
        return Response::fail(*(*w)->failure());
    return (*w)->finish();
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
