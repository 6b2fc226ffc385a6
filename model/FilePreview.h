// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

// Pure: how the file viewer shows the start of a file.
namespace FilePreview {

// The most of a file the viewer reads.
inline constexpr qint64 kMaxBytes = 1024 * 1024;

// A NUL byte, or bytes that are not UTF-8 (a character cut at the end of
// `start` does not count), mean binary.
bool isBinary(const QByteArray &start);
// "00000000  48 65 6c 6c 6f 0a                                 |Hello.|"
// 16 bytes a line, at most `maxBytes` of them.
QString hexDump(const QByteArray &bytes, qsizetype maxBytes = 4096);

} // namespace FilePreview
