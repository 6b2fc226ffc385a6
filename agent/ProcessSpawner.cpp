// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessSpawner.h"

#include "DirectExec.h"
#include "Log.h"
#include "OomScore.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char** environ;

namespace {

enum Stage : int { StageSignals = 1, StageSetsid, StageDup, StageGroups, StageGid, StageUid, StageChdir, StageExec,
                   StageOomScore };

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

// A fresh pipe end has no status flag but its access mode, which F_SETFL
// leaves alone: no F_GETFL needed.
bool setNonBlocking(int fd)
{
    return fcntl(fd, F_SETFL, O_NONBLOCK) == 0;
}

std::vector<char*> pointersTo(std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    pointers.reserve(strings.size() + 1);
    for (std::string& s : strings)
        pointers.push_back(s.data());
    pointers.push_back(nullptr);
    return pointers;
}

// Everything the child needs, prepared by the parent: the child shares the
// parent's memory and may not allocate (the allocator's lock could be held,
// and its bookkeeping is the parent's).
struct ChildPlan {
    int stdinFd, stdoutFd, stderrFd;
    uid_t uid;
    gid_t gid;
    bool alreadyThatUser; // euid == uid: failing setgroups is fine then
    const char* cwd;
    char* const* bashArgv;
    char* const* bashEnv;
    const char* program; // nullptr: no direct exec
    char* const* directArgv;
    char** directEnv; // the child may drop OLDPWD from it
    size_t directEnvCount;
    char* pwd; // getcwd() goes here, inside directEnv's PWD entry
    size_t pwdCapacity;
    const char* oldPwd; // OLDPWD's value, nullptr when there is none
    size_t oldPwdSlot;
    sigset_t childMask;
    // Written by the child when it gives up before exec. The parent is
    // suspended until the child has exec'd or exited, and shares its memory,
    // so this needs no pipe: stage 0 means the exec happened.
    ChildError failure;
};

// The signals the agent handles or ignores; an exec keeps SIG_IGN, and a
// handler must never run in a child that shares the agent's memory.
constexpr int kResetSignals[] = {SIGPIPE, SIGTERM, SIGINT, SIGCHLD, SIGHUP};

// The child stack. The agent is single-threaded and the parent is suspended
// until the child has exec'd or exited, so one stack serves every spawn. The
// child's frames are small; the rest of the array is never touched.
alignas(64) char childStack[64 * 1024];

[[noreturn]] void failChild(ChildPlan& p, int stage, int err)
{
    p.failure = ChildError{stage, err};
    _exit(127);
}

// Runs in the child, on childStack, in the parent's memory: system calls
// and writes to the plan only, nothing that allocates, locks or keeps state.
// setgroups/setgid/setuid go through syscall() because glibc's wrappers
// coordinate with the (parent's) other threads; getcwd too, because glibc's
// falls back to allocating.
int runChild(void* arg)
{
    ChildPlan& p = *static_cast<ChildPlan*>(arg);
    // The parent blocked every signal for the clone; restore the defaults
    // before unblocking so that no agent handler can run here.
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    for (int sig : kResetSignals) {
        if (sigaction(sig, &dfl, nullptr) != 0)
            failChild(p, StageSignals, errno);
    }
    if (sigprocmask(SIG_SETMASK, &p.childMask, nullptr) != 0)
        failChild(p, StageSignals, errno);
    // While still root: after setuid the process is no longer dumpable and
    // its /proc files belong to root.
    if (int err = OomScore::setInChild(); err != 0)
        failChild(p, StageOomScore, err);
    // Become the session leader so kill can reach the whole group, then
    // drop to the user.
    if (setsid() < 0)
        failChild(p, StageSetsid, errno);
    if (dup2(p.stdinFd, 0) < 0 || dup2(p.stdoutFd, 1) < 0 || dup2(p.stderrFd, 2) < 0)
        failChild(p, StageDup, errno);
    gid_t gid = p.gid;
    if (syscall(SYS_setgroups, 1, &gid) != 0 && !(errno == EPERM && p.alreadyThatUser))
        failChild(p, StageGroups, errno);
    if (syscall(SYS_setgid, p.gid) != 0)
        failChild(p, StageGid, errno);
    if (syscall(SYS_setuid, p.uid) != 0)
        failChild(p, StageUid, errno);
    if (chdir(p.cwd) != 0)
        failChild(p, StageChdir, errno);
    if (p.program) {
        // PWD as bash sets it: the kernel's name of the new working
        // directory. A failure here or in the exec (a script without #!,
        // an ACL, a directory the user cannot search) leaves the command to
        // bash, which handles it as it always did.
        long n = syscall(SYS_getcwd, p.pwd, p.pwdCapacity);
        if (n > 0 && p.pwd[0] == '/') {
            // Bash drops an OLDPWD that is not a directory for this user,
            // from here. The last entry takes its slot: bash's order of the
            // environment is its own anyway.
            struct stat st{};
            if (p.oldPwd && (::stat(p.oldPwd, &st) != 0 || !S_ISDIR(st.st_mode))) {
                p.directEnv[p.oldPwdSlot] = p.directEnv[p.directEnvCount - 1];
                p.directEnv[p.directEnvCount - 1] = nullptr;
            }
            execve(p.program, p.directArgv, p.directEnv);
        }
    }
    execve("/bin/bash", p.bashArgv, p.bashEnv);
    failChild(p, StageExec, errno);
}

} // namespace

