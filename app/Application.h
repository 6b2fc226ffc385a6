// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConnectionProfile.h"
#include "DesktopSettings.h"

#include <QObject>
#include <QSettings>

class KeyStore;
class LocalEngineLauncher;
class MainWindow;

// The app around the window: settings, connection profiles (the last one is
// remembered), keys, and starting a local engine when none answers.
class Application : public QObject
{
    Q_OBJECT
public:
    explicit Application(MainWindow *window, QObject *parent = nullptr);

    // Connects to `profile` (or the last used one when empty).
    void start(const QString &profile = {});
    QString currentProfile() const { return m_current; }
    // The local engine this app started is still building its template.
    bool buildingTemplate() const;
    // The window as the user left it last time; saved again on quit.
    void restoreWindowLayout();

private:
    void switchTo(const QString &name);
    void connectLocal();
    void addRemote();
    void refreshProfiles();
    void maybeStartEngine();

    MainWindow *m_window;
    QSettings m_settings;
    KeyStore *m_keys;
    LocalEngineLauncher *m_launcher;
    QList<ConnectionProfile> m_profiles;
    QString m_current;
    bool m_launchTried = false;
    // Why the Local profile has no key ("" when it has one).
    QString m_localKeyProblem;
    QString m_localKeySource; // where the Local profile's key came from
};
