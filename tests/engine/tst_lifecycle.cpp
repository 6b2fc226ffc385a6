// SPDX-License-Identifier: GPL-3.0-or-later
// Sandbox lifecycle against the real engine: create, list, info, kill,
// timeouts, pause/resume, quotas, teams, keys, metrics, ETags and what a
// sandbox can and cannot see. One engine for the whole program.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTemporaryFile>
#include <QTest>

#include <memory>

using namespace E2e;

class tst_lifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void health();
    void templatesListed();
    void createDefaults();
    void createWithOptions();
    void listAndFilters();
    void killRemovesContainerAndMount();
    void setTimeout();
    void shortTimeoutKills();
    void pauseResumeThreeTimes();
    void pausedDoNotCountAgainstMaxRunning();
    void teamIsolation();
    void unauthorized_data();
    void unauthorized();
    void revokedKey();
    void metrics();
    void etag();
    void isolationFacts();
    void pidsLimit();

private:
    // Names of entries under the data dir (3 levels) that mention `id`:
    // what a kill must not leave behind. Not deeper, so the merged rootfs of
    // other running sandboxes is not walked.
    QStringList dataDirEntriesMentioning(const QString &id) const;
    int sandboxCount(ApiClient &api) { return api.sandboxIds().size(); }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    std::unique_ptr<ApiClient> m_other; // a second team
};

// The quota test needs a small cap; every other test stays under it.
static constexpr int kMaxRunning = 3;

void tst_lifecycle::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api, QStringList{QStringLiteral("--max-running"), QString::number(kMaxRunning)});
    const QString otherKey = m_engine->createKey(QStringLiteral("other"));
    QVERIFY2(otherKey.startsWith(QStringLiteral("ai2in_live_")), qPrintable(otherKey));
    m_other = std::make_unique<ApiClient>(m_engine->baseUrl(), otherKey);
}

void tst_lifecycle::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
    // Every test starts from no sandboxes, so the quota and list tests count
    // only their own.
    if (m_api)
        QCOMPARE(m_api->killAllSandboxes(), 0);
    if (m_other)
        QCOMPARE(m_other->killAllSandboxes(), 0);
}

void tst_lifecycle::cleanupTestCase()
{
    if (m_engine && m_engine->isRunning()) {
        QCOMPARE(m_api->sandboxIds().size(), 0);
        // Nothing of the killed sandboxes may stay on the host.
        QCOMPARE(m_engine->containersLeftAfterStop(), QStringList());
    }
    m_other.reset();
    m_api.reset();
    m_engine.reset();
}

QStringList tst_lifecycle::dataDirEntriesMentioning(const QString &id) const
{
    QStringList found;
    std::function<void(const QString &, int)> walk = [&](const QString &dir, int depth) {
        const QFileInfoList entries = QDir(dir).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
        for (const QFileInfo &e : entries) {
            if (e.fileName().contains(id))
                found << e.filePath();
            else if (depth > 1 && e.isDir() && !e.isSymLink())
                walk(e.filePath(), depth - 1);
        }
    };
    walk(m_engine->dataDir(), 3);
    return found;
}

void tst_lifecycle::templatesListed()
{
    // The templates a sandbox can be created from: the base one, built.
    E2E_EXPECT(r, m_api->get(QStringLiteral("/v1/templates")), 200);
    const QJsonArray list = r.json().value(QStringLiteral("templates")).toArray();
    QJsonObject base;
    for (const QJsonValue &v : list) {
        if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("base"))
            base = v.toObject();
    }
    QVERIFY2(!base.isEmpty(), r.body.constData());
    QCOMPARE(base.value(QStringLiteral("suite")).toString(), QStringLiteral("bookworm"));
    QVERIFY(isTimestamp(base.value(QStringLiteral("created_at"))));
    QVERIFY(base.value(QStringLiteral("packages")).toArray().contains(QStringLiteral("python3")));
}

