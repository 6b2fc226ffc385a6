// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineProcess.h"

#include "ApiClient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sys/mount.h>

#ifndef AI2IN_ENGINE_PATH
#error "AI2IN_ENGINE_PATH must name the ai2ind binary under test"
#endif
#ifndef AI2IN_RUNC
#define AI2IN_RUNC "/usr/sbin/runc"
#endif

namespace {
// Waits while still delivering QProcess and network events.
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// /proc/self/mountinfo escapes blanks in paths as octal (\040).
QString unescapeMountPath(const QByteArray &raw)
{
    QByteArray out;
    for (int i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 3 < raw.size()) {
            out += char(raw.mid(i + 1, 3).toInt(nullptr, 8));
            i += 3;
        } else {
            out += raw[i];
        }
    }
    return QString::fromUtf8(out);
}
} // namespace

EngineProcess::EngineProcess(const QStringList &extraArgs)
    // Short on purpose: agent sockets live under the data dir and a unix
    // socket path must fit in 108 bytes.
    : m_root(QStringLiteral("/tmp/ai2in-t-XXXXXX"))
    , m_extraArgs(extraArgs)
{
    // Engines of one suite get network names and pools of their own.
    static int engines = 0;
    m_networkSlot = int(QCoreApplication::applicationPid() % 64) * 4 + engines++;
    m_apiPort = freePort();
    m_previewPort = freePort();
    while (m_previewPort == m_apiPort)
        m_previewPort = freePort();
    QDir().mkpath(dataDir());
    // The sandboxes' unprivileged root user must pass through to the data dir.
    QFile::setPermissions(m_root.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup |
                                             QFile::ExeOther);
    m_process.setProgram(enginePath());
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

EngineProcess::~EngineProcess()
{
    stop();
    cleanupLeftovers();
}

QString EngineProcess::enginePath()
{
    return QStringLiteral(AI2IN_ENGINE_PATH);
}

QString EngineProcess::runcPath()
{
    return QStringLiteral(AI2IN_RUNC);
}

QString EngineProcess::templatesDir()
{
    const QString env = qEnvironmentVariable("AI2IN_TEMPLATES");
    return env.isEmpty() ? QStringLiteral("/var/lib/ai2in/templates") : env;
}

bool EngineProcess::templateExists(const QString &name)
{
    return QFileInfo(templatesDir() + QLatin1Char('/') + name).isDir();
}

QString EngineProcess::dataDir() const
{
    return m_root.path() + QStringLiteral("/d");
}

QString EngineProcess::runcRoot() const
{
    return dataDir() + QStringLiteral("/runc");
}

QString EngineProcess::logPath() const
{
    return m_root.path() + QStringLiteral("/engine.log");
}

QUrl EngineProcess::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_apiPort));
}

qint64 EngineProcess::pid() const
{
    return m_process.processId();
}

bool EngineProcess::isRunning() const
{
    return m_process.state() != QProcess::NotRunning;
}

quint16 EngineProcess::freePort()
{
    // The port is free when we let it go; another program could take it
    // before the engine binds it, which start() then reports plainly.
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QStringList EngineProcess::arguments() const
{
    QStringList args{QStringLiteral("serve"),
                     QStringLiteral("--data-dir"), dataDir(),
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_apiPort),
                     QStringLiteral("--preview-listen"), QStringLiteral("localhost:%1").arg(m_previewPort),
                     QStringLiteral("--templates"), templatesDir(),
                     QStringLiteral("--runtime"), runcPath(),
                     QStringLiteral("--node-id"), QStringLiteral("test-node"),
                     QStringLiteral("--network-name"), networkName(),
                     QStringLiteral("--network-pool"), QStringLiteral("100.73.%1.0/24").arg(m_networkSlot % 256)};
    return args + m_extraArgs;
}

bool EngineProcess::start()
{
    m_error.clear();
    if (!m_root.isValid()) {
        m_error = QStringLiteral("cannot make a temporary dir: ") + m_root.errorString();
        return false;
    }
    {
        // A marker, so a restart test's log shows which run said what.
        QFile log(logPath());
        if (log.open(QIODevice::Append))
            log.write("=== ai2ind " + arguments().join(QLatin1Char(' ')).toUtf8() + '\n');
    }
    m_process.setStandardOutputFile(logPath(), QIODevice::Append);
    m_process.setArguments(arguments());
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(enginePath(), m_process.errorString());
        return false;
    }
    if (!waitUntilReady()) {
        printLogTail();
        return false;
    }
    return true;
}

