// SPDX-License-Identifier: GPL-3.0-or-later
#include "ProcessEnvironment.h"

extern char** environ;

ProcessEnvironment::ProcessEnvironment(const User& user, const Pairs& defaults, const Pairs& extra)
{
    for (char** e = environ; e && *e; ++e)
        entries_.emplace_back(*e);
    set("HOME", user.home);
    set("USER", user.name);
    set("LOGNAME", user.name);
    set("SHELL", user.shell.empty() ? "/bin/sh" : user.shell);
    bool hasPath = false;
    for (const std::string& entry : entries_)
        hasPath = hasPath || entry.compare(0, 5, "PATH=") == 0;
    if (!hasPath)
        set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (const auto& [key, value] : defaults)
        set(key, value);
    for (const auto& [key, value] : extra)
        set(key, value);
    pointers_.reserve(entries_.size() + 1);
    for (std::string& entry : entries_)
        pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
}

void ProcessEnvironment::set(const std::string& key, const std::string& value)
{
    std::string prefix = key + "=";
    for (std::string& entry : entries_) {
        if (entry.compare(0, prefix.size(), prefix) == 0) {
            entry = prefix + value;
            return;
        }
    }
    entries_.push_back(prefix + value);
}