void tst_lifecycle::health()
{
    ApiClient anonymous(m_engine->baseUrl(), QString());
    E2E_EXPECT(r, anonymous.get(QStringLiteral("/v1/health")), 200);
    const QJsonObject h = r.json();
    QCOMPARE(h.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QVERIFY(!h.value(QStringLiteral("version")).toString().isEmpty());
    QCOMPARE(h.value(QStringLiteral("node_id")).toString(), QStringLiteral("test-node"));

    // The key file is a secret: owner-only, and it says where to connect.
    const QString creds = m_engine->dataDir() + QStringLiteral("/credentials.json");
    const QFileDevice::Permissions perms = QFileInfo(creds).permissions();
    QCOMPARE(perms & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    QFile f(creds);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject c = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY2(c.value(QStringLiteral("api_key")).toString().startsWith(QStringLiteral("ai2in_live_")), qPrintable(creds));
    QCOMPARE(c.value(QStringLiteral("base_url")).toString(), m_engine->baseUrl().toString());

    // An unknown endpoint is a 404 in the error shape, not Qt's default page.
    E2E_ERROR(m_api->get(QStringLiteral("/v1/nothing-here")), 404, "not_found");
}

void tst_lifecycle::createDefaults()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1000);
    E2E_CREATE(id, *m_api, QJsonObject());
    const QDateTime after = QDateTime::currentDateTimeUtc().addMSecs(1000);
    QVERIFY2(QRegularExpression(QStringLiteral("^sbx_[a-z0-9]{16}$")).match(id).hasMatch(), qPrintable(id));

    E2E_EXPECT(info, m_api->sandbox(id), 200);
    for (const QJsonObject &s : {idCreated.json(), info.json()}) {
        QCOMPARE(s.value(QStringLiteral("sandbox_id")).toString(), id);
        QCOMPARE(s.value(QStringLiteral("template")).toString(), QStringLiteral("base"));
        QCOMPARE(s.value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QVERIFY2(isTimestamp(s.value(QStringLiteral("created_at"))), qPrintable(s.value(QStringLiteral("created_at")).toString()));
        QVERIFY(isTimestamp(s.value(QStringLiteral("started_at"))));
        const QDateTime created = time(s.value(QStringLiteral("created_at")));
        QVERIFY2(created >= before && created <= after, qPrintable(created.toString(Qt::ISODateWithMs)));
        QVERIFY(s.value(QStringLiteral("end_at")).isNull());
        QVERIFY(s.value(QStringLiteral("paused_at")).isNull());
        QCOMPARE(s.value(QStringLiteral("node_id")).toString(), QStringLiteral("test-node"));
        QVERIFY(s.value(QStringLiteral("metadata")).isObject());
        QVERIFY(s.value(QStringLiteral("metadata")).toObject().isEmpty());
        QCOMPARE(s.value(QStringLiteral("cpu_count")).toInt(), 2);
        QCOMPARE(s.value(QStringLiteral("memory_mb")).toInt(), 512);
    }
    // "Answers 201 once its agent answers": the first command needs no retry.
    E2E_RUN(out, *m_api, id, QStringLiteral("echo ready"), QJsonObject(), 0);
    QCOMPARE(out, QStringLiteral("ready\n"));
}

void tst_lifecycle::createWithOptions()
{
    const QJsonObject metadata{{QStringLiteral("session"), QStringLiteral("agent-42")},
                               {QStringLiteral("owner"), QStringLiteral("tests ✓")}};
    const QJsonObject envs{{QStringLiteral("FOO"), QStringLiteral("bar")},
                           {QStringLiteral("GREETING"), QStringLiteral("hello world")},
                           {QStringLiteral("_under9"), QStringLiteral("x=y")}};
    const QDateTime before = QDateTime::currentDateTimeUtc();
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("metadata"), metadata},
                                        {QStringLiteral("envs"), envs},
                                        {QStringLiteral("timeout"), 300},
                                        {QStringLiteral("cpu_count"), 2},
                                        {QStringLiteral("memory_mb"), 256}}));
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    const QJsonObject s = info.json();
    QCOMPARE(s.value(QStringLiteral("metadata")).toObject(), metadata);
    QCOMPARE(s.value(QStringLiteral("cpu_count")).toInt(), 2);
    QCOMPARE(s.value(QStringLiteral("memory_mb")).toInt(), 256);
    QVERIFY(isTimestamp(s.value(QStringLiteral("end_at"))));
    const qint64 lifetime = before.secsTo(time(s.value(QStringLiteral("end_at"))));
    QVERIFY2(lifetime >= 295 && lifetime <= 305, qPrintable(QString::number(lifetime)));

    E2E_RUN(out, *m_api, id, QStringLiteral("printf '%s|%s|%s' \"$FOO\" \"$GREETING\" \"$_under9\""), QJsonObject(), 0);
    QCOMPARE(out, QStringLiteral("bar|hello world|x=y"));
    // A command's own env goes on top of the sandbox's.
    E2E_RUN(out2, *m_api, id, QStringLiteral("printf '%s|%s' \"$FOO\" \"$GREETING\""),
            (QJsonObject{{QStringLiteral("env"), QJsonObject{{QStringLiteral("FOO"), QStringLiteral("override")}}}}), 0);
    QCOMPARE(out2, QStringLiteral("override|hello world"));
    // The envs reach root's commands too: they are the sandbox's, not a user's.
    E2E_RUN(out3, *m_api, id, QStringLiteral("printf '%s' \"$FOO\""),
            (QJsonObject{{QStringLiteral("user"), QStringLiteral("root")}}), 0);
    QCOMPARE(out3, QStringLiteral("bar"));

    // The limits are real, not just echoed back.
    E2E_EXPECT(m, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
    QCOMPARE(m.json().value(QStringLiteral("memory_limit_bytes")).toDouble(), 256.0 * 1024 * 1024);
    QCOMPARE(m.json().value(QStringLiteral("cpu_count")).toInt(), 2);
}

