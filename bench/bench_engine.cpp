// SPDX-License-Identifier: GPL-3.0-or-later
// bench_engine: measures ai2ind against baselines taken in the same run on
// the same machine, and writes the table into docs/performance.md.
//
//  1. create → first command, pool warm and pool off, vs. a bare `runc run`
//     of /bin/true; 50 creates at once vs. 50 `runc run` at once
//  2. commands.run round trip vs. a host spawn + wait of the same program
//  3. 32 MiB upload and download vs. a host copy of the same file
//  4. resume → first command of a paused sandbox vs. a cold create
//  5. engine + agent memory per idle sandbox at 100 running sandboxes
//
// Usage: bench_engine [--no-write] [--output FILE]

#include "ApiClient.h"
#include "BenchReport.h"
#include "BenchEngine.h"
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
#include <QNetworkReply>
#include <QProcess>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <memory>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <vector>

extern char **environ;

using namespace BenchReport;

namespace {

constexpr int kCreateSamples = 50;
constexpr int kRunSamples = 200;
constexpr int kIdleSandboxes = 100;
constexpr int kWarmPool = 2; // the engine's default
constexpr int kBurst = 50;
constexpr int kBurstRounds = 3;
constexpr int kTransfers = 5;
constexpr int kPauseSamples = 10;

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
class RawRunc
{
public:
    // `seccomp`: a profile to put in the spec, as the engine does; empty: none.
    explicit RawRunc(const QJsonObject &seccomp = {});
    ~RawRunc();
    // One `runc run` after another; milliseconds each.
    QList<double> sequential(int samples);
    // `n` of them started at once; milliseconds until the last has ended.
    double atOnce(int n);

private:
    QStringList runArgs(const QString &name) const;

    QTemporaryDir m_tmp{QStringLiteral("/tmp/ai2in-b-XXXXXX")};
    QString m_bundle;
    QString m_rootfs;
    QString m_stateRoot;
    int m_next = 0;
};

RawRunc::RawRunc(const QJsonObject &seccomp)
{
    if (!m_tmp.isValid())
        die(QStringLiteral("cannot make a temporary dir for the runc baseline"));
    m_bundle = m_tmp.path() + QStringLiteral("/bundle");
    m_rootfs = m_bundle + QStringLiteral("/rootfs");
    m_stateRoot = m_tmp.path() + QStringLiteral("/runc");
    const QString &bundle = m_bundle;
    const QString &rootfs = m_rootfs;
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
    if (!seccomp.isEmpty()) {
        QJsonObject linuxSection = spec.value(QStringLiteral("linux")).toObject();
        linuxSection.insert(QStringLiteral("seccomp"), seccomp);
        spec.insert(QStringLiteral("linux"), linuxSection);
    }
    specFile.resize(0);
    specFile.write(QJsonDocument(spec).toJson());
    specFile.close();
}

RawRunc::~RawRunc()
{
    ::umount2(m_rootfs.toUtf8().constData(), MNT_DETACH);
}

QStringList RawRunc::runArgs(const QString &name) const
{
    return {QStringLiteral("--root"), m_stateRoot, QStringLiteral("run"), QStringLiteral("--bundle"), m_bundle, name};
}

QList<double> RawRunc::sequential(int samples)
{
    QList<double> ms;
    int code = 0;
    for (int i = -2; i < samples; ++i) { // two warm-up runs, not counted
        QElapsedTimer t;
        t.start();
        runTool(EngineProcess::runcPath(), runArgs(QStringLiteral("base-%1").arg(m_next++)), &code);
        if (code != 0)
            die(QStringLiteral("runc run of the baseline bundle failed (exit %1)").arg(code));
        if (i >= 0)
            ms << msSince(t);
    }
    return ms;
}

double RawRunc::atOnce(int n)
{
    QList<QProcess *> all;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i) {
        auto *p = new QProcess;
        p->setProcessChannelMode(QProcess::ForwardedChannels);
        p->start(EngineProcess::runcPath(), runArgs(QStringLiteral("base-%1").arg(m_next++)));
        all << p;
    }
    for (QProcess *p : std::as_const(all)) {
        p->waitForFinished(120000);
        if (p->exitStatus() != QProcess::NormalExit || p->exitCode() != 0)
            die(QStringLiteral("one of %1 runc runs at once failed (exit %2)").arg(n).arg(p->exitCode()));
    }
    const double ms = msSince(t);
    qDeleteAll(all);
    return ms;
}

