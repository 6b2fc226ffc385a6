// SPDX-License-Identifier: GPL-3.0-or-later
// Every sandbox runs in a host id range of its own, over the one shared
// template (seen through an idmapped mount, never copied): two sandboxes of
// a template never share host ids, so one's root cannot own the other's
// files; the template reads the same in both; a sandbox keeps its range
// through pause, resume and an engine restart; a killed sandbox's range is
// handed out again. Checked from the host: the agent's uid_map and the
// owners of the files in each sandbox's upper layer.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <memory>
#include <sys/stat.h>

using namespace E2e;

namespace {

struct HostRange
{
    qint64 base = -1;
    qint64 count = 0;
    bool overlaps(const HostRange &o) const { return base < o.base + o.count && o.base < base + count; }
    bool contains(qint64 id) const { return id >= base && id < base + count; }
    bool operator==(const HostRange &o) const { return base == o.base && count == o.count; }
};

QString describe(const HostRange &r)
{
    return QStringLiteral("%1..%2").arg(r.base).arg(r.base + r.count - 1);
}

const QJsonObject asRoot{{QStringLiteral("user"), QStringLiteral("root")}};

} // namespace

class tst_uid_ranges : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void sandboxesOfOneTemplateHaveDisjointRanges();
    void templateReadsTheSameInEach();
    void pauseAndResumeKeepTheRange();
    void restartKeepsEveryRange();
    void killedRangeIsReused();
    void poolSkipsTemplateRangeAndRunsOut();
    void poolThatCannotWorkStopsTheEngine();
    void disabledPoolSharesTheTemplateRange();

private:
    // The host pid of the sandbox's PID 1 (the agent), from runc's state.
    qint64 agentPid(const QString &id) const;
    // The host range the sandbox's root is mapped to, from /proc/<agent>/uid_map
    // (or gid_map); base -1 when it cannot be read.
    HostRange hostRange(const QString &id, const char *file = "uid_map") const;
    HostRange hostRange(const EngineProcess &engine, const QString &id, const char *file = "uid_map") const;
    // The host owner (uid) of a path in the sandbox's upper layer; -1 if absent.
    qint64 upperOwner(const QString &id, const QString &path) const;
    HostRange templateRange() const;

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

void tst_uid_ranges::initTestCase()
{
    // No warm pool: these tests follow which range each create gets.
    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--warm-pool"), QStringLiteral("0")});
}

void tst_uid_ranges::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    if (m_engine->isRunning())
        QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_uid_ranges::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning())
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->runcContainers(), QStringList(), 15000);
    m_api.reset();
    m_engine.reset();
}

namespace {

qint64 agentPidIn(const EngineProcess &engine, const QString &id)
{
    QProcess runc;
    runc.start(EngineProcess::runcPath(), {QStringLiteral("--root"), engine.runcRoot(), QStringLiteral("state"), id});
    if (!runc.waitForFinished(15000) || runc.exitCode() != 0)
        return -1;
    return QJsonDocument::fromJson(runc.readAllStandardOutput()).object().value(QStringLiteral("pid")).toInteger(-1);
}

} // namespace

qint64 tst_uid_ranges::agentPid(const QString &id) const
{
    return agentPidIn(*m_engine, id);
}

HostRange tst_uid_ranges::hostRange(const QString &id, const char *file) const
{
    return hostRange(*m_engine, id, file);
}

HostRange tst_uid_ranges::hostRange(const EngineProcess &engine, const QString &id, const char *file) const
{
    const qint64 pid = agentPidIn(engine, id);
    if (pid <= 0)
        return {};
    QFile map(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(file)));
    if (!map.open(QIODevice::ReadOnly))
        return {};
    // One line, "0 <host base> <count>": root and everything above it.
    const QList<QByteArray> lines = map.readAll().trimmed().split('\n');
    const QList<QByteArray> f = lines.value(0).simplified().split(' ');
    if (lines.size() != 1 || f.size() != 3 || f.at(0) != "0")
        return {};
    return {f.at(1).toLongLong(), f.at(2).toLongLong()};
}

qint64 tst_uid_ranges::upperOwner(const QString &id, const QString &path) const
{
    struct stat st {};
    const QString full = m_engine->dataDir() + QStringLiteral("/sandboxes/") + id + QStringLiteral("/disk/upper") + path;
    if (::lstat(QFile::encodeName(full).constData(), &st) != 0)
        return -1;
    return st.st_uid;
}

