// SPDX-License-Identifier: GPL-3.0-or-later
// Sudden death: the engine is SIGKILLed at random moments while it creates,
// pauses (stopping or freezing), resumes and kills sandboxes and while it
// writes uploads; a template build is SIGKILLed at random moments too. After
// every restart on the same data dir nothing may be half-made, nothing that
// was acknowledged may be lost, and paused or frozen sandboxes keep the state
// they had. SIGTERM and SIGINT end the engine cleanly: no new connections,
// in-flight requests answered, the WAL checkpointed, sandboxes left running.
//
// The random choices come from one seeded generator; the seed is printed, and
// AI2IN_SUDDEN_DEATH_SEED=<seed> replays a run. AI2IN_SUDDEN_DEATH_ROUNDS sets
// the number of engine kills of the random run.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <memory>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace E2e;

namespace {

constexpr int kDefaultRounds = 32;
constexpr int kTemplateKills = 10;
// The engine's promise for SIGTERM: in-flight work gets at most 10 s.
constexpr int kShutdownBoundMs = 10000;

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray runTool(const QString &program, const QStringList &args, int *exitCode = nullptr,
                   const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessEnvironment(env);
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
    return p.readAllStandardOutput() + p.readAllStandardError();
}

// Processes whose command line mentions `needle` (the test's own excepted).
QStringList processesMentioning(const QString &needle)
{
    QStringList found;
    const QByteArray n = needle.toUtf8();
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const qint64 p = pid.toLongLong(&isPid);
        if (!isPid || p == qint64(::getpid()))
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        QByteArray cmd = f.readAll();
        if (cmd.contains(n))
            found << pid + QLatin1Char(' ') + QString::fromUtf8(cmd.replace('\0', ' '));
    }
    return found;
}

QString describe(const QMap<QString, QString> &m)
{
    QStringList parts;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value();
    return parts.join(QLatin1Char(' '));
}

double percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype i = std::min<qsizetype>(values.size() - 1, qsizetype(p * double(values.size() - 1) + 0.5));
    return double(values.at(i)) / 1000.0;
}

} // namespace

class tst_sudden_death : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void acknowledgedUploadIsOnDisk();
    void interruptedUploadsAreSwept();
    void frozenResumeCutShortThaws();
    void freezeCutShortKeepsProcesses();
    void templateBuildKilled();
    void sigtermEndsCleanly();
    void suddenDeath();

private:
    // UploadThenPause: a stopping pause lands while an upload is written.
    enum class Op { Create, Kill, PauseStop, PauseFreeze, Resume, Upload, UploadThenPause };
    enum class State { Running, PausedStop, PausedFreeze };
    struct Box
    {
        State state = State::Running;
        bool markerAlive = false; // a background `sleep` that must still run
        QMap<QString, QByteArray> files; // acknowledged uploads: path → sha256
        QMap<QString, QByteArray> maybeFiles; // unacknowledged ones: absent or whole
    };

    void restartAfterKill();
    void startEngineAgain();
    void setStoredState(const QString &id, const QString &state, const QString &pauseKind = {});
    QString upperOf(const QString &id) const;
    QMap<QString, QString> runcStates() const;
    void startMarker(const QString &id);
    bool markerRuns(const QString &id);

    static const char *opName(Op op);
    void oneRound(int round);
    void resolve(int round, Op op, const QString &target, const ApiResponse &cut, const QString &uploadPath,
                 const QByteArray &uploadSha);
    void checkInvariants(const QString &when);
    void checkRunningBox(const QString &id, Box &box, const QString &when);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QRandomGenerator m_rng;
    quint32 m_seed = 0;
    QMap<QString, Box> m_boxes;
    QMap<Op, qint64> m_typicalMs;
    QList<qint64> m_restartMs;
    int m_engineKills = 0;
    int m_templateKills = 0;
    QMap<QString, int> m_killsByOp;
};

void tst_sudden_death::initTestCase()
{
    bool ok = false;
    m_seed = qEnvironmentVariable("AI2IN_SUDDEN_DEATH_SEED").toUInt(&ok);
    if (!ok)
        m_seed = QRandomGenerator::system()->generate();
    m_rng.seed(m_seed);
    qInfo("sudden death seed %u (replay with AI2IN_SUDDEN_DEATH_SEED=%u)", m_seed, m_seed);
    // No warm pool: the comparisons are of exactly the sandboxes the test
    // made (the pool's own crashes are tst_warm_pool's).
    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--warm-pool"), QStringLiteral("0")});
}

void tst_sudden_death::cleanup()
{
    if (QTest::currentTestFailed()) {
        qInfo("seed of this run: %u", m_seed);
        if (m_engine)
            m_engine->printLogTail(120);
    }
    if (m_engine && !m_engine->isRunning())
        startEngineAgain();
    if (m_engine && m_engine->isRunning())
        QCOMPARE(m_api->killAllSandboxes(), 0);
    m_boxes.clear();
}

