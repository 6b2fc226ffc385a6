// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include <sys/types.h>

// A child process that does to itself what runc does for every sandbox:
// create a user namespace and, with its maps written by a root parent,
// become root inside it. For `ai2ind doctor`: blocking calls with timeouts.
// The destructor kills and reaps the child, however the probe ended.
class UserNamespaceProbe
{
public:
    struct Identity
    {
        int error = 0; // errno of setresgid/setresuid, 0 when both worked
        int uid = -1;
        int gid = -1;
    };

    UserNamespaceProbe() = default;
    ~UserNamespaceProbe();
    UserNamespaceProbe(const UserNamespaceProbe &) = delete;
    UserNamespaceProbe &operator=(const UserNamespaceProbe &) = delete;

    // Forks the child, which calls unshare(CLONE_NEWUSER) at once.
    // 0, or the errno of socketpair or fork.
    int start();
    // The child's unshare: 0 or its errno; nullopt when it did not answer in time.
    std::optional<int> unshareResult(int timeoutMs);
    // Writes the child's setgroups ("allow"), uid_map and gid_map, as runc
    // does (this needs root). "" or a sentence naming the file and the error.
    QString writeMaps(const QByteArray &map);
    // Lets the child switch to uid and gid 0 of its namespace and tells what
    // it became; nullopt when it did not answer in time.
    std::optional<Identity> becomeRoot(int timeoutMs);

private:
    pid_t m_pid = -1;
    int m_socket = -1;
};
