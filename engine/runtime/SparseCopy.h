// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QString>

// Copies a sparse file without filling its holes: a clone where the file
// system shares blocks (FICLONE: btrfs, XFS), else only the ranges that hold
// data (SEEK_DATA/SEEK_HOLE), each with copy_file_range. The copy has the
// source's size and reads the same. Blocking: run it off the event loop.
class SparseCopy
{
public:
    // `to` is made anew (mode 0600); on failure it is removed.
    static Status copy(const QString &from, const QString &to);
};
