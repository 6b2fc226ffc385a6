// SPDX-License-Identifier: GPL-3.0-or-later
// The warm pool, on an engine with its default pool of 2: a create served
// by a warm sandbox cannot be told from one made cold for the same request
// (id, times, envs, limits as the sandbox itself sees them, hostname, /tmp,
// its processes, its home, its activity log); it keeps what it was given through a
// pause and an engine crash; a crash leaves no warm sandbox behind, and a
// clean stop takes every warm one with it.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <memory>
#include <tuple>

using namespace E2e;

class tst_warm_pool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void warmCreateIsIndistinguishable();
    void warmSandboxKeepsItsSettings();
    void crashLeavesNoWarmSandbox();

private:
    // Warm sandboxes of `base` the engine says it has ready.
    int warmCount();
    // Creates a sandbox with `body`; whether the pool served it: its
    // container existed before the create, and the pool is one short.
    QJsonObject createCounted(const QJsonObject &body, bool *servedWarm);
    // What the sandbox sees of itself, one line per question.
    QStringList selfPortrait(const QString &id);

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
};

static constexpr int kPoolSize = 2; // the engine's default

int tst_warm_pool::warmCount()
{
    const ApiResponse r = m_api->get(QStringLiteral("/v1/templates"));
    for (const QJsonValue &t : r.json().value(QStringLiteral("templates")).toArray()) {
        if (t.toObject().value(QStringLiteral("name")).toString() == QLatin1String("base"))
            return t.toObject().value(QStringLiteral("warm")).toInt(-1);
    }
    return -1;
}

QJsonObject tst_warm_pool::createCounted(const QJsonObject &body, bool *servedWarm)
{
    // A warm sandbox's container was there before the create (its id is
    // drawn when it is warmed); a cold one, also one made because a claim
    // failed, is new. And the pool is one short right after (the caller
    // waits for a full pool first; a refill takes far longer).
    const QStringList before = m_engine->runcContainers();
    const ApiResponse r = m_api->createSandbox(body);
    const int after = warmCount();
    const QString id = r.json().value(QStringLiteral("sandbox_id")).toString();
    *servedWarm = before.contains(id) && after == kPoolSize - 1;
    if (r.status != 201 || id.isEmpty()) {
        qWarning("create: %s; warm after it: %d", r.describe().constData(), after);
        return {};
    }
    return r.json();
}

QStringList tst_warm_pool::selfPortrait(const QString &id)
{
    // (Not the first command's process id: it varies by a few between
    // starts of the same kind, warm or cold, with runc's own helpers.)
    const QStringList questions{
        QStringLiteral("env | grep -v -e '^_=' -e '^SHLVL=' | sort"),
        QStringLiteral("hostname"),
        QStringLiteral("ls -A /tmp /var/tmp"),
        QStringLiteral("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes"),
        QStringLiteral("cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
        QStringLiteral("ps -e -o comm= | sort"),
        QStringLiteral("ls /home/sandbox -A"),
    };
    QStringList answers;
    for (const QString &q : questions) {
        const ApiResponse r = m_api->run(id, q);
        answers << QStringLiteral("%1 → %2 %3").arg(q, r.json().value(QStringLiteral("stdout")).toString(),
                                                    r.json().value(QStringLiteral("stderr")).toString());
    }
    return answers;
}

void tst_warm_pool::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    // Warm sandboxes are nobody's: not listed, not counted.
    QCOMPARE(m_api->sandboxIds(), QStringList());
    QCOMPARE(m_engine->runcContainers().size(), kPoolSize);
}

void tst_warm_pool::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    QCOMPARE(m_api->killAllSandboxes(), 0);
}

void tst_warm_pool::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning()) {
        QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
        // A clean stop takes the warm sandboxes with it, files and all.
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
        QCOMPARE(m_engine->mountsContaining(m_engine->dataDir() + QStringLiteral("/")), QStringList());
        QCOMPARE(QDir(m_engine->dataDir() + QStringLiteral("/sandboxes")).entryList(QDir::Dirs | QDir::NoDotAndDotDot),
                 QStringList());
    }
    m_api.reset();
    m_engine.reset();
}

