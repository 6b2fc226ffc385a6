// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "User.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

// The sandbox's accounts, read from /etc/passwd directly: the agent is static
// and has no NSS. Loaded per request, so accounts added inside the sandbox
// are seen at once.
class Users {
public:
    static Users load(const char* path = "/etc/passwd");

    const User* find(std::string_view name) const;
    // The account name for a uid, or the number when no account has it.
    std::string nameOf(uid_t uid) const;
    // The request's "user" field (default "sandbox") as an account.
    Result<User> forRequest(const nlohmann::json& header) const;

private:
    std::vector<User> users_;
};
