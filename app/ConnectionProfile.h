// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QStringList>
#include <QString>
#include <QUrl>

class QSettings;

// A way to reach an engine. "Local" always exists: the engine on this machine,
// found through AI2IN_BASE_URL/AI2IN_API_KEY or its credentials file. Remote
// profiles have a URL; their key lives in the KeyStore, never in settings.
struct ConnectionProfile
{
    QString name;
    bool remote = false;
    QUrl baseUrl;

    static QString localName() { return QStringLiteral("Local"); }

    static QList<ConnectionProfile> loadAll(QSettings &s);
    static void saveRemote(QSettings &s, const ConnectionProfile &p);
    // The profiles the app watches at once (at first: the Local one).
    static QStringList watched(QSettings &s);
    static void setWatched(QSettings &s, const QStringList &names);
};