void tst_warm_pool::warmCreateIsIndistinguishable()
{
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    QJsonObject body{
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("who"), QStringLiteral("pool test")}}},
        {QStringLiteral("envs"), QJsonObject{{QStringLiteral("GREETING"), QStringLiteral("hello warm world")},
                                             {QStringLiteral("LANG"), QStringLiteral("C")}}},
        {QStringLiteral("cpu_count"), 1},
        {QStringLiteral("memory_mb"), 256},
        {QStringLiteral("timeout"), 600},
        {QStringLiteral("preview_auth"), true},
        {QStringLiteral("allow_internet_access"), false},
    };
    // Served by the pool: the default disk, as every warm sandbox has.
    bool servedWarm = false;
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    const QDateTime beforeWarm = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QJsonObject w = createCounted(body, &servedWarm);
    const QDateTime afterWarm = QDateTime::currentDateTimeUtc().addMSecs(1);
    const QString warm = w.value(QStringLiteral("sandbox_id")).toString();
    QVERIFY(!warm.isEmpty());
    QVERIFY(servedWarm);
    // Made cold: a disk of another size than the pool's.
    body.insert(QStringLiteral("disk_mb"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    const QDateTime beforeCold = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QJsonObject c = createCounted(body, &servedWarm);
    const QDateTime afterCold = QDateTime::currentDateTimeUtc().addMSecs(1);
    const QString cold = c.value(QStringLiteral("sandbox_id")).toString();
    QVERIFY(!cold.isEmpty());
    QVERIFY(!servedWarm);

    // What the API says of each.
    const QRegularExpression idShape(QStringLiteral("^sbx_[a-z0-9]{16}$"));
    for (const auto &[info, before, after] : {std::tuple{w, beforeWarm, afterWarm}, {c, beforeCold, afterCold}}) {
        QVERIFY(idShape.match(info.value(QStringLiteral("sandbox_id")).toString()).hasMatch());
        const QDateTime created = time(info.value(QStringLiteral("created_at")));
        QVERIFY2(created >= before && created <= after, qPrintable(QJsonDocument(info).toJson()));
        const QDateTime started = time(info.value(QStringLiteral("started_at")));
        QVERIFY2(started >= created && started <= after, qPrintable(QJsonDocument(info).toJson()));
        QCOMPARE(created.secsTo(time(info.value(QStringLiteral("end_at")))), 600);
        QCOMPARE(info.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QVERIFY(!info.value(QStringLiteral("preview_token")).toString().isEmpty());
    }
    QVERIFY(w.value(QStringLiteral("preview_token")) != c.value(QStringLiteral("preview_token")));
    for (const char *field : {"template", "metadata", "cpu_count", "memory_mb", "node_id", "pause_kind", "preview_auth"})
        QCOMPARE(w.value(QLatin1String(field)), c.value(QLatin1String(field)));
    QJsonObject wNet = w.value(QStringLiteral("network")).toObject();
    QJsonObject cNet = c.value(QStringLiteral("network")).toObject();
    QVERIFY(!wNet.value(QStringLiteral("address")).toString().isEmpty());
    wNet.remove(QStringLiteral("address"));
    cNet.remove(QStringLiteral("address"));
    QCOMPARE(wNet, cNet);
    QCOMPARE(wNet.value(QStringLiteral("allow_internet_access")).toBool(true), false);

    // What each sees of itself.
    const QStringList wSelf = selfPortrait(warm);
    const QStringList cSelf = selfPortrait(cold);
    QCOMPARE(wSelf, cSelf);
    QVERIFY2(wSelf.join(QLatin1Char('\n')).contains(QStringLiteral("GREETING=hello warm world")), qPrintable(wSelf.join('\n')));
    QVERIFY2(wSelf.join(QLatin1Char('\n')).contains(QStringLiteral("268435456")), qPrintable(wSelf.join('\n')));
    QVERIFY2(wSelf.join(QLatin1Char('\n')).contains(QStringLiteral("LANG=C\n")), qPrintable(wSelf.join('\n')));

    // Its activity log starts at its creation, as the cold one's does.
    auto kinds = [this](const QString &id) {
        QStringList out;
        const ApiResponse r = m_api->get(sbx(id, QStringLiteral("/activity")));
        for (const QJsonValue &e : r.json().value(QStringLiteral("entries")).toArray()) {
            const QJsonObject o = e.toObject();
            out << o.value(QStringLiteral("kind")).toString() + QLatin1Char('/') + o.value(QStringLiteral("event")).toString();
        }
        return out;
    };
    QCOMPARE(kinds(warm), kinds(cold));
    QCOMPARE(kinds(warm).value(0), QStringLiteral("lifecycle/created"));

    // Both are the team's, and only they are.
    QStringList ids = m_api->sandboxIds();
    ids.sort();
    QStringList both{warm, cold};
    both.sort();
    QCOMPARE(ids, both);
}

void tst_warm_pool::warmSandboxKeepsItsSettings()
{
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    bool servedWarm = false;
    const QString id = createCounted(obj({{QStringLiteral("envs"), QJsonObject{{QStringLiteral("FOO"), QStringLiteral("kept")}}},
                                          {QStringLiteral("memory_mb"), 320}}),
                                     &servedWarm)
                           .value(QStringLiteral("sandbox_id"))
                           .toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(servedWarm);
    const QString ask = QStringLiteral(
        "echo $FOO; cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
    const QString want = QStringLiteral("kept\n%1\n").arg(320LL << 20);
    E2E_RUN(fresh, *m_api, id, ask, QJsonObject(), 0);
    QCOMPARE(fresh, want);

    // A pause that stops its processes starts it again from its record.
    E2E_EXPECT(paused, m_api->post(sbx(id, QStringLiteral("/pause")), QJsonObject()), 200);
    E2E_EXPECT(resumed, m_api->post(sbx(id, QStringLiteral("/resume")), QJsonObject()), 200);
    E2E_RUN(afterResume, *m_api, id, ask, QJsonObject(), 0);
    QCOMPARE(afterResume, want);

    // An engine crash: the sandbox is adopted as any other.
    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    E2E_RUN(afterCrash, *m_api, id, ask, QJsonObject(), 0);
    QCOMPARE(afterCrash, want);
}

void tst_warm_pool::crashLeavesNoWarmSandbox()
{
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    E2E_CREATE(mine, *m_api, QJsonObject());
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    const QStringList containers = m_engine->runcContainers();
    QSet<QString> warmBefore(containers.cbegin(), containers.cend());
    warmBefore.remove(mine);
    QCOMPARE(warmBefore.size(), kPoolSize);

    m_engine->killHard();
    QVERIFY2(m_engine->restart(), qPrintable(m_engine->errorString()));
    // The warm sandboxes of before are gone (files too); new ones are made.
    QTRY_COMPARE_WITH_TIMEOUT(warmCount(), kPoolSize, 60000);
    const QStringList now = m_engine->runcContainers();
    QVERIFY2(now.contains(mine), qPrintable(now.join(' ')));
    QCOMPARE(now.size(), kPoolSize + 1);
    for (const QString &old : std::as_const(warmBefore)) {
        QVERIFY2(!now.contains(old), qPrintable(old));
        QVERIFY(!QFileInfo::exists(m_engine->dataDir() + QStringLiteral("/sandboxes/") + old));
    }
    QCOMPARE(m_api->sandboxIds(), QStringList{mine});
}

QTEST_GUILESS_MAIN(tst_warm_pool)
#include "tst_warm_pool.moc"
