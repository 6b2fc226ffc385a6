// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConnectionProfile.h"
#include "DesktopSettings.h"

#include <QObject>
#include <QSettings>

#include <memory>

class EngineSet;
class KeyStore;
class LocalEngineLauncher;
class MainWindow;

// The app's composition root and what surrounds the window: the engines it
// watches (an EngineSet: clients, the sandbox model, pollers), settings,
// connection profiles (those watched are remembered), keys, and starting a
// local engine when none answers.
class Application : public QObject
{
    Q_OBJECT
public:
    explicit Application(QObject *parent = nullptr);
    ~Application() override;

    MainWindow *window() const { return m_window.get(); }
    EngineSet *engines() const { return m_engines; }

    // Watches `profile` alone (or the profiles watched last time when empty).
    void start(const QString &profile = {});
    QStringList watchedProfiles() const { return m_watched; }
    // The local engine this app started is still building its template.
    bool buildingTemplate() const;
    // The window as the user left it last time; saved again on quit.
    void restoreWindowLayout();

private:
    void setWatched(const QString &name, bool watch);
    void watchProfile(const QString &name);
    void connectLocal();
    void addRemote();
    void refreshProfiles();
    void maybeStartEngine();
    void showWatchProblem(const QString &problem);

    QSettings m_settings;
    EngineSet *m_engines;
    std::unique_ptr<MainWindow> m_window;
    KeyStore *m_keys;
    LocalEngineLauncher *m_launcher;
    QList<ConnectionProfile> m_profiles;
    QStringList m_watched;
    bool m_launchTried = false;
    // Why the Local profile has no key ("" when it has one).
    QString m_localKeyProblem;
    QString m_localKeySource; // where the Local profile's key came from
};
