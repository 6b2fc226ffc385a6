// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChangeEntry.h"
#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

// What a sandbox changed relative to its template, read from the overlay's
// layers on the host: `upper`, the sandbox's own layer, against `lower`, the
// template's root. Metadata only: every entry is opened relative to its
// directory's descriptor, without following links, so nothing the sandbox
// planted (a link to /etc/shadow, a FIFO) is followed or opened. A whiteout
// (a 0/0 character device) is a deletion; an opaque directory (the xattr
// trusted.overlay.opaque) replaced the template's. Blocking: run it on a
// worker thread.
namespace LayerChanges {

using Kind = ChangeEntry::Kind;

struct Change
{
    QByteArray path; // absolute, as the sandbox sees it
    Kind kind = Kind::Added;
    QString type;    // file, dir, symlink, other
    qint64 size = 0;
    quint32 mode = 0;
    qint64 mtimeMs = 0;
    QByteArray symlinkTarget;
    // The owner as the sandbox sees it: the host's ids less those of the
    // layer's root, which belongs to the sandbox's root (the template's ids,
    // not shifted, for a deletion).
    uint uid = 0;
    uint gid = 0;
};

struct Listing
{
    QList<Change> changes; // sorted by path
    bool truncated = false;
};

// Every change at or under `prefix` (an absolute, clean path), at most `limit`.
Result<Listing> list(const QString &upper, const QString &lower, const QByteArray &prefix, int limit);

// The template's side of a changed path, read on the host one component at
// a time without following a link: a file's bytes (at most `max`; beyond,
// only `size` is set and `tooLarge`) or a link's target.
struct Side
{
    QByteArray bytes;
    qint64 size = 0;
    bool tooLarge = false;
    quint32 mode = 0; // st_mode: the type and the permissions
};
Result<Side> templateSide(const QString &lower, const QByteArray &path, qint64 max);

// The change as the API lists it (names are UTF-8 there).
ChangeEntry toEntry(const Change &c);

} // namespace LayerChanges
