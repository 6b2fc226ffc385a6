// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Failure.h"
#include "User.h"

#include <optional>
#include <sys/types.h>
#include <vector>

// While alive, file-system calls are checked and owned as `user`: fsuid,
// fsgid and the supplementary groups are switched, and restored to the
// agent's own on destruction. The agent is single-threaded, so the switch
// affects nothing else.
class FsIdentity {
public:
    explicit FsIdentity(const User& user);
    ~FsIdentity();
    FsIdentity(const FsIdentity&) = delete;
    FsIdentity& operator=(const FsIdentity&) = delete;

    // Set when the switch failed; then no file operation may run.
    const std::optional<Failure>& failure() const { return failure_; }

private:
    std::optional<Failure> failure_;
    bool switched_ = false;
    std::vector<gid_t> savedGroups_;
};