void tst_sudden_death::cleanupTestCase()
{
    qInfo("engine kills: %d (%s); template build kills: %d; restart to healthy: p50 %.2f s, p95 %.2f s over %lld "
          "restarts",
          m_engineKills,
          qPrintable([this] {
              QStringList parts;
              for (auto it = m_killsByOp.cbegin(); it != m_killsByOp.cend(); ++it)
                  parts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
              return parts.join(QStringLiteral(", "));
          }()),
          m_templateKills, percentile(m_restartMs, 0.5), percentile(m_restartMs, 0.95), qint64(m_restartMs.size()));
    if (m_engine && m_engine->isRunning()) {
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
        QCOMPARE(m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/")), QStringList());
    }
    m_api.reset();
    m_engine.reset();
}

// ---- helpers ---------------------------------------------------------------

void tst_sudden_death::startEngineAgain()
{
    QElapsedTimer clock;
    clock.start();
    const bool started = m_engine->start();
    if (started)
        m_restartMs << clock.elapsed();
    QVERIFY2(started, qPrintable(m_engine->errorString()));
    QCOMPARE(m_engine->apiKey(), m_api->apiKey());
}

void tst_sudden_death::restartAfterKill()
{
    m_engine->killHard();
    ++m_engineKills;
    startEngineAgain();
}

void tst_sudden_death::setStoredState(const QString &id, const QString &state, const QString &pauseKind)
{
    // What the store holds when the engine dies between recording a step and
    // taking it: the test writes it itself while no engine runs.
    QVERIFY(!m_engine->isRunning());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("inject"));
        db.setDatabaseName(m_engine->dataDir() + QStringLiteral("/state.db"));
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE sandboxes SET state = ?, pause_kind = ? WHERE id = ?"));
        q.addBindValue(state);
        q.addBindValue(pauseKind.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(pauseKind));
        q.addBindValue(id);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QCOMPARE(q.numRowsAffected(), 1);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("inject"));
}

QString tst_sudden_death::upperOf(const QString &id) const
{
    return m_engine->dataDir() + QStringLiteral("/sandboxes/") + id + QStringLiteral("/disk/upper");
}

QMap<QString, QString> tst_sudden_death::runcStates() const
{
    QMap<QString, QString> states;
    if (!QFileInfo::exists(m_engine->runcRoot()))
        return states;
    const QByteArray out = runTool(EngineProcess::runcPath(), {QStringLiteral("--root"), m_engine->runcRoot(),
                                                               QStringLiteral("list"), QStringLiteral("--format"),
                                                               QStringLiteral("json")});
    for (const QJsonValue &v : QJsonDocument::fromJson(out).array())
        states.insert(v[QStringLiteral("id")].toString(), v[QStringLiteral("status")].toString());
    return states;
}

void tst_sudden_death::startMarker(const QString &id)
{
    // A process that only lives as long as the sandbox's memory does.
    E2E_EXPECT(bg, m_api->run(id, QStringLiteral("exec sleep 86400"), QJsonObject{{QStringLiteral("background"), true}}),
               201);
}

bool tst_sudden_death::markerRuns(const QString &id)
{
    const ApiResponse r = m_api->run(id, QStringLiteral("pgrep -x sleep >/dev/null && echo alive || echo gone"));
    return r.status == 200 && r.json().value(QStringLiteral("stdout")).toString() == QStringLiteral("alive\n");
}

// ---- uploads ---------------------------------------------------------------

void tst_sudden_death::acknowledgedUploadIsOnDisk()
{
    // An acknowledged upload must be on the disk, not only in the page cache:
    // right after the 200, none of its pages may still be dirty or under
    // writeback. Without an fsync the kernel writes them back only seconds
    // later. /proc/kpageflags shows each page's state to root.
    if (!QFileInfo(QStringLiteral("/proc/kpageflags")).isReadable())
        QSKIP("/proc/kpageflags is not readable here");
    E2E_CREATE(id, *m_api, QJsonObject());
    QByteArray data(8 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); i += 4)
        *reinterpret_cast<quint32 *>(data.data() + i) = m_rng.generate();
    E2E_EXPECT(put, m_api->put(sbx(id, QStringLiteral("/files/content?path=/home/sandbox/durable.bin")), data), 200);

    const QString path = upperOf(id) + QStringLiteral("/home/sandbox/durable.bin");
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    QVERIFY2(fd >= 0, qPrintable(path));
    const long page = ::sysconf(_SC_PAGESIZE);
    const size_t len = size_t(data.size());
    void *map = ::mmap(nullptr, len, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    QVERIFY(map != MAP_FAILED);
    const int pagemap = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    const int kflags = ::open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
    int dirty = 0, seen = 0;
    volatile char sink = 0;
    for (size_t off = 0; off < len; off += size_t(page)) {
        sink = sink + static_cast<const char *>(map)[off]; // map the page-cache page
        quint64 entry = 0;
        const off_t at = off_t((quintptr(map) + off) / quintptr(page) * sizeof entry);
        if (::pread(pagemap, &entry, sizeof entry, at) != sizeof entry || !(entry & (1ULL << 63)))
            continue;
        const quint64 pfn = entry & ((1ULL << 55) - 1);
        quint64 flags = 0;
        if (pfn == 0 || ::pread(kflags, &flags, sizeof flags, off_t(pfn * sizeof flags)) != sizeof flags)
            continue;
        ++seen;
        // KPF_DIRTY is bit 4, KPF_WRITEBACK bit 8.
        if (flags & ((1ULL << 4) | (1ULL << 8)))
            ++dirty;
    }
    ::close(pagemap);
    ::close(kflags);
    ::munmap(map, len);
    QVERIFY2(seen > 0, "no page of the upload could be inspected");
    QVERIFY2(dirty == 0, qPrintable(QStringLiteral("%1 of %2 pages of an acknowledged upload were not yet on the disk")
                                        .arg(dirty)
                                        .arg(seen)));
    E2E_RUN(sum, *m_api, id, QStringLiteral("sha256sum < durable.bin"), QJsonObject(), 0);
    QCOMPARE(sum.left(64).toUtf8(), sha256(data));
}

