// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>

// The app's own icons (ui/icons/*.svg): one 24×24 stroke drawing per
// action, drawn by ThemedIconEngine in the palette's text colour at the
// screen's pixel density, and the tray's mark.
namespace Icons {

enum class Name {
    NewSandbox,
    Pause,
    Resume,
    Kill,
    SetTimeout,
    CopyId,
    CopySnippet,
    ExportReport,
    Refresh,
    Settings,
    CommandPalette,
    KeyboardShortcuts,
    Tray,
};

// The same QIcon for a name each time (its cacheKey() tells it apart).
QIcon get(Name name);
// Every name, in the order above.
QList<Name> all();

} // namespace Icons
