// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxDisk.h"

#include "LoopDevice.h"
#include "OffLoop.h"
#include "RandomId.h"
#include "RuncDriver.h"
#include "SparseCopy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace {

QString errnoText(int e)
{
    return QString::fromLocal8Bit(strerror(e));
}

Status makeSparseImage(const QString &image, qint64 bytes)
{
    const QByteArray path = QFile::encodeName(image);
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return ApiError::internal(QStringLiteral("Cannot create the disk image %1: %2.").arg(image, errnoText(errno)));
    const int rc = ::ftruncate(fd, bytes);
    const int e = errno;
    ::close(fd);
    if (rc != 0)
        return ApiError::internal(QStringLiteral("Cannot size the disk image %1: %2.").arg(image, errnoText(e)));
    return Done{};
}

Status makeLayers(const SandboxPaths &p, uint owner)
{
    // Only the engine (host root, which mounts the overlay) goes through the
    // disk's root: no local user of the host reaches the sandbox's files.
    if (::chmod(QFile::encodeName(p.disk()).constData(), 0700) != 0)
        return ApiError::internal(QStringLiteral("Cannot close %1 to other users: %2.").arg(p.disk(), errnoText(errno)));
    for (const QString &d : {p.upper(), p.work()}) {
        if (::mkdir(QFile::encodeName(d).constData(), 0700) != 0 && errno != EEXIST)
            return ApiError::internal(QStringLiteral("Cannot create %1: %2.").arg(d, errnoText(errno)));
    }
    // The upper layer's root becomes the sandbox's "/": it must belong to the
    // sandbox's root user, like the template's own root directory.
    if (::chown(QFile::encodeName(p.upper()).constData(), owner, owner) != 0 ||
        ::chmod(QFile::encodeName(p.upper()).constData(), 0755) != 0)
        return ApiError::internal(QStringLiteral("Cannot hand the disk of %1 to the sandbox's user range: %2.")
                                      .arg(p.dir, errnoText(errno)));
    return Done{};
}

// The last step of a create: the disk mounted, the layers made on it.
Status mountWithLayers(const SandboxPaths &p, uint owner)
{
    if (auto s = SandboxDisk::mount(p); !s)
        return s;
    if (auto s = makeLayers(p, owner); !s) {
        SandboxDisk::unmount(p);
        return s;
    }
    return Done{};
}

// Keeps a copy of a fresh image as the blank one of its size; a copy made
// by another create at the same time may win, which is as good.
void keepBlank(const QString &image, const QString &blank)
{
    const QString part = blank + QStringLiteral(".part-") + RandomId::chars(8);
    if (!QDir().mkpath(QFileInfo(blank).absolutePath()) || !SparseCopy::copy(image, part) ||
        ::rename(QFile::encodeName(part).constData(), QFile::encodeName(blank).constData()) != 0) {
        QFile::remove(part);
        qCWarning(lcRuntime).noquote() << "cannot keep a blank disk image at" << blank
                                       << "; every create runs mkfs.ext4";
    }
}

} // namespace

SandboxDisk::SandboxDisk(QString blankDir, QObject *parent)
    : QObject(parent)
    , m_blankDir(std::move(blankDir))
{
}

QString SandboxDisk::blankImage(int sizeMb) const
{
    // Named after what makes it: another size, or other mkfs options in a
    // later version, is another file.
    return m_blankDir + QStringLiteral("/blank-ext4-v1-%1m.img").arg(sizeMb);
}

