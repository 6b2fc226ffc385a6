// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "Result.h"
#include "User.h"

#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

struct SpawnedProcess {
    pid_t pid = -1;
    Fd stdinFd;  // write end, non-blocking; invalid when stdin was closed at once
    Fd stdoutFd; // read end, non-blocking
    Fd stderrFd; // read end, non-blocking
};

// Starts `/bin/bash -c cmd` as `user` in a new session, or execs the program
// itself where bash would do nothing else (DirectExec). Failures of the
// child before exec (bad cwd, setuid) come back as a Failure, not as an exit
// code.
class ProcessSpawner {
public:
    using Env = std::vector<std::pair<std::string, std::string>>;
    static Result<SpawnedProcess> spawn(const User& user, const std::string& cmd,
                                        const std::string& cwd, const Env& env, bool keepStdin);
};
