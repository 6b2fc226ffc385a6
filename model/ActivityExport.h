// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"
#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

// Activity entries written out for people (plain text, escape sequences
// removed) or for programs (one JSON object per line, exactly as the engine
// sent each entry). Pure apart from write().
class ActivityExport
{
public:
    enum class Format { Text, JsonLines };

    // ".jsonl" or ".json": JSON lines; anything else: text.
    static Format formatFor(const QString &path);
    static QString toText(const ActivityEntry &entry);
    static QByteArray toText(const QList<ActivityEntry> &entries);
    static QByteArray toJsonLines(const QList<ActivityEntry> &entries);
    // Writes the whole file or nothing (a failure leaves no half file).
    static Status write(const QString &path, const QList<ActivityEntry> &entries);
};
