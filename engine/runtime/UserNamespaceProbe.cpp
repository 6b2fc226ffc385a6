// SPDX-License-Identifier: GPL-3.0-or-later
#include "UserNamespaceProbe.h"
#include "UserNamespaceMaps.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// Reads exactly `size` bytes; false on a timeout, an error or EOF.
bool readFully(int fd, void *buffer, size_t size, int timeoutMs)
{
    auto *bytes = static_cast<char *>(buffer);
    size_t got = 0;
    while (got < size) {
        pollfd p {fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, timeoutMs);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return false;
        const ssize_t n = ::read(fd, bytes + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        got += size_t(n);
    }
    return true;
}

// In the forked child, only async-signal-safe calls until _exit: the parent
// may have threads whose locks the child inherited held.
[[noreturn]] void runChild(int socket)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int unshareErrno = 0;
    if (::unshare(CLONE_NEWUSER) != 0)
        unshareErrno = errno;
    if (::write(socket, &unshareErrno, sizeof unshareErrno) != ssize_t(sizeof unshareErrno) || unshareErrno != 0)
        ::_exit(1);
    // The parent writes our maps, then one byte; EOF means it will not.
    char byte = 0;
    if (::read(socket, &byte, 1) == 1) {
        // Still host root, which the map leaves out: become the namespace's
        // root, as a sandbox's first process does. Raw system calls, since
        // glibc's wrappers signal other threads (there are none here).
        int report[3] = {0, -1, -1};
        if (::syscall(SYS_setresgid, 0, 0, 0) != 0 || ::syscall(SYS_setresuid, 0, 0, 0) != 0)
            report[0] = errno;
        report[1] = int(::getuid());
        report[2] = int(::getgid());
        [[maybe_unused]] const ssize_t n = ::write(socket, report, sizeof report);
    }
    ::_exit(0);
}

} // namespace

UserNamespaceProbe::~UserNamespaceProbe()
{
    if (m_socket >= 0)
        ::close(m_socket);
    if (m_pid > 0) {
        // Unreaped, the child's pid cannot be reused: the kill hits it or its zombie.
        ::kill(m_pid, SIGKILL);
        while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

int UserNamespaceProbe::start()
{
    // A socket, not pipes: a send to a child that died cannot SIGPIPE us.
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return errno;
    m_pid = ::fork();
    if (m_pid == 0) {
        ::close(pair[0]);
        runChild(pair[1]);
    }
    const int forkErrno = errno;
    ::close(pair[1]);
    m_socket = pair[0];
    return m_pid < 0 ? forkErrno : 0;
}

std::optional<int> UserNamespaceProbe::unshareResult(int timeoutMs)
{
    int unshareErrno = 0;
    if (!readFully(m_socket, &unshareErrno, sizeof unshareErrno, timeoutMs))
        return std::nullopt;
    return unshareErrno;
}

QString UserNamespaceProbe::writeMaps(const QByteArray &map)
{
    const QString proc = QStringLiteral("/proc/%1/").arg(m_pid);
    // Sandboxes call setgroups (su, apt), so it stays allowed, as runc leaves it.
    for (const auto &[file, text] : {std::pair{QStringLiteral("setgroups"), QByteArray("allow")},
                                     std::pair{QStringLiteral("uid_map"), map},
                                     std::pair{QStringLiteral("gid_map"), map}}) {
        if (const int err = UserNamespaceMaps::writeProcFile(QFile::encodeName(proc + file), text); err != 0)
            return QStringLiteral("cannot write \"%1\" to %2: %3")
                .arg(QString::fromLatin1(text.trimmed()), proc + file, QString::fromLocal8Bit(std::strerror(err)));
    }
    return {};
}

std::optional<UserNamespaceProbe::Identity> UserNamespaceProbe::becomeRoot(int timeoutMs)
{
    const char byte = 1;
    int report[3] = {0, -1, -1};
    if (::send(m_socket, &byte, 1, MSG_NOSIGNAL) != 1 || !readFully(m_socket, report, sizeof report, timeoutMs))
        return std::nullopt;
    return Identity{report[0], report[1], report[2]};
}
