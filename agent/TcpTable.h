// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct ListeningPort {
    uint16_t port = 0;
    std::string address; // as inet_ntop writes it: "0.0.0.0", "::", "127.0.0.1"

    bool operator==(const ListeningPort&) const = default;
};

// The kernel's /proc/net/tcp and /proc/net/tcp6 tables, reduced to the
// sockets that listen. Parsing is pure so it can be tested on made-up tables.
class TcpTable {
public:
    enum class Family { V4, V6 };

    // Sockets in state 0A (LISTEN). The header line and lines that do not
    // parse are skipped: the agent reports what it understands rather than
    // nothing.
    static std::vector<ListeningPort> parse(std::string_view text, Family family);
    // Sorted by port, each port once; a wildcard address wins over a
    // specific one so the answer says "reachable from outside" when it is.
    static std::vector<ListeningPort> merge(std::vector<ListeningPort> ports);
    // Both tables of the agent's network namespace. A missing tcp6 (IPv6
    // disabled) is not an error.
    static Result<std::vector<ListeningPort>> listening();
};
