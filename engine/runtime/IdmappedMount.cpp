// SPDX-License-Identifier: GPL-3.0-or-later
#include "IdmappedMount.h"

#include "ScopedFd.h"
#include "UserNamespaceMaps.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

QString errnoText(int e)
{
    return QString::fromLocal8Bit(std::strerror(e));
}

// What overlayfs said about a failed fsconfig: its messages queue on the
// context's descriptor, one per read ("e overlayfs: …").
QString contextLog(int fsFd)
{
    QStringList lines;
    char buf[512];
    for (int i = 0; i < 8; ++i) {
        const ssize_t n = ::read(fsFd, buf, sizeof buf - 1);
        if (n <= 0)
            break;
        buf[n] = 0;
        QString line = QString::fromLocal8Bit(buf).trimmed();
        if (line.size() > 2 && line.at(1) == QLatin1Char(' '))
            line = line.mid(2);
        lines.append(line);
    }
    return lines.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(lines.join(QStringLiteral("; ")));
}

// The pipe of the namespace's child: it closes its copy of the write end and
// waits for EOF, which comes when the engine is done with it (or dies).
struct ChildPipe
{
    int readFd;
    int writeFd;
};

// The child made by clone(CLONE_VM): it shares the engine's memory and even
// its thread pointer, so it makes raw system calls only, never a libc call
// that could touch the calling thread's state (cancellation, locks).
// syscall(2) writes errno only on failure, and none of these can fail here:
// the descriptors are valid, and the only signal it ever gets is SIGKILL.
int waitForEof(void *arg)
{
    const auto *ends = static_cast<const ChildPipe *>(arg);
    const long readFd = ends->readFd;
    ::syscall(SYS_close, long(ends->writeFd));
    char byte;
    ::syscall(SYS_read, readFd, &byte, 1L);
    ::syscall(SYS_exit, 0L);
    return 0;
}

} // namespace

namespace IdmappedMount {

QByteArray mapLine(const Mapping &m)
{
    return QByteArray::number(m.from.base) + ' ' + QByteArray::number(m.to.base) + ' ' +
           QByteArray::number(m.from.count) + '\n';
}

QString checkMapping(const Mapping &m)
{
    if (m.from.isEmpty() || m.to.isEmpty())
        return QStringLiteral("An id mapping needs ids on both sides.");
    if (m.from.count > m.to.count)
        return QStringLiteral("The template's %1 ids do not fit in the sandbox's range of %2 ids.")
            .arg(m.from.count)
            .arg(m.to.count);
    if (m.from.end() > 0xffffffffu || m.to.end() > 0xffffffffu)
        return QStringLiteral("An id range runs past the last user id.");
    return {};
}

Result<int> userNamespace(const Mapping &m)
{
    if (const QString bad = checkMapping(m); !bad.isEmpty())
        return ApiError::internal(bad);
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        return ApiError::internal(QStringLiteral("Cannot make a pipe for an id-mapping namespace: %1.").arg(errnoText(errno)));
    ScopedFd readEnd(pipeFds[0]);
    ScopedFd writeEnd(pipeFds[1]);
    // CLONE_VM: the child shares the engine's memory instead of copying its
    // page tables, which is what makes a fork of a big process slow (measured:
    // 72 µs of CPU per namespace instead of 8 ms for a 200 MB process). It
    // runs on a stack of its own and has no exit signal: nobody else's SIGCHLD
    // handler sees it, only our waitpid.
    constexpr size_t kStackSize = 64 * 1024;
    const std::unique_ptr<char[]> stack(new char[kStackSize]);
    ChildPipe ends{pipeFds[0], pipeFds[1]};
    const int pid = ::clone(waitForEof, stack.get() + kStackSize, CLONE_VM | CLONE_NEWUSER, &ends);
    if (pid < 0)
        return ApiError::internal(
            QStringLiteral("Cannot create a user namespace for an idmapped mount: clone(CLONE_NEWUSER): %1.")
                .arg(errnoText(errno)));
    // It dies now, before its stack and `ends` go: SIGKILL reaches it in
    // the kernel (in read), and the reap is of a process with no memory of
    // its own to tear down.
    auto reap = [pid, &writeEnd] {
        ::close(writeEnd.release());
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
        }
    };
    const QByteArray proc = "/proc/" + QByteArray::number(pid) + '/';
    const QByteArray line = mapLine(m);
    for (const char *file : {"uid_map", "gid_map"}) {
        if (const int err = UserNamespaceMaps::writeProcFile(proc + file, line); err != 0) {
            reap();
            return ApiError::internal(QStringLiteral("Cannot write \"%1\" to %2: %3.")
                                          .arg(QString::fromLatin1(line.trimmed()),
                                               QString::fromLatin1(proc + file), errnoText(err)));
        }
    }
    const int ns = ::open((proc + "ns/user").constData(), O_RDONLY | O_CLOEXEC);
    const int openErrno = errno;
    reap();
    if (ns < 0)
        return ApiError::internal(
            QStringLiteral("Cannot open the id-mapping namespace %1ns/user: %2.").arg(QString::fromLatin1(proc), errnoText(openErrno)));
    return ns;
}