HostRange tst_uid_ranges::templateRange() const
{
    QFile f(EngineProcess::templatesDir() + QStringLiteral("/base/template.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    return {o.value(QStringLiteral("uid_base")).toInteger(-1), o.value(QStringLiteral("uid_count")).toInteger(0)};
}

void tst_uid_ranges::sandboxesOfOneTemplateHaveDisjointRanges()
{
    E2E_CREATE(a, *m_api, QJsonObject());
    E2E_CREATE(b, *m_api, QJsonObject());
    const HostRange ra = hostRange(a);
    const HostRange rb = hostRange(b);
    const HostRange tmpl = templateRange();
    QVERIFY2(ra.base > 0 && rb.base > 0 && tmpl.base > 0, qPrintable(describe(ra) + QLatin1Char(' ') + describe(rb)));
    QVERIFY2(ra.count >= 65536 && rb.count >= 65536, qPrintable(describe(ra) + QLatin1Char(' ') + describe(rb)));
    QVERIFY2(!ra.overlaps(rb), qPrintable(QStringLiteral("A %1, B %2").arg(describe(ra), describe(rb))));
    // Neither may own the template's files on the host.
    QVERIFY2(!ra.overlaps(tmpl) && !rb.overlaps(tmpl),
             qPrintable(QStringLiteral("A %1, B %2, template %3").arg(describe(ra), describe(rb), describe(tmpl))));
    // Groups move with users.
    QCOMPARE(describe(hostRange(a, "gid_map")), describe(ra));
    QCOMPARE(describe(hostRange(b, "gid_map")), describe(rb));

    // What root makes in A belongs, on the host, to A's range and not B's;
    // the same goes for A's sandbox user and for a template file A changed.
    E2E_RUN(made, *m_api, a,
            QStringLiteral("echo a > /root/made-by-a && mkdir -p /opt/a && echo x >> /etc/issue && echo ok"), asRoot, 0);
    QCOMPARE(made, QStringLiteral("ok\n"));
    E2E_RUN(mine, *m_api, a, QStringLiteral("echo s > /home/sandbox/mine && echo ok"), QJsonObject(), 0);
    QCOMPARE(mine, QStringLiteral("ok\n"));
    QCOMPARE(upperOwner(a, QStringLiteral("/root/made-by-a")), ra.base);
    QCOMPARE(upperOwner(a, QStringLiteral("/opt/a")), ra.base);
    QCOMPARE(upperOwner(a, QStringLiteral("/etc/issue")), ra.base); // copied up from the template
    QCOMPARE(upperOwner(a, QStringLiteral("/home/sandbox/mine")), ra.base + 1000);
    QVERIFY(!rb.contains(upperOwner(a, QStringLiteral("/root/made-by-a"))));
    QVERIFY(!rb.contains(upperOwner(a, QStringLiteral("/home/sandbox/mine"))));
    // The upper layer's root, which becomes "/", is each one's own root.
    QCOMPARE(upperOwner(a, QString()), ra.base);
    QCOMPARE(upperOwner(b, QString()), rb.base);

    E2E_RUN(madeB, *m_api, b, QStringLiteral("echo b > /root/made-by-b && test ! -e /root/made-by-a && echo ok"), asRoot, 0);
    QCOMPARE(madeB, QStringLiteral("ok\n"));
    QCOMPARE(upperOwner(b, QStringLiteral("/root/made-by-b")), rb.base);
    QVERIFY(!ra.contains(upperOwner(b, QStringLiteral("/root/made-by-b"))));
}

void tst_uid_ranges::templateReadsTheSameInEach()
{
    E2E_CREATE(a, *m_api, QJsonObject());
    E2E_CREATE(b, *m_api, QJsonObject());
    for (const QString &id : {a, b}) {
        // Owners as the template has them: root's tree, the sandbox user's home.
        E2E_RUN(owners, *m_api, id,
                QStringLiteral("stat -c '%n %u %g' / /etc /etc/passwd /usr /usr/bin/python3 /var /root /home/sandbox"),
                QJsonObject(), 0);
        QCOMPARE(owners, QStringLiteral("/ 0 0\n/etc 0 0\n/etc/passwd 0 0\n/usr 0 0\n/usr/bin/python3 0 0\n/var 0 0\n"
                                        "/root 0 0\n/home/sandbox 1000 1000\n"));
        // `ls -ln /` shows root (uid 0) for the template's directories and
        // nobody (65534) for none of them; /.ai2in is the host's, mounted in.
        E2E_RUN(ls, *m_api, id, QStringLiteral("ls -ln / | grep -v -e '^total' -e ' \\.ai2in$' -e ' proc$' -e ' sys$' -e ' dev$'"),
                asRoot, 0);
        const QStringList lines = ls.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(lines.size() > 10, qPrintable(ls));
        for (const QString &line : lines) {
            const QStringList f = line.simplified().split(QLatin1Char(' '));
            QVERIFY2(f.value(2) == QLatin1String("0") && f.value(3) == QLatin1String("0"), qPrintable(ls));
        }
        // The sandbox user reads and runs the template, and cannot change it.
        E2E_RUN(user, *m_api, id,
                QStringLiteral("id -un; python3 -c 'print(6*7)'; grep -c bookworm /etc/os-release >/dev/null && echo read;"
                               " touch /usr/bin/nope 2>/dev/null || echo denied"),
                QJsonObject(), 0);
        QCOMPARE(user, QStringLiteral("sandbox\n42\nread\ndenied\n"));
        // Root owns the system, as apt-get and dpkg need.
        E2E_RUN(root, *m_api, id,
                QStringLiteral("id -u; touch /usr/bin/ai2in-new && dpkg -s python3 | grep -c '^Status: install ok' &&"
                               " su -s /bin/sh sandbox -c 'id -u'"),
                asRoot, 0);
        QCOMPARE(root, QStringLiteral("0\n1\n1000\n"));
    }
}

void tst_uid_ranges::pauseAndResumeKeepTheRange()
{
    E2E_CREATE(a, *m_api, QJsonObject());
    E2E_CREATE(b, *m_api, QJsonObject());
    const HostRange ra = hostRange(a);
    QVERIFY(ra.base > 0);
    E2E_RUN(w, *m_api, a, QStringLiteral("echo kept > /root/kept && echo ok"), asRoot, 0);

    // A stopped pause: the container goes, the mount goes, both come back.
    E2E_EXPECT(p1, m_api->postRaw(sbx(a, QStringLiteral("/pause")), QByteArray()), 200);
    QCOMPARE(agentPid(a), -1);
    E2E_EXPECT(r1, m_api->postRaw(sbx(a, QStringLiteral("/resume")), QByteArray()), 200);
    QCOMPARE(describe(hostRange(a)), describe(ra));
    E2E_RUN(back, *m_api, a, QStringLiteral("cat /root/kept; stat -c %u /root/kept; echo new > /root/new"), asRoot, 0);
    QCOMPARE(back, QStringLiteral("kept\n0\n"));
    QCOMPARE(upperOwner(a, QStringLiteral("/root/new")), ra.base);

    // A frozen pause keeps its processes, and so its range.
    E2E_EXPECT(p2, m_api->postRaw(sbx(a, QStringLiteral("/pause")), QByteArray(R"({"keep_memory":true})")), 200);
    E2E_EXPECT(r2, m_api->postRaw(sbx(a, QStringLiteral("/resume")), QByteArray()), 200);
    QCOMPARE(describe(hostRange(a)), describe(ra));
    QVERIFY(!hostRange(b).overlaps(ra));
}

void tst_uid_ranges::restartKeepsEveryRange()
{
    E2E_CREATE(running, *m_api, QJsonObject());
    E2E_CREATE(paused, *m_api, QJsonObject());
    const HostRange rr = hostRange(running);
    const HostRange rp = hostRange(paused);
    QVERIFY(rr.base > 0 && rp.base > 0);
    E2E_RUN(w, *m_api, paused, QStringLiteral("echo p > /root/p && echo ok"), asRoot, 0);
    E2E_EXPECT(p, m_api->postRaw(sbx(paused, QStringLiteral("/pause")), QByteArray()), 200);

    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));

    // The running one is adopted in its range; a new sandbox gets neither.
    QCOMPARE(describe(hostRange(running)), describe(rr));
    E2E_CREATE(fresh, *m_api, QJsonObject());
    const HostRange rf = hostRange(fresh);
    QVERIFY2(rf.base > 0 && !rf.overlaps(rr) && !rf.overlaps(rp),
             qPrintable(QStringLiteral("new %1, running %2, paused %3").arg(describe(rf), describe(rr), describe(rp))));
    // The paused one resumes in its range, mounted again by the new engine.
    E2E_EXPECT(r, m_api->postRaw(sbx(paused, QStringLiteral("/resume")), QByteArray()), 200);
    QCOMPARE(describe(hostRange(paused)), describe(rp));
    E2E_RUN(back, *m_api, paused, QStringLiteral("stat -c %u /root/p /; touch /root/q"), asRoot, 0);
    QCOMPARE(back, QStringLiteral("0\n0\n"));
    QCOMPARE(upperOwner(paused, QStringLiteral("/root/q")), rp.base);
}

