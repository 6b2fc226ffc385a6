// SPDX-License-Identifier: GPL-3.0-or-later
#include "FsIdentity.h"

#include "Log.h"

#include <cerrno>
#include <grp.h>
#include <sys/fsuid.h>
#include <unistd.h>

FsIdentity::FsIdentity(const User& user)
{
    if (geteuid() != 0) {
        // Unprivileged (development) agents can only act as themselves.
        if (user.uid != geteuid())
            failure_ = Failure{"permission_denied", "The agent does not run as root and cannot act as user "
                                                        + user.name + "."};
        return;
    }
    int count = getgroups(0, nullptr);
    if (count < 0) {
        failure_ = Failure::internal("Cannot read the agent's groups to act as user " + user.name + ".");
        return;
    }
    savedGroups_.resize(static_cast<size_t>(count));
    if (count > 0 && getgroups(count, savedGroups_.data()) < 0) {
        failure_ = Failure::internal("Cannot read the agent's groups to act as user " + user.name + ".");
        return;
    }
    switched_ = true;
    gid_t gid = user.gid;
    if (setgroups(1, &gid) != 0) {
        failure_ = Failure::internal("Cannot set the groups of user " + user.name + ".");
        return;
    }
    // setfsuid/setfsgid report nothing; asking again with an invalid id (-1)
    // returns the value in effect, which is how success is checked.
    setfsgid(user.gid);
    setfsuid(user.uid);
    if (static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1))) != user.uid
        || static_cast<gid_t>(setfsgid(static_cast<gid_t>(-1))) != user.gid)
        failure_ = Failure::internal("Cannot switch to the file-system identity of user " + user.name + ".");
}

FsIdentity::~FsIdentity()
{
    if (!switched_)
        return;
    setfsuid(geteuid());
    setfsgid(getegid());
    if (static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1))) != geteuid())
        Log::line("could not restore the file-system uid");
    if (setgroups(savedGroups_.size(), savedGroups_.data()) != 0)
        Log::sysError("setgroups (restore)", errno);
}
