// SPDX-License-Identifier: GPL-3.0-or-later
// Commands and files inside one sandbox, end to end through the engine and
// the agent.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

#include <memory>

using namespace E2e;

class tst_commands_files : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void runOutputAndExitCode();
    void runCwdEnvUser();
    void runTimeout();
    void background();
    void backgroundKillTakesTheGroup();
    void backgroundStdin();
    void filesWriteReadBinary();
    void filesLargeRoundTrip();
    void filesListStatExists();
    void filesRemoveRenameMkdir();
    void filesPermissionDenied();

private:
    QString cmdPath(const QString &suffix = {}) const { return sbx(m_id, QStringLiteral("/commands") + suffix); }
    QString filePath(const QString &what, const QString &path) const
    {
        return sbx(m_id, QStringLiteral("/files") + what + QStringLiteral("?path=") + ApiClient::q(path));
    }
    QJsonObject logs(const QString &commandId) { return m_api->get(cmdPath(QStringLiteral("/") + commandId)).json(); }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_id;
};

void tst_commands_files::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    // One sandbox for the whole program: these tests look inside, not at
    // the lifecycle.
    E2E_CREATE(id, *m_api, (QJsonObject{{QStringLiteral("envs"), QJsonObject{{QStringLiteral("SANDBOX_WIDE"), QStringLiteral("yes")}}}}));
    m_id = id;
}

void tst_commands_files::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
}

void tst_commands_files::cleanupTestCase()
{
    if (m_api && !m_id.isEmpty())
        QCOMPARE(m_api->del(sbx(m_id)).status, 204);
    m_api.reset();
    m_engine.reset();
}

void tst_commands_files::runOutputAndExitCode()
{
    E2E_EXPECT(r, m_api->run(m_id, QStringLiteral("echo out; echo err >&2; printf 'ünï\\n'; exit 3")), 200);
    const QJsonObject o = r.json();
    QCOMPARE(o.value(QStringLiteral("stdout")).toString(), QStringLiteral("out\nünï\n"));
    QCOMPARE(o.value(QStringLiteral("stderr")).toString(), QStringLiteral("err\n"));
    QCOMPARE(o.value(QStringLiteral("exit_code")).toInt(), 3);
    QVERIFY2(QRegularExpression(QStringLiteral("^cmd_[a-z0-9]{16}$")).match(o.value(QStringLiteral("command_id")).toString()).hasMatch(),
             r.describe().constData());
    QVERIFY(o.value(QStringLiteral("pid")).toInt() > 1);

    // Killed by a signal: 128 + S.
    E2E_RUN(sig, *m_api, m_id, QStringLiteral("kill -9 $$"), QJsonObject(), 137);
    // bash -c, so bash syntax works.
    E2E_RUN(bash, *m_api, m_id, QStringLiteral("a=(x y z); echo ${#a[@]} $((6*7))"), QJsonObject(), 0);
    QCOMPARE(bash, QStringLiteral("3 42\n"));
    // stdin of a blocking run is closed at once: cat ends instead of hanging.
    E2E_RUN(cat, *m_api, m_id, QStringLiteral("cat; echo after"), QJsonObject(), 0);
    QCOMPARE(cat, QStringLiteral("after\n"));

    // The blocking run shows up in the list as exited.
    const QString cid = o.value(QStringLiteral("command_id")).toString();
    E2E_EXPECT(list, m_api->get(cmdPath()), 200);
    bool found = false;
    for (const QJsonValue &v : list.json().value(QStringLiteral("commands")).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(QStringLiteral("command_id")).toString() != cid)
            continue;
        found = true;
        QCOMPARE(c.value(QStringLiteral("status")).toString(), QStringLiteral("exited"));
        QCOMPARE(c.value(QStringLiteral("exit_code")).toInt(), 3);
        QCOMPARE(c.value(QStringLiteral("user")).toString(), QStringLiteral("sandbox"));
        QVERIFY(isTimestamp(c.value(QStringLiteral("started_at"))));
        QVERIFY(isTimestamp(c.value(QStringLiteral("ended_at"))));
        QVERIFY(c.value(QStringLiteral("cmd")).toString().startsWith(QStringLiteral("echo out")));
    }
    QVERIFY2(found, list.describe().constData());
}

