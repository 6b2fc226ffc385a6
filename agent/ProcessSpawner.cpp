// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessSpawner.h"

#include "Log.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>

extern char** environ;

namespace {

enum Stage : int { StageSetsid = 1, StageDup, StageGroups, StageGid, StageUid, StageChdir, StageExec };

struct ChildError {
    int stage;
    int err;
};

std::vector<std::string> buildEnvironment(const User& user, const ProcessSpawner::Env& extra)
{
    std::vector<std::string> env;
    auto set = [&env](const std::string& key, const std::string& value) {
        std::string prefix = key + "=";
        for (std::string& entry : env) {
            if (entry.compare(0, prefix.size(), prefix) == 0) {
                entry = prefix + value;
                return;
            }
        }
        env.push_back(prefix + value);
    };
    for (char** e = environ; e && *e; ++e)
        env.emplace_back(*e);
    set("HOME", user.home);
    set("USER", user.name);
    set("LOGNAME", user.name);
    set("SHELL", user.shell.empty() ? "/bin/sh" : user.shell);
    bool hasPath = false;
    for (const std::string& entry : env)
        hasPath = hasPath || entry.compare(0, 5, "PATH=") == 0;
    if (!hasPath)
        set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (const auto& [key, value] : extra)
        set(key, value);
    return env;
}

bool makePipe(Fd& readEnd, Fd& writeEnd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return false;
    readEnd.reset(fds[0]);
    writeEnd.reset(fds[1]);
    return true;
}

bool setNonBlocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

[[noreturn]] void failChild(int errorFd, int stage)
{
    ChildError e{stage, errno};
    // Nothing useful can be done if the report itself fails.
    [[maybe_unused]] ssize_t n = ::write(errorFd, &e, sizeof e);
    _exit(127);
}

} // namespace

Result<SpawnedProcess> ProcessSpawner::spawn(const User& user, const std::string& cmd,
                                             const std::string& cwd, const Env& extraEnv,
                                             bool keepStdin)
{
    std::vector<std::string> envStrings = buildEnvironment(user, extraEnv);
    std::vector<char*> envp;
    envp.reserve(envStrings.size() + 1);
    for (std::string& s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string bash = "bash", dashC = "-c", command = cmd;
    char* argv[] = {bash.data(), dashC.data(), command.data(), nullptr};

    Fd inRead, inWrite, outRead, outWrite, errRead, errWrite, reportRead, reportWrite;
    if (!makePipe(inRead, inWrite) || !makePipe(outRead, outWrite) || !makePipe(errRead, errWrite)
        || !makePipe(reportRead, reportWrite))
        return Failure::internal(std::string("Cannot create pipes for a command: ") + std::strerror(errno) + ".");
    if (!setNonBlocking(inWrite.get()) || !setNonBlocking(outRead.get()) || !setNonBlocking(errRead.get()))
        return Failure::internal(std::string("Cannot configure pipes for a command: ") + std::strerror(errno) + ".");

    pid_t pid = fork();
    if (pid < 0)
        return Failure::internal(std::string("Cannot start a process: ") + std::strerror(errno) + ".");
    if (pid == 0) {
        // The child: undo the agent's signal setup, become the session leader
        // so kill can reach the whole group, then drop to the user.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGCHLD, SIGHUP})
            signal(sig, SIG_DFL);
        int report = reportWrite.get();
        if (setsid() < 0)
            failChild(report, StageSetsid);
        if (dup2(inRead.get(), 0) < 0 || dup2(outWrite.get(), 1) < 0 || dup2(errWrite.get(), 2) < 0)
            failChild(report, StageDup);
        gid_t gid = user.gid;
        if (setgroups(1, &gid) != 0 && !(errno == EPERM && geteuid() == user.uid))
            failChild(report, StageGroups);
        if (setgid(user.gid) != 0)
            failChild(report, StageGid);
        if (setuid(user.uid) != 0)
            failChild(report, StageUid);
        if (chdir(cwd.c_str()) != 0)
            failChild(report, StageChdir);
        execve("/bin/bash", argv, envp.data());
        failChild(report, StageExec);
    }

    reportWrite.reset();
    ChildError e{};
    ssize_t n;
    // Blocks only until the child's exec, which closes the CLOEXEC report pipe.
    do {
        n = ::read(reportRead.get(), &e, sizeof e);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof e)) {
        // The child is reaped by the agent's SIGCHLD handling like any other.
        switch (e.stage) {
        case StageChdir: {
            Failure f = Failure::fromErrno(e.err, cwd);
            f.message += " (the working directory of the command)";
            // A missing working directory is a mistake in the request, not
            // a missing resource of the API.
            if (f.code != "permission_denied")
                f.code = "bad_request";
            return f;
        }
        case StageExec:
            return Failure::internal(std::string("Cannot execute /bin/bash: ") + std::strerror(e.err) + ".");
        default:
            return Failure::internal("Cannot switch to user " + user.name + " for a command: "
                                     + std::strerror(e.err) + ".");
        }
    }
    SpawnedProcess p;
    p.pid = pid;
    if (keepStdin)
        p.stdinFd = std::move(inWrite);
    p.stdoutFd = std::move(outRead);
    p.stderrFd = std::move(errRead);
    return p;
}