void tst_sudden_death::interruptedUploadsAreSwept()
{
    // An upload is written to a temporary file next to its target and renamed
    // when complete. If the sandbox's processes end in the middle (a stopping
    // pause, the host going down while the engine is away) the temporary file
    // stays in the upper layer; the engine removes it once the container is
    // gone, and at the latest when it restarts.
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_RUN(mk, *m_api, id, QStringLiteral("mkdir -p deep/dir && echo keep > ai2in-notes.txt"), QJsonObject(), 0);
    const QString home = upperOf(id) + QStringLiteral("/home/sandbox");
    QFileInfo owner(home);
    QVERIFY(owner.exists());
    const QStringList leftovers{QStringLiteral("/.data.bin.ai2in-Ab12Cd"), QStringLiteral("/deep/dir/.ai2in-zZ09yY")};
    const QStringList keepers{QStringLiteral("/ai2in-notes.txt"), QStringLiteral("/.hidden.ai2in-toolong1"),
                              QStringLiteral("/deep/.ai2in-")};
    auto plant = [&](const QStringList &names) {
        for (const QString &name : names + keepers) {
            QFile f(home + name);
            if (f.exists())
                continue;
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("half an upload");
            f.close();
            QVERIFY(::chown(QFile::encodeName(f.fileName()).constData(), owner.ownerId(), owner.groupId()) == 0);
        }
    };
    auto check = [&](const QString &when) {
        E2E_RUN(ls, *m_api, id, QStringLiteral("find . -name '*ai2in*' | LC_ALL=C sort"), QJsonObject(), 0);
        QCOMPARE(ls, QStringLiteral("./.hidden.ai2in-toolong1\n./ai2in-notes.txt\n./deep/.ai2in-\n"));
        Q_UNUSED(when);
    };

    // 1. Left when a stopping pause ended the sandbox's processes (and then
    // the engine died): the stop sweeps them while the disk is still
    // mounted; a paused sandbox's disk is not mounted, so they are planted
    // before the pause.
    plant(leftovers);
    if (QTest::currentTestFailed())
        return;
    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject()), 200);
    m_engine->killHard();
    ++m_engineKills;
    startEngineAgain();
    E2E_EXPECT(pausedInfo, m_api->sandbox(id), 200);
    QCOMPARE(pausedInfo.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    check(QStringLiteral("after a restart and a resume"));
    if (QTest::currentTestFailed())
        return;

    // 2. The engine and the sandbox both went away (a host crash): the
    // engine's restart starts it again on its files and sweeps.
    m_engine->killHard();
    ++m_engineKills;
    runTool(EngineProcess::runcPath(), {QStringLiteral("--root"), m_engine->runcRoot(), QStringLiteral("delete"),
                                        QStringLiteral("--force"), id});
    ::umount2(QFile::encodeName(m_engine->dataDir() + QStringLiteral("/sandboxes/") + id + QStringLiteral("/rootfs"))
                  .constData(),
              MNT_DETACH);
    plant(leftovers);
    // After a crash nothing is mounted: the start mounts the disk, and
    // sweeps it before the container runs.
    ::umount2(QFile::encodeName(m_engine->dataDir() + QStringLiteral("/sandboxes/") + id + QStringLiteral("/disk"))
                  .constData(),
              MNT_DETACH);
    startEngineAgain();
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    check(QStringLiteral("after a restart"));
}

// ---- frozen sandboxes ------------------------------------------------------

void tst_sudden_death::frozenResumeCutShortThaws()
{
    // The engine died after recording "resuming" and before thawing: the
    // container is still frozen. It must be thawed, with its processes, not
    // restarted on its files.
    E2E_CREATE(id, *m_api, QJsonObject());
    startMarker(id);
    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 200);
    QCOMPARE(runcStates().value(id), QStringLiteral("paused"));
    m_engine->killHard();
    ++m_engineKills;
    setStoredState(id, QStringLiteral("resuming"), QStringLiteral("freeze"));
    startEngineAgain();
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(runcStates().value(id), QStringLiteral("running"));
    QVERIFY2(markerRuns(id), "the resume of a frozen sandbox lost its processes");
}

