// SPDX-License-Identifier: GPL-3.0-or-later
#include "LocalEngineLauncher.h"

#include "AppLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QStandardPaths>

LocalEngineLauncher::LocalEngineLauncher(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyRead, this, &LocalEngineLauncher::readOutput);
    connect(&m_process, &QProcess::finished, this, &LocalEngineLauncher::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            Q_EMIT failed(tr("Could not start %1: %2.").arg(m_engine, m_process.errorString()));
    });
    m_readyCheck.setInterval(300);
    connect(&m_readyCheck, &QTimer::timeout, this, [this] {
        if (QFileInfo(credentialsPath()).isReadable()) {
            m_readyCheck.stop();
            Q_EMIT ready();
        }
    });
}

LocalEngineLauncher::~LocalEngineLauncher()
{
    // An engine the app started stops with the app, cleanly: it keeps its
    // sandboxes across restarts. This runs after the event loop has ended, so
    // the short wait blocks nothing (QProcess would otherwise SIGKILL it).
    if (m_process.state() != QProcess::NotRunning) {
        m_process.disconnect(this);
        m_process.terminate();
        if (!m_process.waitForFinished(15000))
            m_process.kill();
    }
}

QString LocalEngineLauncher::dataDir()
{
    // The same variables as ./dev.sh, for an engine kept somewhere else.
    const QString dir = qEnvironmentVariable("AI2IN_DATA_DIR");
    return dir.isEmpty() ? QStringLiteral("/var/lib/ai2in") : dir;
}

QString LocalEngineLauncher::templatesDir()
{
    const QString dir = qEnvironmentVariable("AI2IN_TEMPLATES");
    return dir.isEmpty() ? QStringLiteral("/var/lib/ai2in/templates") : dir;
}

QString LocalEngineLauncher::credentialsPath()
{
    return dataDir() + QStringLiteral("/credentials.json");
}

QString LocalEngineLauncher::findEngine()
{
    const QString here = QCoreApplication::applicationDirPath();
    for (const QString &candidate : {here + QStringLiteral("/ai2ind"), here + QStringLiteral("/../engine/ai2ind")}) {
        if (QFileInfo(candidate).isExecutable())
            return QDir::cleanPath(candidate);
    }
    return QStandardPaths::findExecutable(QStringLiteral("ai2ind"));
}

QString LocalEngineLauncher::listenFor(const QUrl &baseUrl)
{
    const QString host = baseUrl.host() == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : baseUrl.host();
    return QStringLiteral("%1:%2").arg(host).arg(baseUrl.port(7300));
}

QString LocalEngineLauncher::whyNotStartable(const QUrl &baseUrl)
{
#ifndef Q_OS_LINUX
    Q_UNUSED(baseUrl);
    return tr("Engines run on Linux only; connect to one through a Remote connection.");
#else
    const QHostAddress host(baseUrl.host() == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : baseUrl.host());
    if (baseUrl.scheme() != QLatin1String("http") || !host.isLoopback())
        return tr("The Local connection points at %1, which is not an address of this computer, so the app does not "
                  "start an engine for it.")
            .arg(baseUrl.toString());
    if (findEngine().isEmpty())
        return tr("The app cannot start one: ai2ind is neither beside it nor in PATH.");
    // The engine needs root (containers, mounts); a data dir the user can
    // write is the portable sign of that.
    const QFileInfo dir(dataDir());
    const bool writable = dir.exists() ? dir.isWritable() : QFileInfo(QFileInfo(dataDir()).absolutePath()).isWritable();
    if (!writable)
        return tr("Starting an engine needs root: run `sudo ai2ind serve` or `./dev.sh run`.");
    return {};
#endif
}

void LocalEngineLauncher::start(const QUrl &baseUrl)
{
    if (isRunning())
        return;
    m_engine = findEngine();
    m_listen = listenFor(baseUrl);
    if (QFileInfo::exists(templatesDir() + QStringLiteral("/base/template.json"))) {
        startServe();
        return;
    }
    m_step = Step::BuildingTemplate;
    Q_EMIT progress(tr("Building the 'base' template (the first start takes a few minutes)…"));
    m_process.start(m_engine, {QStringLiteral("template"), QStringLiteral("build"), QStringLiteral("base"),
                               QStringLiteral("--templates"), templatesDir()});
}

void LocalEngineLauncher::startServe()
{
    m_step = Step::Serving;
    Q_EMIT progress(tr("No engine answered, so the app is starting one on this computer at %1 (%2)…").arg(m_listen, m_engine));
    m_process.start(m_engine, {QStringLiteral("serve"), QStringLiteral("--data-dir"), dataDir(),
                               QStringLiteral("--templates"), templatesDir(), QStringLiteral("--listen"), m_listen});
    m_readyCheck.start();
}

void LocalEngineLauncher::readOutput()
{
    while (m_process.canReadLine()) {
        const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        m_lastLine = line;
        qCDebug(lcApp) << "engine:" << line;
        Q_EMIT progress(m_step == Step::BuildingTemplate ? tr("Building the 'base' template: %1").arg(line)
                                                         : tr("Engine: %1").arg(line));
    }
}

void LocalEngineLauncher::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_step == Step::BuildingTemplate && status == QProcess::NormalExit && exitCode == 0) {
        startServe();
        return;
    }
    m_readyCheck.stop();
    const QString what = m_step == Step::BuildingTemplate ? tr("Building the template failed") : tr("The engine stopped");
    m_step = Step::Idle;
    Q_EMIT failed(m_lastLine.isEmpty() ? tr("%1 (exit code %2).").arg(what).arg(exitCode)
                                       : tr("%1: %2").arg(what, m_lastLine));
}
