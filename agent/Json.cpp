// SPDX-License-Identifier: GPL-3.0-or-later
#include "Json.h"

static const nlohmann::json* field(const nlohmann::json& h, const char* key)
{
    auto it = h.find(key);
    if (it == h.end() || it->is_null())
        return nullptr;
    return &*it;
}

Result<std::string> Json::requiredString(const nlohmann::json& h, const char* key)
{
    const nlohmann::json* v = field(h, key);
    if (!v)
        return Failure::badRequest(std::string("Field '") + key + "' is required.");
    if (!v->is_string())
        return Failure::badRequest(std::string("Field '") + key + "' must be a string.");
    return v->get<std::string>();
}

Result<std::string> Json::optionalString(const nlohmann::json& h, const char* key,
                                         const std::string& fallback)
{
    const nlohmann::json* v = field(h, key);
    if (!v)
        return fallback;
    if (!v->is_string())
        return Failure::badRequest(std::string("Field '") + key + "' must be a string.");
    return v->get<std::string>();
}

Result<int64_t> Json::integer(const nlohmann::json& h, const char* key, int64_t fallback,
                              int64_t min, int64_t max)
{
    const nlohmann::json* v = field(h, key);
    if (!v)
        return fallback;
    auto range = [&] {
        return Failure::badRequest(std::string("Field '") + key + "' must be an integer from "
                                   + std::to_string(min) + " to " + std::to_string(max) + ".");
    };
    if (v->is_number_unsigned()) {
        uint64_t u = v->get<uint64_t>();
        if (u > static_cast<uint64_t>(max))
            return range();
        int64_t i = static_cast<int64_t>(u);
        if (i < min)
            return range();
        return i;
    }
    if (v->is_number_integer()) {
        int64_t i = v->get<int64_t>();
        if (i < min || i > max)
            return range();
        return i;
    }
    return range();
}

Result<bool> Json::boolean(const nlohmann::json& h, const char* key, bool fallback)
{
    const nlohmann::json* v = field(h, key);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        return Failure::badRequest(std::string("Field '") + key + "' must be true or false.");
    return v->get<bool>();
}

Result<Json::StringPairs> Json::stringMap(const nlohmann::json& h, const char* key)
{
    StringPairs pairs;
    const nlohmann::json* v = field(h, key);
    if (!v)
        return pairs;
    if (!v->is_object())
        return Failure::badRequest(std::string("Field '") + key
                                   + "' must be an object of strings.");
    for (auto it = v->begin(); it != v->end(); ++it) {
        if (!it.value().is_string())
            return Failure::badRequest(std::string("Field '") + key + "' entry '" + it.key()
                                       + "' must be a string.");
        if (it.key().empty() || it.key().find_first_of(std::string("=\0", 2)) != std::string::npos)
            return Failure::badRequest(std::string("Field '") + key
                                       + "' has an invalid variable name: '" + it.key() + "'.");
        const std::string& value = it.value().get_ref<const std::string&>();
        if (value.find('\0') != std::string::npos)
            return Failure::badRequest(std::string("Field '") + key + "' entry '" + it.key()
                                       + "' contains a NUL byte.");
        pairs.emplace_back(it.key(), value);
    }
    return pairs;
}

std::string Json::dump(const nlohmann::json& value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