// A host spawn + wait of `argv`, as the agent starts a command: the
// baseline of (2).
double hostSpawnMs(const std::vector<const char *> &argv)
{
    std::vector<char *> args;
    for (const char *a : argv)
        args.push_back(const_cast<char *>(a));
    args.push_back(nullptr);
    QElapsedTimer t;
    t.start();
    pid_t pid = 0;
    if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0)
        die(QStringLiteral("cannot spawn %1").arg(QString::fromLatin1(argv[0])));
    int status = 0;
    ::waitpid(pid, &status, 0);
    return msSince(t);
}

// Waits until the engine has `want` warm sandboxes of base ready.
void waitForWarm(ApiClient &api, int want)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 60000) {
        const ApiResponse r = api.get(QStringLiteral("/v1/templates"));
        for (const QJsonValue &v : r.json().value(QStringLiteral("templates")).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(QStringLiteral("name")).toString() == QLatin1String("base") &&
                o.value(QStringLiteral("warm")).toInt() >= want)
                return;
        }
        QThread::msleep(10);
    }
    die(QStringLiteral("the engine's warm pool did not fill within 60 s"));
}

// Create → the first command's answer, in milliseconds; the sandbox's id in *id.
double createAndRun(ApiClient &api, QString *id)
{
    QElapsedTimer t;
    t.start();
    const ApiResponse c = api.createSandbox();
    if (c.status != 201)
        die(QStringLiteral("create failed: %1").arg(QString::fromUtf8(c.describe())));
    *id = c.json().value(QStringLiteral("sandbox_id")).toString();
    const ApiResponse r = api.run(*id, QStringLiteral("true"));
    if (r.status != 200)
        die(QStringLiteral("first command failed: %1").arg(QString::fromUtf8(r.describe())));
    return msSince(t);
}

// `n` creates sent at once, each on its own connection; milliseconds until
// the last is answered. The ids in *ids.
double createsAtOnce(const EngineProcess &engine, int n, QStringList *ids)
{
    std::vector<std::unique_ptr<ApiClient>> clients;
    QList<QNetworkReply *> replies;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i) {
        clients.push_back(std::make_unique<ApiClient>(engine.baseUrl(), engine.apiKey()));
        replies << clients.back()->send("POST", QStringLiteral("/v1/sandboxes"), "{}", "application/json");
    }
    for (QNetworkReply *reply : std::as_const(replies)) {
        const ApiResponse r = ApiClient::waitFor(reply);
        if (r.status != 201)
            die(QStringLiteral("one of %1 creates at once failed: %2").arg(n).arg(QString::fromUtf8(r.describe())));
        *ids << r.json().value(QStringLiteral("sandbox_id")).toString();
    }
    return msSince(t);
}

// One transfer by curl, the tool users reach for: its own time from start
// to the answer's last byte (`time_total`, without its process start), in
// milliseconds; dies unless the engine answered 200.
double curlMs(const EngineProcess &engine, const QStringList &transfer, const QString &path)
{
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               QStringList{QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"), QStringLiteral("-w"),
                           QStringLiteral("%{http_code} %{time_total}"), QStringLiteral("-H"),
                           QStringLiteral("Authorization: Bearer ") + engine.apiKey()}
                   + transfer + QStringList{engine.baseUrl().toString() + path});
    if (!curl.waitForFinished(120000) || curl.exitCode() != 0)
        die(QStringLiteral("curl failed: %1").arg(QString::fromLocal8Bit(curl.readAllStandardError())));
    const QList<QByteArray> out = curl.readAllStandardOutput().trimmed().split(' ');
    if (out.value(0) != "200")
        die(QStringLiteral("curl got %1 for %2").arg(QString::fromLatin1(out.value(0)), path));
    return out.value(1).toDouble() * 1000.0;
}

void killAll(ApiClient &api, const QString &what)
{
    const int leftover = api.killAllSandboxes();
    if (leftover != 0)
        std::fprintf(stderr, "warning: %d sandboxes of %s could not be killed\n", leftover, qPrintable(what));
}

