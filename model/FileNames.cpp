// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileNames.h"

#include "ApiPaths.h"

#include <QStringList>

namespace FileNames {

QString freeName(const QString &name, const QSet<QString> &taken)
{
    if (!taken.contains(name))
        return name;
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const bool hasExtension = dot > 0;
    const QString stem = hasExtension ? name.left(dot) : name;
    const QString extension = hasExtension ? name.mid(dot) : QString();
    for (int n = 1;; ++n) {
        const QString candidate = QStringLiteral("%1 (%2)%3").arg(stem).arg(n).arg(extension);
        if (!taken.contains(candidate))
            return candidate;
    }
}

QString join(const QString &dir, const QString &name)
{
    if (dir.endsWith(QLatin1Char('/')))
        return dir + name;
    return dir + QLatin1Char('/') + name;
}

QString parentOf(const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    if (slash <= 0)
        return QStringLiteral("/");
    return path.left(slash);
}

QString baseName(const QString &path)
{
    if (path == QLatin1String("/"))
        return path;
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}

QString normalized(const QString &path)
{
    const QString trimmed = path.trimmed();
    if (trimmed.isEmpty())
        return {};
    QStringList parts;
    const QStringList segments = trimmed.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &s : segments) {
        if (s != QLatin1String("."))
            parts.append(s);
    }
    // A relative path is relative to the sandbox user's home, as in the API.
    const QString prefix = trimmed.startsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/home/sandbox");
    if (parts.isEmpty())
        return prefix.isEmpty() ? QStringLiteral("/") : prefix;
    return prefix + QLatin1Char('/') + parts.join(QLatin1Char('/'));
}

bool isHidden(const QString &name)
{
    return name.startsWith(QLatin1Char('.'));
}

bool isValidName(const QString &name)
{
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..")
        && !name.contains(QLatin1Char('/')) && !name.contains(QChar(0));
}

} // namespace FileNames
