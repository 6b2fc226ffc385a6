// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Fd.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The sandbox's memory cgroup as the runtime mounts it read-only at
// /sys/fs/cgroup: cgroup v2 (`memory.events`, `memory.max`) or v1
// (`memory/memory.oom_control`, `memory/memory.limit_in_bytes`).
class MemoryCgroup {
public:
    explicit MemoryCgroup(std::string root = "/sys/fs/cgroup");

    // How many processes the OOM killer has killed in the cgroup. The kernel
    // counts a kill before it sends the SIGKILL, so a reading taken after the
    // victim was reaped already includes it. nullopt: not readable.
    std::optional<uint64_t> oomKills() const;
    // The memory limit in bytes; nullopt: none, or not readable.
    std::optional<uint64_t> limitBytes() const;

    // The value of the `oom_kill` line of either events file.
    static std::optional<uint64_t> parseOomKills(std::string_view text);
    // A limit file: digits and a newline; "max" (v2) or a v1 "no limit"
    // (close to INT64_MAX) answer nullopt.
    static std::optional<uint64_t> parseLimit(std::string_view text);

private:
    std::string eventsPath_;
    std::string limitPath_;
    // Read twice for every command: kept open and read from its start.
    mutable Fd events_;
};
