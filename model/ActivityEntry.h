// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityFields.h"
#include "ActivityRecord.h"
#include "TouchedFiles.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// One entry of a sandbox's activity log (`GET /v1/sandboxes/{id}/activity`):
// a command, a code cell, a file change, a lifecycle event or a terminal.
// The fields of every kind of protocol's ActivityRecord are read into one
// flat value; `raw` keeps the entry as the engine sent it (for export and
// for noticing change).
struct ActivityEntry
{
    using Kind = ActivityRecord::Kind;

    qint64 seq = 0;
    QDateTime time;
    Kind kind = Kind::Command;

    // command: "running", "exited", "killed", "timeout", "lost";
    // code: "ok" or "error"; other kinds: empty.
    QString status;
    QString commandId;
    QString cmd; // the command line, the cell's code or the terminal's program
    QString cwd;
    QString user;
    bool background = false;
    std::optional<qint64> pid;
    QDateTime startedAt;
    QDateTime endedAt;
    std::optional<int> exitCode;
    // Why the command ended when its exit code does not say, e.g.
    // "killed: out of memory"; empty otherwise.
    QString commandError;
    QString out; // stdout (named so because stdout is a macro)
    QString err; // stderr
    bool truncated = false;
    // command and code: the files it changed while it ran; none while it
    // runs or when the engine does not say.
    std::optional<TouchedFiles> touched;

    // code
    QString result;
    QString errorName;
    QString errorValue;
    QString traceback;
    std::optional<int> executionCount;

    // file: op "write", "remove", "rename", "mkdir"; lifecycle and pty: event
    QString op;
    QString event;
    QString path;
    QString to;
    std::optional<qint64> bytes;
    QString detail; // lifecycle: pause kind, reason or new end; pty: its id

    QJsonObject raw;

    bool isRunning() const { return kind == Kind::Command && status == ActivityFields::kStatusRunning; }
    // How long it ran, in milliseconds (commands that ended only).
    std::optional<qint64> durationMs() const;
    // One line saying what it was: the command, "write /home/x (12 B)",
    // "paused (stop)", "terminal opened: bash 80×24".
    QString summary() const;
    // The last non-empty line of its output, escape sequences removed.
    QString lastOutputLine() const;
    // The kept tail of an output whose start was cut (`truncated`): from its
    // first whole line on, so it does not open with half a line; `text`
    // itself when nothing was cut.
    static QString fromFirstWholeLine(const QString &text, bool truncated);
    // "0", "1", "" while running or for kinds without one.
    QString exitText() const;
    // What the status column says: "running", "exit 0", "killed", "ok", …
    QString statusText() const;

    static QString kindName(Kind kind) { return ActivityRecord::kindName(kind); }
    static std::optional<Kind> kindFromName(const QString &name) { return ActivityRecord::kindFromName(name); }
    // Pure: one entry; nullopt when it has a kind this version does not
    // know (the API says to ignore those).
    static std::optional<ActivityEntry> fromRecord(const ActivityRecord &r);
    // Pure: fromRecord of the object; nullopt too when it is no record.
    static std::optional<ActivityEntry> fromJson(const QJsonObject &o);
};

// One answer of the activity endpoint.
struct ActivityPage
{
    QList<ActivityEntry> entries; // oldest first
    qint64 nextAfter = 0;
    QList<qint64> running; // seqs still changing, ascending
    int skipped = 0;       // entries left out (unknown kind, no seq)

    // Pure: the body of `GET /v1/sandboxes/{id}/activity`.
    static Result<ActivityPage> parse(const QByteArray &body);
};
