// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Failure.h"

#include <nlohmann/json.hpp>

#include <string>

// One framed response. A body, when present, is announced by body_len.
struct Response {
    nlohmann::json header = nlohmann::json::object();
    std::string body;
    bool hasBody = false;

    static Response ok();
    static Response fail(const Failure& failure);
};