void tst_commands_files::runCwdEnvUser()
{
    E2E_RUN(home, *m_api, m_id, QStringLiteral("pwd; echo $HOME $USER $SANDBOX_WIDE"), QJsonObject(), 0);
    QCOMPARE(home, QStringLiteral("/home/sandbox\n/home/sandbox sandbox yes\n"));
    E2E_RUN(mk, *m_api, m_id, QStringLiteral("mkdir -p proj/sub"), QJsonObject(), 0);
    // cwd is relative to the home, or absolute.
    E2E_RUN(rel, *m_api, m_id, QStringLiteral("pwd"), (QJsonObject{{QStringLiteral("cwd"), QStringLiteral("proj/sub")}}), 0);
    QCOMPARE(rel, QStringLiteral("/home/sandbox/proj/sub\n"));
    E2E_RUN(abs, *m_api, m_id, QStringLiteral("pwd"), (QJsonObject{{QStringLiteral("cwd"), QStringLiteral("/tmp")}}), 0);
    QCOMPARE(abs, QStringLiteral("/tmp\n"));

    E2E_RUN(env, *m_api, m_id, QStringLiteral("echo \"$CI|$SANDBOX_WIDE|$WITH_SPACE\""),
            (QJsonObject{{QStringLiteral("env"), QJsonObject{{QStringLiteral("CI"), QStringLiteral("1")},
                                                             {QStringLiteral("WITH_SPACE"), QStringLiteral("a b")}}}}),
            0);
    QCOMPARE(env, QStringLiteral("1|yes|a b\n"));
    // A command's env does not stick to the next one.
    E2E_RUN(gone, *m_api, m_id, QStringLiteral("echo \"[$CI]\""), QJsonObject(), 0);
    QCOMPARE(gone, QStringLiteral("[]\n"));

    E2E_RUN(root, *m_api, m_id, QStringLiteral("id -u; pwd; echo $HOME"), (QJsonObject{{QStringLiteral("user"), QStringLiteral("root")}}), 0);
    QCOMPARE(root, QStringLiteral("0\n/root\n/root\n"));
    E2E_RUN(user, *m_api, m_id, QStringLiteral("id -u; id -g"), (QJsonObject{{QStringLiteral("user"), QStringLiteral("sandbox")}}), 0);
    QCOMPARE(user, QStringLiteral("1000\n1000\n"));
}

void tst_commands_files::runTimeout()
{
    QElapsedTimer clock;
    clock.start();
    const ApiResponse r = m_api->run(m_id, QStringLiteral("echo started; echo e >&2; sleep 30 & exec sleep 30"),
                                     QJsonObject{{QStringLiteral("timeout"), 2}});
    E2E_ERROR(r, 504, "timeout");
    QVERIFY2(clock.elapsed() < 15000, qPrintable(QString::number(clock.elapsed())));
    const QJsonObject err = r.json().value(QStringLiteral("error")).toObject();
    QCOMPARE(err.value(QStringLiteral("stdout")).toString(), QStringLiteral("started\n"));
    QCOMPARE(err.value(QStringLiteral("stderr")).toString(), QStringLiteral("e\n"));
    QVERIFY2(err.value(QStringLiteral("command_id")).toString().startsWith(QStringLiteral("cmd_")), r.describe().constData());
    // The whole group was killed, the backgrounded sleep too.
    QTRY_COMPARE_WITH_TIMEOUT(m_api->run(m_id, QStringLiteral("pgrep -c -x sleep || true")).json()
                                  .value(QStringLiteral("stdout")).toString().trimmed(),
                              QStringLiteral("0"), 10000);
}

