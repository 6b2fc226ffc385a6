// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Reading /proc/self/mountinfo, shared by the template builder and doctor.
namespace MountInfo {
// A path field as written there: blanks, tabs, newlines and backslashes
// come as \ooo; anything else that looks like an escape is kept as it is.
QString unescapeField(const QByteArray &raw);
} // namespace MountInfo
