// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

// A failed request: one of PROTOCOL.md's error codes and a sentence for a human.
struct Failure {
    std::string code;
    std::string message;

    static Failure badRequest(std::string message) { return {"bad_request", std::move(message)}; }
    static Failure conflict(std::string message) { return {"conflict", std::move(message)}; }
    static Failure internal(std::string message) { return {"internal", std::move(message)}; }
    // "No such file or directory: /home/sandbox/x.txt"
    static Failure fromErrno(int err, std::string_view subject);
};
