// SPDX-License-Identifier: GPL-3.0-or-later
#include "DesktopSettings.h"

#include <QSettings>

DesktopSettings DesktopSettings::load(const QSettings &s)
{
    DesktopSettings d;
    d.pollIntervalMs = qBound(500, s.value(QStringLiteral("ui/pollIntervalMs"), d.pollIntervalMs).toInt(), 60000);
    d.confirmKill = s.value(QStringLiteral("ui/confirmKill"), d.confirmKill).toBool();
    const QString theme = s.value(QStringLiteral("ui/theme"), d.theme).toString();
    if (theme == QLatin1String("light") || theme == QLatin1String("dark") || theme == QLatin1String("system"))
        d.theme = theme;
    d.notifyFailures = s.value(QStringLiteral("notify/failures"), d.notifyFailures).toBool();
    d.notifyOomKills = s.value(QStringLiteral("notify/oomKills"), d.notifyOomKills).toBool();
    d.notifyEndMinutes = qBound(0, s.value(QStringLiteral("notify/endMinutes"), d.notifyEndMinutes).toInt(), 120);
    return d;
}

void DesktopSettings::save(QSettings &s) const
{
    s.setValue(QStringLiteral("ui/pollIntervalMs"), pollIntervalMs);
    s.setValue(QStringLiteral("ui/confirmKill"), confirmKill);
    s.setValue(QStringLiteral("ui/theme"), theme);
    s.setValue(QStringLiteral("notify/failures"), notifyFailures);
    s.setValue(QStringLiteral("notify/oomKills"), notifyOomKills);
    s.setValue(QStringLiteral("notify/endMinutes"), notifyEndMinutes);
}
