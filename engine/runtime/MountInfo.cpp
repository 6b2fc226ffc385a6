// SPDX-License-Identifier: GPL-3.0-or-later
#include "MountInfo.h"

QString MountInfo::unescapeField(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const auto octal = [&](qsizetype at) { return at < raw.size() && raw[at] >= '0' && raw[at] <= '7'; };
        if (raw[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
            const int c = (raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0');
            if (c > 0 && c < 256) {
                out += char(c);
                i += 3;
                continue;
            }
        }
        out += raw[i];
    }
    return QString::fromUtf8(out);
}
