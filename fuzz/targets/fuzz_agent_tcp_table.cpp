// SPDX-License-Identifier: GPL-3.0-or-later
// /proc/net/tcp and tcp6 as the agent reads them for the ports list. Root in
// a sandbox can mount anything over /proc/net, so the text is not trusted.
// Input: one byte choosing the family, then the table.
#include "FuzzCheck.h"
#include "TcpTable.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const auto family = data[0] & 1 ? TcpTable::Family::V6 : TcpTable::Family::V4;
    std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
    std::vector<ListeningPort> ports = TcpTable::parse(text, family);
    for (const ListeningPort &p : ports)
        FUZZ_CHECK(!p.address.empty());
    const std::vector<ListeningPort> merged = TcpTable::merge(ports);
    FUZZ_CHECK(merged.size() <= ports.size());
    for (size_t i = 1; i < merged.size(); ++i)
        FUZZ_CHECK(merged[i - 1].port < merged[i].port);
    return 0;
}
