// SPDX-License-Identifier: GPL-3.0-or-later
#include "DiffRows.h"

#include <QRegularExpression>

namespace DiffRows {

QList<DiffRow> sideBySide(const QString &unified)
{
    static const QRegularExpression hunkHead(QStringLiteral("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@"));
    QList<DiffRow> rows;
    QStringList removed, added;
    int oldAt = 0, newAt = 0;
    // A run of removals and the additions after it pair up line by line.
    auto flush = [&] {
        const qsizetype n = std::max(removed.size(), added.size());
        for (qsizetype i = 0; i < n; ++i) {
            DiffRow r;
            const bool hasOld = i < removed.size(), hasNew = i < added.size();
            r.kind = hasOld && hasNew ? DiffRow::Kind::Changed : hasOld ? DiffRow::Kind::Removed : DiffRow::Kind::Added;
            if (hasOld) {
                r.oldLine = ++oldAt;
                r.oldText = removed[i];
            }
            if (hasNew) {
                r.newLine = ++newAt;
                r.newText = added[i];
            }
            rows.append(r);
        }
        removed.clear();
        added.clear();
    };
    for (const QString &line : unified.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("--- ")) || line.startsWith(QLatin1String("+++ ")) ||
            line.startsWith(QLatin1Char('\\')))
            continue;
        if (line.startsWith(QLatin1String("@@"))) {
            flush();
            const auto m = hunkHead.match(line);
            // A side with no lines in the hunk names the line before it,
            // and then has no line to number.
            oldAt = m.hasMatch() ? std::max(0, m.captured(1).toInt() - 1) : oldAt;
            newAt = m.hasMatch() ? std::max(0, m.captured(2).toInt() - 1) : newAt;
            rows.append(DiffRow{DiffRow::Kind::Hunk, 0, 0, line, line});
            continue;
        }
        if (line.startsWith(QLatin1Char('-'))) {
            if (!added.isEmpty())
                flush();
            removed.append(line.mid(1));
        } else if (line.startsWith(QLatin1Char('+'))) {
            added.append(line.mid(1));
        } else if (line.startsWith(QLatin1Char(' '))) {
            flush();
            rows.append(DiffRow{DiffRow::Kind::Context, ++oldAt, ++newAt, line.mid(1), line.mid(1)});
        }
    }
    flush();
    return rows;
}

} // namespace DiffRows
