// SPDX-License-Identifier: GPL-3.0-or-later
// bench_engine: measures ai2ind against baselines taken in the same run on
// the same machine, and writes the table into docs/performance.md.
//
//  1. create → first command latency vs. a bare `runc run` of /bin/true
//  2. commands.run("true") round trip vs. a loopback HTTP round trip
//  3. engine + agent memory per idle sandbox at 100 running sandboxes
//
// Usage: bench_engine [--no-write] [--output FILE] [--sandboxes N]

#include "ApiClient.h"
#include "BenchReport.h"
#include "EngineProcess.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sys/mount.h>

using namespace BenchReport;

namespace {

constexpr int kCreateSamples = 50;
constexpr int kRunSamples = 200;
constexpr int kIdleSandboxes = 100;

// Resident set of a process in KiB, from /proc (0 when it is gone).
qint64 rssKib(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

// Every process below `root`, from the ppid field of /proc/*/stat.
QList<qint64> descendants(qint64 root)
{
    QHash<qint64, QList<qint64>> children;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : pids) {
        bool ok = false;
        const qint64 pid = name.toLongLong(&ok);
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        // The command name may hold blanks and parentheses; fields after
        // the last ')' are fixed: state, ppid, …
        const QList<QByteArray> rest = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        children[rest.value(1).toLongLong()] << pid;
    }
    QList<qint64> out;
    QList<qint64> todo{root};
    while (!todo.isEmpty()) {
        const qint64 p = todo.takeLast();
        for (qint64 c : children.value(p)) {
            out << c;
            todo << c;
        }
    }
    return out;
}

QByteArray runTool(const QString &program, const QStringList &args, int *code = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(program, args);
    p.waitForFinished(60000);
    if (code)
        *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput();
}

// The baseline of (1): the same runc starting /bin/true in a container whose
// rootfs is a read-only bind of the same template, with a fresh --root.
QList<double> measureRawRunc(int samples)
{
    QTemporaryDir tmp(QStringLiteral("/tmp/ai2in-b-XXXXXX"));
    if (!tmp.isValid())
        die(QStringLiteral("cannot make a temporary dir for the runc baseline"));
    const QString bundle = tmp.path() + QStringLiteral("/bundle");
    const QString rootfs = bundle + QStringLiteral("/rootfs");
    const QString stateRoot = tmp.path() + QStringLiteral("/runc");
    QDir().mkpath(rootfs);
    // A built template keeps its tree in rootfs/ beside template.json.
    QString templ = EngineProcess::templatesDir() + QStringLiteral("/base");
    if (QFileInfo(templ + QStringLiteral("/rootfs")).isDir())
        templ += QStringLiteral("/rootfs");
    if (::mount(templ.toUtf8().constData(), rootfs.toUtf8().constData(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        die(QStringLiteral("cannot bind %1 for the runc baseline: %2").arg(templ, QString::fromLocal8Bit(strerror(errno))));
    ::mount(nullptr, rootfs.toUtf8().constData(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr);

    int code = 0;
    runTool(EngineProcess::runcPath(), {QStringLiteral("spec"), QStringLiteral("--bundle"), bundle}, &code);
    QFile specFile(bundle + QStringLiteral("/config.json"));
    if (code != 0 || !specFile.open(QIODevice::ReadWrite))
        die(QStringLiteral("runc spec failed in %1").arg(bundle));
    QJsonObject spec = QJsonDocument::fromJson(specFile.readAll()).object();
    QJsonObject process = spec.value(QStringLiteral("process")).toObject();
    process.insert(QStringLiteral("args"), QJsonArray{QStringLiteral("/bin/true")});
    process.insert(QStringLiteral("terminal"), false);
    spec.insert(QStringLiteral("process"), process);
    spec.insert(QStringLiteral("root"), QJsonObject{{QStringLiteral("path"), QStringLiteral("rootfs")},
                                                    {QStringLiteral("readonly"), true}});
    specFile.resize(0);
    specFile.write(QJsonDocument(spec).toJson());
    specFile.close();

    QList<double> ms;
    for (int i = -2; i < samples; ++i) { // two warm-up runs, not counted
        QElapsedTimer t;
        t.start();
        runTool(EngineProcess::runcPath(), {QStringLiteral("--root"), stateRoot, QStringLiteral("run"),
                                            QStringLiteral("--bundle"), bundle, QStringLiteral("base-%1").arg(i + 2)},
                &code);
        if (code != 0)
            die(QStringLiteral("runc run of the baseline bundle failed (exit %1)").arg(code));
        if (i >= 0)
            ms << msSince(t);
    }
    ::umount2(rootfs.toUtf8().constData(), MNT_DETACH);
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool write = !args.contains(QStringLiteral("--no-write"));
    const qsizetype outAt = args.indexOf(QStringLiteral("--output"));
    const QString outPath = QDir::cleanPath(outAt > 0 ? args.value(outAt + 1) : QStringLiteral(AI2IN_PERFORMANCE_MD));

    if (!EngineProcess::templateExists())
        die(QStringLiteral("no base template in %1 (build it with ./dev.sh)").arg(EngineProcess::templatesDir()));

    std::fprintf(stderr, "baseline: %d × runc run /bin/true …\n", kCreateSamples);
    const QList<double> rawRunc = measureRawRunc(kCreateSamples);

    EngineProcess engine({QStringLiteral("--max-running"), QStringLiteral("200"),
                          // Nothing may be reaped while the bench builds up to 100.
                          QStringLiteral("--idle-timeout"), QStringLiteral("86400")});
    if (!engine.start())
        die(engine.errorString());
    ApiClient api(engine.baseUrl(), engine.apiKey());
    const qint64 engineRssBefore = rssKib(engine.pid());

    // (1) create → first command.
    std::fprintf(stderr, "engine: %d × create + run true …\n", kCreateSamples);
    QList<double> createMs;
    QStringList ids;
    for (int i = -1; i < kCreateSamples; ++i) { // one warm-up
        QElapsedTimer t;
        t.start();
        const ApiResponse c = api.createSandbox();
        if (c.status != 201)
            die(QStringLiteral("create failed: %1").arg(QString::fromUtf8(c.describe())));
        const QString id = c.json().value(QStringLiteral("sandbox_id")).toString();
        const ApiResponse r = api.run(id, QStringLiteral("true"));
        if (r.status != 200)
            die(QStringLiteral("first command failed: %1").arg(QString::fromUtf8(r.describe())));
        if (i >= 0)
            createMs << msSince(t);
        ids << id;
    }

    // (2) commands.run("true") vs. GET /v1/health, interleaved so both see
    // the same machine load.
    std::fprintf(stderr, "engine: %d × run true vs. health …\n", kRunSamples);
    ApiClient anonymous(engine.baseUrl(), QString());
    QList<double> runMs;
    QList<double> healthMs;
    for (int i = -5; i < kRunSamples; ++i) {
        QElapsedTimer t;
        t.start();
        const ApiResponse r = api.run(ids.first(), QStringLiteral("true"));
        const double run = msSince(t);
        if (r.status != 200)
            die(QStringLiteral("run failed: %1").arg(QString::fromUtf8(r.describe())));
        t.restart();
        const ApiResponse h = anonymous.get(QStringLiteral("/v1/health"));
        const double health = msSince(t);
        if (h.status != 200)
            die(QStringLiteral("health failed: %1").arg(QString::fromUtf8(h.describe())));
        if (i >= 0) {
            runMs << run;
            healthMs << health;
        }
    }

    // (3) memory at 100 idle running sandboxes.
    std::fprintf(stderr, "engine: up to %d idle sandboxes …\n", kIdleSandboxes);
    while (ids.size() < kIdleSandboxes) {
        const ApiResponse c = api.createSandbox();
        if (c.status != 201)
            die(QStringLiteral("create %1 failed: %2").arg(ids.size() + 1).arg(QString::fromUtf8(c.describe())));
        ids << c.json().value(QStringLiteral("sandbox_id")).toString();
    }
    const qint64 engineRssAfter = rssKib(engine.pid());
    // The agents (each container's init, from runc state) and whatever
    // helper processes the engine keeps per sandbox (its descendants).
    std::set<qint64> counted;
    qint64 helpersKib = 0;
    for (qint64 pid : descendants(engine.pid())) {
        if (counted.insert(pid).second)
            helpersKib += rssKib(pid);
    }
    qint64 agentsKib = 0;
    int agentsFound = 0;
    for (const QString &id : ids) {
        const QJsonObject state = QJsonDocument::fromJson(runTool(EngineProcess::runcPath(),
                                                                  {QStringLiteral("--root"), engine.runcRoot(),
                                                                   QStringLiteral("state"), id}))
                                      .object();
        const qint64 pid = state.value(QStringLiteral("pid")).toInteger();
        if (pid <= 0)
            continue;
        ++agentsFound;
        if (counted.insert(pid).second)
            agentsKib += rssKib(pid);
    }
    if (agentsFound != ids.size())
        std::fprintf(stderr, "warning: runc state found %d of %lld containers under %s\n", agentsFound,
                     qlonglong(ids.size()), qPrintable(engine.runcRoot()));
    const double perSandboxMib = double(engineRssAfter - engineRssBefore + helpersKib + agentsKib) / 1024.0 / ids.size();

    std::fprintf(stderr, "killing %lld sandboxes …\n", qlonglong(ids.size()));
    const int leftover = api.killAllSandboxes();
    if (leftover != 0)
        std::fprintf(stderr, "warning: %d sandboxes could not be killed\n", leftover);

    // The table.
    const double createP50 = percentile(createMs, 0.5);
    const double rawP50 = percentile(rawRunc, 0.5);
    const double runP50 = percentile(runMs, 0.5);
    const QList<Row> rows{
        {QStringLiteral("create → first command, p50 (ms)"), fmt(createP50), fmt(rawP50) + QStringLiteral(" (`runc run /bin/true`)"),
         QStringLiteral("ratio ≤ 1.5 (now %1)").arg(fmt(createP50 / rawP50, 2)), int(createP50 / rawP50 <= 1.5)},
        {QStringLiteral("create → first command, p99 (ms)"), fmt(percentile(createMs, 0.99)),
         fmt(percentile(rawRunc, 0.99)), QStringLiteral("—"), -1},
        {QStringLiteral("`commands.run(\"true\")`, p50 (ms)"), fmt(runP50, 2),
         fmt(percentile(healthMs, 0.5), 2) + QStringLiteral(" (`GET /v1/health`)"), QStringLiteral("≤ 5 ms"), int(runP50 <= 5.0)},
        {QStringLiteral("`commands.run(\"true\")`, p99 (ms)"), fmt(percentile(runMs, 0.99), 2),
         fmt(percentile(healthMs, 0.99), 2), QStringLiteral("—"), -1},
        {QStringLiteral("memory per idle sandbox at %1 (MiB)").arg(ids.size()), fmt(perSandboxMib, 2),
         QStringLiteral("engine Δ %1 MiB + helpers %2 MiB + agents %3 MiB")
             .arg(fmt((engineRssAfter - engineRssBefore) / 1024.0), fmt(helpersKib / 1024.0), fmt(agentsKib / 1024.0)),
         QStringLiteral("≤ 4 MiB"), int(perSandboxMib <= 4.0)},
    };
    const QString section =
        QStringLiteral("## Engine (`bench/bench_engine`)\n\n%1 Runtime `%2`.\n"
                       "Samples: %3 creates, %4 command round trips; latencies are wall-clock times\n"
                       "seen by an HTTP client on loopback.\n\n")
            .arg(machineLine(), EngineProcess::runcPath())
            .arg(kCreateSamples)
            .arg(kRunSamples)
        + markdownTable(rows) + QLatin1Char('\n');
    std::printf("%s", qPrintable(section));
    if (write) {
        QString error;
        if (!writeSection(outPath, QStringLiteral("bench_engine"), section, &error))
            die(error);
        std::fprintf(stderr, "written to %s\n", qPrintable(outPath));
    }
    return 0;
}
