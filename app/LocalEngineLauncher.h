// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcess>
#include <QTimer>
#include <QUrl>

// Starts ai2ind on this machine when the Local profile finds no engine and
// the user may run one: builds the `base` template first if it is missing,
// then serves (AI2IN_DATA_DIR and AI2IN_TEMPLATES, as ./dev.sh reads them,
// move it from /var/lib/ai2in); every line the engine prints reaches the window as progress.
class LocalEngineLauncher : public QObject
{
    Q_OBJECT
public:
    explicit LocalEngineLauncher(QObject *parent = nullptr);
    ~LocalEngineLauncher() override;

    static QString dataDir();
    static QString templatesDir();
    // Where the engine in dataDir() writes its key.
    static QString credentialsPath();
    // The engine binary beside the app (a build tree or an install), or in PATH.
    static QString findEngine();
    // "" when the app may start an engine that serves at `baseUrl` (the
    // Local profile's address), else why not, as a sentence: only an
    // address of this computer can be served from here.
    static QString whyNotStartable(const QUrl &baseUrl);
    // The --listen value for `baseUrl` ("127.0.0.1:7300" for the default).
    static QString listenFor(const QUrl &baseUrl);

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // The first start's template build is under way (minutes, not seconds).
    bool isBuildingTemplate() const { return isRunning() && m_step == Step::BuildingTemplate; }
    // Starts an engine that serves at `baseUrl`, and nowhere else.
    void start(const QUrl &baseUrl);

Q_SIGNALS:
    void progress(const QString &line);
    // The engine serves and has written its credentials file.
    void ready();
    void failed(const QString &sentence);

private:
    void startServe();
    void readOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess m_process;
    QTimer m_readyCheck;
    enum class Step { Idle, BuildingTemplate, Serving } m_step = Step::Idle;
    QString m_engine;
    QString m_listen;
    QString m_lastLine;
};
