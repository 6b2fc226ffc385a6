// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "User.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

// Turns request paths into absolute ones as PROTOCOL.md's "Paths" says.
class Paths {
public:
    enum class Empty { MeansHome, IsBad };
    static Result<std::string> resolve(const User& user, const nlohmann::json& header,
                                       const char* key, Empty empty);
    // Relative to the user's home, then clean().
    static std::string absolute(const User& user, const std::string& path);
    // "/a//b/./c" → "/a/b/c"; ".." and a trailing slash are kept.
    static std::string clean(const std::string& path);
    static std::string parentOf(const std::string& path);
    static std::string baseName(const std::string& path);
    static std::string join(const std::string& dir, const std::string& name);
    // "a/b//" → "a/b", "/" stays "/".
    static std::string withoutTrailingSlashes(std::string path);
};
