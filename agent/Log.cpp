// SPDX-License-Identifier: GPL-3.0-or-later
#include "Log.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <unistd.h>

void Log::line(std::string_view message)
{
    std::string text = "ai2in-agent: ";
    text.append(message);
    text.push_back('\n');
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        // A broken stderr leaves nowhere to report to; dropping is all we can do.
        if (n <= 0)
            return;
        p += n;
        left -= static_cast<size_t>(n);
    }
}

void Log::sysError(std::string_view what, int err)
{
    std::string text(what);
    text += ": ";
    text += std::strerror(err);
    line(text);
}