void tst_uid_ranges::killedRangeIsReused()
{
    E2E_CREATE(first, *m_api, QJsonObject());
    E2E_CREATE(second, *m_api, QJsonObject());
    const HostRange r1 = hostRange(first);
    const HostRange r2 = hostRange(second);
    QVERIFY(r1.base > 0 && r2.base > 0);
    QVERIFY2(!r1.overlaps(r2), qPrintable(describe(r1) + QLatin1Char(' ') + describe(r2)));
    E2E_RUN(w, *m_api, first, QStringLiteral("echo old > /root/old && echo ok"), asRoot, 0);
    E2E_EXPECT(k, m_api->del(sbx(first)), 204);

    // The lowest free range is handed out again, to a sandbox with none of
    // the old one's files.
    E2E_CREATE(third, *m_api, QJsonObject());
    QCOMPARE(describe(hostRange(third)), describe(r1));
    QCOMPARE(describe(hostRange(second)), describe(r2));
    E2E_RUN(clean, *m_api, third, QStringLiteral("test ! -e /root/old && echo clean"), asRoot, 0);
    QCOMPARE(clean, QStringLiteral("clean\n"));
}

void tst_uid_ranges::poolSkipsTemplateRangeAndRunsOut()
{
    // Two ranges from the template's own base: the first overlaps the
    // template's ids and is never handed out, so there is room for one.
    const HostRange tmpl = templateRange();
    QCOMPARE(tmpl.count, 65536);
    // No warm pool: a warm sandbox would hold the one range there is.
    EngineProcess small({QStringLiteral("--uid-pool-base"), QString::number(tmpl.base), QStringLiteral("--uid-pool-size"),
                         QStringLiteral("2"), QStringLiteral("--warm-pool"), QStringLiteral("0")});
    QVERIFY2(small.start(), qPrintable(small.errorString()));
    ApiClient api(small.baseUrl(), small.apiKey());
    E2E_CREATE(only, api, QJsonObject());
    QCOMPARE(describe(hostRange(small, only)), describe({tmpl.base + 65536, 65536}));

    // The pool is empty: a sentence, 503, and nothing half-made.
    const ApiResponse full = api.createSandbox();
    E2E_ERROR(full, 503, "unavailable");
    QVERIFY2(full.errorMessage().contains(QLatin1String("--uid-pool-size")), full.describe().constData());
    QCOMPARE(api.sandboxIds(), QStringList{only});
    QCOMPARE(QDir(small.dataDir() + QStringLiteral("/sandboxes")).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             QStringList{only});
    QCOMPARE(small.runcContainers(), QStringList{only});

    // Once it is killed, its range serves the next one.
    E2E_EXPECT(k, api.del(sbx(only)), 204);
    E2E_CREATE(next, api, QJsonObject());
    QCOMPARE(describe(hostRange(small, next)), describe({tmpl.base + 65536, 65536}));
    QCOMPARE(api.killAllSandboxes(), 0);
}

