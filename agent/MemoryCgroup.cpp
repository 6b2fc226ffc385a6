// SPDX-License-Identifier: GPL-3.0-or-later
#include "MemoryCgroup.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace {

std::optional<uint64_t> digits(std::string_view text)
{
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    uint64_t v = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9')
            return std::nullopt;
        v = v * 10 + static_cast<uint64_t>(ch - '0');
    }
    return v;
}

std::optional<std::string> slurp(const std::string& path)
{
    if (path.empty())
        return std::nullopt;
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid())
        return std::nullopt;
    char buf[1024];
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = ::read(fd.get(), buf + got, sizeof buf - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return std::nullopt;
        if (n == 0)
            break;
        got += static_cast<size_t>(n);
    }
    return std::string(buf, got);
}

} // namespace

MemoryCgroup::MemoryCgroup(std::string root)
{
    if (::access((root + "/memory.events").c_str(), R_OK) == 0) {
        eventsPath_ = root + "/memory.events";
        limitPath_ = root + "/memory.max";
    } else if (::access((root + "/memory/memory.oom_control").c_str(), R_OK) == 0) {
        eventsPath_ = root + "/memory/memory.oom_control";
        limitPath_ = root + "/memory/memory.limit_in_bytes";
    }
}

std::optional<uint64_t> MemoryCgroup::parseOomKills(std::string_view text)
{
    constexpr std::string_view key = "oom_kill ";
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(at, end - at);
        at = end + 1;
        if (line.substr(0, key.size()) == key)
            return digits(line.substr(key.size()));
    }
    return std::nullopt;
}

std::optional<uint64_t> MemoryCgroup::parseLimit(std::string_view text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    auto v = digits(text);
    // cgroup v1 writes "no limit" as the largest page-aligned int64.
    if (!v || *v >= (uint64_t(1) << 62))
        return std::nullopt;
    return v;
}

std::optional<uint64_t> MemoryCgroup::oomKills() const
{
    if (!events_.valid() && !eventsPath_.empty())
        events_.reset(::open(eventsPath_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!events_.valid())
        return std::nullopt;
    // A cgroup file is made anew for every read from offset 0, in one go.
    char buf[1024];
    ssize_t n;
    do {
        n = ::pread(events_.get(), buf, sizeof buf, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        events_.reset();
        return std::nullopt;
    }
    return parseOomKills(std::string_view(buf, static_cast<size_t>(n)));
}

std::optional<uint64_t> MemoryCgroup::limitBytes() const
{
    auto text = slurp(limitPath_);
    return text ? parseLimit(*text) : std::nullopt;
}
