// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// Unified diffs (as `diff -u` and `git diff` write them) of two texts. The
// shortest edit script comes from dtl (Debian's libdtl-dev, the diff
// template library); the hunks, with the caller's context, and the "No
// newline at end of file" markers are written here. Pure.
namespace UnifiedDiff {

// Not text: a NUL byte in the first 8 KiB, or not UTF-8.
bool isBinary(const QByteArray &bytes);

// The hunks that turn `before` into `after`, `context` unchanged lines
// around each change; empty when both are equal. Past kMaxEditLines lines
// that differ (after the common start and end are set aside) the edit is
// written as "all removed, all added", still a correct diff, instead of
// searching the shortest one for minutes.
inline constexpr int kMaxEditLines = 20000;
QByteArray hunks(const QByteArray &before, const QByteArray &after, int context);

// A file's whole diff: the `---`/`+++` lines naming `path` (a/… and b/…,
// /dev/null for a side that does not exist), then the hunks; empty when
// nothing differs.
QByteArray file(const QByteArray &path, const QByteArray *before, const QByteArray *after, int context);

} // namespace UnifiedDiff
