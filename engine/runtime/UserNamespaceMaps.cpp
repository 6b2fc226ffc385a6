// SPDX-License-Identifier: GPL-3.0-or-later
#include "UserNamespaceMaps.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

int UserNamespaceMaps::writeProcFile(const QByteArray &path, const QByteArray &text)
{
    const int fd = ::open(path.constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const ssize_t n = ::write(fd, text.constData(), size_t(text.size()));
    const int err = n == text.size() ? 0 : (n < 0 ? errno : EIO);
    ::close(fd);
    return err;
}
