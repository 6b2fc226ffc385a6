// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LayerChanges.h"
#include "Result.h"

#include <QByteArray>

#include <sys/types.h>

struct archive;

// A sandbox's changes as a tar (pax, as GNU and BSD tar and Python's tarfile
// read it), optionally gzipped, written by libarchive into memory a piece at
// a time: the caller adds one change, takes the bytes made so far and sends
// them on, so the whole archive is never held at once. Members are named
// relative to "/"; a deletion cannot be a member, so every change, deletions
// included, is also a line of the manifest, the archive's last member.
// Not thread-safe; it may move between threads between calls.
class ChangeArchive
{
public:
    enum class Compression { None, Gzip };
    static constexpr const char *kManifestName = ".ai2in-changes.txt";

    explicit ChangeArchive(Compression compression);
    ~ChangeArchive();
    ChangeArchive(const ChangeArchive &) = delete;
    ChangeArchive &operator=(const ChangeArchive &) = delete;

    // Adds `c`: a directory, a link (its target, never followed) or a file
    // with `content`, with its mode, time and owner; a deletion, or a socket,
    // FIFO or device, goes into the manifest only.
    Status add(const LayerChanges::Change &c, const QByteArray &content = {});
    // Writes the manifest and the archive's end.
    Status finish();
    // The archive's bytes made since the last call.
    QByteArray take();

    // The manifest's line for `c`: "A ", "M " or "D ", then the absolute
    // path with "\" written "\\" and a newline "\n", so one line is one path.
    static QByteArray manifestLine(const LayerChanges::Change &c);

private:
    static ssize_t write(struct archive *, void *self, const void *buffer, size_t length);
    Status check(int status, const QByteArray &path);
    Status addMember(const QByteArray &name, unsigned type, const LayerChanges::Change &c, const QByteArray &content);

    struct archive *m_archive = nullptr;
    QByteArray m_out;
    QByteArray m_manifest;
    bool m_open = false;
    bool m_finished = false;
};
