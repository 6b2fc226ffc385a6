// SPDX-License-Identifier: GPL-3.0-or-later
#include "TcpTable.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <optional>
#include <unistd.h>

namespace {

std::optional<uint32_t> hexWord(std::string_view text)
{
    if (text.empty() || text.size() > 8)
        return std::nullopt;
    uint32_t value = 0;
    for (char ch : text) {
        uint32_t digit;
        if (ch >= '0' && ch <= '9')
            digit = static_cast<uint32_t>(ch - '0');
        else if (ch >= 'A' && ch <= 'F')
            digit = static_cast<uint32_t>(ch - 'A' + 10);
        else if (ch >= 'a' && ch <= 'f')
            digit = static_cast<uint32_t>(ch - 'a' + 10);
        else
            return std::nullopt;
        value = value << 4 | digit;
    }
    return value;
}

std::vector<std::string_view> fields(std::string_view line)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (i > start)
            out.push_back(line.substr(start, i - start));
    }
    return out;
}

// The kernel prints each 32-bit word of the address as a number in the
// machine's own byte order, so the words go back into memory as they are.
std::optional<std::string> address(std::string_view hex, TcpTable::Family family)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (family == TcpTable::Family::V4) {
        auto word = hexWord(hex);
        if (hex.size() != 8 || !word)
            return std::nullopt;
        in_addr a{};
        std::memcpy(&a.s_addr, &*word, 4);
        if (!inet_ntop(AF_INET, &a, text, sizeof text))
            return std::nullopt;
        return std::string(text);
    }
    if (hex.size() != 32)
        return std::nullopt;
    in6_addr a{};
    for (size_t i = 0; i < 4; ++i) {
        auto word = hexWord(hex.substr(i * 8, 8));
        if (!word)
            return std::nullopt;
        std::memcpy(a.s6_addr + i * 4, &*word, 4);
    }
    if (!inet_ntop(AF_INET6, &a, text, sizeof text))
        return std::nullopt;
    return std::string(text);
}

int rank(const std::string& address)
{
    if (address == "0.0.0.0")
        return 0;
    if (address == "::")
        return 1;
    return 2;
}

// ENOENT is reported as an empty table: tcp6 is absent when IPv6 is off.
Result<std::string> readTable(const char* path)
{
    std::string out;
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return out;
        return Failure::internal(std::string("Cannot open ") + path + ": " + std::strerror(errno) + ".");
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return Failure::internal(std::string("Cannot read ") + path + ": " + std::strerror(err) + ".");
        }
        if (n == 0)
            break;
        out.append(chunk, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
}

} // namespace

std::vector<ListeningPort> TcpTable::parse(std::string_view text, Family family)
{
    std::vector<ListeningPort> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        // "0: 0100007F:1F90 00000000:0000 0A ..." — slot, local, remote, state.
        auto f = fields(line);
        if (f.size() < 4 || f[0].size() < 2 || f[0].back() != ':' || f[3] != "0A")
            continue;
        std::string_view local = f[1];
        size_t colon = local.find(':');
        if (colon == std::string_view::npos)
            continue;
        std::string_view portHex = local.substr(colon + 1);
        auto port = hexWord(portHex);
        if (portHex.size() != 4 || !port || *port == 0)
            continue;
        auto addr = address(local.substr(0, colon), family);
        if (!addr)
            continue;
        out.push_back({static_cast<uint16_t>(*port), std::move(*addr)});
    }
    return out;
}

std::vector<ListeningPort> TcpTable::merge(std::vector<ListeningPort> ports)
{
    std::sort(ports.begin(), ports.end(), [](const ListeningPort& a, const ListeningPort& b) {
        if (a.port != b.port)
            return a.port < b.port;
        if (rank(a.address) != rank(b.address))
            return rank(a.address) < rank(b.address);
        return a.address < b.address;
    });
    auto last = std::unique(ports.begin(), ports.end(),
                            [](const ListeningPort& a, const ListeningPort& b) { return a.port == b.port; });
    ports.erase(last, ports.end());
    return ports;
}

Result<std::vector<ListeningPort>> TcpTable::listening()
{
    auto v4 = readTable("/proc/net/tcp");
    if (!v4)
        return v4.failure();
    auto v6 = readTable("/proc/net/tcp6");
    if (!v6)
        return v6.failure();
    std::vector<ListeningPort> all = parse(*v4, Family::V4);
    std::vector<ListeningPort> more = parse(*v6, Family::V6);
    all.insert(all.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    return merge(std::move(all));
}