void tst_commands_files::background()
{
    E2E_EXPECT(start, m_api->run(m_id, QStringLiteral("echo begin; sleep 1; echo end >&2; exit 7"),
                                 QJsonObject{{QStringLiteral("background"), true}, {QStringLiteral("cwd"), QStringLiteral("/tmp")}}),
               201);
    const QString cid = start.json().value(QStringLiteral("command_id")).toString();
    QVERIFY(cid.startsWith(QStringLiteral("cmd_")));
    QVERIFY(start.json().value(QStringLiteral("pid")).toInt() > 1);

    bool sawRunning = false;
    E2E_EXPECT(list, m_api->get(cmdPath()), 200);
    for (const QJsonValue &v : list.json().value(QStringLiteral("commands")).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(QStringLiteral("command_id")).toString() == cid) {
            sawRunning = c.value(QStringLiteral("status")).toString() == QStringLiteral("running");
            QVERIFY(c.value(QStringLiteral("exit_code")).isNull());
            QVERIFY(c.value(QStringLiteral("ended_at")).isNull());
            QCOMPARE(c.value(QStringLiteral("cwd")).toString(), QStringLiteral("/tmp"));
        }
    }
    QVERIFY2(sawRunning, list.describe().constData());

    QTRY_COMPARE_WITH_TIMEOUT(logs(cid).value(QStringLiteral("status")).toString(), QStringLiteral("exited"), 15000);
    const QJsonObject l = logs(cid);
    QCOMPARE(l.value(QStringLiteral("stdout")).toString(), QStringLiteral("begin\n"));
    QCOMPARE(l.value(QStringLiteral("stderr")).toString(), QStringLiteral("end\n"));
    QCOMPARE(l.value(QStringLiteral("exit_code")).toInt(), 7);
    QCOMPARE(l.value(QStringLiteral("truncated")).toBool(true), false);

    E2E_ERROR(m_api->get(cmdPath(QStringLiteral("/cmd_0000000000000000"))), 404, "not_found");
    E2E_ERROR(m_api->post(cmdPath(QStringLiteral("/cmd_0000000000000000/kill")), QJsonObject()), 404, "not_found");
}

void tst_commands_files::backgroundKillTakesTheGroup()
{
    // A server-like tree: the shell, a child and a grandchild, and a marker
    // so they can be found from outside the group.
    E2E_EXPECT(start, m_api->run(m_id, QStringLiteral("(sleep 300 & sleep 301; wait) & sleep 302; wait"),
                                 QJsonObject{{QStringLiteral("background"), true}}),
               201);
    const QString cid = start.json().value(QStringLiteral("command_id")).toString();
    const int pgid = start.json().value(QStringLiteral("pid")).toInt();
    const QString countGroup = QStringLiteral("ps -eo pgid= | tr -d ' ' | grep -cx %1 || true").arg(pgid);
    QTRY_COMPARE_WITH_TIMEOUT(m_api->run(m_id, countGroup).json().value(QStringLiteral("stdout")).toString().trimmed().toInt() >= 4,
                              true, 10000);

    E2E_EXPECT(k, m_api->post(cmdPath(QStringLiteral("/") + cid + QStringLiteral("/kill")), QJsonObject()), 200);
    QTRY_COMPARE_WITH_TIMEOUT(m_api->run(m_id, countGroup).json().value(QStringLiteral("stdout")).toString().trimmed(),
                              QStringLiteral("0"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(logs(cid).value(QStringLiteral("status")).toString(), QStringLiteral("killed"), 10000);
    // SIGTERM: 128 + 15.
    QCOMPARE(logs(cid).value(QStringLiteral("exit_code")).toInt(), 143);
    // Killing an ended command is fine.
    E2E_EXPECT(again, m_api->post(cmdPath(QStringLiteral("/") + cid + QStringLiteral("/kill")), QJsonObject()), 200);

    // A process that ignores SIGTERM gets SIGKILL after 2 s.
    E2E_EXPECT(stubborn, m_api->run(m_id, QStringLiteral("trap '' TERM; echo ready; while :; do sleep 0.2; done"),
                                    QJsonObject{{QStringLiteral("background"), true}}),
               201);
    const QString sid = stubborn.json().value(QStringLiteral("command_id")).toString();
    // Only once the trap is set does the kill test the SIGKILL escalation.
    QTRY_VERIFY_WITH_TIMEOUT(logs(sid).value(QStringLiteral("stdout")).toString().contains(QStringLiteral("ready")),
                             10000);
    E2E_EXPECT(k2, m_api->postRaw(cmdPath(QStringLiteral("/") + sid + QStringLiteral("/kill")), QByteArray()), 200);
    QTRY_VERIFY_WITH_TIMEOUT(logs(sid).value(QStringLiteral("status")).toString() != QStringLiteral("running"), 10000);
    QCOMPARE(logs(sid).value(QStringLiteral("exit_code")).toInt(), 137);
}

void tst_commands_files::backgroundStdin()
{
    E2E_EXPECT(start, m_api->run(m_id, QStringLiteral("tr a-z A-Z; echo done"), QJsonObject{{QStringLiteral("background"), true}}), 201);
    const QString cid = start.json().value(QStringLiteral("command_id")).toString();
    const QString stdinPath = cmdPath(QStringLiteral("/") + cid + QStringLiteral("/stdin"));
    E2E_EXPECT(w1, m_api->request("POST", stdinPath, "hello ", "application/octet-stream"), 200);
    QCOMPARE(w1.json().value(QStringLiteral("written")).toInt(), 6);
    E2E_EXPECT(w2, m_api->request("POST", stdinPath + QStringLiteral("?eof=true"), "world\n", "application/octet-stream"), 200);
    QCOMPARE(w2.json().value(QStringLiteral("written")).toInt(), 6);
    QTRY_COMPARE_WITH_TIMEOUT(logs(cid).value(QStringLiteral("status")).toString(), QStringLiteral("exited"), 10000);
    QCOMPARE(logs(cid).value(QStringLiteral("stdout")).toString(), QStringLiteral("HELLO WORLD\ndone\n"));
    // stdin is closed now.
    E2E_ERROR(m_api->request("POST", stdinPath, "late", "application/octet-stream"), 409, "conflict");
    E2E_ERROR(m_api->request("POST", cmdPath(QStringLiteral("/cmd_0000000000000000/stdin")), "x", "application/octet-stream"),
              404, "not_found");
}

void tst_commands_files::filesWriteReadBinary()
{
    QByteArray bytes("\0\x01\x02 NUL \0 and \xff\xfe\n", 18);
    bytes += QByteArray(300, '\0');
    E2E_EXPECT(w, m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("bin/data.bin")), bytes), 200);
    QCOMPARE(w.json().value(QStringLiteral("path")).toString(), QStringLiteral("/home/sandbox/bin/data.bin"));
    QCOMPARE(w.json().value(QStringLiteral("written")).toInt(), bytes.size());
    E2E_EXPECT(r, m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("/home/sandbox/bin/data.bin"))), 200);
    QCOMPARE(r.body, bytes);
    QVERIFY2(r.header("Content-Type").startsWith("application/octet-stream"), r.header("Content-Type").constData());
    // The same bytes seen from inside.
    E2E_RUN(sum, *m_api, m_id, QStringLiteral("wc -c < bin/data.bin; stat -c %U bin/data.bin bin"), QJsonObject(), 0);
    QCOMPARE(sum, QStringLiteral("%1\nsandbox\nsandbox\n").arg(bytes.size()));
    // Overwrite with an empty file.
    E2E_EXPECT(empty, m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("bin/data.bin")), QByteArray()), 200);
    QCOMPARE(empty.json().value(QStringLiteral("written")).toInt(), 0);
    E2E_EXPECT(r2, m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("bin/data.bin"))), 200);
    QVERIFY(r2.body.isEmpty());

    E2E_ERROR(m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("no/such/file"))), 404, "not_found");
    E2E_ERROR(m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("/home/sandbox"))), 400, "bad_request");
    // As root, into root's places.
    E2E_EXPECT(rootW, m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("/etc/ai2in.conf")) + QStringLiteral("&user=root"),
                                 "x=1\n"), 200);
    E2E_RUN(owner, *m_api, m_id, QStringLiteral("stat -c %U /etc/ai2in.conf; cat /etc/ai2in.conf"), QJsonObject(), 0);
    QCOMPARE(owner, QStringLiteral("root\nx=1\n"));
}

