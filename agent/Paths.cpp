// SPDX-License-Identifier: GPL-3.0-or-later
#include "Paths.h"

#include "Json.h"

Result<std::string> Paths::resolve(const User& user, const nlohmann::json& header, const char* key,
                                   Empty empty)
{
    auto path = empty == Empty::MeansHome ? Json::optionalString(header, key, "")
                                          : Json::requiredString(header, key);
    if (!path)
        return path.failure();
    if (path->find('\0') != std::string::npos)
        return Failure::badRequest(std::string("Field '") + key + "' contains a NUL byte.");
    if (path->empty()) {
        if (empty == Empty::IsBad)
            return Failure::badRequest(std::string("Field '") + key + "' must not be empty.");
        return user.home;
    }
    return absolute(user, *path);
}

std::string Paths::absolute(const User& user, const std::string& path)
{
    if (path.empty())
        return user.home;
    if (path.front() == '/')
        return clean(path);
    return clean(join(user.home, path));
}

std::string Paths::clean(const std::string& path)
{
    // Only what cannot change which file is meant: "//" and "." go, while
    // ".." stays for the kernel (a lexical ".." would be wrong after a
    // symlink), and so does a trailing slash (it asks for a directory).
    std::string out;
    size_t i = 0;
    while (i < path.size()) {
        size_t end = path.find('/', i);
        if (end == std::string::npos)
            end = path.size();
        std::string_view part(path.data() + i, end - i);
        if (!part.empty() && part != ".") {
            out += '/';
            out += part;
        }
        i = end + 1;
    }
    if (out.empty())
        return "/";
    if (path.back() == '/')
        out += '/';
    return out;
}

std::string Paths::parentOf(const std::string& path)
{
    std::string p = withoutTrailingSlashes(path);
    size_t slash = p.rfind('/');
    if (slash == std::string::npos)
        return ".";
    if (slash == 0)
        return "/";
    return withoutTrailingSlashes(p.substr(0, slash));
}

std::string Paths::baseName(const std::string& path)
{
    std::string p = withoutTrailingSlashes(path);
    size_t slash = p.rfind('/');
    return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string Paths::join(const std::string& dir, const std::string& name)
{
    if (!dir.empty() && dir.back() == '/')
        return dir + name;
    return dir + "/" + name;
}

std::string Paths::withoutTrailingSlashes(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}
