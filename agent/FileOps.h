// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Request.h"
#include "Response.h"
#include "Result.h"
#include "Users.h"

#include <string>

// The file operations of PROTOCOL.md, each run under the requesting user's
// file-system identity.
class FileOps {
public:
    static constexpr size_t kMaxFileSize = 32 * 1024 * 1024;
    // Regular files from this size on are sent without being read in.
    static constexpr size_t kSendFileFrom = 256 * 1024;

    static bool handles(const Request& request);
    static Response handle(const Request& request, const Users& users);
    // mkdir -p; true when the last component was created now.
    static Result<bool> makeDirectories(const std::string& path);

private:
    static Response list(const Request& r, const User& user, const Users& users);
    static Response stat(const Request& r, const User& user, const Users& users);
    static Response exists(const Request& r, const User& user);
    static Response read(const Request& r, const User& user);
    static Response write(const Request& r, const User& user);
    static Response remove(const Request& r, const User& user);
    static Response rename(const Request& r, const User& user);
    static Response mkdir(const Request& r, const User& user);
};
