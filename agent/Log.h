// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string_view>

// Diagnostics go to stderr, one line each, prefixed so they can be told apart
// from the output of the sandbox's processes in the container log.
class Log {
public:
    static void line(std::string_view message);
    static void sysError(std::string_view what, int err);
};
