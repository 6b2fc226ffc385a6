// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "User.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

// `bash -c "ls -l /tmp"` parses one simple command and execs the program it
// finds on PATH in place of itself, with PWD, SHLVL and `_` set. Starting
// bash is about half the cost of such a command, so the agent does that exec
// itself. DirectExec recognises the commands where this is exactly what bash
// would do and prepares the exec; whenever bash might do anything else
// (expansions, builtins, functions, start-up files, variables it rewrites)
// it declines, so which way a command went is never visible to it.
class DirectExec {
public:
    // `env` is the complete environment the command gets, as "KEY=value";
    // `cwd` its absolute working directory. Looks at the file system (PATH
    // search, PWD) but changes nothing.
    static std::optional<DirectExec> plan(const std::string& cmd, const std::vector<std::string>& env,
                                          const User& user, const std::string& cwd);

    // The file to execute, spelt as bash would have found it.
    const std::string& program() const { return program_; }
    // The command's words; argv[0] is the first word as typed, as with bash.
    std::vector<std::string>& argv() { return argv_; }
    // `env` with the SHLVL and `_` bash would export, and a PWD entry whose
    // value the child writes with getcwd() after its chdir, as bash does.
    std::vector<std::string>& env() { return env_; }
    // The PWD entry of env(): its value starts at kPwdValueOffset and has
    // room for kPwdCapacity bytes including the terminating NUL.
    std::size_t pwdIndex() const { return pwdIndex_; }
    static constexpr std::size_t kPwdValueOffset = 4; // after "PWD="
    static constexpr std::size_t kPwdCapacity = 4096; // PATH_MAX, the most getcwd() returns
    // The OLDPWD entry of env(), or kNone. Bash keeps an inherited OLDPWD
    // only when it names a directory the user can reach from the working
    // directory, so the child checks that once it is that user, there.
    std::size_t oldPwdIndex() const { return oldPwdIndex_; }
    static constexpr std::size_t kOldPwdValueOffset = 7; // after "OLDPWD="
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

private:
    std::string program_;
    std::vector<std::string> argv_;
    std::vector<std::string> env_;
    std::size_t pwdIndex_ = 0;
    std::size_t oldPwdIndex_ = kNone;
};
