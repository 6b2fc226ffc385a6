// SPDX-License-Identifier: GPL-3.0-or-later
// `ai2ind doctor` against a real engine: one ✓/✗ line per check in a fixed
// order, the exit code, and the sentence a failed check ends with. Facts of
// the host (kernel, disk, name resolution) differ between machines, so only
// their line's presence is checked.

#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

namespace {

// The checks' labels, in the order doctor prints them.
const QStringList kLabels{QStringLiteral("kernel:"),          QStringLiteral("cgroups:"),
                          QStringLiteral("overlayfs:"),       QStringLiteral("user namespaces:"),
                          QStringLiteral("runtime:"),         QStringLiteral("disk:"),
                          QStringLiteral("template base:"),   QStringLiteral("engine:"),
                          QStringLiteral("sandbox networks:"), QStringLiteral("preview names:")};

struct DoctorRun
{
    int exitCode = -1;
    QStringList lines;
    QString errors;

    QString lineOf(const QString &label) const
    {
        for (const QString &line : lines)
            if (line.mid(2).startsWith(label))
                return line;
        return {};
    }
    QString describe() const
    {
        return QStringLiteral("exit code %1; stdout:\n%2\nstderr:\n%3").arg(exitCode).arg(lines.join(QLatin1Char('\n')), errors);
    }
};

DoctorRun runDoctor(const QStringList &args)
{
    DoctorRun run;
    QProcess p;
    p.start(EngineProcess::enginePath(), QStringList{QStringLiteral("doctor")} + args);
    // Every check has its own bound (5 s for the runtime, 3 s for the
    // engine); a name lookup may take the resolver's timeout on top.
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        run.errors = QStringLiteral("doctor did not finish within 60 s");
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    run.errors = QString::fromUtf8(p.readAllStandardError());
    return run;
}

// Processes whose command line holds `needle` as one argument: a user
// namespace probe doctor forgot would still carry doctor's arguments.
QStringList processesWithArgument(const QString &needle)
{
    QStringList found;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList({QStringLiteral("[0-9]*")}, QDir::Dirs);
    for (const QString &pid : pids) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        if (cmdline.readAll().split('\0').contains(needle.toUtf8()))
            found << pid;
    }
    return found;
}

bool writeCredentials(const QString &dir, const QString &key, const QString &baseUrl)
{
    QFile f(dir + QStringLiteral("/credentials.json"));
    return f.open(QIODevice::WriteOnly) &&
           f.write(QJsonDocument(QJsonObject{{QStringLiteral("api_key"), key}, {QStringLiteral("base_url"), baseUrl}})
                       .toJson()) > 0;
}

} // namespace

class tst_doctor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void missingTemplate();
    void builtTemplate();
    void noCredentials();
    void rejectedKey();
    void noEngineAnswers();
    void missingRuntime();
    void help();

private:
    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_doctor::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
}

void tst_doctor::cleanupTestCase()
{
    m_api.reset();
    m_engine.reset();
}

void tst_doctor::missingTemplate()
{
    QTemporaryDir emptyTemplates;
    QVERIFY(emptyTemplates.isValid());
    const DoctorRun run = runDoctor({QStringLiteral("--data-dir"), m_engine->dataDir(), QStringLiteral("--templates"),
                                     emptyTemplates.path(), QStringLiteral("--runtime"), EngineProcess::runcPath()});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));

    // One line per check, in order, each marked.
    QVERIFY2(run.lines.size() == kLabels.size(), qPrintable(run.describe()));
    for (qsizetype i = 0; i < kLabels.size(); ++i) {
        const QString &line = run.lines.at(i);
        QVERIFY2(line.startsWith(QStringLiteral("✓ ")) || line.startsWith(QStringLiteral("✗ ")), qPrintable(line));
        QVERIFY2(line.mid(2).startsWith(kLabels.at(i)), qPrintable(run.describe()));
        // A failed check goes on, after a semicolon, with what to do.
        if (line.startsWith(QStringLiteral("✗ ")))
            QVERIFY2(line.contains(QStringLiteral("; ")), qPrintable(line));
    }

    const QString templateLine = run.lineOf(QStringLiteral("template base:"));
    QVERIFY2(templateLine.startsWith(QStringLiteral("✗ ")), qPrintable(templateLine));
    QVERIFY2(templateLine.contains(QStringLiteral("build")), qPrintable(templateLine));
    QVERIFY2(templateLine.contains(emptyTemplates.path()), qPrintable(templateLine));

    const QString engineLine = run.lineOf(QStringLiteral("engine:"));
    QVERIFY2(engineLine.startsWith(QStringLiteral("✓ ")), qPrintable(run.describe()));
    QVERIFY2(engineLine.contains(m_engine->baseUrl().toString()), qPrintable(engineLine));

    // The runtime the engine itself runs with.
    const QString runtimeLine = run.lineOf(QStringLiteral("runtime:"));
    QVERIFY2(runtimeLine.startsWith(QStringLiteral("✓ runtime: runc ")), qPrintable(runtimeLine));
    QVERIFY2(runtimeLine.contains(EngineProcess::runcPath()), qPrintable(runtimeLine));

    // The user namespace probe is gone with doctor.
    QCOMPARE(processesWithArgument(emptyTemplates.path()), QStringList());
}

