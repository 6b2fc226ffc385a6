// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtySpawner.h"

#include "OomScore.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace {

enum Stage : int { StageSetsid = 1, StageCtty, StageDup, StageGroups, StageGid, StageUid, StageChdir, StageExec,
                   StageOomScore };

struct ChildError {
    int stage;
    int err;
};

[[noreturn]] void failChild(int reportFd, int stage)
{
    ChildError e{stage, errno};
    // If even the report fails, the exit code is all the parent gets.
    [[maybe_unused]] ssize_t n = ::write(reportFd, &e, sizeof e);
    _exit(127);
}

Failure sysFailure(const char* what, int err)
{
    return Failure::internal(std::string("Cannot create a terminal (") + what + "): " + std::strerror(err) + ".");
}

// The slave side. TIOCGPTPEER opens it through the master, so it is the
// right one even if another devpts is mounted at /dev/pts; older kernels
// (before 4.13) fall back to the path.
Result<Fd> openSlave(int master)
{
    int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0)
        return Fd(fd);
    if (errno != EINVAL && errno != ENOTTY)
        return sysFailure("TIOCGPTPEER", errno);
    unsigned number = 0;
    if (ioctl(master, TIOCGPTN, &number) != 0)
        return sysFailure("TIOCGPTN", errno);
    std::string path = "/dev/pts/" + std::to_string(number);
    fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return sysFailure(path.c_str(), errno);
    return Fd(fd);
}

} // namespace

Result<SpawnedPty> PtySpawner::spawn(const User& user, const std::string& program,
                                     const std::vector<std::string>& args, const std::string& cwd,
                                     const ProcessEnvironment::Pairs& extraEnv, int cols, int rows)
{
    ProcessEnvironment env(user, {{"TERM", "xterm-256color"}}, extraEnv);
    std::vector<std::string> argStrings = args;
    std::vector<char*> argv;
    for (std::string& a : argStrings)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    Fd master(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK));
    if (!master.valid())
        return sysFailure("/dev/ptmx", errno);
    int unlock = 0;
    if (ioctl(master.get(), TIOCSPTLCK, &unlock) != 0)
        return sysFailure("TIOCSPTLCK", errno);
    auto slave = openSlave(master.get());
    if (!slave)
        return slave.failure();
    // What grantpt() would do: the terminal belongs to its user, so programs
    // that reopen it (tty, ssh, sudo) may.
    if (fchown(slave->get(), user.uid, static_cast<gid_t>(-1)) != 0 && !(errno == EPERM && geteuid() != 0))
        return sysFailure("fchown", errno);
    if (fchmod(slave->get(), 0620) != 0 && !(errno == EPERM && geteuid() != 0))
        return sysFailure("fchmod", errno);
    winsize size{};
    size.ws_col = static_cast<unsigned short>(cols);
    size.ws_row = static_cast<unsigned short>(rows);
    if (ioctl(master.get(), TIOCSWINSZ, &size) != 0)
        return sysFailure("TIOCSWINSZ", errno);

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return sysFailure("pipe2", errno);
    Fd reportRead(fds[0]), reportWrite(fds[1]);

    pid_t pid = fork();
    if (pid < 0)
        return Failure::internal(std::string("Cannot start a terminal process: ") + std::strerror(errno) + ".");
    if (pid == 0) {
        // The child: undo the agent's signal setup, lead a new session with
        // the terminal as its controlling tty, then become the user.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGCHLD, SIGHUP})
            signal(sig, SIG_DFL);
        int report = reportWrite.get();
        int tty = slave->get();
        // See OomScore.h; before setuid, while /proc/self is still ours.
        if (int err = OomScore::setInChild(); err != 0) {
            errno = err;
            failChild(report, StageOomScore);
        }
        if (setsid() < 0)
            failChild(report, StageSetsid);
        if (ioctl(tty, TIOCSCTTY, 0) != 0)
            failChild(report, StageCtty);
        if (dup2(tty, 0) < 0 || dup2(tty, 1) < 0 || dup2(tty, 2) < 0)
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
        execve(program.c_str(), argv.data(), env.envp());
        failChild(report, StageExec);
    }

    // Only the child may hold the slave: the master reads EIO once the last
    // holder is gone, which is how the end of the output is detected.
    slave->reset();
    reportWrite.reset();
    ChildError e{};
    ssize_t n;
    // Blocks only until the child's exec closes the CLOEXEC report pipe.
    do {
        n = ::read(reportRead.get(), &e, sizeof e);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof e)) {
        // The child is reaped by the agent's SIGCHLD handling like any other.
        switch (e.stage) {
        case StageChdir: {
            Failure f = Failure::fromErrno(e.err, cwd);
            f.message += " (the working directory of the terminal)";
            if (f.code != "permission_denied")
                f.code = "bad_request";
            return f;
        }
        case StageExec:
            return Failure::internal("Cannot execute " + program + " in a terminal: " + std::strerror(e.err) + ".");
        case StageOomScore:
            return Failure::internal(std::string("Cannot set the OOM score of a terminal process: ") + std::strerror(e.err) + ".");
        case StageSetsid:
        case StageCtty:
        case StageDup:
            return Failure::internal(std::string("Cannot attach a process to its terminal: ") + std::strerror(e.err) + ".");
        default:
            return Failure::internal("Cannot switch to user " + user.name + " for a terminal: "
                                     + std::strerror(e.err) + ".");
        }
    }
    SpawnedPty p;
    p.pid = pid;
    p.master = std::move(master);
    return p;
}
