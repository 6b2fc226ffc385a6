// SPDX-License-Identifier: GPL-3.0-or-later
// The agent's reading of the sandbox's /etc/passwd (root in the sandbox can
// write anything there) and of the paths a request names, resolved for the
// request's user. Input: the passwd text, a NUL, then the request header.
#include "FuzzCheck.h"
#include "Paths.h"
#include "Users.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {

// Users::load reads a file; a memfd makes that file without a disk.
std::string passwdPath(std::string_view text)
{
    static const int fd = memfd_create("passwd", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    FUZZ_CHECK(pwrite(fd, text.data(), text.size(), 0) == ssize_t(text.size()));
    return "/proc/self/fd/" + std::to_string(fd);
}

void checkClean(const std::string &p)
{
    FUZZ_CHECK(!p.empty() && p.front() == '/');
    FUZZ_CHECK(p.find("//") == std::string::npos);
    FUZZ_CHECK(p.find("/./") == std::string::npos);
    FUZZ_CHECK(Paths::clean(p) == p);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view in(reinterpret_cast<const char *>(data), size);
    const size_t nul = in.find('\0');
    const std::string_view passwd = in.substr(0, nul);
    const std::string_view request = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);

    const Users users = Users::load(passwdPath(passwd).c_str());
    nlohmann::json header = nlohmann::json::parse(request.begin(), request.end(), nullptr, false);
    if (!header.is_object())
        header = nlohmann::json{{"path", std::string(request)}};
    const auto user = users.forRequest(header);
    if (!user)
        return 0;
    FUZZ_CHECK(!user->home.empty());
    FUZZ_CHECK(users.find(user->name) != nullptr);
    (void)users.nameOf(user->uid);
    for (const char *key : {"path", "from", "to", "cwd"}) {
        for (auto empty : {Paths::Empty::MeansHome, Paths::Empty::IsBad}) {
            const auto p = Paths::resolve(*user, header, key, empty);
            if (!p)
                continue;
            if (*p == user->home)
                continue; // an empty path is the home, as passwd wrote it
            checkClean(*p);
            (void)Paths::parentOf(*p);
            (void)Paths::baseName(*p);
        }
    }
    if (header.contains("path") && header["path"].is_string()) {
        const std::string raw = header["path"].get<std::string>();
        checkClean(Paths::clean(raw));
        (void)Paths::withoutTrailingSlashes(raw);
        (void)Paths::parentOf(raw);
        (void)Paths::baseName(raw);
    }
    return 0;
}