void tst_uid_ranges::poolThatCannotWorkStopsTheEngine()
{
    // Its only range is the template's: the engine says so and does not start.
    const HostRange tmpl = templateRange();
    EngineProcess none({QStringLiteral("--uid-pool-base"), QString::number(tmpl.base), QStringLiteral("--uid-pool-size"),
                        QStringLiteral("1")});
    QVERIFY(!none.start());
    QVERIFY2(none.logTail().contains(QLatin1String("overlaps /etc/subuid, /etc/subgid or a template's ids")),
             qPrintable(none.logTail()));
    // Past 2^31: refused with the option to change.
    EngineProcess high({QStringLiteral("--uid-pool-base"), QStringLiteral("2000000000"), QStringLiteral("--uid-pool-size"),
                        QStringLiteral("4096")});
    QVERIFY(!high.start());
    QVERIFY2(high.logTail().contains(QLatin1String("--uid-pool-base")), qPrintable(high.logTail()));
}

void tst_uid_ranges::disabledPoolSharesTheTemplateRange()
{
    // --uid-pool-size 0 is the old way, for kernels without idmapped mounts:
    // every sandbox runs in its template's range on a plain overlay.
    EngineProcess shared({QStringLiteral("--uid-pool-size"), QStringLiteral("0")});
    QVERIFY2(shared.start(), qPrintable(shared.errorString()));
    ApiClient api(shared.baseUrl(), shared.apiKey());
    E2E_CREATE(a, api, QJsonObject());
    E2E_CREATE(b, api, QJsonObject());
    QCOMPARE(describe(hostRange(shared, a)), describe(templateRange()));
    QCOMPARE(describe(hostRange(shared, b)), describe(templateRange()));
    E2E_RUN(owners, api, a, QStringLiteral("stat -c %u / /home/sandbox"), QJsonObject(), 0);
    QCOMPARE(owners, QStringLiteral("0\n1000\n"));
    QCOMPARE(api.killAllSandboxes(), 0);
}

QTEST_MAIN(tst_uid_ranges)
#include "tst_uid_ranges.moc"
