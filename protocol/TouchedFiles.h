// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ChangeEntry.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

// What one command or code cell changed while it ran: the `touched` field of
// commands, code cells and their activity entries (docs/api.md). The
// sandbox's agent records it; the engine passes on only what reads back
// through fromJson, so what clients see always has this shape.
struct TouchedFiles
{
    static constexpr int kMaxPaths = 128;
    static constexpr int kMaxPathLength = 4096;

    struct Path
    {
        QString path; // absolute
        ChangeEntry::Kind change = ChangeEntry::Kind::Modified;
        bool isDir = false;
        bool operator==(const Path &) const = default;
    };

    QList<Path> paths; // sorted by path
    // Something may be missing (too many paths, a directory not followed).
    bool partial = false;

    // Pure. Null, or not an object with a `paths` array: nullopt (a command
    // still running, an agent that does not record it). Entries that are
    // not well formed are skipped; past kMaxPaths the rest are left out and
    // the result is partial.
    static std::optional<TouchedFiles> fromJson(const QJsonValue &v);
    QJsonValue toJson() const;
    // The engine's form of what an agent said: checked, or null.
    static QJsonValue checked(const QJsonValue &v);

    bool operator==(const TouchedFiles &) const = default;
};
