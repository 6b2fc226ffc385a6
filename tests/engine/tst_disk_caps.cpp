// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile sandboxes against the host's disk and the engine's caps, with the
// real engine: each sandbox's own disk (a loop-mounted ext4 image) stops a
// sandbox at its disk_mb with ENOSPC and survives pause, resume and engine
// restarts; the data dir's reserve refuses new work; a store that cannot be
// written never drifts from what runs; frozen pauses count toward the cap;
// requests above the host's size and over a team's budget are refused.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <memory>

using namespace E2e;

namespace {

constexpr int kMaxRunning = 3;

// Loop devices whose backing file lies under `dir`: what a sandbox's disk
// holds while mounted, and what must be gone once it is not.
QStringList loopDevicesUnder(const QString &dir)
{
    QStringList found;
    const QDir sys(QStringLiteral("/sys/block"));
    for (const QString &dev : sys.entryList({QStringLiteral("loop*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(sys.filePath(dev + QStringLiteral("/loop/backing_file")));
        if (f.open(QIODevice::ReadOnly) && QString::fromUtf8(f.readAll()).contains(dir))
            found << dev;
    }
    return found;
}

qint64 allocatedBytes(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? qint64(st.st_blocks) * 512 : -1;
}

// Sets or clears the immutable attribute (chattr +i): even root's writes to
// the file then fail with EPERM, also through descriptors opened before. The
// store's WAL made immutable is a store that refuses every write, for real.
bool setImmutable(const QString &path, bool on)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
        flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
}

// Clears the attribute however the test ends, so the temp dir can go.
struct ImmutableGuard
{
    QString path;
    bool set(bool on) { return setImmutable(path, on); }
    ~ImmutableGuard() { setImmutable(path, false); }
};

QString stateOf(ApiClient &api, const QString &id)
{
    return api.sandbox(id).json().value(QStringLiteral("status")).toString();
}

} // namespace

class tst_disk_caps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void diskLimitIsEnforced();
    void diskSurvivesPauseResumeAndRestart();
    void reserveRefusesCreate();
    void reserveRefusesResumeWhenSpaceFalls();
    void storeFailureChangesNothing();
    void storeFailureUndoesAStartedCreate();
    void frozenPauseCountsTowardCap();
    void oversizeRequestsRefused();
    void teamBudgets();

private:
    QString runKeys(const QStringList &args, int *code);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_disk_caps::initTestCase()
{
    // No warm pool: these tests fill disks and count exactly what is on them.
    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--max-running"), QString::number(kMaxRunning),
                                                  QStringLiteral("--warm-pool"), QStringLiteral("0")});
}

void tst_disk_caps::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    if (m_engine && m_engine->isRunning() && m_api)
        QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_disk_caps::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning()) {
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->runcContainers(), QStringList(), 15000);
        // Every disk's loop device let go once its sandbox went.
        QTRY_COMPARE_WITH_TIMEOUT(loopDevicesUnder(m_engine->dataDir()), QStringList(), 15000);
        QCOMPARE(m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/sandboxes/")), QStringList());
    }
    m_api.reset();
    m_engine.reset();
}

QString tst_disk_caps::runKeys(const QStringList &args, int *code)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(EngineProcess::enginePath(),
            QStringList{QStringLiteral("keys")} + args + QStringList{QStringLiteral("--data-dir"), m_engine->dataDir()});
    p.waitForFinished(30000);
    *code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return QString::fromUtf8(p.readAll()).trimmed();
}

