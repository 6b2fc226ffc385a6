// SPDX-License-Identifier: GPL-3.0-or-later
#include "LoopDevice.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace {

QString errnoText(int e)
{
    return QString::fromLocal8Bit(strerror(e));
}

// Another program (or engine thread) may take the free device between
// LOOP_CTL_GET_FREE and LOOP_CONFIGURE; then the ioctl says EBUSY and we
// ask for the next free one.
constexpr int kAttempts = 16;

} // namespace

LoopDevice::LoopDevice(int fd, QString path)
    : m_fd(fd)
    , m_path(std::move(path))
{
}

LoopDevice::LoopDevice(LoopDevice &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_path(std::move(other.m_path))
{
}

LoopDevice &LoopDevice::operator=(LoopDevice &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
    }
    return *this;
}

LoopDevice::~LoopDevice()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<LoopDevice> LoopDevice::attach(const QString &image)
{
    const int backing = ::open(QFile::encodeName(image).constData(), O_RDWR | O_CLOEXEC);
    if (backing < 0)
        return ApiError::internal(QStringLiteral("Cannot open the disk image %1: %2.").arg(image, errnoText(errno)));
    const int control = ::open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) {
        const int e = errno;
        ::close(backing);
        return ApiError::internal(
            QStringLiteral("Cannot open /dev/loop-control to give a sandbox its own disk: %1. Is the loop module "
                           "loaded (modprobe loop)?")
                .arg(errnoText(e)));
    }
    QString failure;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const int n = ::ioctl(control, LOOP_CTL_GET_FREE);
        if (n < 0) {
            failure = QStringLiteral("no free loop device (%1)").arg(errnoText(errno));
            break;
        }
        const QString path = QStringLiteral("/dev/loop%1").arg(n);
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            failure = QStringLiteral("cannot open %1 (%2)").arg(path, errnoText(errno));
            continue;
        }
        loop_config config;
        std::memset(&config, 0, sizeof(config));
        config.fd = uint32_t(backing);
        // Direct I/O keeps the sandbox's data out of the host's page cache a
        // second time; the kernel falls back to buffered I/O where the
        // backing file system cannot do it.
        config.info.lo_flags = LO_FLAGS_AUTOCLEAR | LO_FLAGS_DIRECT_IO;
        const QByteArray name = QFile::encodeName(image).right(LO_NAME_SIZE - 1);
        std::memcpy(config.info.lo_file_name, name.constData(), size_t(name.size()));
        if (::ioctl(fd, LOOP_CONFIGURE, &config) == 0) {
            ::close(backing);
            ::close(control);
            return LoopDevice(fd, path);
        }
        const int e = errno;
        ::close(fd);
        failure = QStringLiteral("cannot configure %1 (%2)").arg(path, errnoText(e));
        if (e != EBUSY)
            break;
    }
    ::close(backing);
    ::close(control);
    return ApiError::internal(QStringLiteral("Cannot attach the disk image %1 to a loop device: %2.").arg(image, failure));
}
