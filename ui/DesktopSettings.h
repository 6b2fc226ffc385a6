// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QSettings;

// What the Settings dialog edits.
struct DesktopSettings
{
    int pollIntervalMs = 2000;
    bool confirmKill = true;
    QString theme = QStringLiteral("system"); // "system", "light" or "dark"
    // Notices (the tray's messages): a sandbox failed, the OOM killer ended
    // a process, a sandbox ends within this many minutes (0: no warning).
    bool notifyFailures = true;
    bool notifyOomKills = true;
    int notifyEndMinutes = 5;

    bool operator==(const DesktopSettings &) const = default;

    static DesktopSettings load(const QSettings &s);
    void save(QSettings &s) const;
};
