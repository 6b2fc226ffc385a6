// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

// The real ai2ind, started for one test program on free loopback ports with a
// private data dir. The data dir survives killHard()/restart() so restart
// tests can check what the engine recovers; the destructor removes the
// containers and mounts a failed test may have left, then the directory.
class EngineProcess
{
public:
    explicit EngineProcess(const QStringList &extraArgs = {});
    ~EngineProcess();
    EngineProcess(const EngineProcess &) = delete;
    EngineProcess &operator=(const EngineProcess &) = delete;

    // Starts and waits (≤ 30 s) for /v1/health and credentials.json. On
    // failure errorString() says why and the log tail has been printed.
    bool start();
    // SIGKILL: no chance to clean up, like a crash or an OOM kill.
    void killHard();
    // SIGTERM, then SIGKILL if it does not go within 15 s.
    void stop();
    // Starts again on the same data dir and ports.
    bool restart();
    bool isRunning() const;
    qint64 pid() const;
    // How the last run ended (after it stopped).
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }

    QString errorString() const { return m_error; }
    QUrl baseUrl() const;
    quint16 previewPort() const { return m_previewPort; }
    QString apiKey() const { return m_apiKey; }
    QString dataDir() const;
    QString runcRoot() const;
    QString logPath() const;
    QString logTail(int lines = 80) const;
    void printLogTail(int lines = 80) const;

    // `ai2ind keys create --team NAME`: the new key, or "" on failure.
    QString createKey(const QString &team);
    bool revokeKey(const QString &key);

    // Host-side facts for leak checks.
    QStringList runcContainers() const;
    // Stops the engine cleanly (its warm sandboxes go with it) and lists the
    // containers runc still has: those of sandboxes a test left running.
    QStringList containersLeftAfterStop();        // ids from `runc --root … list -q`
    QStringList mountsContaining(const QString &needle) const; // mount points from /proc/self/mountinfo

    static QString enginePath();
    // The engine's --network-name (its nftables table, its links' prefix).
    QString networkName() const;
    static QString runcPath();
    static QString templatesDir();
    static bool templateExists(const QString &name = QStringLiteral("base"));

private:
    bool waitUntilReady();
    void cleanupLeftovers();
    QStringList arguments() const;
    static quint16 freePort();
    static QByteArray runTool(const QString &program, const QStringList &args, int *exitCode = nullptr,
                              int timeoutMs = 30000);

    QTemporaryDir m_root;
    QProcess m_process;
    QStringList m_extraArgs;
    quint16 m_apiPort = 0;
    quint16 m_previewPort = 0;
    QString m_apiKey;
    QString m_error;
    int m_networkSlot = 0; // names its network and picks its /24 of 100.73/16
};
