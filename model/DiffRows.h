// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

// A unified diff laid out side by side: removed lines on the left across
// from the lines that replaced them on the right, context on both, a row per
// hunk head. Pure.
struct DiffRow
{
    enum class Kind { Hunk, Context, Removed, Added, Changed };

    Kind kind = Kind::Context;
    int oldLine = 0; // 0: no line on that side
    int newLine = 0;
    QString oldText;
    QString newText;

    bool operator==(const DiffRow &) const = default;
};

namespace DiffRows {
QList<DiffRow> sideBySide(const QString &unified);
} // namespace DiffRows