void tst_sudden_death::freezeCutShortKeepsProcesses()
{
    // The engine died after recording a freezing pause and before freezing:
    // the sandbox never stopped running, and nobody agreed to lose its
    // processes. It stays running as it was.
    E2E_CREATE(id, *m_api, QJsonObject());
    startMarker(id);
    m_engine->killHard();
    ++m_engineKills;
    setStoredState(id, QStringLiteral("pausing"), QStringLiteral("freeze"));
    startEngineAgain();
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QVERIFY2(markerRuns(id), "an interrupted freeze ended the sandbox's processes");

    // A stopping pause cut short is finished on restart: paused, files kept.
    E2E_RUN(w, *m_api, id, QStringLiteral("echo kept > kept.txt"), QJsonObject(), 0);
    m_engine->killHard();
    ++m_engineKills;
    setStoredState(id, QStringLiteral("pausing"), QStringLiteral("stop"));
    startEngineAgain();
    E2E_EXPECT(info2, m_api->sandbox(id), 200);
    QCOMPARE(info2.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(info2.json().value(QStringLiteral("pause_kind")).toString(), QStringLiteral("stop"));
    QVERIFY(!runcStates().contains(id));
    E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
    E2E_RUN(c, *m_api, id, QStringLiteral("cat kept.txt"), QJsonObject(), 0);
    QCOMPARE(c, QStringLiteral("kept\n"));
}

// ---- template builds -------------------------------------------------------

void tst_sudden_death::templateBuildKilled()
{
    // `ai2ind template build` killed at random moments, in a templates dir of
    // its own. The "mirror" is a loopback port that accepts and never answers,
    // so debootstrap waits where a download would run. Nothing may be listed,
    // mounted or still running afterwards, and the next build removes what
    // the killed ones left.
    if (::geteuid() != 0)
        QSKIP("template builds need root");
    if (runTool(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("command -v debootstrap || test -x /usr/sbin/debootstrap")})
            .isEmpty())
        QSKIP("debootstrap is not installed");
    QTemporaryDir dir(QStringLiteral("/tmp/ai2in-tpl-XXXXXX"));
    QVERIFY(dir.isValid());
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("AI2IN_DEBIAN_MIRROR"), QStringLiteral("http://127.0.0.1:%1/debian").arg(silent.serverPort()));
    for (const char *proxy : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"})
        env.remove(QString::fromLatin1(proxy));
    const QStringList buildArgs{QStringLiteral("template"), QStringLiteral("build"), QStringLiteral("base"),
                                QStringLiteral("--templates"), dir.path()};

    auto checkNothingHalfMade = [&](const QString &when) {
        QTRY_VERIFY2_WITH_TIMEOUT(processesMentioning(dir.path()).isEmpty(),
                                  qPrintable(when + QStringLiteral(": still running: ") +
                                             processesMentioning(dir.path()).join(QStringLiteral("; "))),
                                  10000);
        QCOMPARE(m_engine->mountsContaining(dir.path()), QStringList());
        const QByteArray listed = runTool(EngineProcess::enginePath(),
                                          {QStringLiteral("template"), QStringLiteral("list"), QStringLiteral("--templates"), dir.path()});
        QVERIFY2(listed.trimmed().isEmpty(), qPrintable(when + QStringLiteral(": listed: ") + QString::fromUtf8(listed)));
        for (const QString &e : QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot))
            QVERIFY2(e == QLatin1String(".lock") || e.startsWith(QLatin1String(".build-")),
                     qPrintable(when + QStringLiteral(": unexpected ") + e));
    };

    for (int i = 0; i < kTemplateKills; ++i) {
        QProcess build;
        build.setProcessEnvironment(env);
        build.setProcessChannelMode(QProcess::MergedChannels);
        build.start(EngineProcess::enginePath(), buildArgs);
        QVERIFY(build.waitForStarted(10000));
        const int delay = int(m_rng.bounded(2500));
        spin(delay);
        ::kill(pid_t(build.processId()), SIGKILL);
        QVERIFY(build.waitForFinished(10000));
        ++m_templateKills;
        checkNothingHalfMade(QStringLiteral("template build killed after %1 ms").arg(delay));
        if (QTest::currentTestFailed())
            return;
    }

    // A build that fails on its own (nothing listens on the mirror's port)
    // cleans up after the killed ones and after itself.
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    env.insert(QStringLiteral("AI2IN_DEBIAN_MIRROR"), QStringLiteral("http://127.0.0.1:%1/debian").arg(closedPort));
    int code = 0;
    const QByteArray out = runTool(EngineProcess::enginePath(), buildArgs, &code, env, 120000);
    QVERIFY2(code != 0, out.constData());
    checkNothingHalfMade(QStringLiteral("after a failed build"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral(".lock")});
}

// ---- SIGTERM ---------------------------------------------------------------

