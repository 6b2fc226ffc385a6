// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectionProfile.h"

#include <QSettings>

QList<ConnectionProfile> ConnectionProfile::loadAll(QSettings &s)
{
    QList<ConnectionProfile> out{{localName(), false, {}}};
    const int n = s.beginReadArray(QStringLiteral("remotes"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.name = s.value(QStringLiteral("name")).toString();
        p.remote = true;
        p.baseUrl = s.value(QStringLiteral("url")).toUrl();
        if (!p.name.isEmpty() && p.name != localName() && p.baseUrl.isValid())
            out.append(p);
    }
    s.endArray();
    return out;
}

void ConnectionProfile::saveRemote(QSettings &s, const ConnectionProfile &p)
{
    QList<ConnectionProfile> all = loadAll(s);
    all.removeIf([&](const ConnectionProfile &o) { return !o.remote || o.name == p.name; });
    all.append(p);
    s.beginWriteArray(QStringLiteral("remotes"), int(all.size()));
    for (int i = 0; i < all.size(); ++i) {
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), all.at(i).name);
        s.setValue(QStringLiteral("url"), all.at(i).baseUrl);
    }
    s.endArray();
}

QStringList ConnectionProfile::watched(QSettings &s)
{
    // Before several engines at once, the app remembered the one it used last.
    if (!s.contains(QStringLiteral("connection/watched")))
        return {s.value(QStringLiteral("connection/last"), localName()).toString()};
    return s.value(QStringLiteral("connection/watched")).toStringList();
}

void ConnectionProfile::setWatched(QSettings &s, const QStringList &names)
{
    s.setValue(QStringLiteral("connection/watched"), names);
}