Row goalRow(const QString &what, double figure, double baseline, const QString &baselineName, double maxRatio,
            int decimals = 1)
{
    const double ratio = figure / baseline;
    return {what, fmt(figure, decimals), fmt(baseline, decimals) + QStringLiteral(" (") + baselineName + QLatin1Char(')'),
            QStringLiteral("ratio ≤ %1 (now %2)").arg(fmt(maxRatio, 1), fmt(ratio, 2)), int(ratio <= maxRatio)};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Args args{app.arguments()};
    const QString outPath = QDir::cleanPath(args.outputPath(QStringLiteral(AI2IN_PERFORMANCE_MD)));

    if (!EngineProcess::templateExists())
        die(QStringLiteral("no base template in %1 (build it with ./dev.sh)").arg(EngineProcess::templatesDir()));

    RawRunc raw;
    std::fprintf(stderr, "baseline: %d × runc run /bin/true …\n", kCreateSamples);
    const QList<double> rawRunc = raw.sequential(kCreateSamples);
    // The same with the engine's seccomp profile, which runc compiles at
    // every start: what no sandbox can go without.
    QFile profileFile(QStringLiteral(AI2IN_SECCOMP_PROFILE));
    if (!profileFile.open(QIODevice::ReadOnly))
        die(QStringLiteral("cannot read %1").arg(profileFile.fileName()));
    RawRunc rawSeccomp(
        QJsonDocument::fromJson(profileFile.readAll()).object().value(QStringLiteral("seccomp")).toObject());
    const QList<double> rawRuncSeccomp = rawSeccomp.sequential(kCreateSamples);

    // The engine as users run it (its default warm pool of 2), with room for
    // 100 sandboxes in its network pool; and one without a pool.
    EngineProcess engine({QStringLiteral("--max-running"), QStringLiteral("200"),
                          // Nothing may be reaped while the bench builds up to 100.
                          QStringLiteral("--idle-timeout"), QStringLiteral("86400"),
                          QStringLiteral("--network-pool"), QStringLiteral("100.76.0.0/22")});
    EngineProcess coldEngine({QStringLiteral("--warm-pool"), QStringLiteral("0"), QStringLiteral("--idle-timeout"),
                              QStringLiteral("86400")});
    BenchEngine::start(engine);
    BenchEngine::start(coldEngine);
    ApiClient api(engine.baseUrl(), engine.apiKey());
    ApiClient coldApi(coldEngine.baseUrl(), coldEngine.apiKey());
    atDie([&] {
        killAll(api, "the engine");
        killAll(coldApi, "the engine without a pool");
    });
    waitForWarm(api, kWarmPool);
    const qint64 engineRssBefore = rssKib(engine.pid());

    // (1) create → first command, the two engines in turns so both see the
    // same machine; each warm sample starts with a full pool.
    std::fprintf(stderr, "engines: %d × create + run true, pool warm and pool off …\n", kCreateSamples);
    QList<double> warmMs, coldMs;
    for (int i = -1; i < kCreateSamples; ++i) { // one warm-up each
        QString id;
        waitForWarm(api, kWarmPool);
        const double warm = createAndRun(api, &id);
        api.del(QStringLiteral("/v1/sandboxes/") + id);
        const double cold = createAndRun(coldApi, &id);
        coldApi.del(QStringLiteral("/v1/sandboxes/") + id);
        if (i >= 0) {
            warmMs << warm;
            coldMs << cold;
        }
    }

    // 50 at once, in turns with 50 raw runc runs at once.
    std::fprintf(stderr, "engine: %d × %d creates at once vs. runc …\n", kBurstRounds, kBurst);
    QList<double> burstMs, rawBurstMs;
    for (int round = 0; round < kBurstRounds; ++round) {
        waitForWarm(api, kWarmPool);
        QStringList ids;
        burstMs << createsAtOnce(engine, kBurst, &ids);
        killAll(api, "the engine");
        rawBurstMs << raw.atOnce(kBurst);
    }

    // (2) commands.run vs. a host spawn + wait of the same program,
    // interleaved, on one sandbox.
    std::fprintf(stderr, "engine: %d × run vs. host spawn …\n", kRunSamples);
    QString id;
    createAndRun(api, &id);
    QList<double> runTrue, spawnTrue, runBash, spawnBash, healthMs;
    ApiClient anonymous(engine.baseUrl(), QString());
    for (int i = -5; i < kRunSamples; ++i) {
        QElapsedTimer t;
        t.start();
        const ApiResponse r = api.run(id, QStringLiteral("true"));
        const double run = msSince(t);
        const double spawn = hostSpawnMs({"/usr/bin/true"});
        t.restart();
        const ApiResponse rb = api.run(id, QStringLiteral("bash -c true"));
        const double bash = msSince(t);
        const double spawnB = hostSpawnMs({"/bin/bash", "-c", "true"});
        t.restart();
        const ApiResponse h = anonymous.get(QStringLiteral("/v1/health"));
        const double health = msSince(t);
        if (r.status != 200 || rb.status != 200 || h.status != 200)
            die(QStringLiteral("run failed: %1 %2").arg(QString::fromUtf8(r.describe()), QString::fromUtf8(rb.describe())));
        if (i >= 0) {
            runTrue << run;
            spawnTrue << spawn;
            runBash << bash;
            spawnBash << spawnB;
            healthMs << health;
        }
    }

    // (3) 32 MiB in and out vs. a host copy of the same file.
    std::fprintf(stderr, "engine: %d × 32 MiB up and down vs. host copy …\n", kTransfers);
    QTemporaryDir tmp(QStringLiteral("/tmp/ai2in-b-XXXXXX"));
    QByteArray bytes(32 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); i += 4096)
        bytes[i] = char(i / 4096 * 131 + 7);
    const QString source = tmp.path() + QStringLiteral("/source.bin");
    {
        QFile f(source);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            die(QStringLiteral("cannot write %1").arg(source));
    }
    const QString content = QStringLiteral("/v1/sandboxes/%1/files/content?path=big.bin").arg(id);
    QList<double> upMs, downMs, copyMs;
    for (int i = -1; i < kTransfers; ++i) {
        const double upT = curlMs(engine, {QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-T"), source},
                                  content);
        const QString back = tmp.path() + QStringLiteral("/back.bin");
        const double downT = curlMs(engine, {QStringLiteral("-o"), back}, content);
        QFile backFile(back);
        if (!backFile.open(QIODevice::ReadOnly) || backFile.readAll() != bytes)
            die(QStringLiteral("the 32 MiB that came back differ from what went up"));
        // A plain copy: read the file (in the page cache) and write another.
        QElapsedTimer t;
        t.start();
        {
            QFile in(source), out(tmp.path() + QStringLiteral("/copy-%1.bin").arg(i + 1));
            if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
                die(QStringLiteral("cannot copy %1").arg(source));
            while (!in.atEnd())
                out.write(in.read(1 << 20));
        }
        const double copyT = msSince(t);
        if (i >= 0) {
            upMs << upT;
            downMs << downT;
            copyMs << copyT;
        }
    }

    // (4) pause → resume → first command, files kept.
    std::fprintf(stderr, "engine: %d × pause, resume + first command …\n", kPauseSamples);
    QList<double> pauseMs, resumeMs;
    const QString sbx = QStringLiteral("/v1/sandboxes/") + id;
    for (int i = 0; i < kPauseSamples; ++i) {
        QElapsedTimer t;
        t.start();
        const ApiResponse p = api.post(sbx + QStringLiteral("/pause"), QJsonObject());
        pauseMs << msSince(t);
        t.restart();
        const ApiResponse r = api.post(sbx + QStringLiteral("/resume"), QJsonObject());
        const ApiResponse run = api.run(id, QStringLiteral("true"));
        resumeMs << msSince(t);
        if (p.status != 200 || r.status != 200 || run.status != 200)
            die(QStringLiteral("pause/resume failed: %1 %2").arg(QString::fromUtf8(p.describe()), QString::fromUtf8(r.describe())));
    }
    killAll(api, "the engine");
    killAll(coldApi, "the engine without a pool");

    // (5) memory at 100 idle running sandboxes.
    std::fprintf(stderr, "engine: up to %d idle sandboxes …\n", kIdleSandboxes);
    QStringList ids;
    while (ids.size() < kIdleSandboxes) {
        const ApiResponse c = api.createSandbox();
        if (c.status != 201)
            die(QStringLiteral("create %1 failed: %2").arg(ids.size() + 1).arg(QString::fromUtf8(c.describe())));
        ids << c.json().value(QStringLiteral("sandbox_id")).toString();
    }
    waitForWarm(api, kWarmPool);
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
    for (const QString &sid : std::as_const(ids)) {
        const QJsonObject state = QJsonDocument::fromJson(runTool(EngineProcess::runcPath(),
                                                                  {QStringLiteral("--root"), engine.runcRoot(),
                                                                   QStringLiteral("state"), sid}))
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
    const QString load = loadLine();
    std::fprintf(stderr, "killing %lld sandboxes …\n", qlonglong(ids.size()));
    killAll(api, "the engine");

    // The table.
    const double rawP50 = percentile(rawRunc, 0.5);
    const double warmP50 = percentile(warmMs, 0.5);
    const double coldP50 = percentile(coldMs, 0.5);
    const QString runcName = QStringLiteral("`runc run /bin/true`");
    Row warmRow = goalRow(QStringLiteral("create → first command, pool warm (the default), p50 (ms)"), warmP50, rawP50,
                          runcName, 0.5);
    warmRow.goal += QStringLiteral(", and ≤ 15 ms");
    warmRow.pass = int(warmRow.pass == 1 && warmP50 <= 15.0);
    const QList<Row> rows{
        warmRow,
        {QStringLiteral("create → first command, pool warm, p99 (ms)"), fmt(percentile(warmMs, 0.99)),
         fmt(percentile(rawRunc, 0.99)), QStringLiteral("—"), -1},
        goalRow(QStringLiteral("create → first command, pool off (`--warm-pool 0`), p50 (ms)"), coldP50, rawP50,
                runcName, 1.0),
        {QStringLiteral("create → first command, pool off, p99 (ms)"), fmt(percentile(coldMs, 0.99)),
         fmt(percentile(rawRunc, 0.99)), QStringLiteral("—"), -1},
        {QStringLiteral("`runc run /bin/true` with the engine's seccomp profile, p50 (ms)"),
         fmt(percentile(rawRuncSeccomp, 0.5)), fmt(rawP50) + QStringLiteral(" (without)"),
         QStringLiteral("pool off / this: %1").arg(fmt(coldP50 / percentile(rawRuncSeccomp, 0.5), 2)), -1},
        goalRow(QStringLiteral("%1 creates at once, all answered, median of %2 (ms)").arg(kBurst).arg(kBurstRounds),
                percentile(burstMs, 0.5), percentile(rawBurstMs, 0.5),
                QStringLiteral("%1 × `runc run` at once").arg(kBurst), 1.0, 0),
        goalRow(QStringLiteral("`commands.run(\"true\")`, p50 (ms)"), percentile(runTrue, 0.5), percentile(spawnTrue, 0.5),
                QStringLiteral("host `posix_spawn` + `waitpid` of /usr/bin/true"), 1.2, 2),
        {QStringLiteral("`commands.run(\"true\")`, p99 (ms)"), fmt(percentile(runTrue, 0.99), 2),
         fmt(percentile(spawnTrue, 0.99), 2), QStringLiteral("—"), -1},
        goalRow(QStringLiteral("`commands.run(\"bash -c true\")`, p50 (ms)"), percentile(runBash, 0.5),
                percentile(spawnBash, 0.5), QStringLiteral("host spawn + wait of `bash -c true`"), 1.2, 2),
        {QStringLiteral("`GET /v1/health` round trip, p50 (ms)"), fmt(percentile(healthMs, 0.5), 2), QString(),
         QStringLiteral("—"), -1},
        goalRow(QStringLiteral("32 MiB upload, p50 of %1 (ms)").arg(kTransfers), percentile(upMs, 0.5),
                percentile(copyMs, 0.5), QStringLiteral("host copy of the file"), 5.0),
        goalRow(QStringLiteral("32 MiB download, p50 of %1 (ms)").arg(kTransfers), percentile(downMs, 0.5),
                percentile(copyMs, 0.5), QStringLiteral("host copy of the file"), 5.0),
        goalRow(QStringLiteral("resume → first command of a paused sandbox (files kept), p50 of %1 (ms)").arg(kPauseSamples),
                percentile(resumeMs, 0.5), coldP50, QStringLiteral("cold create → first command"), 1.5),
        {QStringLiteral("pause (processes stopped, files kept), p50 (ms)"), fmt(percentile(pauseMs, 0.5)), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("memory per idle sandbox at %1 (MiB)").arg(ids.size()), fmt(perSandboxMib, 2),
         QStringLiteral("engine Δ %1 MiB + helpers %2 MiB + agents %3 MiB")
             .arg(fmt((engineRssAfter - engineRssBefore) / 1024.0), fmt(helpersKib / 1024.0), fmt(agentsKib / 1024.0)),
         QStringLiteral("≤ 2 MiB"), int(perSandboxMib <= 2.0)},
    };
    const QString section =
        QStringLiteral("## Engine (`bench/bench_engine`)\n\n%1 %2 Runtime `%3`.\n"
                       "Samples: %4 creates on each engine (in turns; each warm one with a full pool of %5), "
                       "%6 rounds of %7 creates at once, %8 command round trips of each kind (interleaved with "
                       "their host baselines), %9 transfers each way, %10 pause/resume cycles. Latencies are "
                       "wall-clock times seen by an HTTP client (Qt's) on loopback, the transfers by curl "
                       "(its own `time_total`, writing the download to a file); the host baselines run in the same process.\n\n")
            .arg(machineLine(), load, EngineProcess::runcPath())
            .arg(kCreateSamples)
            .arg(kWarmPool)
            .arg(kBurstRounds)
            .arg(kBurst)
            .arg(kRunSamples)
            .arg(kTransfers)
            .arg(kPauseSamples)
        + markdownTable(rows) + QLatin1Char('\n');
    std::printf("%s", qPrintable(section));
    if (args.write()) {
        QString error;
        if (!writeSection(outPath, QStringLiteral("bench_engine"), section, &error))
            die(error);
        std::fprintf(stderr, "written to %s\n", qPrintable(outPath));
    }
    return 0;
}
