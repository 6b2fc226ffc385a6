// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Failure.h"
#include "Fd.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

// One framed response. A body, when present, is announced by body_len.
struct Response {
    nlohmann::json header = nlohmann::json::object();
    std::string body;
    bool hasBody = false;
    // Or a body read straight from this file: its next `fileBytes` bytes,
    // sent by the kernel without passing through the agent's memory.
    // (Shared: a response may be copied on its way out.)
    std::shared_ptr<Fd> file;
    uint64_t fileBytes = 0;
    // Not an answer yet: the request's body (Request::bodyToCome) goes into
    // this file first, and its finish() is the answer.
    std::shared_ptr<class FileWrite> awaitingBody;

    static Response ok();
    static Response fail(const Failure& failure);
};
