// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

#include <string>

// One framed request: its header object and the raw body bytes.
struct Request {
    nlohmann::json header;
    std::string op;
    std::string body;
};
