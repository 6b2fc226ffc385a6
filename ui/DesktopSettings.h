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

    bool operator==(const DesktopSettings &) const = default;

    static DesktopSettings load(const QSettings &s);
    void save(QSettings &s) const;
};