void tst_commands_files::filesLargeRoundTrip()
{
    QByteArray big(5 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator gen(42);
    gen.fillRange(reinterpret_cast<quint32 *>(big.data()), big.size() / 4);
    E2E_EXPECT(w, m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("big.bin")), big), 200);
    QCOMPARE(w.json().value(QStringLiteral("written")).toInt(), big.size());
    E2E_EXPECT(r, m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("big.bin"))), 200);
    QCOMPARE(r.body.size(), big.size());
    QVERIFY(r.body == big);
    E2E_RUN(size, *m_api, m_id, QStringLiteral("stat -c %s big.bin"), QJsonObject(), 0);
    QCOMPARE(size.trimmed().toInt(), big.size());
    E2E_EXPECT(rm, m_api->del(filePath(QString(), QStringLiteral("big.bin"))), 204);
}

void tst_commands_files::filesListStatExists()
{
    E2E_RUN(mk, *m_api, m_id,
            QStringLiteral("rm -rf tree && mkdir -p tree/a/b && printf 12345 > tree/f.txt && chmod 640 tree/f.txt"
                           " && echo x > tree/a/b/deep.txt && ln -s f.txt tree/link"),
            QJsonObject(), 0);
    E2E_EXPECT(l1, m_api->get(filePath(QString(), QStringLiteral("tree"))), 200);
    QStringList paths;
    for (const QJsonValue &v : l1.json().value(QStringLiteral("entries")).toArray())
        paths << v.toObject().value(QStringLiteral("path")).toString();
    QCOMPARE(paths, (QStringList{QStringLiteral("/home/sandbox/tree/a"), QStringLiteral("/home/sandbox/tree/f.txt"),
                                 QStringLiteral("/home/sandbox/tree/link")}));
    for (const QJsonValue &v : l1.json().value(QStringLiteral("entries")).toArray()) {
        const QJsonObject e = v.toObject();
        const QString name = e.value(QStringLiteral("name")).toString();
        QVERIFY(isTimestamp(e.value(QStringLiteral("mtime"))));
        QCOMPARE(e.value(QStringLiteral("owner")).toString(), QStringLiteral("sandbox"));
        if (name == QStringLiteral("a")) {
            QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("dir"));
        } else if (name == QStringLiteral("f.txt")) {
            QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("file"));
            QCOMPARE(e.value(QStringLiteral("size")).toInt(), 5);
            QCOMPARE(e.value(QStringLiteral("mode")).toInt(), 0640);
            QVERIFY(e.value(QStringLiteral("symlink_target")).isNull());
        } else {
            QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("symlink"));
            QCOMPARE(e.value(QStringLiteral("symlink_target")).toString(), QStringLiteral("f.txt"));
        }
    }
    E2E_EXPECT(l3, m_api->get(filePath(QString(), QStringLiteral("/home/sandbox/tree")) + QStringLiteral("&depth=3")), 200);
    QStringList deep;
    for (const QJsonValue &v : l3.json().value(QStringLiteral("entries")).toArray())
        deep << v.toObject().value(QStringLiteral("path")).toString();
    QVERIFY2(deep.contains(QStringLiteral("/home/sandbox/tree/a/b/deep.txt")), l3.describe().constData());
    QVERIFY(std::is_sorted(deep.begin(), deep.end()));
    E2E_ERROR(m_api->get(filePath(QString(), QStringLiteral("tree/f.txt"))), 400, "bad_request");
    E2E_ERROR(m_api->get(filePath(QString(), QStringLiteral("nothing-here"))), 404, "not_found");
    E2E_ERROR(m_api->get(filePath(QString(), QStringLiteral("tree")) + QStringLiteral("&depth=17")), 400, "bad_request");

    // A directory of 10 000 files lists whole (its answer is about 2 MiB);
    // past 99 999 entries the listing is refused in a sentence.
    E2E_RUN(made, *m_api, m_id, QStringLiteral("mkdir many && cd many && seq 10000 | xargs touch && mkdir ../more && cd ../more && seq 100000 | xargs touch"),
            QJsonObject(), 0);
    E2E_EXPECT(many, m_api->get(filePath(QString(), QStringLiteral("many"))), 200);
    QCOMPARE(many.json().value(QStringLiteral("entries")).toArray().size(), 10000);
    E2E_ERROR(m_api->get(filePath(QString(), QStringLiteral("more"))), 413, "too_large");
    E2E_RUN(cleaned, *m_api, m_id, QStringLiteral("rm -rf many more"), QJsonObject(), 0);

    E2E_EXPECT(st, m_api->get(filePath(QStringLiteral("/stat"), QStringLiteral("tree/link"))), 200);
    QCOMPARE(st.json().value(QStringLiteral("type")).toString(), QStringLiteral("symlink"));
    QCOMPARE(st.json().value(QStringLiteral("path")).toString(), QStringLiteral("/home/sandbox/tree/link"));
    E2E_ERROR(m_api->get(filePath(QStringLiteral("/stat"), QStringLiteral("tree/none"))), 404, "not_found");

    E2E_EXPECT(yes, m_api->get(filePath(QStringLiteral("/exists"), QStringLiteral("tree/a/b/deep.txt"))), 200);
    QCOMPARE(yes.json().value(QStringLiteral("exists")).toBool(false), true);
    E2E_EXPECT(no, m_api->get(filePath(QStringLiteral("/exists"), QStringLiteral("tree/zzz"))), 200);
    QCOMPARE(no.json().value(QStringLiteral("exists")).toBool(true), false);

    // `..` resolves inside the sandbox's root: /../../etc/hostname is the
    // sandbox's own /etc/hostname, never the host's.
    E2E_EXPECT(up, m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("../../../../etc/hostname"))), 200);
    E2E_RUN(own, *m_api, m_id, QStringLiteral("cat /etc/hostname"), QJsonObject(), 0);
    QCOMPARE(QString::fromUtf8(up.body), own);
}