void tst_sudden_death::sigtermEndsCleanly()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    // A long blocking command and an upload are in flight when SIGTERM comes.
    ApiClient longClient(m_engine->baseUrl(), m_engine->apiKey());
    QNetworkReply *longRun = longClient.send(
        "POST", sbx(id, QStringLiteral("/commands")),
        R"({"cmd": "sleep 20; echo finished > /home/sandbox/long.txt", "timeout": 60})", "application/json");
    spin(800);
    QByteArray data(4 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); i += 4)
        *reinterpret_cast<quint32 *>(data.data() + i) = m_rng.generate();
    ApiClient uploadClient(m_engine->baseUrl(), m_engine->apiKey());
    QNetworkReply *upload = uploadClient.send("PUT", sbx(id, QStringLiteral("/files/content?path=/home/sandbox/term.bin")),
                                              data, "application/octet-stream");
    spin(30);

    QElapsedTimer clock;
    clock.start();
    QVERIFY(::kill(pid_t(m_engine->pid()), SIGTERM) == 0);
    spin(500);
    if (m_engine->isRunning()) {
        // Still finishing: new connections are refused meanwhile.
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(m_engine->baseUrl().port()));
        const bool connected = probe.waitForConnected(2000);
        QVERIFY2(!connected, "the engine accepted a connection after SIGTERM");
    }
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->isRunning(), kShutdownBoundMs + 5000);
    const qint64 tookMs = clock.elapsed();
    qInfo("SIGTERM with a command and an upload in flight: exited after %.2f s", double(tookMs) / 1000.0);
    QVERIFY2(tookMs <= kShutdownBoundMs + 2000, qPrintable(QStringLiteral("took %1 ms").arg(tookMs)));
    QCOMPARE(m_engine->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_engine->exitCode(), 0);

    const ApiResponse longAnswer = ApiClient::waitFor(longRun);
    E2E_ERROR(longAnswer, 503, "unavailable");
    const ApiResponse uploadAnswer = ApiClient::waitFor(upload);
    QVERIFY2(uploadAnswer.status == 200 || uploadAnswer.status == 503, uploadAnswer.describe().constData());

    const QFileInfo wal(m_engine->dataDir() + QStringLiteral("/state.db-wal"));
    QVERIFY2(!wal.exists() || wal.size() == 0, qPrintable(QStringLiteral("the WAL holds %1 bytes").arg(wal.size())));
    // The sandbox was left running, with the command's process.
    QCOMPARE(runcStates().value(id), QStringLiteral("running"));

    startEngineAgain();
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    E2E_RUN(still, *m_api, id,
            QStringLiteral("if pgrep -x sleep >/dev/null; then echo running; else cat /home/sandbox/long.txt; fi"),
            QJsonObject(), 0);
    QVERIFY2(still == QStringLiteral("running\n") || still == QStringLiteral("finished\n"), qPrintable(still));
    if (uploadAnswer.status == 200) {
        E2E_RUN(sum, *m_api, id, QStringLiteral("sha256sum < term.bin"), QJsonObject(), 0);
        QCOMPARE(sum.left(64).toUtf8(), sha256(data));
    }

    // SIGINT (a ^C in a terminal) on an idle engine: the same clean exit, at once.
    clock.restart();
    QVERIFY(::kill(pid_t(m_engine->pid()), SIGINT) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->isRunning(), kShutdownBoundMs);
    qInfo("SIGINT on an idle engine: exited after %.2f s", double(clock.elapsed()) / 1000.0);
    QCOMPARE(m_engine->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_engine->exitCode(), 0);
    QVERIFY(!QFileInfo::exists(wal.filePath()) || QFileInfo(wal.filePath()).size() == 0);
    startEngineAgain();
    E2E_RUN(again, *m_api, id, QStringLiteral("echo again"), QJsonObject(), 0);
    QCOMPARE(again, QStringLiteral("again\n"));
}

// ---- the random run --------------------------------------------------------

const char *tst_sudden_death::opName(Op op)
{
    switch (op) {
    case Op::Create: return "create";
    case Op::Kill: return "kill";
    case Op::PauseStop: return "pause";
    case Op::PauseFreeze: return "freeze";
    case Op::Resume: return "resume";
    case Op::Upload: return "upload";
    case Op::UploadThenPause: return "upload+pause";
    }
    return "?";
}

