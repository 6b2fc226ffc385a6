// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// The filter bar's text, read: words match id, template or metadata (every
// word must match somewhere, case-insensitively); `key=value` words ask for
// that exact metadata pair; a quoted "two words" is one word.
struct FilterQuery
{
    QStringList words; // lower case
    QList<QPair<QString, QString>> metadata;

    bool isEmpty() const { return words.isEmpty() && metadata.isEmpty(); }
    bool matches(const SandboxInfo &info) const;

    static FilterQuery parse(const QString &text);
};