Status probe(const QString &lower, const QString &scratchDir)
{
    const QByteArray dir = QFile::encodeName(scratchDir);
    const QString merged = scratchDir + QStringLiteral("/merged");
    auto clear = [&] {
        ::umount2(QFile::encodeName(merged).constData(), MNT_DETACH | UMOUNT_NOFOLLOW);
        detachStale(scratchDir + QStringLiteral("/attach"));
        for (const char *sub : {"/merged", "/work/work", "/work/index", "/work", "/upper"})
            ::rmdir((dir + sub).constData());
        ::rmdir(dir.constData());
    };
    clear();
    if (::mkdir(dir.constData(), 0700) != 0 && errno != EEXIST)
        return ApiError::internal(QStringLiteral("Cannot create %1: %2.").arg(scratchDir, errnoText(errno)));
    for (const char *sub : {"/upper", "/work", "/merged"}) {
        if (::mkdir((dir + sub).constData(), 0700) != 0 && errno != EEXIST) {
            const int e = errno;
            clear();
            return ApiError::internal(QStringLiteral("Cannot create %1%2: %3.").arg(scratchDir, QLatin1String(sub), errnoText(e)));
        }
    }
    // Any two ranges do; these are nobody's, and nothing is written.
    const Status s = mountOverlay(lower, {{0, 65536}, {65536, 65536}}, scratchDir + QStringLiteral("/upper"),
                                  scratchDir + QStringLiteral("/work"), merged, scratchDir + QStringLiteral("/attach"));
    clear();
    return s;
}

