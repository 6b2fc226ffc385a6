// SPDX-License-Identifier: GPL-3.0-or-later
#include "Command.h"

#include "Clock.h"

#include <cerrno>
#include <sys/random.h>

std::string Command::newId()
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string id = "cmd_";
    while (id.size() < 20) {
        unsigned char bytes[32];
        ssize_t n = getrandom(bytes, sizeof bytes, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // Without the kernel's randomness (very old kernels) ids need only
            // be unique, not secret.
            static uint64_t counter = static_cast<uint64_t>(Clock::monotonicMs());
            uint64_t v = ++counter * 0x9E3779B97F4A7C15ull;
            for (size_t i = 0; i < sizeof bytes; ++i)
                bytes[i] = static_cast<unsigned char>(v >> ((i % 8) * 8)) ^ static_cast<unsigned char>(i * 37);
            n = sizeof bytes;
        }
        for (ssize_t i = 0; i < n && id.size() < 20; ++i) {
            // 252 = 7 * 36: rejecting the rest keeps every character equally likely.
            if (bytes[i] < 252)
                id.push_back(alphabet[bytes[i] % 36]);
        }
    }
    return id;
}

const char* Command::statusName(Status status)
{
    switch (status) {
    case Status::Running: return "running";
    case Status::Exited: return "exited";
    case Status::Killed: return "killed";
    }
    return "exited";
}

nlohmann::json Command::summary() const
{
    return {
        {"command_id", id},
        {"cmd", cmd},
        {"pid", pid},
        {"status", statusName(status)},
        {"exit_code", exitCode ? nlohmann::json(*exitCode) : nlohmann::json(nullptr)},
        {"user", user},
        {"cwd", cwd},
        {"started_at_ms", startedAtMs},
        {"ended_at_ms", endedAtMs ? nlohmann::json(*endedAtMs) : nlohmann::json(nullptr)},
        {"error", errorJson()},
        {"touched", touched},
    };
}