void tst_commands_files::filesRemoveRenameMkdir()
{
    E2E_EXPECT(mk, m_api->post(sbx(m_id, QStringLiteral("/files/mkdir")), QJsonObject{{QStringLiteral("path"), QStringLiteral("m/n/o")}}), 200);
    QCOMPARE(mk.json().value(QStringLiteral("path")).toString(), QStringLiteral("/home/sandbox/m/n/o"));
    QCOMPARE(mk.json().value(QStringLiteral("created")).toBool(false), true);
    E2E_EXPECT(mk2, m_api->post(sbx(m_id, QStringLiteral("/files/mkdir")), QJsonObject{{QStringLiteral("path"), QStringLiteral("m/n/o")}}), 200);
    QCOMPARE(mk2.json().value(QStringLiteral("created")).toBool(true), false);
    E2E_EXPECT(f, m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("m/file")), "content"), 200);
    E2E_ERROR(m_api->post(sbx(m_id, QStringLiteral("/files/mkdir")), QJsonObject{{QStringLiteral("path"), QStringLiteral("m/file")}}),
              409, "conflict");

    E2E_EXPECT(rn, m_api->post(sbx(m_id, QStringLiteral("/files/rename")),
                               QJsonObject{{QStringLiteral("from"), QStringLiteral("m/file")},
                                           {QStringLiteral("to"), QStringLiteral("/home/sandbox/r/s/moved")}}),
               200);
    QCOMPARE(rn.json().value(QStringLiteral("path")).toString(), QStringLiteral("/home/sandbox/r/s/moved"));
    E2E_EXPECT(moved, m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("r/s/moved"))), 200);
    QCOMPARE(moved.body, QByteArray("content"));
    E2E_ERROR(m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("m/file"))), 404, "not_found");
    E2E_ERROR(m_api->post(sbx(m_id, QStringLiteral("/files/rename")),
                          QJsonObject{{QStringLiteral("from"), QStringLiteral("m/none")}, {QStringLiteral("to"), QStringLiteral("x")}}),
              404, "not_found");

    E2E_EXPECT(rmDir, m_api->del(filePath(QString(), QStringLiteral("m"))), 204);
    E2E_EXPECT(rmFile, m_api->del(filePath(QString(), QStringLiteral("r/s/moved"))), 204);
    E2E_RUN(left, *m_api, m_id, QStringLiteral("ls -A m r/s 2>&1 | head -3; test -d r/s && echo dir-kept"), QJsonObject(), 0);
    QVERIFY2(left.contains(QStringLiteral("No such file")) && left.contains(QStringLiteral("dir-kept")), qPrintable(left));
    E2E_ERROR(m_api->del(filePath(QString(), QStringLiteral("m"))), 404, "not_found");
}

