// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// Typed access to request header fields. Every mismatch becomes a
// bad_request naming the field, so handlers never meet a json type error.
class Json {
public:
    static Result<std::string> requiredString(const nlohmann::json& h, const char* key);
    static Result<std::string> optionalString(const nlohmann::json& h, const char* key,
                                              const std::string& fallback);
    static Result<int64_t> integer(const nlohmann::json& h, const char* key, int64_t fallback,
                                   int64_t min, int64_t max);
    static Result<bool> boolean(const nlohmann::json& h, const char* key, bool fallback);
    using StringPairs = std::vector<std::pair<std::string, std::string>>;
    static Result<StringPairs> stringMap(const nlohmann::json& h, const char* key);

    // Invalid UTF-8 (process output, odd file names) becomes U+FFFD instead of
    // an exception.
    static std::string dump(const nlohmann::json& value);
};
