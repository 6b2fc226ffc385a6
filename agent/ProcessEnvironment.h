// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "User.h"

#include <string>
#include <utility>
#include <vector>

// The environment of a process started for a user: the agent's own (which the
// engine set from the sandbox's envs), the user's HOME/USER/LOGNAME/SHELL,
// PATH when absent, then the caller's defaults and the request's `env`.
class ProcessEnvironment {
public:
    using Pairs = std::vector<std::pair<std::string, std::string>>;

    ProcessEnvironment(const User& user, const Pairs& defaults, const Pairs& extra);
    // NULL-terminated, pointing into this object.
    char** envp() { return pointers_.data(); }

private:
    void set(const std::string& key, const std::string& value);

    std::vector<std::string> entries_;
    std::vector<char*> pointers_;
};
