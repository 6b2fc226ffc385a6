// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

// Reading /proc/self/mountinfo, shared by the template builder and doctor.
namespace MountInfo {
// A path field as written there: blanks, tabs, newlines and backslashes
// come as \ooo; anything else that looks like an escape is kept as it is.
QString unescapeField(const QByteArray &raw);
// Mount points at or below dir in this mount namespace, deepest first.
QStringList mountsUnder(const QString &dir);
// How many overlay mounts (sandboxes) use dir as a lower layer.
int overlaysUsing(const QString &dir);
} // namespace MountInfo
