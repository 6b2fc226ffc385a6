// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

// The header line of a request (PROTOCOL.md): a JSON object with at least
// `op`, and `body_len` when raw bytes follow. Pure: the line is whatever the
// client sent, and every way it can be wrong becomes a Failure.
struct RequestHeader {
    static constexpr uint64_t kMaxBody = 32 * 1024 * 1024;
    static constexpr int kMaxNesting = 32;

    nlohmann::json header;
    std::string op;
    uint64_t bodyLen = 0;

    // `line` is the header without its newline.
    static Result<RequestHeader> parse(std::string_view line);
};
