// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// Writing a user namespace's id maps (/proc/PID/uid_map, gid_map,
// setgroups), shared by the host probe and the idmapped mounts.
namespace UserNamespaceMaps {
// The kernel takes a map only in one write(2): 0, or the errno.
int writeProcFile(const QByteArray &path, const QByteArray &text);
} // namespace UserNamespaceMaps
