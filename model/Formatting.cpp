// SPDX-License-Identifier: GPL-3.0-or-later
#include "Formatting.h"

#include <QLocale>

namespace Formatting {

QString duration(qint64 s)
{
    if (s < 0)
        s = 0;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QString elapsed(qint64 ms, int decimals)
{
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(qMax<qint64>(0, ms));
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', decimals);
    return duration(ms / 1000);
}

QString coarseDuration(qint64 s)
{
    if (s < 0)
        s = 0;
    if (s < 60)
        return QStringLiteral("< 1 min");
    if (s < 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    return duration(s);
}

QString startTime(const QDateTime &t, const QDateTime &now)
{
    if (!t.isValid())
        return {};
    if (t.date() == now.date())
        return t.toString(QStringLiteral("HH:mm:ss"));
    if (t.date().year() == now.date().year())
        return QLocale::c().toString(t, QStringLiteral("d MMM HH:mm"));
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString bytes(qint64 n)
{
    if (n < 1024)
        return QStringLiteral("%1 B").arg(n);
    const double kib = double(n) / 1024.0;
    if (kib < 1024)
        return QStringLiteral("%1 KiB").arg(kib, 0, 'f', 1);
    const double mib = kib / 1024.0;
    if (mib < 1024)
        return QStringLiteral("%1 MiB").arg(mib, 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(mib / 1024.0, 0, 'f', 2);
}

QString percent(double p)
{
    return QStringLiteral("%1 %").arg(p, 0, 'f', 1);
}

QStringList metadataTags(const StringMap &metadata)
{
    QStringList tags;
    tags.reserve(metadata.size());
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        tags.append(it.key() + QLatin1Char('=') + it.value());
    return tags;
}

QString ports(const QList<SandboxPort> &list)
{
    QStringList parts;
    parts.reserve(list.size());
    for (const SandboxPort &p : list)
        parts.append(QString::number(p.port));
    return parts.join(QStringLiteral(", "));
}

QString pythonSnippet(const QStringList &ids)
{
    QString s = QStringLiteral("from ai2in import Sandbox\n\n");
    if (ids.size() == 1) {
        s += QStringLiteral("sandbox = Sandbox.connect(\"%1\")\n").arg(ids.first());
        return s;
    }
    s += QStringLiteral("sandboxes = [\n");
    for (const QString &id : ids)
        s += QStringLiteral("    Sandbox.connect(\"%1\"),\n").arg(id);
    s += QStringLiteral("]\n");
    return s;
}

QString shortCommand(const QString &cmd)
{
    constexpr int kMax = 60;
    const QString line = cmd.simplified();
    return line.size() > kMax ? line.left(kMax - 1) + QChar(0x2026) : line;
}

} // namespace Formatting