void tst_commands_files::filesPermissionDenied()
{
    E2E_ERROR(m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("/root/secret")), "x"), 403, "permission_denied");
    E2E_ERROR(m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("/etc/passwd")), "x"), 403, "permission_denied");
    E2E_ERROR(m_api->post(sbx(m_id, QStringLiteral("/files/mkdir")), QJsonObject{{QStringLiteral("path"), QStringLiteral("/root/d")}}),
              403, "permission_denied");
    E2E_ERROR(m_api->del(filePath(QString(), QStringLiteral("/etc/hostname"))), 403, "permission_denied");
    // Nothing was written, as root can check.
    E2E_RUN(check, *m_api, m_id, QStringLiteral("ls /root; grep -c '^sandbox:' /etc/passwd; test -e /etc/hostname && echo kept"),
            (QJsonObject{{QStringLiteral("user"), QStringLiteral("root")}}), 0);
    QVERIFY2(!check.contains(QStringLiteral("secret")) && check.endsWith(QStringLiteral("1\nkept\n")), qPrintable(check));
    // Root may.
    E2E_EXPECT(ok, m_api->put(filePath(QStringLiteral("/content"), QStringLiteral("/root/secret")) + QStringLiteral("&user=root"), "x"), 200);
    E2E_ERROR(m_api->get(filePath(QStringLiteral("/content"), QStringLiteral("/root/secret"))), 403, "permission_denied");
}

QTEST_GUILESS_MAIN(tst_commands_files)
#include "tst_commands_files.moc"
