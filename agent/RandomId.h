// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

// Ids like "pty_" + 16 of [a-z0-9], drawn from getrandom().
class RandomId {
public:
    static std::string make(std::string_view prefix);
};