void tst_lifecycle::listAndFilters()
{
    const int before = sandboxCount(*m_api);
    QCOMPARE(before, 0);
    E2E_CREATE(a, *m_api, (QJsonObject{{QStringLiteral("metadata"),
                                        QJsonObject{{QStringLiteral("k"), QStringLiteral("a")},
                                                    {QStringLiteral("grp"), QStringLiteral("x y&z")}}}}));
    E2E_CREATE(b, *m_api, (QJsonObject{{QStringLiteral("metadata"),
                                        QJsonObject{{QStringLiteral("k"), QStringLiteral("b")},
                                                    {QStringLiteral("grp"), QStringLiteral("x y&z")}}}}));
    E2E_EXPECT(paused, m_api->postRaw(sbx(b, QStringLiteral("/pause")), QByteArray()), 200);

    E2E_EXPECT(all, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    const QJsonArray list = all.json().value(QStringLiteral("sandboxes")).toArray();
    QCOMPARE(list.size(), 2);
    // Oldest first.
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("sandbox_id")).toString(), a);
    QCOMPARE(list.at(1).toObject().value(QStringLiteral("sandbox_id")).toString(), b);
    QCOMPARE(list.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));

    QCOMPARE(m_api->sandboxIds(QStringLiteral("?state=running")), QStringList{a});
    QCOMPARE(m_api->sandboxIds(QStringLiteral("?state=paused")), QStringList{b});
    QCOMPARE(m_api->sandboxIds(QStringLiteral("?state=running,paused")), (QStringList{a, b}));
    QCOMPARE(m_api->sandboxIds(QStringLiteral("?state=") + ApiClient::q(QStringLiteral("running,paused"))), (QStringList{a, b}));

    // metadata=urlencode({"k": "a"}) → "k%3Da"; values with blanks and '&'
    // are encoded twice over, as the SDK does.
    const auto meta = [](const QString &pairs) { return QStringLiteral("?metadata=") + ApiClient::q(pairs); };
    const QString grp = QStringLiteral("grp=") + ApiClient::q(QStringLiteral("x y&z"));
    QCOMPARE(m_api->sandboxIds(meta(QStringLiteral("k=a"))), QStringList{a});
    QCOMPARE(m_api->sandboxIds(meta(QStringLiteral("k=b"))), QStringList{b});
    QCOMPARE(m_api->sandboxIds(meta(grp)), (QStringList{a, b}));
    QCOMPARE(m_api->sandboxIds(meta(QStringLiteral("k=a&") + grp)), QStringList{a});
    QCOMPARE(m_api->sandboxIds(meta(QStringLiteral("k=c"))), QStringList());
    QCOMPARE(m_api->sandboxIds(meta(QStringLiteral("k=a")) + QStringLiteral("&state=paused")), QStringList());
    QCOMPARE(m_api->sandboxIds(meta(QStringLiteral("k=b")) + QStringLiteral("&state=paused")), QStringList{b});

    E2E_ERROR(m_api->get(QStringLiteral("/v1/sandboxes?state=sleeping")), 400, "bad_request");
}

void tst_lifecycle::killRemovesContainerAndMount()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const QStringList containers = m_engine->runcContainers();
    QVERIFY2(containers.contains(id), qPrintable(QStringLiteral("runc containers: ") + containers.join(QLatin1Char(' '))));
    QVERIFY2(!m_engine->mountsContaining(id).isEmpty(), "the sandbox's rootfs should be a mount naming its id");

    const ApiResponse killed = m_api->del(sbx(id));
    QVERIFY2(killed.status == 204, killed.describe().constData());
    QVERIFY(killed.body.isEmpty());
    E2E_ERROR(m_api->sandbox(id), 404, "not_found");
    E2E_ERROR(m_api->del(sbx(id)), 404, "not_found");
    QVERIFY(!m_api->sandboxIds().contains(id));
    // Kill is synchronous in the contract ("destroys"): nothing may remain now.
    QVERIFY2(!m_engine->runcContainers().contains(id), qPrintable(m_engine->runcContainers().join(QLatin1Char(' '))));
    QCOMPARE(m_engine->mountsContaining(id), QStringList());
    QCOMPARE(dataDirEntriesMentioning(id), QStringList());

    // A paused sandbox is killed just as completely.
    E2E_CREATE(paused, *m_api, QJsonObject());
    E2E_EXPECT(p, m_api->postRaw(sbx(paused, QStringLiteral("/pause")), QByteArray()), 200);
    E2E_EXPECT(killedPaused, m_api->del(sbx(paused)), 204);
    E2E_ERROR(m_api->sandbox(paused), 404, "not_found");
    QVERIFY(!m_engine->runcContainers().contains(paused));
    QCOMPARE(m_engine->mountsContaining(paused), QStringList());
    QCOMPARE(dataDirEntriesMentioning(paused), QStringList());
}