Result<SpawnedProcess> ProcessSpawner::spawn(const User& user, const std::string& cmd,
                                             const std::string& cwd, const Env& extraEnv,
                                             bool keepStdin)
{
    std::vector<std::string> envStrings = buildEnvironment(user, extraEnv);
    std::optional<DirectExec> direct = DirectExec::plan(cmd, envStrings, user, cwd);
    std::vector<char*> envp = pointersTo(envStrings);
    std::vector<std::string> bashWords = {"bash", "-c", cmd};
    std::vector<char*> bashArgv = pointersTo(bashWords);
    std::vector<char*> directArgv, directEnv;
    if (direct) {
        directArgv = pointersTo(direct->argv());
        directEnv = pointersTo(direct->env());
    }

    Fd inRead, inWrite, outRead, outWrite, errRead, errWrite;
    if (!makePipe(inRead, inWrite) || !makePipe(outRead, outWrite) || !makePipe(errRead, errWrite))
        return Failure::internal(std::string("Cannot create pipes for a command: ") + std::strerror(errno) + ".");
    // The write end of stdin is only kept (and read from the loop) for `start`.
    if ((keepStdin && !setNonBlocking(inWrite.get())) || !setNonBlocking(outRead.get()) || !setNonBlocking(errRead.get()))
        return Failure::internal(std::string("Cannot configure pipes for a command: ") + std::strerror(errno) + ".");

    ChildPlan plan{};
    plan.stdinFd = inRead.get();
    plan.stdoutFd = outWrite.get();
    plan.stderrFd = errWrite.get();
    plan.uid = user.uid;
    plan.gid = user.gid;
    plan.alreadyThatUser = geteuid() == user.uid;
    plan.cwd = cwd.c_str();
    plan.bashArgv = bashArgv.data();
    plan.bashEnv = envp.data();
    if (direct) {
        plan.program = direct->program().c_str();
        plan.directArgv = directArgv.data();
        plan.directEnv = directEnv.data();
        plan.pwd = direct->env()[direct->pwdIndex()].data() + DirectExec::kPwdValueOffset;
        plan.pwdCapacity = DirectExec::kPwdCapacity;
        plan.directEnvCount = direct->env().size();
        if (direct->oldPwdIndex() != DirectExec::kNone) {
            plan.oldPwdSlot = direct->oldPwdIndex();
            plan.oldPwd = direct->env()[plan.oldPwdSlot].c_str() + DirectExec::kOldPwdValueOffset;
        }
    }
    if (sigemptyset(&plan.childMask) != 0)
        return Failure::internal(std::string("Cannot prepare the signal mask of a command: ") + std::strerror(errno) + ".");

    // Blocked across the clone so that no signal is delivered to the child
    // before it has reset the agent's handlers.
    sigset_t all, saved;
    if (sigfillset(&all) != 0 || sigprocmask(SIG_SETMASK, &all, &saved) != 0)
        return Failure::internal(std::string("Cannot block signals to start a command: ") + std::strerror(errno) + ".");
    // vfork semantics: the child borrows the agent's memory instead of
    // copying its page tables, and the agent waits until the child has
    // exec'd or exited. The stack grows down on every Linux target the
    // agent is built for, so the child starts at the array's end.
    pid_t pid = clone(runChild, childStack + sizeof childStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
    int cloneErrno = errno;
    if (sigprocmask(SIG_SETMASK, &saved, nullptr) != 0)
        Log::sysError("sigprocmask (restoring the agent's mask)", errno);
    if (pid < 0)
        return Failure::internal(std::string("Cannot start a process: ") + std::strerror(cloneErrno) + ".");

    // The child has exec'd or exited by now (CLONE_VFORK).
    const ChildError e = plan.failure;
    if (e.stage != 0) {
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
        case StageSignals:
            return Failure::internal(std::string("Cannot reset the signals of a command: ") + std::strerror(e.err) + ".");
        case StageOomScore:
            return Failure::internal(std::string("Cannot set the OOM score of a command: ") + std::strerror(e.err) + ".");
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