void tst_sudden_death::suddenDeath()
{
    bool ok = false;
    int rounds = qEnvironmentVariable("AI2IN_SUDDEN_DEATH_ROUNDS").toInt(&ok);
    if (!ok || rounds < 1)
        rounds = kDefaultRounds;
    QCOMPARE(m_api->sandboxIds(), QStringList());
    // First guesses of how long each operation takes; refined as they complete.
    m_typicalMs = {{Op::Create, 1500}, {Op::Kill, 500},    {Op::PauseStop, 500},
                   {Op::PauseFreeze, 150}, {Op::Resume, 800}, {Op::Upload, 200},
                   {Op::UploadThenPause, 500}};
    QElapsedTimer clock;
    clock.start();
    for (int round = 1; round <= rounds; ++round) {
        oneRound(round);
        if (QTest::currentTestFailed())
            return;
    }
    // Finally every paused sandbox is resumed and checked.
    const QStringList ids = m_boxes.keys();
    for (const QString &id : ids) {
        Box &box = m_boxes[id];
        if (box.state != State::Running) {
            E2E_EXPECT(r, m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 200);
            if (box.state == State::PausedStop)
                box.markerAlive = false;
            box.state = State::Running;
        }
        checkRunningBox(id, box, QStringLiteral("at the end"));
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%d rounds in %.1f s", rounds, double(clock.elapsed()) / 1000.0);
}

void tst_sudden_death::oneRound(int round)
{
    QStringList running, paused;
    for (auto it = m_boxes.cbegin(); it != m_boxes.cend(); ++it)
        (it->state == State::Running ? running : paused) << it.key();
    QList<QPair<Op, int>> choices; // operation, weight
    if (m_boxes.size() < 3)
        choices << qMakePair(Op::Create, m_boxes.isEmpty() ? 100 : 2);
    if (m_boxes.size() > 1)
        choices << qMakePair(Op::Kill, 1);
    if (!running.isEmpty())
        choices << qMakePair(Op::PauseStop, 2) << qMakePair(Op::PauseFreeze, 2) << qMakePair(Op::Upload, 3)
                << qMakePair(Op::UploadThenPause, 2);
    if (!paused.isEmpty())
        choices << qMakePair(Op::Resume, 3);
    int total = 0;
    for (const auto &c : choices)
        total += c.second;
    int pick = int(m_rng.bounded(total));
    Op op = choices.first().first;
    for (const auto &c : choices) {
        if (pick < c.second) {
            op = c.first;
            break;
        }
        pick -= c.second;
    }
    auto any = [this](const QStringList &l) { return l.at(int(m_rng.bounded(int(l.size())))); };
    QString target;
    QString uploadPath;
    QByteArray uploadSha;
    QNetworkReply *reply = nullptr;
    QNetworkReply *uploadReply = nullptr; // the upload of UploadThenPause
    switch (op) {
    case Op::Create:
        reply = m_api->send("POST", QStringLiteral("/v1/sandboxes"),
                            QJsonDocument(QJsonObject{{QStringLiteral("metadata"),
                                                       QJsonObject{{QStringLiteral("round"), QString::number(round)}}}})
                                .toJson(QJsonDocument::Compact),
                            "application/json");
        break;
    case Op::Kill:
        target = any(m_boxes.keys());
        reply = m_api->send("DELETE", sbx(target));
        break;
    case Op::PauseStop:
    case Op::PauseFreeze:
        target = any(running);
        reply = m_api->send("POST", sbx(target, QStringLiteral("/pause")),
                            op == Op::PauseFreeze ? QByteArray(R"({"keep_memory": true})") : QByteArray("{}"),
                            "application/json");
        break;
    case Op::Resume:
        target = any(paused);
        reply = m_api->send("POST", sbx(target, QStringLiteral("/resume")), QByteArray(), "application/json");
        break;
    case Op::Upload: {
        target = any(running);
        QByteArray data(qsizetype(1024 + m_rng.bounded(2 * 1024 * 1024)), Qt::Uninitialized);
        for (qsizetype i = 0; i + 4 <= data.size(); i += 4)
            *reinterpret_cast<quint32 *>(data.data() + i) = m_rng.generate();
        uploadPath = QStringLiteral("/home/sandbox/up/r%1.bin").arg(round);
        uploadSha = sha256(data);
        reply = m_api->send("PUT", sbx(target, QStringLiteral("/files/content?path=") + uploadPath), data,
                            "application/octet-stream");
        break;
    }
    case Op::UploadThenPause: {
        target = any(running);
        QByteArray data(qsizetype(2 * 1024 * 1024 + m_rng.bounded(6 * 1024 * 1024)), Qt::Uninitialized);
        for (qsizetype i = 0; i + 4 <= data.size(); i += 4)
            *reinterpret_cast<quint32 *>(data.data() + i) = m_rng.generate();
        uploadPath = QStringLiteral("/home/sandbox/up/r%1.bin").arg(round);
        uploadSha = sha256(data);
        uploadReply = m_api->send("PUT", sbx(target, QStringLiteral("/files/content?path=") + uploadPath), data,
                                  "application/octet-stream");
        spin(int(m_rng.bounded(80)));
        reply = m_api->send("POST", sbx(target, QStringLiteral("/pause")), QByteArray("{}"), "application/json");
        break;
    }
    }
    // Kill somewhere within the operation's usual duration (and a little after).
    const qint64 typical = m_typicalMs.value(op);
    const int delay = int(m_rng.bounded(int(typical * 11 / 10) + 1));
    QElapsedTimer clock;
    clock.start();
    qint64 finishedAfter = -1;
    QObject::connect(reply, &QNetworkReply::finished, reply, [&] { finishedAfter = clock.elapsed(); });
    spin(delay);
    const QString what = QStringLiteral("round %1: %2 %3 killed after %4 ms").arg(round).arg(QLatin1String(opName(op)), target).arg(delay);
    restartAfterKill();
    if (QTest::currentTestFailed())
        return;
    m_killsByOp[QLatin1String(opName(op))] += 1;
    const ApiResponse cut = ApiClient::waitFor(reply);
    if (finishedAfter >= 0 && cut.status >= 200 && cut.status < 300)
        m_typicalMs[op] = (m_typicalMs[op] * 3 + finishedAfter) / 4;
    if (uploadReply) {
        // Any answer is possible for an upload whose sandbox stops under it;
        // only a 2xx promises the file.
        const ApiResponse up = ApiClient::waitFor(uploadReply);
        qInfo("%s: upload answer %d, pause answer %d", qPrintable(what), up.status, cut.status);
        if (up.status >= 200 && up.status < 300)
            m_boxes[target].files.insert(uploadPath, uploadSha);
        else
            m_boxes[target].maybeFiles.insert(uploadPath, uploadSha);
        resolve(round, Op::PauseStop, target, cut, {}, {});
    } else {
        qInfo("%s: answer %d", qPrintable(what), cut.status);
        resolve(round, op, target, cut, uploadPath, uploadSha);
    }
    if (QTest::currentTestFailed())
        return;
    checkInvariants(what);
}

void tst_sudden_death::resolve(int round, Op op, const QString &target, const ApiResponse &cut,
                               const QString &uploadPath, const QByteArray &uploadSha)
{
    const bool acked = cut.status >= 200 && cut.status < 300;
    QVERIFY2(acked || cut.status == 0, qPrintable(QStringLiteral("round %1: %2 answered %3")
                                                      .arg(round)
                                                      .arg(QLatin1String(opName(op)), QString::fromUtf8(cut.describe()))));
    E2E_EXPECT(listed, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    QMap<QString, QJsonObject> now;
    for (const QJsonValue &v : listed.json().value(QStringLiteral("sandboxes")).toArray())
        now.insert(v[QStringLiteral("sandbox_id")].toString(), v.toObject());
    auto observed = [&](const QString &id) -> std::optional<State> {
        if (!now.contains(id))
            return std::nullopt;
        const QJsonObject o = now.value(id);
        if (o.value(QStringLiteral("status")).toString() == QLatin1String("running"))
            return State::Running;
        return o.value(QStringLiteral("pause_kind")).toString() == QLatin1String("freeze") ? State::PausedFreeze
                                                                                            : State::PausedStop;
    };
    const QString where = QStringLiteral("round %1 (%2 %3, answer %4)").arg(round).arg(QLatin1String(opName(op)), target).arg(cut.status);

    switch (op) {
    case Op::Create: {
        QStringList fresh;
        for (const QString &id : now.keys())
            if (!m_boxes.contains(id))
                fresh << id;
        QVERIFY2(fresh.size() <= 1, qPrintable(where + QStringLiteral(": new sandboxes ") + fresh.join(QLatin1Char(' '))));
        if (acked)
            QVERIFY2(fresh == QStringList{cut.json().value(QStringLiteral("sandbox_id")).toString()},
                     qPrintable(where + QStringLiteral(": the acknowledged sandbox is not listed")));
        if (!fresh.isEmpty()) {
            const QJsonObject o = now.value(fresh.first());
            QCOMPARE(o.value(QStringLiteral("metadata"))[QStringLiteral("round")].toString(), QString::number(round));
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
            m_boxes.insert(fresh.first(), Box{});
        }
        break;
    }
    case Op::Kill:
        if (acked)
            QVERIFY2(!now.contains(target), qPrintable(where + QStringLiteral(": a killed sandbox is listed")));
        if (!now.contains(target))
            m_boxes.remove(target);
        break;
    case Op::PauseStop: {
        const auto s = observed(target);
        QVERIFY2(s.has_value(), qPrintable(where + QStringLiteral(": the sandbox is gone")));
        if (acked)
            QVERIFY2(*s == State::PausedStop, qPrintable(where + QStringLiteral(": an acknowledged pause is not paused")));
        QVERIFY2(*s != State::PausedFreeze, qPrintable(where + QStringLiteral(": a stopping pause became a freeze")));
        if (*s == State::PausedStop) {
            m_boxes[target].state = State::PausedStop;
            m_boxes[target].markerAlive = false;
        }
        break;
    }
    case Op::PauseFreeze: {
        const auto s = observed(target);
        QVERIFY2(s.has_value(), qPrintable(where + QStringLiteral(": the sandbox is gone")));
        if (acked)
            QVERIFY2(*s == State::PausedFreeze, qPrintable(where + QStringLiteral(": an acknowledged freeze is not frozen")));
        QVERIFY2(*s != State::PausedStop,
                 qPrintable(where + QStringLiteral(": an interrupted freeze stopped the sandbox's processes")));
        m_boxes[target].state = *s;
        break;
    }
    case Op::Resume: {
        const auto s = observed(target);
        QVERIFY2(s.has_value(), qPrintable(where + QStringLiteral(": the sandbox is gone")));
        Box &box = m_boxes[target];
        if (acked)
            QVERIFY2(*s == State::Running, qPrintable(where + QStringLiteral(": an acknowledged resume is not running")));
        if (*s != State::Running)
            QVERIFY2(*s == box.state, qPrintable(where + QStringLiteral(": an interrupted resume changed the kind of pause")));
        if (*s == State::Running) {
            if (box.state == State::PausedStop)
                box.markerAlive = false;
            box.state = State::Running;
        }
        break;
    }
    case Op::UploadThenPause:
        break; // resolved as its pause, with the upload noted by the caller
    case Op::Upload: {
        QVERIFY2(observed(target) == State::Running, qPrintable(where + QStringLiteral(": the sandbox is not running")));
        if (acked) {
            m_boxes[target].files.insert(uploadPath, uploadSha);
            break;
        }
        // Not acknowledged: the file is absent or whole, never partial.
        const ApiResponse r = m_api->run(target, QStringLiteral("sha256sum < %1 2>/dev/null || echo absent").arg(uploadPath));
        QCOMPARE(r.status, 200);
        const QString out = r.json().value(QStringLiteral("stdout")).toString();
        if (out != QLatin1String("absent\n")) {
            QVERIFY2(out.left(64).toUtf8() == uploadSha,
                     qPrintable(where + QStringLiteral(": an interrupted upload left a partial file")));
            m_boxes[target].files.insert(uploadPath, uploadSha);
        }
        break;
    }
    }
}

void tst_sudden_death::checkInvariants(const QString &when)
{
    // The engine's list is the model.
    E2E_EXPECT(listed, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    QMap<QString, QJsonObject> now;
    for (const QJsonValue &v : listed.json().value(QStringLiteral("sandboxes")).toArray())
        now.insert(v[QStringLiteral("sandbox_id")].toString(), v.toObject());
    QVERIFY2(now.keys() == m_boxes.keys(),
             qPrintable(when + QStringLiteral(": listed %1, expected %2")
                                   .arg(now.keys().join(QLatin1Char(' ')), m_boxes.keys().join(QLatin1Char(' ')))));

    // runc, the mount table and the data dir agree with it: a container (and
    // a mounted rootfs) for running and frozen sandboxes, none for stopped
    // ones, nothing for sandboxes that do not exist.
    QMap<QString, QString> wantRunc;
    QStringList wantMounts;
    for (auto it = m_boxes.cbegin(); it != m_boxes.cend(); ++it) {
        const QJsonObject o = now.value(it.key());
        const QString status = o.value(QStringLiteral("status")).toString();
        const QString kind = o.value(QStringLiteral("pause_kind")).toString();
        switch (it->state) {
        case State::Running:
            QVERIFY2(status == QLatin1String("running"), qPrintable(when + QStringLiteral(": %1 is %2").arg(it.key(), status)));
            wantRunc.insert(it.key(), QStringLiteral("running"));
            break;
        case State::PausedFreeze:
            QVERIFY2(status == QLatin1String("paused") && kind == QLatin1String("freeze"),
                     qPrintable(when + QStringLiteral(": frozen %1 is %2 (%3)").arg(it.key(), status, kind)));
            wantRunc.insert(it.key(), QStringLiteral("paused"));
            break;
        case State::PausedStop:
            QVERIFY2(status == QLatin1String("paused") && kind == QLatin1String("stop"),
                     qPrintable(when + QStringLiteral(": paused %1 is %2 (%3)").arg(it.key(), status, kind)));
            break;
        }
        // A sandbox with processes has its root file system and, under it, its
        // own disk mounted; a stopped pause has neither.
        if (it->state != State::PausedStop)
            wantMounts << m_engine->dataDir() + QStringLiteral("/sandboxes/") + it.key() + QStringLiteral("/rootfs")
                       << m_engine->dataDir() + QStringLiteral("/sandboxes/") + it.key() + QStringLiteral("/disk");
    }
    QTRY_COMPARE_WITH_TIMEOUT(describe(runcStates()), describe(wantRunc), 5000);
    QStringList mounts = m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/"));
    mounts.sort();
    wantMounts.sort();
    QVERIFY2(mounts == wantMounts, qPrintable(when + QStringLiteral(": mounted %1, expected %2")
                                                         .arg(mounts.join(QLatin1Char(' ')), wantMounts.join(QLatin1Char(' ')))));
    QStringList dirs = QDir(m_engine->dataDir() + QStringLiteral("/sandboxes")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    dirs.sort();
    QVERIFY2(dirs == m_boxes.keys(), qPrintable(when + QStringLiteral(": on disk %1").arg(dirs.join(QLatin1Char(' ')))));

    // Every running sandbox is usable and has what it should.
    for (auto it = m_boxes.begin(); it != m_boxes.end(); ++it) {
        if (it->state == State::Running) {
            checkRunningBox(it.key(), *it, when);
            if (QTest::currentTestFailed())
                return;
        }
    }
}

void tst_sudden_death::checkRunningBox(const QString &id, Box &box, const QString &when)
{
    const ApiResponse r = m_api->run(
        id, QStringLiteral("(pgrep -x sleep >/dev/null && echo alive || echo gone); cd /home/sandbox; "
                           "ls up/*.bin >/dev/null 2>&1 && sha256sum up/*.bin; "
                           "find . -name '.*ai2in-*' -printf 'leftover %p\\n'; true"));
    QVERIFY2(r.status == 200 && r.json().value(QStringLiteral("exit_code")).toInt(-1) == 0,
             qPrintable(when + QStringLiteral(": sandbox %1 does not run commands: %2").arg(id, QString::fromUtf8(r.describe()))));
    const QStringList lines = r.json().value(QStringLiteral("stdout")).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(!lines.isEmpty());
    if (box.markerAlive)
        QVERIFY2(lines.first() == QLatin1String("alive"),
                 qPrintable(when + QStringLiteral(": the processes of %1 are gone though it never stopped").arg(id)));
    QMap<QString, QByteArray> sums;
    for (const QString &l : lines.mid(1)) {
        QVERIFY2(!l.startsWith(QLatin1String("leftover ")), qPrintable(when + QStringLiteral(": %1 in %2").arg(l, id)));
        sums.insert(QStringLiteral("/home/sandbox/") + l.mid(66), l.left(64).toUtf8());
    }
    for (auto f = box.maybeFiles.cbegin(); f != box.maybeFiles.cend(); ++f) {
        QVERIFY2(!sums.contains(f.key()) || sums.value(f.key()) == f.value(),
                 qPrintable(when + QStringLiteral(": the unacknowledged upload %1 of %2 is partial").arg(f.key(), id)));
        if (sums.contains(f.key()))
            box.files.insert(f.key(), f.value());
    }
    box.maybeFiles.clear();
    for (auto f = box.files.cbegin(); f != box.files.cend(); ++f)
        QVERIFY2(sums.value(f.key()) == f.value(),
                 qPrintable(when + QStringLiteral(": the acknowledged upload %1 of %2 is %3")
                                       .arg(f.key(), id, sums.contains(f.key()) ? QStringLiteral("changed")
                                                                                : QStringLiteral("lost"))));
    if (lines.first() != QLatin1String("alive"))
        startMarker(id);
    box.markerAlive = true;
}

int main(int argc, char **argv)
{
    // Qt 6.4's watchdog counts from the start of the program, not of each
    // test function; this program runs longer than its default 5 minutes.
    // The test's own CTest TIMEOUT still bounds it.
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "1200000");
    QCoreApplication app(argc, argv);
    tst_sudden_death test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_sudden_death.moc"
