// SPDX-License-Identifier: GPL-3.0-or-later
#include "SparseCopy.h"

#include "ScopedFd.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

ApiError failed(const QString &what, const QString &path, int e)
{
    return ApiError::internal(QStringLiteral("Cannot %1 %2: %3.").arg(what, path, QString::fromLocal8Bit(strerror(e))));
}

// Copies [offset, end) of `in` to the same place in `out`.
bool copyRange(int in, int out, off_t offset, off_t end)
{
    while (offset < end) {
        loff_t inOff = offset, outOff = offset;
        const ssize_t n = ::copy_file_range(in, &inOff, out, &outOff, size_t(end - offset), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        offset += n;
    }
    return true;
}

Status copyData(int in, int out, off_t size, const QString &from)
{
    off_t offset = 0;
    while (offset < size) {
        const off_t data = ::lseek(in, offset, SEEK_DATA);
        if (data < 0) {
            if (errno == ENXIO)
                break; // only a hole is left
            return failed(QStringLiteral("read the layout of"), from, errno);
        }
        off_t hole = ::lseek(in, data, SEEK_HOLE);
        if (hole < 0)
            return failed(QStringLiteral("read the layout of"), from, errno);
        if (!copyRange(in, out, data, hole))
            return failed(QStringLiteral("copy"), from, errno);
        offset = hole;
    }
    return Done{};
}

} // namespace

Status SparseCopy::copy(const QString &from, const QString &to)
{
    const QByteArray src = QFile::encodeName(from);
    const QByteArray dst = QFile::encodeName(to);
    ScopedFd in(::open(src.constData(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0)
        return failed(QStringLiteral("open"), from, errno);
    struct stat st{};
    if (::fstat(in.get(), &st) != 0)
        return failed(QStringLiteral("read the size of"), from, errno);
    ScopedFd out(::open(dst.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (out.get() < 0)
        return failed(QStringLiteral("create"), to, errno);
    Status s = Done{};
    if (::ioctl(out.get(), FICLONE, in.get()) != 0) {
        if (::ftruncate(out.get(), st.st_size) != 0)
            s = failed(QStringLiteral("size"), to, errno);
        else
            s = copyData(in.get(), out.get(), st.st_size, from);
    }
    if (!s)
        ::unlink(dst.constData());
    return s;
}
