// SPDX-License-Identifier: GPL-3.0-or-later
#include "Users.h"

#include "Fd.h"
#include "Json.h"
#include "Log.h"

#include <cerrno>
#include <charconv>
#include <fcntl.h>

static std::string readSmallFile(const char* path)
{
    std::string text;
    Fd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
        if (errno != ENOENT)
            Log::sysError(std::string("open ") + path, errno);
        return text;
    }
    char buf[16384];
    // A passwd file beyond a few MiB is hostile; stop reading there.
    while (text.size() < 4 * 1024 * 1024) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            Log::sysError(std::string("read ") + path, errno);
            break;
        }
        if (n == 0)
            break;
        text.append(buf, static_cast<size_t>(n));
    }
    return text;
}

static bool parseId(std::string_view text, unsigned& out)
{
    if (text.empty())
        return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

Users Users::load(const char* path)
{
    Users users;
    std::string text = readSmallFile(path);
    std::string_view rest = text;
    while (!rest.empty()) {
        size_t eol = rest.find('\n');
        std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
        std::string_view fields[7];
        size_t count = 0;
        while (count < 7) {
            size_t colon = line.find(':');
            fields[count++] = line.substr(0, colon);
            if (colon == std::string_view::npos)
                break;
            line = line.substr(colon + 1);
        }
        unsigned uid = 0, gid = 0;
        if (count < 7 || fields[0].empty() || !parseId(fields[2], uid) || !parseId(fields[3], gid))
            continue; // comments, NIS "+" lines and broken lines are not accounts
        users.users_.push_back(User{std::string(fields[0]), uid, gid, std::string(fields[5]),
                                    std::string(fields[6])});
    }
    return users;
}

const User* Users::find(std::string_view name) const
{
    for (const User& u : users_) {
        if (u.name == name)
            return &u;
    }
    return nullptr;
}

std::string Users::nameOf(uid_t uid) const
{
    for (const User& u : users_) {
        if (u.uid == uid)
            return u.name;
    }
    return std::to_string(uid);
}

Result<User> Users::forRequest(const nlohmann::json& header) const
{
    auto name = Json::optionalString(header, "user", "sandbox");
    if (!name)
        return name.failure();
    const User* user = find(*name);
    if (!user)
        return Failure::badRequest("Unknown user: " + *name + " (not in /etc/passwd).");
    User copy = *user;
    if (copy.home.empty())
        copy.home.assign(1, '/');
    return copy;
}
