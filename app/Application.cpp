// SPDX-License-Identifier: GPL-3.0-or-later
#include "Application.h"

#include "AppLogging.h"
#include "EngineClient.h"
#include "EngineSet.h"
#include "KeyStore.h"
#include "LocalCredentials.h"
#include "LocalEngineLauncher.h"
#include "MainWindow.h"
#include "ProfileDialog.h"
#include "SandboxPoller.h"

#include <QCoreApplication>

Application::Application(QObject *parent)
    : QObject(parent)
    , m_engines(new EngineSet(this))
    , m_window(std::make_unique<MainWindow>(m_engines))
    , m_keys(new KeyStore(this))
    , m_launcher(new LocalEngineLauncher(this))
{
    m_window->setSettings(DesktopSettings::load(m_settings));
    connect(m_window.get(), &MainWindow::settingsChanged, this, [this](const DesktopSettings &s) { s.save(m_settings); });
    connect(m_window.get(), &MainWindow::profileWatchRequested, this, &Application::setWatched);
    connect(m_window.get(), &MainWindow::addProfileRequested, this, &Application::addRemote);
    connect(m_engines, &EngineSet::connectionChanged, this,
            [this](const QString &name, SandboxPoller::Connection c, const QString &problem) {
        if (name != ConnectionProfile::localName())
            return;
        // The window has shown the poller's sentence; for the Local profile
        // say what to do about it.
        if (c == SandboxPoller::Connection::Unreachable) {
            maybeStartEngine();
            if (!m_launcher->isRunning()) {
                const QString why = LocalEngineLauncher::whyNotStartable(m_engines->client(name)->baseUrl());
                if (!why.isEmpty())
                    m_window->showEngineProgress(problem + QLatin1Char(' ') + why + QLatin1Char(' ') + tr("The app keeps trying."), true);
            }
        } else if (c == SandboxPoller::Connection::Unauthorized && !m_localKeyProblem.isEmpty()) {
            m_window->showEngineProgress(m_localKeyProblem, true);
        } else if (c == SandboxPoller::Connection::Unauthorized && !m_localKeySource.isEmpty()) {
            // Say which key was refused, and where to change it.
            m_window->showEngineProgress(
                tr("The local engine refused the API key the app read from %1. Put the right key there (`sudo ai2ind "
                   "keys create` makes one), or start the app with AI2IN_API_KEY set to it.")
                    .arg(m_localKeySource),
                true);
        }
    });
    connect(m_launcher, &LocalEngineLauncher::progress, this, [this](const QString &line) {
        const SandboxPoller *local = m_engines->poller(ConnectionProfile::localName());
        if (!local || local->connection() != SandboxPoller::Connection::Connected)
            m_window->showEngineProgress(line);
    });
    connect(m_launcher, &LocalEngineLauncher::failed, this, [this](const QString &sentence) {
        m_window->showEngineProgress(sentence, true);
    });
    connect(m_launcher, &LocalEngineLauncher::ready, this, [this] {
        if (m_watched.contains(ConnectionProfile::localName()))
            connectLocal();
    });
}

Application::~Application() = default;

void Application::restoreWindowLayout()
{
    m_window->restoreLayout(m_settings.value(QStringLiteral("window/layout")).toByteArray());
    connect(qApp, &QCoreApplication::aboutToQuit, this, [this] {
        m_settings.setValue(QStringLiteral("window/layout"), m_window->saveLayout());
    });
}

void Application::refreshProfiles()
{
    m_profiles = ConnectionProfile::loadAll(m_settings);
    QStringList names;
    for (const ConnectionProfile &p : m_profiles)
        names.append(p.name);
    m_window->setProfiles(names, m_watched);
}