void tst_disk_caps::diskLimitIsEnforced()
{
    QElapsedTimer t;
    t.start();
    E2E_CREATE(small, *m_api, (QJsonObject{{QStringLiteral("disk_mb"), 1024}}));
    qInfo("create with its own 1 GiB disk: %lld ms", t.elapsed());
    E2E_CREATE(other, *m_api, QJsonObject());
    QCOMPARE(smallCreated.json().value(QStringLiteral("disk_mb")).toInt(), 1024);
    QCOMPARE(otherCreated.json().value(QStringLiteral("disk_mb")).toInt(), 10240);
    E2E_EXPECT(otherInfo, m_api->sandbox(other), 200);
    QCOMPARE(otherInfo.json().value(QStringLiteral("disk_mb")).toInt(), 10240);

    // The sandbox sees a disk of about its size, not the host's.
    E2E_RUN(df, *m_api, small, QStringLiteral("df -k --output=size / | tail -1"), QJsonObject(), 0);
    const qint64 sizeKb = df.trimmed().toLongLong();
    QVERIFY2(sizeKb > 900 * 1024 && sizeKb <= 1024 * 1024, qPrintable(df));

    struct statvfs before;
    QCOMPARE(::statvfs(QFile::encodeName(m_engine->dataDir()).constData(), &before), 0);

    // Both ways of asking for 2 GiB fail with ENOSPC.
    E2E_EXPECT(fa, m_api->run(small, QStringLiteral("fallocate -l 2G /home/sandbox/big"), QJsonObject()), 200);
    QVERIFY2(fa.json().value(QStringLiteral("exit_code")).toInt() != 0, fa.describe().constData());
    QVERIFY2(fa.json().value(QStringLiteral("stderr")).toString().contains(QStringLiteral("No space left on device")),
             fa.describe().constData());
    E2E_EXPECT(dd, m_api->run(small, QStringLiteral("dd if=/dev/zero of=/home/sandbox/big2 bs=1M count=2048"),
                              QJsonObject()),
               200);
    QVERIFY2(dd.json().value(QStringLiteral("exit_code")).toInt() != 0, dd.describe().constData());
    QVERIFY2(dd.json().value(QStringLiteral("stderr")).toString().contains(QStringLiteral("No space left on device")),
             dd.describe().constData());

    // Metrics show the disk full, against its limit.
    E2E_EXPECT(full, m_api->get(sbx(small, QStringLiteral("/metrics"))), 200);
    const qint64 limit = qint64(full.json().value(QStringLiteral("disk_limit_bytes")).toDouble());
    const qint64 used = qint64(full.json().value(QStringLiteral("disk_bytes")).toDouble());
    QCOMPARE(limit, qint64(1024) * 1024 * 1024);
    QVERIFY2(used > limit * 8 / 10 && used <= limit, full.describe().constData());

    // The engine and the other sandbox are untouched: the host lost about
    // the 1 GiB the small disk may hold, not 2 (other programs on this
    // machine write too, hence the slack).
    struct statvfs during;
    QCOMPARE(::statvfs(QFile::encodeName(m_engine->dataDir()).constData(), &during), 0);
    const qint64 lost = (qint64(before.f_bavail) - qint64(during.f_bavail)) * qint64(before.f_frsize);
    QVERIFY2(lost < qint64(1800) * 1024 * 1024, qPrintable(QString::number(lost)));
    E2E_RUN(fine, *m_api, other, QStringLiteral("head -c 50M /dev/zero > /home/sandbox/f && wc -c < /home/sandbox/f"),
            QJsonObject(), 0);
    QCOMPARE(fine.trimmed(), QStringLiteral("52428800"));
    E2E_EXPECT(list, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    QCOMPARE(list.json().value(QStringLiteral("sandboxes")).toArray().size(), 2);

    // After rm the sandbox writes again, and the space goes back to the host.
    E2E_RUN(rm, *m_api, small, QStringLiteral("rm -f /home/sandbox/big /home/sandbox/big2 && sync"), QJsonObject(), 0);
    E2E_RUN(again, *m_api, small,
            QStringLiteral("dd if=/dev/zero of=/home/sandbox/again bs=1M count=100 status=none && wc -c < /home/sandbox/again"),
            QJsonObject(), 0);
    QCOMPARE(again.trimmed(), QStringLiteral("104857600"));
    const QString image = m_engine->dataDir() + QStringLiteral("/sandboxes/") + small + QStringLiteral("/disk.img");
    QTRY_VERIFY2_WITH_TIMEOUT(allocatedBytes(image) < qint64(300) * 1024 * 1024,
                              qPrintable(QString::number(allocatedBytes(image))), 20000);
    E2E_EXPECT(after, m_api->get(sbx(small, QStringLiteral("/metrics"))), 200);
    QVERIFY2(after.json().value(QStringLiteral("disk_bytes")).toDouble() < 300.0 * 1024 * 1024, after.describe().constData());
}

void tst_disk_caps::diskSurvivesPauseResumeAndRestart()
{
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("disk_mb"), 256}}));
    const QString dir = m_engine->dataDir() + QStringLiteral("/sandboxes/") + id;
    QCOMPARE(loopDevicesUnder(dir).size(), 1);
    // The disk's root is the engine's alone: local users cannot walk into
    // the sandbox's files.
    QCOMPARE(QFileInfo(dir + QStringLiteral("/disk")).permissions() &
                 (QFileDevice::ReadOther | QFileDevice::ExeOther | QFileDevice::ReadGroup | QFileDevice::ExeGroup),
             QFileDevice::Permissions());
    E2E_RUN(w, *m_api, id, QStringLiteral("echo kept > /home/sandbox/kept"), QJsonObject(), 0);

    // A stopped pause lets go of the disk and its loop device.
    E2E_EXPECT(p1, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject()), 200);
    QTRY_COMPARE_WITH_TIMEOUT(loopDevicesUnder(dir), QStringList(), 10000);
    QCOMPARE(m_engine->mountsContaining(dir), QStringList());
    E2E_EXPECT(pausedMetrics, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
    QCOMPARE(qint64(pausedMetrics.json().value(QStringLiteral("disk_limit_bytes")).toDouble()), qint64(256) << 20);
    QVERIFY(pausedMetrics.json().value(QStringLiteral("disk_bytes")).toDouble() > 0);
    E2E_EXPECT(r1, m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 200);
    E2E_RUN(k1, *m_api, id, QStringLiteral("cat /home/sandbox/kept"), QJsonObject(), 0);
    QCOMPARE(k1, QStringLiteral("kept\n"));

    // A frozen pause keeps it.
    E2E_EXPECT(p2, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 200);
    QCOMPARE(loopDevicesUnder(dir).size(), 1);
    E2E_EXPECT(r2, m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 200);
    E2E_RUN(k2, *m_api, id, QStringLiteral("cat /home/sandbox/kept"), QJsonObject(), 0);
    QCOMPARE(k2, QStringLiteral("kept\n"));

    // An engine killed outright: the running sandbox is adopted with its disk,
    // and the paused one comes back with its files.
    E2E_CREATE(paused, *m_api, (QJsonObject{{QStringLiteral("disk_mb"), 128}}));
    E2E_RUN(w2, *m_api, paused, QStringLiteral("echo also > /home/sandbox/also"), QJsonObject(), 0);
    E2E_EXPECT(p3, m_api->post(sbx(paused, QStringLiteral("/pause")), QJsonObject()), 200);
    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    QCOMPARE(stateOf(*m_api, id), QStringLiteral("running"));
    QCOMPARE(stateOf(*m_api, paused), QStringLiteral("paused"));
    E2E_RUN(k3, *m_api, id, QStringLiteral("cat /home/sandbox/kept && fallocate -l 300M /home/sandbox/x; echo $?"),
            QJsonObject(), 0);
    QCOMPARE(k3, QStringLiteral("kept\n1\n"));
    E2E_EXPECT(r3, m_api->post(sbx(paused, QStringLiteral("/resume")), QJsonObject()), 200);
    E2E_RUN(k4, *m_api, paused, QStringLiteral("cat /home/sandbox/also"), QJsonObject(), 0);
    QCOMPARE(k4, QStringLiteral("also\n"));

    // Killed: nothing stays mounted or attached.
    E2E_EXPECT(d1, m_api->del(sbx(id)), 204);
    E2E_EXPECT(d2, m_api->del(sbx(paused)), 204);
    QTRY_COMPARE_WITH_TIMEOUT(loopDevicesUnder(m_engine->dataDir()), QStringList(), 15000);
    QCOMPARE(m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/sandboxes/")), QStringList());
    QVERIFY(!QFileInfo::exists(dir));
}

void tst_disk_caps::reserveRefusesCreate()
{
    // A reserve larger than any disk here: nothing may start.
    std::unique_ptr<EngineProcess> engine;
    std::unique_ptr<ApiClient> api;
    E2E_START_ENGINE(engine, api, QStringList{QStringLiteral("--disk-reserve-mb"), QStringLiteral("1000000000")});
    const ApiResponse r = api->createSandbox(QJsonObject{{QStringLiteral("disk_mb"), 64}});
    E2E_ERROR(r, 507, "insufficient_storage");
    QVERIFY2(r.errorMessage().contains(QStringLiteral("1000000000 MiB")) &&
                 r.errorMessage().contains(QStringLiteral("--disk-reserve-mb")),
             r.describe().constData());
    QCOMPARE(api->sandboxIds(), QStringList());
    QCOMPARE(engine->runcContainers(), QStringList());
    QCOMPARE(QDir(engine->dataDir() + QStringLiteral("/sandboxes")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList());
}

void tst_disk_caps::reserveRefusesResumeWhenSpaceFalls()
{
    // The data dir on a small file system of its own, which the test fills.
    auto engine = std::make_unique<EngineProcess>(
        QStringList{QStringLiteral("--disk-reserve-mb"), QStringLiteral("128")});
    const QString dataDir = engine->dataDir();
    // EngineProcess unmounts whatever is left under its temp dir, this too.
    QVERIFY(::mount("tmpfs", QFile::encodeName(dataDir).constData(), "tmpfs", MS_NOSUID | MS_NODEV,
                    "size=512m,mode=0711") == 0);
    QVERIFY2(engine->start(), qPrintable(engine->errorString()));
    ApiClient api(engine->baseUrl(), engine->apiKey());

    // A disk that does not fit beyond the reserve is refused outright.
    E2E_ERROR(api.createSandbox(QJsonObject{{QStringLiteral("disk_mb"), 1024}}), 507, "insufficient_storage");
    E2E_CREATE(id, api, (QJsonObject{{QStringLiteral("disk_mb"), 64}}));
    E2E_EXPECT(p, api.post(sbx(id, QStringLiteral("/pause")), QJsonObject()), 200);

    // Something else fills the file system down to 64 MiB free.
    struct statvfs v;
    QCOMPARE(::statvfs(QFile::encodeName(dataDir).constData(), &v), 0);
    const qint64 freeBytes = qint64(v.f_bavail) * qint64(v.f_frsize);
    const QString filler = dataDir + QStringLiteral("/filler");
    {
        const int fd = ::open(QFile::encodeName(filler).constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        QVERIFY(fd >= 0);
        const int rc = ::posix_fallocate(fd, 0, freeBytes - qint64(64) * 1024 * 1024);
        ::close(fd);
        QCOMPARE(rc, 0);
    }
    const ApiResponse refused = api.post(sbx(id, QStringLiteral("/resume")), QJsonObject());
    E2E_ERROR(refused, 507, "insufficient_storage");
    QVERIFY2(refused.errorMessage().contains(QStringLiteral("128 MiB it keeps in reserve")), refused.describe().constData());
    QCOMPARE(stateOf(api, id), QStringLiteral("paused"));
    E2E_ERROR(api.createSandbox(QJsonObject{{QStringLiteral("disk_mb"), 64}}), 507, "insufficient_storage");
    QCOMPARE(api.sandboxIds(), QStringList{id});

    // Space back: it resumes with its files.
    QVERIFY(QFile::remove(filler));
    E2E_EXPECT(r, api.post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 200);
    E2E_RUN(ok, api, id, QStringLiteral("echo fine"), QJsonObject(), 0);
    QCOMPARE(ok, QStringLiteral("fine\n"));
    E2E_EXPECT(k, api.del(sbx(id)), 204);
    QTRY_COMPARE_WITH_TIMEOUT(loopDevicesUnder(dataDir), QStringList(), 15000);
    engine->stop();
}

void tst_disk_caps::storeFailureChangesNothing()
{
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("disk_mb"), 128}, {QStringLiteral("timeout"), 3600}}));
    const QString endAt = idCreated.json().value(QStringLiteral("end_at")).toString();
    const QString wal = m_engine->dataDir() + QStringLiteral("/state.db-wal");
    QVERIFY(QFileInfo::exists(wal));
    ImmutableGuard guard{wal};
    const QStringList dirsBefore =
        QDir(m_engine->dataDir() + QStringLiteral("/sandboxes")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);

    QVERIFY(guard.set(true));
    // Create: refused before anything is made.
    E2E_ERROR(m_api->createSandbox(QJsonObject{{QStringLiteral("disk_mb"), 64}}), 503, "unavailable");
    QCOMPARE(m_api->sandboxIds(), QStringList{id});
    QCOMPARE(m_engine->runcContainers(), QStringList{id});
    QCOMPARE(QDir(m_engine->dataDir() + QStringLiteral("/sandboxes")).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             dirsBefore);
    // Pause (both kinds), kill, timeout: refused, and the sandbox runs on.
    const ApiResponse pause = m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject());
    E2E_ERROR(pause, 503, "unavailable");
    QVERIFY2(pause.errorMessage().contains(QStringLiteral("state store")), pause.describe().constData());
    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}), 503,
              "unavailable");
    E2E_ERROR(m_api->del(sbx(id)), 503, "unavailable");
    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 60}}), 503,
              "unavailable");
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(info.json().value(QStringLiteral("end_at")).toString(), endAt);
    E2E_RUN(alive, *m_api, id, QStringLiteral("echo alive"), QJsonObject(), 0);
    QCOMPARE(alive, QStringLiteral("alive\n"));

    // Resume: refused, and it stays paused with no container.
    QVERIFY(guard.set(false));
    E2E_EXPECT(p, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject()), 200);
    QVERIFY(guard.set(true));
    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 503, "unavailable");
    QCOMPARE(stateOf(*m_api, id), QStringLiteral("paused"));
    QCOMPARE(m_engine->runcContainers(), QStringList());
    QVERIFY(guard.set(false));

    // What the store holds is what runs: a restart from it shows the same.
    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    QCOMPARE(m_api->sandboxIds(), QStringList{id});
    E2E_EXPECT(again, m_api->sandbox(id), 200);
    QCOMPARE(again.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(again.json().value(QStringLiteral("end_at")).toString(), endAt);
    QCOMPARE(m_engine->runcContainers(), QStringList());
    E2E_EXPECT(r, m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 200);
    E2E_RUN(back, *m_api, id, QStringLiteral("echo back"), QJsonObject(), 0);
    QCOMPARE(back, QStringLiteral("back\n"));
}

