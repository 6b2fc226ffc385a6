// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

// The few host-side system calls the runtime needs. Each is a quick syscall
// (no waiting on another process), so they are fine on the event loop.
namespace HostMounts {
// Mounted nodev, not nosuid: sudo inside the sandbox is a setuid program
// (docs/security.md). The sandbox dir above `target` keeps the path from
// every local user.
Status mountOverlay(const QString &lower, const QString &upper, const QString &work, const QString &target);
// Detaches lazily, so it never waits; "not mounted" is not an error.
Status unmount(const QString &target);
bool isMounted(const QString &target);
// A listening unix socket at `path` (an old file there is replaced); the
// descriptor is close-on-exec, and handed to the agent explicitly.
Result<int> listenUnix(const QString &path);
void closeFd(int fd);
} // namespace HostMounts