void tst_lifecycle::setTimeout()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    QVERIFY(idCreated.json().value(QStringLiteral("end_at")).isNull());

    QDateTime now = QDateTime::currentDateTimeUtc();
    E2E_EXPECT(longer, m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 600}}), 200);
    qint64 left = now.secsTo(time(longer.json().value(QStringLiteral("end_at"))));
    QVERIFY2(left >= 595 && left <= 605, longer.describe().constData());

    // Counted from now, so a shorter one moves end_at earlier.
    now = QDateTime::currentDateTimeUtc();
    E2E_EXPECT(shorter, m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 60}}), 200);
    left = now.secsTo(time(shorter.json().value(QStringLiteral("end_at"))));
    QVERIFY2(left >= 55 && left <= 65, shorter.describe().constData());
    E2E_EXPECT(info, m_api->sandbox(id), 200);
    QCOMPARE(info.json().value(QStringLiteral("end_at")), shorter.json().value(QStringLiteral("end_at")));

    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 86401}}), 400, "bad_request");
    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 0}}), 400, "bad_request");
    E2E_ERROR(m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject()), 400, "bad_request");
    E2E_EXPECT(unchanged, m_api->sandbox(id), 200);
    QCOMPARE(unchanged.json().value(QStringLiteral("end_at")), shorter.json().value(QStringLiteral("end_at")));

    now = QDateTime::currentDateTimeUtc();
    E2E_EXPECT(max, m_api->post(sbx(id, QStringLiteral("/timeout")), QJsonObject{{QStringLiteral("timeout"), 86400}}), 200);
    left = now.secsTo(time(max.json().value(QStringLiteral("end_at"))));
    QVERIFY2(left >= 86395 && left <= 86405, max.describe().constData());
    E2E_ERROR(m_api->post(sbx(QStringLiteral("sbx_0000000000000000"), QStringLiteral("/timeout")),
                          QJsonObject{{QStringLiteral("timeout"), 60}}),
              404, "not_found");
}

void tst_lifecycle::shortTimeoutKills()
{
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("timeout"), 3}}));
    E2E_RUN(out, *m_api, id, QStringLiteral("echo alive"), QJsonObject(), 0);
    QCOMPARE(out, QStringLiteral("alive\n"));
    QTRY_COMPARE_WITH_TIMEOUT(m_api->sandbox(id).status, 404, 20000);
    QVERIFY(!m_api->sandboxIds().contains(id));
    QTRY_VERIFY_WITH_TIMEOUT(!m_engine->runcContainers().contains(id), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_engine->mountsContaining(id), QStringList(), 10000);
}

