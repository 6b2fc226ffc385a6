// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "Users.h"

#include <nlohmann/json.hpp>

#include <string>

// The entry objects of `stat` and `list` (PROTOCOL.md "Files").
class FileEntries {
public:
    static constexpr int kMaxDepth = 16;
    // A listing stops here and fails (too_large): about 20 MiB of JSON,
    // within what the engine reads from an agent.
    static constexpr size_t kMaxEntries = 100000;

    // lstat-based: a link is described as a link.
    static Result<nlohmann::json> entry(const std::string& path, const Users& users);
    // Entries below `dir` down to `depth` levels, sorted by path.
    static Result<nlohmann::json> list(const std::string& dir, int depth, const Users& users);
};
