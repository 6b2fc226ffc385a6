// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"
#include "ProcessEnvironment.h"
#include "Result.h"
#include "User.h"

#include <string>
#include <sys/types.h>
#include <vector>

struct SpawnedPty {
    pid_t pid = -1; // session leader, so also the process group id
    Fd master;      // non-blocking
};

// Starts a process as `user` on a new pseudo-terminal: the process is a
// session leader with the terminal as its controlling tty and as 0/1/2.
// Failures before exec (cwd, user switch) come back as a Failure.
class PtySpawner {
public:
    static Result<SpawnedPty> spawn(const User& user, const std::string& program,
                                    const std::vector<std::string>& argv, const std::string& cwd,
                                    const ProcessEnvironment::Pairs& env, int cols, int rows);
};
