// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileWrite.h"

#include "FileOps.h"
#include "FsIdentity.h"
#include "Json.h"
#include "Paths.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// Writeback of what has been written is started every this many bytes, so
// the final fsync finds most of the file on its way to the disk already.
constexpr uint64_t kWritebackStep = 4 * 1024 * 1024;

// Makes the directory entries of `dir` durable. A user who may write into a
// directory but not read it cannot open it; syncing the file system of the
// file (`fileFd`) then covers the entry too.
bool syncDirectoryOf(const std::string& dir, int fileFd, int& err)
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

} // namespace

Result<std::shared_ptr<FileWrite>> FileWrite::begin(const Request& r, const User& user)
{
    auto path = Paths::resolve(user, r.header, "path", Paths::Empty::IsBad);
    if (!path)
        return path.failure();
    auto mode = Json::integer(r.header, "mode", -1, 0, 07777);
    if (!mode)
        return mode.failure();
    std::string target = Paths::withoutTrailingSlashes(*path);
    mode_t fileMode = 0644;
    struct stat st{};
    if (::stat(target.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return Failure::fromErrno(EISDIR, target);
        if (S_ISREG(st.st_mode))
            fileMode = st.st_mode & 07777; // overwriting keeps the file's mode
    }
    if (*mode >= 0)
        fileMode = static_cast<mode_t>(*mode);
    std::string dir = Paths::parentOf(target);
    auto made = FileOps::makeDirectories(dir);
    if (!made)
        return made.failure();

    std::string base = Paths::baseName(target);
    // Keep the temporary name within NAME_MAX even for long target names.
    std::string tmp = Paths::join(dir, base.size() > 200 ? ".ai2in-XXXXXX" : "." + base + ".ai2in-XXXXXX");
    Fd fd(mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd.valid())
        return Failure::fromErrno(errno, target);
    return std::shared_ptr<FileWrite>(
        new FileWrite(user, std::move(target), std::move(dir), std::move(tmp), std::move(fd), fileMode));
}

FileWrite::FileWrite(User user, std::string target, std::string dir, std::string tmp, Fd fd, mode_t mode)
    : user_(std::move(user)), target_(std::move(target)), dir_(std::move(dir)), tmp_(std::move(tmp)),
      fd_(std::move(fd)), mode_(mode)
{
}

FileWrite::~FileWrite()
{
    if (!renamed_)
        ::unlink(tmp_.c_str());
}

bool FileWrite::append(const char* data, size_t size)
{
    size_t done = 0;
    while (!failure_ && done < size) {
        ssize_t n = ::write(fd_.get(), data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            failure_ = Failure::fromErrno(errno, target_);
        else
            done += static_cast<size_t>(n);
    }
    written_ += done;
    if (!failure_ && written_ - flushed_ >= kWritebackStep) {
        // Only starts writeback; the fsync in finish() is what waits.
        sync_file_range(fd_.get(), static_cast<off_t>(flushed_), static_cast<off_t>(written_ - flushed_),
                        SYNC_FILE_RANGE_WRITE);
        flushed_ = written_;
    }
    return !failure_;
}

Response FileWrite::finish()
{
    if (failure_)
        return Response::fail(*failure_);
    FsIdentity identity(user_);
    if (identity.failure())
        return Response::fail(*identity.failure());
    int err = 0;
    bool ok = fchmod(fd_.get(), mode_) == 0;
    // The answer tells the client the file is kept: its data must be on the
    // disk before the rename makes it visible, or a crash of the host could
    // leave an empty or partial file under the acknowledged name.
    ok = ok && fsync(fd_.get()) == 0;
    ok = ok && ::rename(tmp_.c_str(), target_.c_str()) == 0;
    if (!ok) {
        err = errno;
        return Response::fail(Failure::fromErrno(err, target_));
    }
    renamed_ = true;
    // And the rename itself must be on the disk before the answer.
    if (!syncDirectoryOf(dir_, fd_.get(), err))
        return Response::fail(Failure::fromErrno(err, target_));
    if (::close(fd_.release()) != 0)
        return Response::fail(Failure::fromErrno(errno, target_));
    Response resp = Response::ok();
    resp.header["path"] = target_;
    resp.header["written"] = written_;
    return resp;
}
