// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

// One framed request: its header object and the raw body bytes.
struct Request {
    nlohmann::json header;
    std::string op;
    std::string body;
    // A large `write`'s body is not read before the request is handled: its
    // bytes follow on the connection (Response::awaitingBody takes them).
    uint64_t bodyToCome = 0;
};