void tst_lifecycle::pauseResumeThreeTimes()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const QJsonObject asRoot{{QStringLiteral("user"), QStringLiteral("root")}};
    E2E_RUN(w1, *m_api, id,
            QStringLiteral("echo home > /home/sandbox/h.txt && mkdir -p /home/sandbox/deep/er && echo deep > /home/sandbox/deep/er/d.txt"
                           " && echo tmp > /tmp/t.txt"),
            QJsonObject(), 0);
    E2E_RUN(w2, *m_api, id, QStringLiteral("echo etc > /etc/ai2in-test.conf && mkdir -p /var/lib/x && echo varlib > /var/lib/x/f"
                                           " && rm /etc/issue.net"), asRoot, 0);
    // A file from the files API, with bytes a shell would mangle.
    const QByteArray blob = QByteArray("bin\0ary\n\xff\xfe", 11).repeated(1000);
    E2E_EXPECT(up, m_api->put(sbx(id, QStringLiteral("/files/content?path=") + ApiClient::q(QStringLiteral("/home/sandbox/blob.bin"))), blob), 200);
    E2E_EXPECT(bg, m_api->run(id, QStringLiteral("exec sleep 1000"), QJsonObject{{QStringLiteral("background"), true}}), 201);

    const QString check = QStringLiteral(
        "cat /home/sandbox/h.txt /home/sandbox/deep/er/d.txt /tmp/t.txt /etc/ai2in-test.conf /var/lib/x/f"
        " && test ! -e /etc/issue.net && echo removed-stays-removed");
    QDateTime lastStart = time(idCreated.json().value(QStringLiteral("started_at")));
    for (int round = 1; round <= 3; ++round) {
        const QString r = QString::number(round);
        E2E_EXPECT(p, m_api->postRaw(sbx(id, QStringLiteral("/pause")), QByteArray()), 200);
        QCOMPARE(p.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
        QVERIFY2(isTimestamp(p.json().value(QStringLiteral("paused_at"))), p.describe().constData());
        E2E_EXPECT(info, m_api->sandbox(id), 200);
        QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));

        // What a paused sandbox refuses, and what it still answers.
        E2E_ERROR(m_api->postRaw(sbx(id, QStringLiteral("/pause")), QByteArray()), 409, "conflict");
        E2E_ERROR(m_api->run(id, QStringLiteral("true")), 409, "conflict");
        E2E_ERROR(m_api->get(sbx(id, QStringLiteral("/files?path=") + ApiClient::q(QStringLiteral("/home/sandbox")))), 409, "conflict");
        E2E_EXPECT(m, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
        QCOMPARE(m.json().value(QStringLiteral("cpu_percent")).toDouble(), 0.0);
        QCOMPARE(m.json().value(QStringLiteral("memory_bytes")).toDouble(), 0.0);
        QCOMPARE(m.json().value(QStringLiteral("pids")).toInt(), 0);

        // Round 2 resumes through connect's auto_resume, the SDK's path.
        ApiResponse resumed;
        if (round == 2)
            resumed = m_api->post(sbx(id, QStringLiteral("/connect")), QJsonObject{{QStringLiteral("auto_resume"), true}});
        else
            resumed = m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray());
        QVERIFY2(resumed.status == 200, resumed.describe().constData());
        QCOMPARE(resumed.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
        QVERIFY(resumed.json().value(QStringLiteral("paused_at")).isNull());
        const QDateTime started = time(resumed.json().value(QStringLiteral("started_at")));
        QVERIFY2(started > lastStart, resumed.describe().constData());
        lastStart = started;
        E2E_ERROR(m_api->postRaw(sbx(id, QStringLiteral("/resume")), QByteArray()), 409, "conflict");

        // Everything from before every pause is still there.
        E2E_RUN(out, *m_api, id, check, QJsonObject(), 0);
        QCOMPARE(out, QStringLiteral("home\ndeep\ntmp\netc\nvarlib\nremoved-stays-removed\n"));
        for (int earlier = 1; earlier < round; ++earlier) {
            E2E_RUN(prev, *m_api, id, QStringLiteral("cat /home/sandbox/round%1 /var/tmp/round%1").arg(earlier), QJsonObject(), 0);
            QCOMPARE(prev, QStringLiteral("%1\n%1\n").arg(earlier));
        }
        E2E_RUN(mark, *m_api, id, QStringLiteral("echo %1 > /home/sandbox/round%1 && echo %1 > /var/tmp/round%1").arg(r), QJsonObject(), 0);
        E2E_EXPECT(down, m_api->get(sbx(id, QStringLiteral("/files/content?path=blob.bin"))), 200);
        QVERIFY2(down.body == blob, qPrintable(QStringLiteral("blob differs after round %1 (%2 bytes)").arg(round).arg(down.body.size())));

        // Processes do not survive a pause: the sleep is gone.
        E2E_RUN(ps, *m_api, id, QStringLiteral("ps -eo comm= | grep -cx sleep || true"), QJsonObject(), 0);
        QCOMPARE(ps.trimmed(), QStringLiteral("0"));
    }
}

