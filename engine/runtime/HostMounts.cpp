// SPDX-License-Identifier: GPL-3.0-or-later
#include "HostMounts.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace {
QString errnoText(int e)
{
    return QString::fromLocal8Bit(strerror(e));
}
} // namespace

namespace HostMounts {

Status mountOverlay(const QString &lower, const QString &upper, const QString &work, const QString &target)
{
    const QByteArray options = QStringLiteral("lowerdir=%1,upperdir=%2,workdir=%3").arg(lower, upper, work).toLocal8Bit();
    // nodev: a device node made in a sandbox opens nothing. Not nosuid: the
    // flag would be locked into the sandbox's own view of this mount, where
    // sudo needs setuid to work; the 0710 sandbox dir keeps host users away.
    if (::mount("overlay", QFile::encodeName(target).constData(), "overlay", MS_NODEV, options.constData())
        != 0) {
        const int e = errno;
        return ApiError::internal(QStringLiteral("Cannot mount the sandbox's file system at %1: %2.")
                                      .arg(target, errnoText(e)));
    }
    return Done{};
}

Status unmount(const QString &target)
{
    if (::umount2(QFile::encodeName(target).constData(), MNT_DETACH) != 0) {
        const int e = errno;
        if (e == EINVAL || e == ENOENT)
            return Done{};
        return ApiError::internal(QStringLiteral("Cannot unmount %1: %2.").arg(target, errnoText(e)));
    }
    return Done{};
}

bool isMounted(const QString &target)
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray all = f.readAll();
    for (const QByteArray &line : all.split('\n')) {
        // Field 5 is the mount point; spaces in it are escaped as \040, and
        // our paths have none.
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() > 4 && fields.at(4) == QFile::encodeName(target))
            return true;
    }
    return false;
}

Result<int> listenUnix(const QString &path)
{
    const QByteArray p = QFile::encodeName(path);
    sockaddr_un addr{};
    if (p.size() >= int(sizeof(addr.sun_path)))
        return ApiError::internal(QStringLiteral("The agent socket path %1 is longer than the %2 bytes a unix socket "
                                                 "allows; use a shorter --data-dir.")
                                      .arg(path)
                                      .arg(sizeof(addr.sun_path) - 1));
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, p.constData(), size_t(p.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ApiError::internal(QStringLiteral("Cannot create the agent socket: %1.").arg(errnoText(errno)));
    ::unlink(p.constData());
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) != 0 || ::listen(fd, 128) != 0) {
        const int e = errno;
        ::close(fd);
        return ApiError::internal(QStringLiteral("Cannot listen on the agent socket %1: %2.").arg(path, errnoText(e)));
    }
    ::chmod(p.constData(), 0600);
    return fd;
}

void closeFd(int fd)
{
    if (fd >= 0)
        ::close(fd);
}

} // namespace HostMounts