void detachStale(const QString &attachPoint)
{
    const QByteArray path = QFile::encodeName(attachPoint);
    // A clone attached twice (two crashes) needs two detaches; a few is plenty.
    for (int i = 0; i < 4 && ::umount2(path.constData(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0; ++i) {
    }
    ::rmdir(path.constData());
}

Status mountOverlay(const QString &lower, const Mapping &m, const QString &upper, const QString &work,
                    const QString &target, const QString &attachPoint, Layering how)
{
    auto failed = [&target](const QString &step, int e, const QString &more = {}) -> Status {
        return ApiError::internal(QStringLiteral("Cannot mount the sandbox's file system at %1: %2: %3%4.")
                                      .arg(target, step, errnoText(e), more));
    };
    const auto ns = userNamespace(m);
    if (!ns)
        return ns.error();
    const ScopedFd userns(*ns);

    // A private copy of the template's mount, not attached anywhere, that
    // shows the template's ids as the sandbox's.
    const ScopedFd tree(int(::syscall(SYS_open_tree, AT_FDCWD, QFile::encodeName(lower).constData(),
                                OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)));
    if (tree.get() < 0)
        return failed(QStringLiteral("open_tree(%1)").arg(lower), errno);
    mount_attr attr{};
    // Read-only matters beyond tidiness: whatever reaches this clone (a
    // stale attach point under rm -rf, say) cannot change the template.
    attr.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    attr.userns_fd = quint64(userns.get());
    if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
        const int e = errno;
        return failed(QStringLiteral("mount_setattr(MOUNT_ATTR_IDMAP) on %1").arg(lower), e,
                      e == EINVAL || e == ENOSYS
                          ? QStringLiteral(" (idmapped mounts need Linux 5.19 or newer and a file system that has "
                                           "them; start ai2ind with --uid-pool-size 0 to share the template's ids)")
                          : QString());
    }

    if (how != Layering::ByPath) {
        const ScopedFd fs(int(::syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC)));
        if (fs.get() < 0)
            return failed(QStringLiteral("fsopen(overlay)"), errno);
        auto setString = [&fs](const char *key, const QByteArray &value) {
            return ::syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, key, value.constData(), 0) == 0;
        };
        if (!setString("source", "overlay"))
            return failed(QStringLiteral("fsconfig(source)"), errno, contextLog(fs.get()));
        const bool byFd = ::syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_FD, "lowerdir+", nullptr, tree.get()) == 0;
        const int e = errno;
        if (!byFd && (how == Layering::ByDescriptor || e != EINVAL))
            return failed(QStringLiteral("fsconfig(lowerdir+ by descriptor)"), e, contextLog(fs.get()));
        if (byFd) {
            if (!setString("upperdir", QFile::encodeName(upper)))
                return failed(QStringLiteral("fsconfig(upperdir=%1)").arg(upper), errno, contextLog(fs.get()));
            if (!setString("workdir", QFile::encodeName(work)))
                return failed(QStringLiteral("fsconfig(workdir=%1)").arg(work), errno, contextLog(fs.get()));
            if (::syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
                return failed(QStringLiteral("fsconfig(create)"), errno, contextLog(fs.get()));
            const ScopedFd mnt(int(::syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV)));
            if (mnt.get() < 0)
                return failed(QStringLiteral("fsmount"), errno);
            if (::syscall(SYS_move_mount, mnt.get(), "", AT_FDCWD, QFile::encodeName(target).constData(),
                          MOVE_MOUNT_F_EMPTY_PATH) != 0)
                return failed(QStringLiteral("move_mount to %1").arg(target), errno);
            return Done{};
        }
        // EINVAL: this overlayfs takes layers by path only (before 6.13).
    }

    // By path: attach the clone where only root can reach it, let mount(2)
    // take it, detach it again.
    const QByteArray attach = QFile::encodeName(attachPoint);
    detachStale(attachPoint);
    if (::mkdir(attach.constData(), 0700) != 0 && errno != EEXIST)
        return failed(QStringLiteral("mkdir(%1)").arg(attachPoint), errno);
    if (::syscall(SYS_move_mount, tree.get(), "", AT_FDCWD, attach.constData(), MOVE_MOUNT_F_EMPTY_PATH) != 0) {
        const int e = errno;
        detachStale(attachPoint);
        return failed(QStringLiteral("move_mount to %1").arg(attachPoint), e);
    }
    const QByteArray options = "lowerdir=" + attach + ",upperdir=" + QFile::encodeName(upper) +
                               ",workdir=" + QFile::encodeName(work);
    const int mounted = ::mount("overlay", QFile::encodeName(target).constData(), "overlay", MS_NODEV,
                                options.constData());
    const int e = errno;
    detachStale(attachPoint);
    if (mounted != 0)
        return failed(QStringLiteral("mount(overlay, lowerdir=%1)").arg(attachPoint), e);
    return Done{};
}

} // namespace IdmappedMount