void tst_disk_caps::storeFailureUndoesAStartedCreate()
{
    // The store fails after the create was recorded as "creating" and the
    // sandbox is being made, before it can be recorded as running: the
    // create must be undone, not left running behind an error.
    const QString wal = m_engine->dataDir() + QStringLiteral("/state.db-wal");
    ImmutableGuard guard{wal};
    const QDir sandboxes(m_engine->dataDir() + QStringLiteral("/sandboxes"));
    QCOMPARE(sandboxes.entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList());
    QNetworkReply *pending = m_api->send("POST", QStringLiteral("/v1/sandboxes"),
                                         QJsonDocument(QJsonObject{{QStringLiteral("disk_mb"), 64}}).toJson(),
                                         "application/json");
    // Its directory appears once the row is written.
    QTRY_VERIFY_WITH_TIMEOUT(!sandboxes.entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty(), 30000);
    QVERIFY(guard.set(true));
    const ApiResponse r = ApiClient::waitFor(pending);
    E2E_ERROR(r, 503, "unavailable");
    // Nothing runs, nothing is mounted or attached, nothing is listed.
    QCOMPARE(m_api->sandboxIds(), QStringList());
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->runcContainers(), QStringList(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(loopDevicesUnder(m_engine->dataDir()), QStringList(), 10000);
    QCOMPARE(m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/sandboxes/")), QStringList());
    QTRY_COMPARE_WITH_TIMEOUT(sandboxes.entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList(), 10000);
    // Once the store takes writes again, its row goes too: a restart finds
    // nothing to undo.
    QVERIFY(guard.set(false));
    QTest::qWait(3000);
    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    QCOMPARE(m_api->sandboxIds(), QStringList());
    QVERIFY2(!QFile(m_engine->logPath()).open(QIODevice::ReadOnly) ||
                 !m_engine->logTail(40).contains(QStringLiteral("its creation was interrupted")),
             qPrintable(m_engine->logTail(40)));
}

void tst_disk_caps::frozenPauseCountsTowardCap()
{
    QStringList ids;
    for (int i = 0; i < kMaxRunning; ++i) {
        E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("disk_mb"), 64}}));
        ids << id;
    }
    // Frozen, it still holds its memory: no room for another.
    E2E_EXPECT(f, m_api->post(sbx(ids[0], QStringLiteral("/pause")), QJsonObject{{QStringLiteral("keep_memory"), true}}),
               200);
    const ApiResponse refused = m_api->createSandbox(QJsonObject{{QStringLiteral("disk_mb"), 64}});
    E2E_ERROR(refused, 429, "quota_exceeded");
    QVERIFY2(refused.errorMessage().contains(QStringLiteral("frozen")), refused.describe().constData());
    // It was counted already: resuming it needs no other room.
    E2E_EXPECT(r, m_api->post(sbx(ids[0], QStringLiteral("/resume")), QJsonObject()), 200);
    // A stopped pause frees its place.
    E2E_EXPECT(s, m_api->post(sbx(ids[0], QStringLiteral("/pause")), QJsonObject()), 200);
    E2E_CREATE(fourth, *m_api, (QJsonObject{{QStringLiteral("disk_mb"), 64}}));
    // … and the cap holds on resume.
    E2E_ERROR(m_api->post(sbx(ids[0], QStringLiteral("/resume")), QJsonObject()), 429, "quota_exceeded");
    QCOMPARE(stateOf(*m_api, ids[0]), QStringLiteral("paused"));
}

