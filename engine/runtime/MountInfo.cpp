// SPDX-License-Identifier: GPL-3.0-or-later
#include "MountInfo.h"

#include <QFile>
#include <QList>

#include <algorithm>

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

QStringList MountInfo::mountsUnder(const QString &dir)
{
    QStringList found;
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return found;
    const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
    // /proc files report size 0, so read until EOF rather than by size.
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < 5)
            continue;
        const QString mountPoint = unescapeField(fields.at(4));
        if (mountPoint == dir || mountPoint.startsWith(prefix))
            found.append(mountPoint);
    }
    std::sort(found.begin(), found.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    return found;
}

// Overlayfs keeps the path it was given, so a string match on lowerdir= is exact.
int MountInfo::overlaysUsing(const QString &dir)
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    int users = 0;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype sep = line.indexOf(" - ");
        if (sep < 0)
            continue;
        const QList<QByteArray> tail = line.mid(sep + 3).split(' ');
        if (tail.size() < 3 || tail.at(0) != "overlay")
            continue;
        for (const QByteArray &option : tail.at(2).split(',')) {
            if (!option.startsWith("lowerdir="))
                continue;
            for (const QByteArray &layer : option.mid(9).split(':')) {
                if (unescapeField(layer) == dir)
                    ++users;
            }
        }
    }
    return users;
}
