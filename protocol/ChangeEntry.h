// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// One path a sandbox changed relative to its template, as `GET …/changes`
// lists it (docs/api.md, "Changes"); the engine writes it, the app reads it.
struct ChangeEntry
{
    enum class Kind { Added, Modified, Deleted };

    QString path;
    Kind kind = Kind::Added;
    QString type; // file, dir, symlink, other
    qint64 size = 0;
    quint32 mode = 0;
    qint64 mtimeMs = 0;
    std::optional<QString> symlinkTarget;

    // 'A', 'M' or 'D', as `git status --short` marks them.
    QChar mark() const;
    static QString kindName(Kind k);

    QJsonObject toJson() const;
    static Result<ChangeEntry> fromJson(const QJsonValue &v);

    bool operator==(const ChangeEntry &) const = default;
};

// The answer of `GET …/changes`.
struct ChangeList
{
    QList<ChangeEntry> changes; // sorted by path
    bool truncated = false;

    QJsonObject toJson() const;
    static Result<ChangeList> fromJson(const QByteArray &body);
};

// The answer of `GET …/changes/diff`: one changed path against the
// template's, as sizes, hashes and a unified diff.
struct ChangeDiff
{
    struct Side
    {
        qint64 size = 0;
        QString sha256; // empty when the side was too large to read
        bool operator==(const Side &) const = default;
    };

    QString path;
    ChangeEntry::Kind kind = ChangeEntry::Kind::Added;
    QString type;
    bool binary = false;
    bool tooLarge = false;
    std::optional<Side> before; // none: added
    std::optional<Side> after;  // none: deleted
    QString diff;               // unified; empty for binaries, directories, large sides

    QJsonObject toJson() const;
    static Result<ChangeDiff> fromJson(const QByteArray &body);
    bool operator==(const ChangeDiff &) const = default;
};