void tst_disk_caps::oversizeRequestsRefused()
{
    const int hostCpus = int(::sysconf(_SC_NPROCESSORS_ONLN));
    if (hostCpus < 64) {
        const ApiResponse r = m_api->createSandbox(QJsonObject{{QStringLiteral("cpu_count"), hostCpus + 1}});
        E2E_ERROR(r, 400, "bad_request");
        QVERIFY2(r.errorMessage().contains(QStringLiteral("only %1").arg(hostCpus)), r.describe().constData());
    }
    struct sysinfo si;
    QCOMPARE(::sysinfo(&si), 0);
    const qint64 hostMb = qint64(si.totalram) * si.mem_unit / (1024 * 1024);
    if (hostMb < 65536) {
        const ApiResponse r = m_api->createSandbox(QJsonObject{{QStringLiteral("memory_mb"), int(hostMb + 1)}});
        E2E_ERROR(r, 400, "bad_request");
        QVERIFY2(r.errorMessage().contains(QStringLiteral("memory")), r.describe().constData());
    }
    struct statvfs v;
    QCOMPARE(::statvfs(QFile::encodeName(m_engine->dataDir()).constData(), &v), 0);
    if (qint64(v.f_bavail) * qint64(v.f_frsize) < (qint64(1) << 40)) {
        const ApiResponse r = m_api->createSandbox(QJsonObject{{QStringLiteral("disk_mb"), 1024 * 1024}});
        E2E_ERROR(r, 507, "insufficient_storage");
        QVERIFY2(r.errorMessage().contains(QStringLiteral("disk_mb")), r.describe().constData());
    }
    QCOMPARE(m_api->sandboxIds(), QStringList());
    QCOMPARE(m_engine->runcContainers(), QStringList());
}

