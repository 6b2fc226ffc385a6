// SPDX-License-Identifier: GPL-3.0-or-later
#include "OomScore.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

int OomScore::setInChild()
{
    static_assert(kChildScore == 1000, "the text below spells the score");
    static const char text[] = "1000";
    int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    ssize_t n;
    do {
        n = ::write(fd, text, sizeof text - 1);
    } while (n < 0 && errno == EINTR);
    int err = n == static_cast<ssize_t>(sizeof text - 1) ? 0 : (n < 0 ? errno : EIO);
    if (::close(fd) != 0 && err == 0 && errno != EINTR)
        err = errno;
    return err;
}
