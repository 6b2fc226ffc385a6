// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// One file, directory or link inside a sandbox, as the engine's file API
// describes it (`GET …/files` and `…/files/stat`, docs/api.md "Files"): the
// engine writes it, the app reads it.
struct FileEntry
{
    enum class Type { File, Dir, Symlink, Other };

    QString name;
    QString path;
    Type type = Type::File;
    qint64 size = 0;
    int mode = 0; // permission bits
    QDateTime mtime;
    QString owner;
    QString symlinkTarget; // links only; empty otherwise

    bool operator==(const FileEntry &) const = default;

    bool isDir() const { return type == Type::Dir; }
    // "drwxr-xr-x": the type letter, then the permission bits.
    QString permissions() const { return permissionString(type, mode); }

    static QString permissionString(Type type, int mode);
    static QString typeName(Type type); // "file", "dir", "symlink", "other"
    static std::optional<Type> typeFromName(const QString &name);

    QJsonObject toJson() const;
    // Pure: one entry object; an error sentence when a field is missing or
    // of the wrong kind.
    static Result<FileEntry> fromJson(const QJsonObject &o);
    // Pure: the body of `GET …/files` ({"entries": [...]}).
    static Result<QList<FileEntry>> listFromJson(const QByteArray &body);
    // Pure: the body of `GET …/files/stat`.
    static Result<FileEntry> statFromJson(const QByteArray &body);
};