void tst_disk_caps::teamBudgets()
{
    int code = -1;
    const QString key = runKeys({QStringLiteral("create"), QStringLiteral("--team"), QStringLiteral("budgeted"),
                                 QStringLiteral("--max-cpu"), QStringLiteral("3"), QStringLiteral("--max-memory"),
                                 QStringLiteral("1G"), QStringLiteral("--max-disk"), QStringLiteral("2048")},
                                &code);
    QVERIFY2(code == 0 && key.startsWith(QStringLiteral("ai2in_live_")), qPrintable(key));
    const QString listed = runKeys({QStringLiteral("list")}, &code);
    QVERIFY2(listed.contains(QStringLiteral("cpu 3, memory 1024 MiB, disk 2048 MiB")), qPrintable(listed));
    QVERIFY2(runKeys({QStringLiteral("create"), QStringLiteral("--max-memory"), QStringLiteral("lots")}, &code)
                     .contains(QStringLiteral("--max-memory")) && code != 0,
             "a bad size is refused");
    ApiClient team(m_engine->baseUrl(), key);
    auto body = [](int cpus, int memoryMb, int diskMb) {
        return QJsonObject{{QStringLiteral("cpu_count"), cpus},
                           {QStringLiteral("memory_mb"), memoryMb},
                           {QStringLiteral("disk_mb"), diskMb}};
    };

    E2E_CREATE(a, team, body(1, 512, 1024));
    const ApiResponse memory = team.createSandbox(body(1, 768, 64));
    E2E_ERROR(memory, 429, "quota_exceeded");
    QVERIFY2(memory.errorMessage().contains(QStringLiteral(
                 "budget of 1024 MiB of memory; its sandboxes hold 512 MiB of memory and this one asks for 768 MiB")),
             memory.describe().constData());
    E2E_CREATE(b, team, body(2, 512, 512));
    const ApiResponse cpu = team.createSandbox(body(1, 64, 64));
    E2E_ERROR(cpu, 429, "quota_exceeded");
    QVERIFY2(cpu.errorMessage().contains(QStringLiteral("budget of 3 CPUs")), cpu.describe().constData());

    // A stopped pause gives back CPU and memory, not disk.
    E2E_EXPECT(p, team.post(sbx(b, QStringLiteral("/pause")), QJsonObject()), 200);
    const ApiResponse disk = team.createSandbox(body(1, 64, 1024));
    E2E_ERROR(disk, 429, "quota_exceeded");
    QVERIFY2(disk.errorMessage().contains(QStringLiteral("budget of 2048 MiB of disk; its sandboxes hold 1536 MiB")),
             disk.describe().constData());
    E2E_CREATE(c, team, body(1, 64, 512));
    // Resume is held to the budget too.
    const ApiResponse resume = team.post(sbx(b, QStringLiteral("/resume")), QJsonObject());
    E2E_ERROR(resume, 429, "quota_exceeded");
    QVERIFY2(resume.errorMessage().contains(QStringLiteral("CPUs")), resume.describe().constData());
    QCOMPARE(stateOf(team, b), QStringLiteral("paused"));

    // Another team has no budget.
    E2E_CREATE(unbudgeted, *m_api, body(2, 2048, 4096));
    QCOMPARE(team.killAllSandboxes(), 0);
}

QTEST_GUILESS_MAIN(tst_disk_caps)
#include "tst_disk_caps.moc"
