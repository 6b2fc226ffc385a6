// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Failure.h"
#include "Fd.h"
#include "Request.h"
#include "Response.h"
#include "Result.h"
#include "User.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>

// One `write` of PROTOCOL.md: the bytes go into a temporary file next to
// the target as they come; finish() puts the data on the disk, renames the
// file over the target and puts the rename on the disk too. Dropped before
// that, it removes the temporary file and leaves the target untouched (a
// client that left halfway).
class FileWrite {
public:
    // Resolves the target and creates the temporary file; run under the
    // user's file-system identity (FileOps::handle's).
    static Result<std::shared_ptr<FileWrite>> begin(const Request& r, const User& user);
    ~FileWrite();
    FileWrite(const FileWrite&) = delete;
    FileWrite& operator=(const FileWrite&) = delete;

    // False once the disk refused bytes; failure() says why.
    bool append(const char* data, size_t size);
    const std::optional<Failure>& failure() const { return failure_; }
    // The answer: the file is in place and on the disk, or why not.
    Response finish();

private:
    FileWrite(User user, std::string target, std::string dir, std::string tmp, Fd fd, mode_t mode);

    User user_;
    std::string target_;
    std::string dir_;
    std::string tmp_;
    Fd fd_;
    mode_t mode_;
    uint64_t written_ = 0;
    uint64_t flushed_ = 0; // handed to writeback so far
    std::optional<Failure> failure_;
    bool renamed_ = false;
};