void SandboxDisk::create(const SandboxPaths &p, int sizeMb, uint owner, std::function<void(Status)> done)
{
    // Every fresh disk of a size is the same bytes: the first create of a
    // size makes the file system, the next ones copy its few MB of metadata
    // (or clone them), which is far quicker than mkfs.
    const QString blank = blankImage(sizeMb);
    if (QFileInfo::exists(blank)) {
        OffLoop::run<Status>(
            this, [blank, image = p.diskImage()] { return SparseCopy::copy(blank, image); },
            [p, owner, done](Status copied) { done(copied ? mountWithLayers(p, owner) : copied); });
        return;
    }
    if (auto s = makeSparseImage(p.diskImage(), qint64(sizeMb) * 1024 * 1024); !s) {
        done(s);
        return;
    }
    // e2fsprogs has no library call that makes a file system (mke2fs is the
    // program, libext2fs only its parts), so this is the one process a
    // create runs. The image is a fresh sparse file: it reads as zeros, so
    // mke2fs may skip zeroing the inode tables and the journal
    // (assume_storage_prezeroed, e2fsprogs ≥ 1.47), which makes it ~50 ms
    // for 10 GiB and leaves the image ~5 MB on the host. No reserved blocks:
    // the sandbox's root is not the host's root, and the size asked for is
    // the size it gets.
    auto *mkfs = new QProcess(this);
    mkfs->setProcessChannelMode(QProcess::MergedChannels);
    connect(mkfs, &QProcess::finished, this, [this, mkfs, p, owner, blank, done](int code, QProcess::ExitStatus status) {
        mkfs->deleteLater();
        if (status != QProcess::NormalExit || code != 0) {
            done(ApiError::internal(QStringLiteral("Cannot make the file system of the sandbox's disk: %1")
                                        .arg(QString::fromLocal8Bit(mkfs->readAll()).trimmed())));
            return;
        }
        // Still untouched: the blank image of its size for the next creates.
        OffLoop::run<bool>(
            this, [image = p.diskImage(), blank] {
                keepBlank(image, blank);
                return true;
            },
            [p, owner, done](bool) { done(mountWithLayers(p, owner)); });
    });
    connect(mkfs, &QProcess::errorOccurred, this, [mkfs, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        mkfs->deleteLater();
        done(ApiError::internal(
            QStringLiteral("Cannot run mkfs.ext4 to make the sandbox's disk; install e2fsprogs (≥ 1.47).")));
    });
    mkfs->start(QStringLiteral("mkfs.ext4"),
                {QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-m"), QStringLiteral("0"),
                 QStringLiteral("-E"), QStringLiteral("assume_storage_prezeroed=1,root_owner=0:0"),
                 QStringLiteral("-L"), QStringLiteral("ai2in-sandbox"), p.diskImage()});
}

bool SandboxDisk::isMounted(const SandboxPaths &p)
{
    // A mount point sits on another device than the directory holding it.
    struct stat mountPoint, parent;
    if (::stat(QFile::encodeName(p.disk()).constData(), &mountPoint) != 0 ||
        ::stat(QFile::encodeName(p.dir).constData(), &parent) != 0)
        return false;
    return mountPoint.st_dev != parent.st_dev;
}

Status SandboxDisk::mount(const SandboxPaths &p)
{
    if (isMounted(p))
        return Done{};
    if (::mkdir(QFile::encodeName(p.disk()).constData(), 0700) != 0 && errno != EEXIST)
        return ApiError::internal(QStringLiteral("Cannot create %1: %2.").arg(p.disk(), errnoText(errno)));
    auto loop = LoopDevice::attach(p.diskImage());
    if (!loop)
        return loop.error();
    // nosuid,nodev: nothing a sandbox plants on its disk can gain rights on
    // the host. discard: a file deleted in the sandbox gives its space back
    // to the host (the loop device punches a hole in the image).
    if (::mount(QFile::encodeName(loop->path()).constData(), QFile::encodeName(p.disk()).constData(), "ext4",
                MS_NOSUID | MS_NODEV | MS_NOATIME, "discard") != 0) {
        const int e = errno;
        return ApiError::internal(QStringLiteral("Cannot mount the disk of the sandbox at %1: %2.")
                                      .arg(p.disk(), errnoText(e)));
    }
    // The mount holds the device now; when it goes, the device clears itself.
    return Done{};
}

Status SandboxDisk::unmount(const SandboxPaths &p)
{
    if (::umount2(QFile::encodeName(p.disk()).constData(), MNT_DETACH) != 0) {
        const int e = errno;
        if (e == EINVAL || e == ENOENT)
            return Done{};
        return ApiError::internal(QStringLiteral("Cannot unmount %1: %2.").arg(p.disk(), errnoText(e)));
    }
    return Done{};
}

std::optional<SandboxDisk::Usage> SandboxDisk::usage(const SandboxPaths &p, int sizeMb)
{
    Usage u;
    u.limitBytes = qint64(sizeMb) * 1024 * 1024;
    if (isMounted(p)) {
        struct statvfs v;
        if (::statvfs(QFile::encodeName(p.disk()).constData(), &v) != 0)
            return std::nullopt;
        u.usedBytes = qint64(v.f_blocks - v.f_bfree) * qint64(v.f_frsize);
        return u;
    }
    struct stat st;
    if (::stat(QFile::encodeName(p.diskImage()).constData(), &st) != 0)
        return std::nullopt;
    u.usedBytes = qint64(st.st_blocks) * 512;
    return u;
}
