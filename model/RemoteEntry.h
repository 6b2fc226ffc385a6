// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

// One file, directory or link inside a sandbox, as the engine's file API
// describes it (`GET …/files` and `…/files/stat`).
struct RemoteEntry
{
    enum class Type { File, Dir, Symlink, Other };

    QString name;
    QString path;
    Type type = Type::File;
    qint64 size = 0;
    int mode = 0; // permission bits
    QDateTime mtime;
    QString owner;
    QString symlinkTarget;

    bool isDir() const { return type == Type::Dir; }
    // "drwxr-xr-x": the type letter, then the permission bits.
    QString permissions() const { return permissionString(type, mode); }

    static QString permissionString(Type type, int mode);
    // Pure: one entry object; an error sentence when a field is missing or
    // of the wrong kind.
    static Result<RemoteEntry> fromJson(const QJsonObject &o);
    // Pure: the body of `GET …/files` ({"entries": [...]}).
    static Result<QList<RemoteEntry>> listFromJson(const QByteArray &body);
    // Pure: the body of `GET …/files/stat`.
    static Result<RemoteEntry> statFromJson(const QByteArray &body);
};