void tst_lifecycle::pausedDoNotCountAgainstMaxRunning()
{
    QCOMPARE(sandboxCount(*m_api), 0);
    QStringList ids;
    for (int i = 0; i < kMaxRunning; ++i) {
        E2E_CREATE(id, *m_api, QJsonObject());
        ids << id;
    }
    E2E_ERROR(m_api->createSandbox(), 429, "quota_exceeded");
    QCOMPARE(sandboxCount(*m_api), kMaxRunning); // nothing half-made
    // The cap is per team: another team still gets its own.
    E2E_CREATE(others, *m_other, QJsonObject());

    E2E_EXPECT(p, m_api->postRaw(sbx(ids[0], QStringLiteral("/pause")), QByteArray()), 200);
    E2E_CREATE(extra, *m_api, QJsonObject());
    E2E_RUN(out, *m_api, extra, QStringLiteral("echo ok"), QJsonObject(), 0);
    // Resuming would make kMaxRunning + 1 running.
    E2E_ERROR(m_api->postRaw(sbx(ids[0], QStringLiteral("/resume")), QByteArray()), 429, "quota_exceeded");
    E2E_EXPECT(still, m_api->sandbox(ids[0]), 200);
    QCOMPARE(still.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    E2E_EXPECT(k, m_api->del(sbx(extra)), 204);
    E2E_EXPECT(r, m_api->postRaw(sbx(ids[0], QStringLiteral("/resume")), QByteArray()), 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
}

void tst_lifecycle::teamIsolation()
{
    E2E_CREATE(mine, *m_api, QJsonObject());
    E2E_CREATE(theirs, *m_other, QJsonObject());

    const QString file = QStringLiteral("?path=") + ApiClient::q(QStringLiteral("/home/sandbox/x"));
    struct Verb { QByteArray method; QString suffix; QByteArray body; };
    const QList<Verb> verbs{
        {"GET", QString(), {}},
        {"POST", QStringLiteral("/connect"), "{}"},
        {"POST", QStringLiteral("/timeout"), R"({"timeout": 60})"},
        {"POST", QStringLiteral("/pause"), {}},
        {"POST", QStringLiteral("/resume"), {}},
        {"GET", QStringLiteral("/metrics"), {}},
        {"POST", QStringLiteral("/commands"), R"({"cmd": "touch /tmp/intruder"})"},
        {"GET", QStringLiteral("/commands"), {}},
        {"GET", QStringLiteral("/files") + file, {}},
        {"GET", QStringLiteral("/files/content") + file, {}},
        {"PUT", QStringLiteral("/files/content") + file, "intruder"},
        {"GET", QStringLiteral("/files/stat") + file, {}},
        {"GET", QStringLiteral("/files/exists") + file, {}},
        {"DELETE", QStringLiteral("/files") + file, {}},
        {"POST", QStringLiteral("/files/mkdir"), R"({"path": "/tmp/intruder"})"},
        {"POST", QStringLiteral("/files/rename"), R"({"from": "/etc/hostname", "to": "/tmp/h"})"},
        {"DELETE", QString(), {}},
    };
    for (const Verb &v : verbs) {
        const ApiResponse r = m_other->request(v.method, sbx(mine, v.suffix), v.body,
                                               v.body.isEmpty() ? QByteArray() : QByteArray("application/json"));
        QVERIFY2(r.status == 404 && r.errorCode() == QStringLiteral("not_found"),
                 qPrintable(QStringLiteral("%1 %2 by another team: %3").arg(QString::fromLatin1(v.method), v.suffix,
                                                                           QString::fromUtf8(r.describe()))));
    }
    // The same shape as a sandbox that does not exist at all: nothing leaks.
    const ApiResponse ghost = m_other->sandbox(QStringLiteral("sbx_0000000000000000"));
    QCOMPARE(ghost.status, 404);

    // Nothing of those requests reached the sandbox.
    E2E_EXPECT(info, m_api->sandbox(mine), 200);
    QCOMPARE(info.json().value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QVERIFY(info.json().value(QStringLiteral("end_at")).isNull());
    E2E_RUN(out, *m_api, mine, QStringLiteral("ls /tmp/intruder /home/sandbox/x 2>/dev/null | wc -l"), QJsonObject(), 0);
    QCOMPARE(out.trimmed(), QStringLiteral("0"));

    QCOMPARE(m_api->sandboxIds(), QStringList{mine});
    QCOMPARE(m_other->sandboxIds(), QStringList{theirs});
    E2E_ERROR(m_api->sandbox(theirs), 404, "not_found");
    E2E_ERROR(m_api->del(sbx(theirs)), 404, "not_found");
    E2E_EXPECT(still, m_other->sandbox(theirs), 200);
}

void tst_lifecycle::unauthorized_data()
{
    QTest::addColumn<QByteArray>("authorization"); // "" sends no header at all
    QTest::newRow("no header") << QByteArray();
    QTest::newRow("empty bearer") << QByteArray("Bearer ");
    QTest::newRow("not bearer") << QByteArray("Basic dXNlcjpwYXNz");
    QTest::newRow("malformed") << QByteArray("Bearer not-a-key");
    QTest::newRow("unknown key") << QByteArray("Bearer ai2in_live_00000000000000000000000000000000");
    QTest::newRow("key with blank") << QByteArray("Bearer ai2in_live_ x");
}

void tst_lifecycle::unauthorized()
{
    QFETCH(QByteArray, authorization);
    ApiClient raw(m_engine->baseUrl(), QString());
    ApiClient::Headers headers;
    if (!authorization.isEmpty())
        headers << qMakePair(QByteArray("Authorization"), authorization);
    E2E_ERROR(raw.request("GET", QStringLiteral("/v1/sandboxes"), {}, {}, headers), 401, "unauthorized");
    E2E_ERROR(raw.request("POST", QStringLiteral("/v1/sandboxes"), "{}", "application/json", headers), 401, "unauthorized");
    E2E_ERROR(raw.request("GET", QStringLiteral("/v1/sandboxes/sbx_0000000000000000"), {}, {}, headers), 401, "unauthorized");
    E2E_ERROR(raw.request("GET", QStringLiteral("/v1/templates"), {}, {}, headers), 401, "unauthorized");
    QCOMPARE(sandboxCount(*m_api), 0);
}

void tst_lifecycle::revokedKey()
{
    const QString key = m_engine->createKey(QStringLiteral("short-lived"));
    QVERIFY(!key.isEmpty());
    QVERIFY(key != m_other->apiKey());
    ApiClient api(m_engine->baseUrl(), key);
    E2E_EXPECT(ok, api.get(QStringLiteral("/v1/sandboxes")), 200);
    QVERIFY(m_engine->revokeKey(key));
    // Revocation works on a running engine; allow it a moment to notice.
    QTRY_COMPARE_WITH_TIMEOUT(api.get(QStringLiteral("/v1/sandboxes")).status, 401, 5000);
    E2E_ERROR(api.createSandbox(), 401, "unauthorized");
    // Other keys are untouched.
    E2E_EXPECT(still, m_other->get(QStringLiteral("/v1/sandboxes")), 200);
    QVERIFY(!m_engine->revokeKey(QStringLiteral("ai2in_live_doesnotexist")));
}

void tst_lifecycle::metrics()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(m, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
    const QJsonObject o = m.json();
    QVERIFY2(isTimestamp(o.value(QStringLiteral("timestamp"))), m.describe().constData());
    QVERIFY2(o.value(QStringLiteral("memory_bytes")).toDouble() > 0, m.describe().constData());
    QVERIFY2(o.value(QStringLiteral("pids")).toInt() >= 1, m.describe().constData());
    QCOMPARE(o.value(QStringLiteral("cpu_count")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("memory_limit_bytes")).toDouble(), 512.0 * 1024 * 1024);
    QVERIFY(o.value(QStringLiteral("uptime_seconds")).toDouble() >= 0);
    QVERIFY(o.value(QStringLiteral("cpu_percent")).isDouble());

    E2E_EXPECT(yes, m_api->run(id, QStringLiteral("yes > /dev/null"), QJsonObject{{QStringLiteral("background"), true}}), 201);
    double seen = 0;
    QTRY_VERIFY2_WITH_TIMEOUT((seen = m_api->get(sbx(id, QStringLiteral("/metrics"))).json()
                                          .value(QStringLiteral("cpu_percent")).toDouble()) > 30,
                              qPrintable(QStringLiteral("cpu_percent stayed at %1").arg(seen)), 20000);
    // One CPU's quota: never (much) above 100 %.
    QVERIFY2(seen <= 110, qPrintable(QString::number(seen)));
    E2E_EXPECT(more, m_api->get(sbx(id, QStringLiteral("/metrics"))), 200);
    QVERIFY(more.json().value(QStringLiteral("pids")).toInt() >= 2);
    QVERIFY(more.json().value(QStringLiteral("uptime_seconds")).toDouble() > 0);
    E2E_ERROR(m_api->get(sbx(QStringLiteral("sbx_0000000000000000"), QStringLiteral("/metrics"))), 404, "not_found");
}

void tst_lifecycle::etag()
{
    E2E_EXPECT(first, m_api->get(QStringLiteral("/v1/sandboxes")), 200);
    const QByteArray tag = first.header("ETag");
    QVERIFY2(!tag.isEmpty(), "the list has no ETag");
    const ApiClient::Headers ifNone{qMakePair(QByteArray("If-None-Match"), tag)};
    const ApiResponse same = m_api->get(QStringLiteral("/v1/sandboxes"), ifNone);
    QVERIFY2(same.status == 304, same.describe().constData());
    QVERIFY(same.body.isEmpty());

    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_EXPECT(changed, m_api->get(QStringLiteral("/v1/sandboxes"), ifNone), 200);
    const QByteArray tag2 = changed.header("ETag");
    QVERIFY(!tag2.isEmpty());
    QVERIFY(tag2 != tag);
    QCOMPARE(changed.json().value(QStringLiteral("sandboxes")).toArray().size(), 1);

    // A change of status changes the list too.
    E2E_EXPECT(p, m_api->postRaw(sbx(id, QStringLiteral("/pause")), QByteArray()), 200);
    E2E_EXPECT(afterPause, m_api->get(QStringLiteral("/v1/sandboxes"), {qMakePair(QByteArray("If-None-Match"), tag2)}), 200);
    QVERIFY(afterPause.header("ETag") != tag2);

    // Tags are per team: the other team's empty list must not match ours.
    E2E_EXPECT(otherList, m_other->get(QStringLiteral("/v1/sandboxes")), 200);
    QVERIFY(otherList.header("ETag") != afterPause.header("ETag"));
}

void tst_lifecycle::isolationFacts()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    const QJsonObject asRoot{{QStringLiteral("user"), QStringLiteral("root")}};

    E2E_RUN(uid, *m_api, id, QStringLiteral("id -u; id -un; pwd"), QJsonObject(), 0);
    QCOMPARE(uid, QStringLiteral("1000\nsandbox\n/home/sandbox\n"));
    E2E_RUN(rootId, *m_api, id, QStringLiteral("id -u"), asRoot, 0);
    QCOMPARE(rootId, QStringLiteral("0\n"));

    // Its own UTS namespace.
    E2E_RUN(host, *m_api, id, QStringLiteral("hostname"), QJsonObject(), 0);
    QVERIFY(!host.trimmed().isEmpty());
    QVERIFY2(host.trimmed() != QSysInfo::machineHostName(), qPrintable(host));

    // Its own network namespace: loopback and its one link to the host
    // (the host's interfaces are not there).
    E2E_RUN(dev, *m_api, id, QStringLiteral("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort"), QJsonObject(), 0);
    QCOMPARE(dev.trimmed(), QStringLiteral("eth0\nlo"));

    // The host's files are not there: a marker made just now on the host.
    QTemporaryFile marker(QStringLiteral("/tmp/ai2in-host-marker-XXXXXX"));
    QVERIFY(marker.open());
    E2E_RUN(seen, *m_api, id, QStringLiteral("test -e %1 && echo visible || echo hidden; test -e /work && echo work || true")
                                  .arg(marker.fileName()),
            asRoot, 0);
    QCOMPARE(seen, QStringLiteral("hidden\n"));

    // Root inside is a mapped, unprivileged uid outside.
    E2E_RUN(map, *m_api, id, QStringLiteral("cat /proc/self/uid_map"), QJsonObject(), 0);
    const QStringList fields = map.split(QLatin1Char('\n')).value(0).simplified().split(QLatin1Char(' '));
    QCOMPARE(fields.size(), 3);
    QCOMPARE(fields[0], QStringLiteral("0"));
    QVERIFY2(fields[1] != QStringLiteral("0"), qPrintable(map));
    QVERIFY2(fields[2].toLongLong() >= 1001, qPrintable(map)); // root and the sandbox user at least

    // Root in the sandbox owns the system, as apt-get needs.
    E2E_RUN(sys, *m_api, id,
            QStringLiteral("mkdir -p /usr/lib/ai2in-test && cp /bin/true /usr/lib/ai2in-test/ && /usr/lib/ai2in-test/true"
                           " && touch /var/lib/dpkg/status /usr/bin/ai2in-new && echo done"),
            asRoot, 0);
    QCOMPARE(sys, QStringLiteral("done\n"));
    E2E_RUN(owner, *m_api, id, QStringLiteral("stat -c %U /usr/bin/ai2in-new /usr/bin/env /home/sandbox"), QJsonObject(), 0);
    QCOMPARE(owner, QStringLiteral("root\nroot\nsandbox\n"));
    // …and the sandbox user does not.
    const ApiResponse denied = m_api->run(id, QStringLiteral("touch /usr/bin/nope"));
    QCOMPARE(denied.status, 200);
    QVERIFY2(denied.json().value(QStringLiteral("exit_code")).toInt() != 0, denied.describe().constData());
}

void tst_lifecycle::pidsLimit()
{
    E2E_CREATE(id, *m_api, QJsonObject());
    E2E_CREATE(bystander, *m_api, QJsonObject());
    E2E_EXPECT(bomb, m_api->run(id, QStringLiteral("for i in $(seq 2000); do sleep 60 & done 2>/dev/null; wait"),
                                QJsonObject{{QStringLiteral("background"), true}}),
               201);
    const QString bombId = bomb.json().value(QStringLiteral("command_id")).toString();
    int pids = 0;
    QTRY_VERIFY2_WITH_TIMEOUT((pids = m_api->get(sbx(id, QStringLiteral("/metrics"))).json()
                                          .value(QStringLiteral("pids")).toInt()) >= 1000,
                              qPrintable(QStringLiteral("pids reached only %1").arg(pids)), 60000);
    QVERIFY2(pids <= 1024, qPrintable(QString::number(pids)));

    // The engine and the other sandbox do not notice.
    ApiClient anonymous(m_engine->baseUrl(), QString());
    E2E_EXPECT(h, anonymous.get(QStringLiteral("/v1/health")), 200);
    E2E_RUN(fine, *m_api, bystander, QStringLiteral("echo fine"), QJsonObject(), 0);
    QCOMPARE(fine, QStringLiteral("fine\n"));

    // Killing the loop's process group frees the sandbox again.
    E2E_EXPECT(k, m_api->post(sbx(id, QStringLiteral("/commands/") + bombId + QStringLiteral("/kill")),
                              QJsonObject{{QStringLiteral("signal"), 9}}),
               200);
    QTRY_VERIFY_WITH_TIMEOUT(m_api->get(sbx(id, QStringLiteral("/metrics"))).json().value(QStringLiteral("pids")).toInt() < 50, 30000);
    E2E_RUN(again, *m_api, id, QStringLiteral("echo again"), QJsonObject(), 0);
    QCOMPARE(again, QStringLiteral("again\n"));
}

QTEST_GUILESS_MAIN(tst_lifecycle)
#include "tst_lifecycle.moc"