void Application::start(const QString &profile)
{
    m_profiles = ConnectionProfile::loadAll(m_settings);
    auto known = [this](const QString &name) {
        return std::any_of(m_profiles.cbegin(), m_profiles.cend(), [&](const ConnectionProfile &p) { return p.name == name; });
    };
    QStringList wanted = profile.isEmpty() ? ConnectionProfile::watched(m_settings) : QStringList{profile};
    wanted.removeIf([&](const QString &name) { return !known(name); });
    wanted.removeDuplicates();
    if (wanted.isEmpty())
        wanted = {ConnectionProfile::localName()};
    m_watched = wanted;
    // --profile watches one engine for this run; the remembered set stays.
    if (profile.isEmpty())
        ConnectionProfile::setWatched(m_settings, m_watched);
    refreshProfiles();
    for (const QString &name : std::as_const(m_watched))
        watchProfile(name);
}

void Application::setWatched(const QString &name, bool watch)
{
    if (watch == m_watched.contains(name))
        return;
    if (watch) {
        m_watched.append(name);
        watchProfile(name);
    } else {
        m_watched.removeAll(name);
        m_engines->unwatch(name);
    }
    ConnectionProfile::setWatched(m_settings, m_watched);
    refreshProfiles();
}

void Application::showWatchProblem(const QString &problem)
{
    if (!problem.isEmpty())
        m_window->showEngineProgress(problem, true);
}

void Application::watchProfile(const QString &name)
{
    if (name == ConnectionProfile::localName()) {
        connectLocal();
        return;
    }
    const auto it = std::find_if(m_profiles.cbegin(), m_profiles.cend(), [&](const ConnectionProfile &p) { return p.name == name; });
    if (it == m_profiles.cend())
        return;
    const QUrl url = it->baseUrl;
    m_keys->read(name, [this, name, url](const QString &key, const QString &error) {
        if (!m_watched.contains(name))
            return;
        if (!error.isEmpty())
            m_window->showEngineProgress(error, true);
        showWatchProblem(m_engines->watch(name, url, key));
    });
}

void Application::connectLocal()
{
    const auto found = LocalCredentials::discover(LocalEngineLauncher::credentialsPath());
    m_localKeyProblem = found ? QString() : found.error().message;
    m_localKeySource = found ? found->source : QString();
    if (found) {
        qCInfo(lcApp) << "local engine at" << found->baseUrl << "key from" << found->source;
        showWatchProblem(m_engines->watch(ConnectionProfile::localName(), found->baseUrl, found->apiKey));
        return;
    }
    // No key: the engine may still be there (its health needs none); polling
    // tells whether it answers, and the launcher may start one.
    showWatchProblem(m_engines->watch(ConnectionProfile::localName(), LocalCredentials::defaultBaseUrl(), {}));
    m_window->showEngineProgress(found.error().message, true);
    maybeStartEngine();
}

void Application::maybeStartEngine()
{
    if (m_launchTried || m_launcher->isRunning())
        return;
    // The engine of the Local profile, at the address the profile uses
    // (AI2IN_BASE_URL or the default), and only when nothing answers there.
    const EngineSet::Engine *local = m_engines->engine(ConnectionProfile::localName());
    if (!local)
        return;
    const QUrl url = local->client->baseUrl();
    const QString why = LocalEngineLauncher::whyNotStartable(url);
    if (!why.isEmpty()) {
        qCInfo(lcApp) << "not starting an engine:" << why;
        return;
    }
    if (local->poller->connection() != SandboxPoller::Connection::Unreachable)
        return;
    m_launchTried = true;
    m_launcher->start(url);
}

void Application::addRemote()
{
    QStringList taken;
    for (const ConnectionProfile &p : m_profiles)
        taken.append(p.name);
    auto *dialog = new ProfileDialog(taken, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ConnectionProfile p{dialog->name(), true, dialog->baseUrl()};
        ConnectionProfile::saveRemote(m_settings, p);
        m_keys->write(p.name, dialog->apiKey(), [this, name = p.name](const QString &error) {
            if (!error.isEmpty())
                m_window->showEngineProgress(error, true);
            // A new connection is watched beside the others.
            m_profiles = ConnectionProfile::loadAll(m_settings);
            setWatched(name, true);
        });
    });
    dialog->open();
}

bool Application::buildingTemplate() const
{
    return m_launcher->isBuildingTemplate();
}
