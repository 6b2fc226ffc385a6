// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

// How the list and the details show values: pure functions, tested by table.
namespace Formatting {
// "45 s", "3 min 05 s", "2 h 07 min", "3 d 4 h"; negative counts as 0.
QString duration(qint64 seconds);
// A short time in milliseconds: "840 ms", "2.5 s" (`decimals` of a
// second), and duration() from a minute on.
QString elapsed(qint64 ms, int decimals = 1);
// Like duration() but at minute resolution once past a minute ("3 min").
QString coarseDuration(qint64 seconds);
// A start time for a list column: "14:03:07" today, "23 Nov 14:03" this
// year, "2025-11-23 14:03" before. Both times in the zone to show.
QString startTime(const QDateTime &t, const QDateTime &now);
// "512 B", "12.3 MiB", "1.50 GiB".
QString bytes(qint64 n);
// "12.5 %"
QString percent(double p);
// "key=value" pairs, sorted by key.
QStringList metadataTags(const StringMap &metadata);
// "3000, 8080"
QString ports(const QList<SandboxPort> &ports);
// A command on one line for a sentence: whitespace runs made one space,
// cut with "…" past 60 characters.
QString shortCommand(const QString &cmd);
// The lines a person pastes into Python to take over the sandboxes.
QString pythonSnippet(const QStringList &ids);
} // namespace Formatting
