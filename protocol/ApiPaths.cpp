// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiPaths.h"

#include <QUrl>

namespace {

QString segment(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// A sandbox path as a query value: its slashes stay readable.
QString pathQuery(const QString &path)
{
    return QStringLiteral("?path=") + QString::fromLatin1(QUrl::toPercentEncoding(path, "/"));
}

} // namespace

namespace ApiPaths {

QString healthPath()
{
    return QStringLiteral("/v1/health");
}

QString templatesPath()
{
    return QStringLiteral("/v1/templates");
}

QString sandboxesPath()
{
    return QStringLiteral("/v1/sandboxes");
}

QString sandboxPath(const QString &id, const QString &tail)
{
    return sandboxesPath() + QLatin1Char('/') + segment(id) + tail;
}

QString metricsPath(const QString &id)
{
    return sandboxPath(id, QStringLiteral("/metrics"));
}

QString metricsHistoryPath(const QString &id, qint64 sinceMs)
{
    return metricsPath(id) + QStringLiteral("?since=%1").arg(sinceMs);
}

QString activityPath(const QString &id, qint64 after, int limit)
{
    return sandboxPath(id, QStringLiteral("/activity?after=%1&limit=%2").arg(after).arg(limit));
}

QString commandsPath(const QString &id)
{
    return sandboxPath(id, QStringLiteral("/commands"));
}

QString commandKillPath(const QString &id, const QString &commandId)
{
    return commandsPath(id) + QLatin1Char('/') + segment(commandId) + QStringLiteral("/kill");
}

QString codePath(const QString &id, const QString &op)
{
    return sandboxPath(id, QStringLiteral("/code")) + (op.isEmpty() ? QString() : QLatin1Char('/') + segment(op));
}

QString filesPath(const QString &id, const QString &path, int depth)
{
    QString p = sandboxPath(id, QStringLiteral("/files")) + pathQuery(path);
    if (depth > 0)
        p += QStringLiteral("&depth=%1").arg(depth);
    return p;
}

QString fileContentPath(const QString &id, const QString &path)
{
    return sandboxPath(id, QStringLiteral("/files/content")) + pathQuery(path);
}

QString fileStatPath(const QString &id, const QString &path)
{
    return sandboxPath(id, QStringLiteral("/files/stat")) + pathQuery(path);
}

QString fileExistsPath(const QString &id, const QString &path)
{
    return sandboxPath(id, QStringLiteral("/files/exists")) + pathQuery(path);
}

QString mkdirPath(const QString &id)
{
    return sandboxPath(id, QStringLiteral("/files/mkdir"));
}

QString renamePath(const QString &id)
{
    return sandboxPath(id, QStringLiteral("/files/rename"));
}

QString watchesPath(const QString &id)
{
    return sandboxPath(id, QStringLiteral("/watches"));
}

QString watchPath(const QString &id, const QString &watchId)
{
    return watchesPath(id) + QLatin1Char('/') + segment(watchId);
}

QString watchSocketPath(const QString &id, const QString &watchId)
{
    return watchPath(id, watchId) + QStringLiteral("/ws");
}

QString changesPath(const QString &id)
{
    return sandboxPath(id, QStringLiteral("/changes"));
}

QString changesDiffPath(const QString &id, const QString &path)
{
    return changesPath(id) + QStringLiteral("/diff") + pathQuery(path);
}

QString changesPatchPath(const QString &id)
{
    return changesPath(id) + QStringLiteral("/patch");
}

QString changesArchivePath(const QString &id, bool gzip)
{
    return changesPath(id) + (gzip ? QStringLiteral("/archive?format=tar.gz") : QStringLiteral("/archive"));
}

QString ptyPath(const QString &id, const QString &tail)
{
    return sandboxPath(id, QStringLiteral("/pty") + tail);
}

} // namespace ApiPaths