void tst_doctor::builtTemplate()
{
    const DoctorRun run = runDoctor({QStringLiteral("--data-dir"), m_engine->dataDir(), QStringLiteral("--templates"),
                                     EngineProcess::templatesDir(), QStringLiteral("--runtime"),
                                     EngineProcess::runcPath()});
    QVERIFY2(run.lines.size() == kLabels.size(), qPrintable(run.describe()));
    const QString templateLine = run.lineOf(QStringLiteral("template base:"));
    QVERIFY2(templateLine.startsWith(QStringLiteral("✓ template base: built ")), qPrintable(templateLine));
    QVERIFY2(run.lineOf(QStringLiteral("engine:")).startsWith(QStringLiteral("✓ ")), qPrintable(run.describe()));
    // The exit code follows the lines: 0 exactly when nothing failed.
    const bool anyFailed = std::any_of(run.lines.cbegin(), run.lines.cend(),
                                       [](const QString &l) { return l.startsWith(QStringLiteral("✗ ")); });
    QCOMPARE(run.exitCode, anyFailed ? 1 : 0);
}

void tst_doctor::noCredentials()
{
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    const DoctorRun run = runDoctor({QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--templates"),
                                     EngineProcess::templatesDir(), QStringLiteral("--runtime"),
                                     EngineProcess::runcPath()});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    const QString line = run.lineOf(QStringLiteral("engine:"));
    QVERIFY2(line.startsWith(QStringLiteral("✗ engine: no credentials.json in %1").arg(dataDir.path())),
             qPrintable(run.describe()));
    QVERIFY2(line.contains(QStringLiteral("start it with sudo ai2ind serve --data-dir %1").arg(dataDir.path())),
             qPrintable(line));
}

void tst_doctor::rejectedKey()
{
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    QVERIFY(writeCredentials(dataDir.path(), QStringLiteral("ai2in_not_a_key_of_this_engine"),
                             m_engine->baseUrl().toString()));
    const DoctorRun run = runDoctor({QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--templates"),
                                     EngineProcess::templatesDir(), QStringLiteral("--runtime"),
                                     EngineProcess::runcPath()});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    const QString line = run.lineOf(QStringLiteral("engine:"));
    QVERIFY2(line.startsWith(QStringLiteral("✗ engine: the engine at %1 rejects the key").arg(m_engine->baseUrl().toString())),
             qPrintable(run.describe()));
}

void tst_doctor::noEngineAnswers()
{
    quint16 port = 0;
    {
        // A port nothing listens on once the probe lets it go.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    QTemporaryDir dataDir;
    QVERIFY(dataDir.isValid());
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    QVERIFY(writeCredentials(dataDir.path(), m_engine->apiKey(), url));
    const DoctorRun run = runDoctor({QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--templates"),
                                     EngineProcess::templatesDir(), QStringLiteral("--runtime"),
                                     EngineProcess::runcPath()});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    const QString line = run.lineOf(QStringLiteral("engine:"));
    QVERIFY2(line.startsWith(QStringLiteral("✗ engine: no engine answers at %1").arg(url)), qPrintable(run.describe()));
    QVERIFY2(line.contains(QStringLiteral("start it with")), qPrintable(line));
}

void tst_doctor::missingRuntime()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("runc"));
    const DoctorRun run = runDoctor({QStringLiteral("--data-dir"), m_engine->dataDir(), QStringLiteral("--templates"),
                                     EngineProcess::templatesDir(), QStringLiteral("--runtime"), missing});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    const QString line = run.lineOf(QStringLiteral("runtime:"));
    QVERIFY2(line.startsWith(QStringLiteral("✗ runtime: %1 not found").arg(missing)), qPrintable(run.describe()));
    QVERIFY2(line.contains(QStringLiteral("sudo apt-get install runc")), qPrintable(line));
}

void tst_doctor::help()
{
    const DoctorRun run = runDoctor({QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    const QString text = run.lines.join(QLatin1Char('\n'));
    for (const char *option : {"--data-dir", "--templates", "--runtime", "--template"})
        QVERIFY2(text.contains(QLatin1String(option)), qPrintable(text));

    const DoctorRun stray = runDoctor({QStringLiteral("now")});
    QCOMPARE(stray.exitCode, 1);
    QVERIFY2(stray.errors.contains(QStringLiteral("doctor --help")), qPrintable(stray.describe()));
}

QTEST_GUILESS_MAIN(tst_doctor)
#include "tst_doctor.moc"
