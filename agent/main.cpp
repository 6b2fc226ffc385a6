// SPDX-License-Identifier: GPL-3.0-or-later
#include "Agent.h"
#include "EventLoop.h"
#include "Fd.h"
#include "Log.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <linux/close_range.h>
#include <fcntl.h>
#include <malloc.h>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef AI2IN_AGENT_VERSION
#define AI2IN_AGENT_VERSION "0.1.0"
#endif

static const char kUsage[] =
    "Usage: ai2in-agent [--listen PATH]\n"
    "\n"
    "The in-sandbox agent of ai2in (PID 1 of a sandbox). Serves the engine's\n"
    "requests (see agent/PROTOCOL.md) on the listening unix socket inherited\n"
    "as file descriptor 3, or on PATH with --listen.\n"
    "\n"
    "  --listen PATH  bind and listen on the unix socket PATH instead of fd 3\n"
    "  --version      print the version and exit\n"
    "  --help         print this help and exit\n";

static void noop(int) {}

static void ensureStandardDescriptors()
{
    // A closed 0/1/2 would be handed out by pipe2() and then confused with the
    // standard streams in a child.
    for (int fd = 0; fd < 3; ++fd) {
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int null = ::open("/dev/null", O_RDWR);
            if (null >= 0 && null != fd) {
                dup2(null, fd);
                ::close(null);
            }
        }
    }
}

// Whatever the agent's parent left open (a test harness, a debugging shell)
// must not leak into the sandbox's processes.
static void keepInheritedDescriptorsFromChildren(unsigned first)
{
    if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    if (errno != ENOSYS && errno != EINVAL) {
        Log::sysError("close_range", errno);
        return;
    }
    // Kernels before 5.11: walk the open descriptors instead.
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) {
        Log::sysError("opendir /proc/self/fd", errno);
        return;
    }
    while (dirent* ent = readdir(dir)) {
        char* end = nullptr;
        long fd = std::strtol(ent->d_name, &end, 10);
        if (*end != '\0' || fd < static_cast<long>(first) || fd == dirfd(dir))
            continue;
        int flags = fcntl(static_cast<int>(fd), F_GETFD);
        if (flags >= 0 && fcntl(static_cast<int>(fd), F_SETFD, flags | FD_CLOEXEC) != 0)
            Log::sysError("fcntl(FD_CLOEXEC)", errno);
    }
    closedir(dir);
}

static Fd listenOn(const std::string& path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path) {
        Log::line("socket path is empty or too long: " + path);
        return Fd();
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) {
        Log::sysError("socket", errno);
        return Fd();
    }
    struct stat st{};
    // A stale socket from an earlier run is replaced; any other file is not ours to delete.
    if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) && unlink(path.c_str()) != 0) {
        Log::sysError("unlink " + path, errno);
        return Fd();
    }
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        Log::sysError("bind " + path, errno);
        return Fd();
    }
    if (listen(fd.get(), SOMAXCONN) != 0) {
        Log::sysError("listen " + path, errno);
        return Fd();
    }
    return fd;
}

static Fd inheritedListener()
{
    int fd = 3;
    int accepting = 0;
    socklen_t len = sizeof accepting;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting) {
        Log::line("file descriptor 3 is not a listening socket (start with --listen PATH to bind one)");
        return Fd();
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        Log::sysError("fcntl on fd 3", errno);
        return Fd();
    }
    return Fd(fd);
}

int main(int argc, char** argv)
{
    std::string listenPath;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--listen" && i + 1 < argc) {
            listenPath = argv[++i];
        } else if (arg == "--version") {
            std::printf("ai2in-agent %s\n", AI2IN_AGENT_VERSION);
            return 0;
        } else if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        } else {
            std::fprintf(stderr, "ai2in-agent: unknown argument '%s'\n%s", arg.c_str(), kUsage);
            return 2;
        }
    }

    // Fixed thresholds: 32 MiB bodies are mmapped and given back when freed,
    // instead of teaching malloc to keep them around, so idle RSS stays small.
    if (mallopt(M_MMAP_THRESHOLD, 256 * 1024) != 1 || mallopt(M_TRIM_THRESHOLD, 512 * 1024) != 1)
        Log::line("mallopt refused the memory thresholds; idle memory may stay higher");

    ensureStandardDescriptors();
    keepInheritedDescriptorsFromChildren(listenPath.empty() ? 4 : 3);
    // Writes to a vanished client or a dead process's stdin must fail with
    // EPIPE, not kill the agent.
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        Log::sysError("signal(SIGPIPE)", errno);
        return 1;
    }
    // PID 1 only receives signals it has a handler for; the handlers never
    // run (the signals are blocked and read from a signalfd) but make sure
    // SIGTERM from inside the sandbox is not discarded.
    struct sigaction sa{};
    sa.sa_handler = noop;
    if (sigaction(SIGTERM, &sa, nullptr) != 0 || sigaction(SIGINT, &sa, nullptr) != 0) {
        Log::sysError("sigaction", errno);
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGCHLD, SIGTERM, SIGINT})
        sigaddset(&set, sig);
    if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
        Log::sysError("sigprocmask", errno);
        return 1;
    }
    // Outside a PID namespace, orphaned grandchildren still come back to us
    // to be reaped, as they would to PID 1.
    if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        Log::sysError("prctl(PR_SET_CHILD_SUBREAPER)", errno);

    Fd listener = listenPath.empty() ? inheritedListener() : listenOn(listenPath);
    if (!listener.valid())
        return 1;

    EventLoop loop;
    if (!loop.valid())
        return 1;
    Agent agent(loop, std::move(listener));
    if (!agent.start())
        return 1;
    return loop.run();
}
