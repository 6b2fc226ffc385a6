// SPDX-License-Identifier: GPL-3.0-or-later
#include "Icons.h"

#include "ThemedIconEngine.h"
#include "UiLogging.h"

#include <QFile>
#include <QHash>

namespace {

QString resourceOf(Icons::Name name)
{
    using N = Icons::Name;
    const char *file = "";
    switch (name) {
    case N::NewSandbox: file = "new-sandbox"; break;
    case N::Pause: file = "pause"; break;
    case N::Resume: file = "resume"; break;
    case N::Kill: file = "kill"; break;
    case N::SetTimeout: file = "set-timeout"; break;
    case N::CopyId: file = "copy-id"; break;
    case N::CopySnippet: file = "copy-snippet"; break;
    case N::ExportReport: file = "export-report"; break;
    case N::Refresh: file = "refresh"; break;
    case N::Settings: file = "settings"; break;
    case N::CommandPalette: file = "command-palette"; break;
    case N::KeyboardShortcuts: file = "keyboard"; break;
    case N::Tray: file = "tray"; break;
    }
    return QStringLiteral(":/ai2in/ui-icons/%1.svg").arg(QLatin1String(file));
}

} // namespace

namespace Icons {

QIcon get(Name name)
{
    // Made once: every action shares one engine and its cached pixmaps.
    static QHash<int, QIcon> made;
    auto it = made.constFind(int(name));
    if (it != made.constEnd())
        return *it;
    QFile file(resourceOf(name));
    if (!file.open(QIODevice::ReadOnly))
        qCWarning(lcUi) << "icon missing from the resources:" << file.fileName();
    const QIcon icon(new ThemedIconEngine(file.readAll()));
    made.insert(int(name), icon);
    return icon;
}

QList<Name> all()
{
    QList<Name> out;
    for (int n = int(Name::NewSandbox); n <= int(Name::Tray); ++n)
        out.append(Name(n));
    return out;
}

} // namespace Icons