bool EngineProcess::waitUntilReady()
{
    ApiClient health(baseUrl(), QString());
    const QDeadlineTimer deadline(30000);
    bool healthy = false;
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning) {
            m_error = QStringLiteral("ai2ind exited with status %1 before it was ready").arg(m_process.exitCode());
            return false;
        }
        const ApiResponse r = health.request("GET", QStringLiteral("/v1/health"), {}, {}, {}, 2000);
        if (r.status == 200) {
            healthy = true;
            break;
        }
        spin(100);
    }
    if (!healthy) {
        m_error = QStringLiteral("ai2ind did not answer /v1/health on %1 within 30 s").arg(baseUrl().toString());
        return false;
    }
    QFile creds(dataDir() + QStringLiteral("/credentials.json"));
    if (!creds.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("ai2ind is healthy but %1 cannot be read: %2").arg(creds.fileName(), creds.errorString());
        return false;
    }
    const QJsonObject obj = QJsonDocument::fromJson(creds.readAll()).object();
    m_apiKey = obj.value(QStringLiteral("api_key")).toString();
    if (m_apiKey.isEmpty()) {
        m_error = QStringLiteral("%1 has no api_key").arg(creds.fileName());
        return false;
    }
    return true;
}

void EngineProcess::killHard()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(10000);
}

void EngineProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(15000))
        killHard();
}

bool EngineProcess::restart()
{
    if (isRunning())
        killHard();
    return start();
}

QString EngineProcess::logTail(int lines) const
{
    QFile log(logPath());
    if (!log.open(QIODevice::ReadOnly))
        return QStringLiteral("(no engine log at %1)").arg(logPath());
    const QList<QByteArray> all = log.readAll().split('\n');
    const qsizetype from = std::max<qsizetype>(0, all.size() - lines);
    QStringList tail;
    for (qsizetype i = from; i < all.size(); ++i)
        tail << QString::fromUtf8(all[i]);
    return tail.join(QLatin1Char('\n'));
}

void EngineProcess::printLogTail(int lines) const
{
    std::fprintf(stderr, "---- last lines of %s ----\n%s\n---- end of engine log ----\n",
                 qPrintable(logPath()), qPrintable(logTail(lines)));
}

QByteArray EngineProcess::runTool(const QString &program, const QStringList &args, int *exitCode, int timeoutMs)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        if (exitCode)
            *exitCode = -1;
        return {};
    }
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    const QByteArray err = p.readAllStandardError();
    if (p.exitCode() != 0 && !err.isEmpty())
        std::fprintf(stderr, "%s %s: %s\n", qPrintable(program), qPrintable(args.join(QLatin1Char(' '))),
                     err.constData());
    return p.readAllStandardOutput();
}

QString EngineProcess::createKey(const QString &team)
{
    int code = 0;
    const QByteArray out = runTool(enginePath(),
                                   {QStringLiteral("keys"), QStringLiteral("create"), QStringLiteral("--team"), team,
                                    QStringLiteral("--data-dir"), dataDir()},
                                   &code);
    return code == 0 ? QString::fromUtf8(out).trimmed() : QString();
}

bool EngineProcess::revokeKey(const QString &key)
{
    int code = 0;
    runTool(enginePath(),
            {QStringLiteral("keys"), QStringLiteral("revoke"), key, QStringLiteral("--data-dir"), dataDir()}, &code);
    return code == 0;
}

QStringList EngineProcess::containersLeftAfterStop()
{
    stop();
    return runcContainers();
}

QStringList EngineProcess::runcContainers() const
{
    if (!QFileInfo::exists(runcRoot()))
        return {};
    const QByteArray out = runTool(runcPath(), {QStringLiteral("--root"), runcRoot(), QStringLiteral("list"),
                                                QStringLiteral("-q")});
    QStringList ids;
    for (const QByteArray &line : out.split('\n'))
        if (!line.trimmed().isEmpty())
            ids << QString::fromUtf8(line.trimmed());
    return ids;
}

QStringList EngineProcess::mountsContaining(const QString &needle) const
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    QStringList points;
    if (!f.open(QIODevice::ReadOnly))
        return points;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < 5)
            continue;
        const QString point = unescapeMountPath(fields[4]);
        if (point.contains(needle))
            points << point;
    }
    return points;
}

void EngineProcess::cleanupLeftovers()
{
    // Only what a failing test left behind: a passing suite kills its own
    // sandboxes, and leaks are asserted on by the tests, not hidden here.
    for (const QString &id : runcContainers())
        runTool(runcPath(), {QStringLiteral("--root"), runcRoot(), QStringLiteral("delete"),
                             QStringLiteral("--force"), id});
    QStringList points = mountsContaining(m_root.path());
    // Deepest first, so a parent is not busy with a child mount.
    std::sort(points.begin(), points.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &point : points)
        ::umount2(point.toUtf8().constData(), MNT_DETACH);
    // The engine leaves its table for sandboxes that outlive it; a test's
    // table goes with the test.
    runTool(enginePath(), {QStringLiteral("network"), QStringLiteral("down"), QStringLiteral("--network-name"),
                           networkName()});
}

QString EngineProcess::networkName() const
{
    // Of this engine: other engines of the suite, other suites and other
    // engines on the host never share it (7 characters at most).
    return QStringLiteral("t%1%2")
        .arg(QCoreApplication::applicationPid() % 10000, 4, 10, QLatin1Char('0'))
        .arg(m_networkSlot % 100, 2, 10, QLatin1Char('0'));
}
