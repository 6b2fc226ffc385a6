// SPDX-License-Identifier: GPL-3.0-or-later
#include "MegabyteOption.h"

namespace MegabyteOption {

std::optional<qint64> parse(const QString &text, qint64 maxMb)
{
    QString t = text.trimmed().toUpper();
    // "4GiB" and "4GB" are "4G"; a bare "B" (bytes) is not a size in MiB.
    for (const QLatin1String unit : {QLatin1String("IB"), QLatin1String("B")}) {
        if (t.endsWith(unit) && t.size() > unit.size() && QStringLiteral("MGT").contains(t.at(t.size() - unit.size() - 1))) {
            t.chop(unit.size());
            break;
        }
    }
    qint64 factor = 1;
    if (!t.isEmpty()) {
        switch (t.back().toLatin1()) {
        case 'M': factor = 1; t.chop(1); break;
        case 'G': factor = 1024; t.chop(1); break;
        case 'T': factor = 1024 * 1024; t.chop(1); break;
        default: break;
        }
    }
    if (t.isEmpty() || t.size() > 12)
        return std::nullopt;
    for (QChar c : t) {
        if (!c.isDigit() || c.unicode() > 127)
            return std::nullopt;
    }
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (!ok || n <= 0 || n > maxMb / factor)
        return std::nullopt;
    return n * factor;
}

} // namespace MegabyteOption
