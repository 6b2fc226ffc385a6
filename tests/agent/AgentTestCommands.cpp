// SPDX-License-Identifier: GPL-3.0-or-later
// Commands: run, start, list, logs, kill, stdin, and serving many clients.
#include "AgentTest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <vector>

using namespace Qt::StringLiterals;

void AgentTest::run_data()
{
    QTest::addColumn<QString>("cmd");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("err");
    QTest::newRow("true") << u"true"_s << 0 << QString() << QString();
    QTest::newRow("stdout") << u"echo hello"_s << 0 << u"hello\n"_s << QString();
    QTest::newRow("stderr") << u"echo oops >&2"_s << 0 << QString() << u"oops\n"_s;
    QTest::newRow("exit code") << u"echo a; exit 42"_s << 42 << u"a\n"_s << QString();
    QTest::newRow("not found") << u"no-such-program-xyz"_s << 127 << QString()
                               << u"bash: line 1: no-such-program-xyz: command not found\n"_s;
    QTest::newRow("SIGKILL") << u"kill -9 $$"_s << 128 + 9 << QString() << QString();
    QTest::newRow("SIGTERM") << u"kill -TERM $$"_s << 128 + 15 << QString() << QString();
    // Only the three pipes may reach a command: no listening socket, no other client.
    QTest::newRow("no inherited fds") << u"ls /proc/self/fd"_s << 0 << u"0\n1\n2\n3\n"_s << QString();
    QTest::newRow("stdin closed") << u"cat; echo done"_s << 0 << u"done\n"_s << QString();
    QTest::newRow("unicode") << u"printf 'h\u00e9llo \u2713'"_s << 0 << u"h\u00e9llo \u2713"_s << QString();
}

void AgentTest::run()
{
    QFETCH(QString, cmd);
    QFETCH(int, exitCode);
    QFETCH(QString, out);
    QFETCH(QString, err);
    AgentReply r = runCmd(cmd);
    QVERIFY2(r.ok(), qPrintable(r.transportError + r.errorMessage()));
    QCOMPARE(r.header.value(u"exit_code"_s).toInt(-1), exitCode);
    QCOMPARE(r.header.value(u"stdout"_s).toString(), out);
    QCOMPARE(r.header.value(u"stderr"_s).toString(), err);
    QCOMPARE(r.header.value(u"truncated"_s).toBool(true), false);
    QVERIFY(r.header.value(u"pid"_s).toInteger() > 0);
    QVERIFY(QRegularExpression(u"^cmd_[a-z0-9]{16}$"_s).match(r.header.value(u"command_id"_s).toString()).hasMatch());
}

void AgentTest::runCwdAndEnv()
{
    QDir().mkpath(path(u"work dir"_s));
    AgentReply r = runCmd(u"pwd; echo \"$FOO|$BAR\""_s,
                          {{u"cwd"_s, path(u"work dir"_s)},
                           {u"env"_s, QJsonObject{{u"FOO"_s, u"foo value"_s}, {u"BAR"_s, u""_s}}}});
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"stdout"_s).toString(), path(u"work dir"_s) + u"\nfoo value|\n"_s);
    // env may override what the agent sets itself.
    r = runCmd(u"echo $HOME"_s, {{u"env"_s, QJsonObject{{u"HOME"_s, u"/elsewhere"_s}}}});
    QCOMPARE(r.header.value(u"stdout"_s).toString(), u"/elsewhere\n"_s);
}

void AgentTest::runUserEnvironment()
{
    auto me = accountWhere([this](const Account& a) { return a.name == m_user; });
    QVERIFY(me);
    AgentReply r = runCmd(u"pwd; echo $HOME $USER $LOGNAME; id -u; test -n \"$PATH\" && echo path"_s);
    QVERIFY(r.ok());
    QString home = QDir(me->home).exists() ? me->home : QString();
    QStringList lines = r.header.value(u"stdout"_s).toString().split(u'\n');
    QCOMPARE(lines.value(1), me->home + u' ' + m_user + u' ' + m_user);
    QCOMPARE(lines.value(2), QString::number(me->uid));
    QCOMPARE(lines.value(3), u"path"_s);
    if (!home.isEmpty())
        QCOMPARE(lines.value(0), QDir(home).canonicalPath());
}

void AgentTest::runTimeout()
{
    QElapsedTimer t;
    t.start();
    AgentReply r = runCmd(u"echo before; sleep 30"_s, {{u"timeout_ms"_s, 300}});
    QVERIFY(r.received);
    QVERIFY(t.elapsed() < 5000);
    QVERIFY(t.elapsed() >= 250);
    QCOMPARE(r.header.value(u"ok"_s).toBool(true), false);
    QCOMPARE(r.errorCode(), u"timeout"_s);
    QString id = r.header.value(u"command_id"_s).toString();
    QVERIFY(id.startsWith(u"cmd_"_s));
    QVERIFY(r.errorMessage().contains(id));
    QCOMPARE(r.header.value(u"stdout"_s).toString(), u"before\n"_s);
    QVERIFY(!groupAlive(r.header.value(u"pid"_s).toInteger()));
}

void AgentTest::runTimeoutsOverlap()
{
    // The runs share one timer: a later run with a sooner deadline still
    // times out on time, the earlier one is not cut short, and a run after
    // the timer fired gets its own deadline.
    int longRun = m_client->connectSocket();
    QVERIFY(longRun >= 0);
    QJsonObject h = withUser({{u"op"_s, u"run"_s}, {u"cmd"_s, u"sleep 1.5; echo done"_s}, {u"timeout_ms"_s, 20000}});
    QVERIFY(AgentClient::sendAll(longRun, QJsonDocument(h).toJson(QJsonDocument::Compact) + '\n'));
    for (int timeoutMs : {300, 400}) {
        QElapsedTimer t;
        t.start();
        AgentReply r = runCmd(u"sleep 30"_s, {{u"timeout_ms"_s, timeoutMs}});
        QCOMPARE(r.errorCode(), u"timeout"_s);
        QVERIFY(t.elapsed() >= timeoutMs - 50);
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    }
    AgentReply r = AgentClient::readReply(longRun, 10000);
    ::close(longRun);
    QVERIFY2(r.ok(), qPrintable(r.transportError + r.errorMessage()));
    QCOMPARE(r.header.value(u"stdout"_s).toString(), u"done\n"_s);
}

void AgentTest::runReplacesInvalidUtf8()
{
    AgentReply r = runCmd(u"printf 'a\\377b'"_s);
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"stdout"_s).toString(), u"a\uFFFDb"_s);
}

void AgentTest::runRejects_data()
{
    QTest::addColumn<QJsonObject>("header");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing cmd") << QJsonObject{{u"op"_s, u"run"_s}} << u"bad_request"_s << u"cmd"_s;
    QTest::newRow("cmd not string") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, 5}} << u"bad_request"_s << u"cmd"_s;
    QTest::newRow("timeout too long") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"timeout_ms"_s, 120001}}
                                      << u"bad_request"_s << u"timeout_ms"_s;
    QTest::newRow("timeout zero") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"timeout_ms"_s, 0}}
                                  << u"bad_request"_s << u"timeout_ms"_s;
    QTest::newRow("timeout string") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"timeout_ms"_s, u"5"_s}}
                                    << u"bad_request"_s << u"timeout_ms"_s;
    QTest::newRow("env not object") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"env"_s, u"A=1"_s}}
                                    << u"bad_request"_s << u"env"_s;
    QTest::newRow("env value number") << QJsonObject{{u"op"_s, u"start"_s}, {u"cmd"_s, u"true"_s}, {u"env"_s, QJsonObject{{u"A"_s, 1}}}}
                                      << u"bad_request"_s << u"env"_s;
    QTest::newRow("unknown user") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"user"_s, u"no-such-user-xyz"_s}}
                                  << u"bad_request"_s << u"no-such-user-xyz"_s;
    QTest::newRow("user not string") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"user"_s, 0}}
                                     << u"bad_request"_s << u"user"_s;
    QTest::newRow("missing cwd") << QJsonObject{{u"op"_s, u"run"_s}, {u"cmd"_s, u"true"_s}, {u"cwd"_s, u"/no/such/dir"_s}}
                                 << u"bad_request"_s << u"/no/such/dir"_s;
    QTest::newRow("cwd is a file") << QJsonObject{{u"op"_s, u"start"_s}, {u"cmd"_s, u"true"_s}, {u"cwd"_s, u"/etc/passwd"_s}}
                                   << u"bad_request"_s << u"/etc/passwd"_s;
    QTest::newRow("logs unknown id") << QJsonObject{{u"op"_s, u"logs"_s}, {u"command_id"_s, u"cmd_nope"_s}}
                                     << u"not_found"_s << u"cmd_nope"_s;
    QTest::newRow("kill unknown id") << QJsonObject{{u"op"_s, u"kill"_s}, {u"command_id"_s, u"cmd_nope"_s}}
                                     << u"not_found"_s << u"cmd_nope"_s;
    QTest::newRow("kill id not string") << QJsonObject{{u"op"_s, u"kill"_s}, {u"command_id"_s, 7}}
                                        << u"bad_request"_s << u"command_id"_s;
    QTest::newRow("stdin unknown id") << QJsonObject{{u"op"_s, u"stdin"_s}, {u"command_id"_s, u"cmd_nope"_s}}
                                      << u"not_found"_s << u"cmd_nope"_s;
}

void AgentTest::runRejects()
{
    QFETCH(QJsonObject, header);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    AgentReply r = call(header);
    AGENT_EXPECT_REFUSED(r, code);
    QVERIFY2(r.errorMessage().contains(mentions), qPrintable(r.errorMessage()));
    expectAgentServing();
}

void AgentTest::runAsUnprivilegedUser()
{
    if (::geteuid() != 0)
        QSKIP("The test does not run as root, so the agent cannot switch users.");
    auto user = accountWhere([](const Account& a) { return a.uid == 1000; });
    if (!user)
        QSKIP("This host has no account with uid 1000 to run commands as.");
    AgentReply r = runCmd(u"id -u; id -g; id -G; echo $USER"_s, {{u"user"_s, user->name}, {u"cwd"_s, u"/tmp"_s}});
    QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
    QStringList lines = r.header.value(u"stdout"_s).toString().split(u'\n');
    QCOMPARE(lines.value(0), u"1000"_s);
    QCOMPARE(lines.value(2), lines.value(1)); // supplementary groups = the primary group only
    QCOMPARE(lines.value(3), user->name);
}

void AgentTest::startListLogsKill()
{
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"echo started; echo warn >&2; sleep 30"_s},
                               {u"cwd"_s, u"/tmp"_s}});
    QVERIFY(started.ok());
    QString id = started.header.value(u"command_id"_s).toString();
    qint64 pid = started.header.value(u"pid"_s).toInteger();
    QVERIFY(pid > 0);

    QJsonObject summary = commandSummary(id);
    QCOMPARE(summary.value(u"status"_s).toString(), u"running"_s);
    QVERIFY(summary.value(u"exit_code"_s).isNull());
    QVERIFY(summary.value(u"ended_at_ms"_s).isNull());
    QCOMPARE(summary.value(u"cmd"_s).toString(), u"echo started; echo warn >&2; sleep 30"_s);
    QCOMPARE(summary.value(u"cwd"_s).toString(), u"/tmp"_s);
    QCOMPARE(summary.value(u"user"_s).toString(), m_user);
    QCOMPARE(summary.value(u"pid"_s).toInteger(), pid);
    qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(qAbs(summary.value(u"started_at_ms"_s).toInteger() - now) < 10000);

    AgentReply logs;
    QTRY_VERIFY_WITH_TIMEOUT((logs = m_client->request({{u"op"_s, u"logs"_s}, {u"command_id"_s, id}}))
                                 .header.value(u"stderr"_s).toString() == u"warn\n"_s, 5000);
    QCOMPARE(logs.header.value(u"stdout"_s).toString(), u"started\n"_s);
    QCOMPARE(logs.header.value(u"status"_s).toString(), u"running"_s);
    QVERIFY(logs.header.value(u"exit_code"_s).isNull());

    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}}).ok());
    QVERIFY(waitForStatus(id, u"killed"_s, 5000));
    summary = commandSummary(id);
    QCOMPARE(summary.value(u"exit_code"_s).toInt(), 128 + SIGTERM);
    QVERIFY(summary.value(u"ended_at_ms"_s).toInteger() >= summary.value(u"started_at_ms"_s).toInteger());
    QTRY_VERIFY_WITH_TIMEOUT(!groupAlive(pid), 3000);
    // Killing a finished command is fine.
    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}}).ok());

    // list is ordered by start.
    AgentReply second = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"true"_s}});
    QVERIFY(second.ok());
    QJsonArray all = m_client->request({{u"op"_s, u"list"_s}}).header.value(u"commands"_s).toArray();
    QVERIFY(all.size() >= 2);
    QCOMPARE(all.last().toObject().value(u"command_id"_s).toString(), second.header.value(u"command_id"_s).toString());
    qint64 previous = 0;
    for (const QJsonValue& v : all) {
        QVERIFY(v.toObject().value(u"started_at_ms"_s).toInteger() >= previous);
        previous = v.toObject().value(u"started_at_ms"_s).toInteger();
    }
}

void AgentTest::killReachesWholeGroup()
{
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"sleep 30 & sleep 30 & wait"_s}});
    QVERIFY(started.ok());
    qint64 group = started.header.value(u"pid"_s).toInteger();
    QString id = started.header.value(u"command_id"_s).toString();
    QTest::qWait(100);
    QVERIFY(groupAlive(group));
    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}}).ok());
    QTRY_VERIFY_WITH_TIMEOUT(!groupAlive(group), 3000);
    QVERIFY(waitForStatus(id, u"killed"_s, 3000));
}

void AgentTest::killEscalatesToSigkill()
{
    // SIG_IGN survives exec, so both bash and sleep ignore SIGTERM.
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"trap '' TERM; sleep 30; true"_s}});
    QVERIFY(started.ok());
    qint64 group = started.header.value(u"pid"_s).toInteger();
    QString id = started.header.value(u"command_id"_s).toString();
    QTest::qWait(200);
    QElapsedTimer t;
    t.start();
    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}}).ok());
    QTest::qWait(800);
    QVERIFY2(groupAlive(group), "the group ignores SIGTERM, so it must survive the first second");
    QTRY_VERIFY_WITH_TIMEOUT(!groupAlive(group), 4000);
    QVERIFY(t.elapsed() >= 1900);
    QVERIFY(waitForStatus(id, u"killed"_s, 3000));
    QCOMPARE(commandSummary(id).value(u"exit_code"_s).toInt(), 128 + SIGKILL);
}

void AgentTest::killWithSignal()
{
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"sleep 30"_s}});
    QString id = started.header.value(u"command_id"_s).toString();
    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}, {u"signal"_s, SIGINT}}).ok());
    QVERIFY(waitForStatus(id, u"killed"_s, 3000));
    QCOMPARE(commandSummary(id).value(u"exit_code"_s).toInt(), 128 + SIGINT);
    AgentReply bad = m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}, {u"signal"_s, 999}});
    QCOMPARE(bad.errorCode(), u"bad_request"_s);
}

void AgentTest::stdinWithEof()
{
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"cat; echo end"_s}});
    QVERIFY(started.ok());
    QString id = started.header.value(u"command_id"_s).toString();
    AgentReply w = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}}, "hello ");
    QVERIFY(w.ok());
    QCOMPARE(w.header.value(u"written"_s).toInt(), 6);
    // More than a pipe holds, so the agent has to queue it.
    QByteArray big(300000, 'x');
    w = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}, {u"eof"_s, true}}, big);
    QVERIFY(w.ok());
    QCOMPARE(w.header.value(u"written"_s).toInt(), big.size());
    QVERIFY(waitForStatus(id, u"exited"_s, 5000));
    AgentReply logs = m_client->request({{u"op"_s, u"logs"_s}, {u"command_id"_s, id}});
    QCOMPARE(logs.header.value(u"stdout"_s).toString(), u"hello "_s + QString::fromLatin1(big) + u"end\n"_s);
    QCOMPARE(logs.header.value(u"exit_code"_s).toInt(-1), 0);
    QCOMPARE(logs.header.value(u"status"_s).toString(), u"exited"_s);
}

void AgentTest::stdinAfterExitIsRefused()
{
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"sleep 30"_s}});
    QString id = started.header.value(u"command_id"_s).toString();
    QVERIFY(m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}, {u"eof"_s, true}}).ok());
    AgentReply again = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}}, "x");
    QCOMPARE(again.errorCode(), u"conflict"_s);
    QVERIFY(again.errorMessage().contains(id));
    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}, {u"signal"_s, SIGKILL}}).ok());
    QVERIFY(waitForStatus(id, u"killed"_s, 3000));
    AgentReply finished = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}}, "x");
    QCOMPARE(finished.errorCode(), u"conflict"_s);
    QVERIFY(finished.errorMessage().contains(id));
}

void AgentTest::outputIsTruncatedAt4MiB()
{
    AgentReply r = runCmd(u"head -c 5000000 /dev/zero | tr '\\0' a; printf END; echo small >&2"_s);
    QVERIFY(r.ok());
    QString out = r.header.value(u"stdout"_s).toString();
    QCOMPARE(out.size(), 4 * 1024 * 1024);
    QVERIFY(out.startsWith(u"aaa"_s));
    QVERIFY(out.endsWith(u"aaaEND"_s)); // the oldest bytes went, the newest stayed
    QCOMPARE(r.header.value(u"stderr"_s).toString(), u"small\n"_s);
    QCOMPARE(r.header.value(u"truncated"_s).toBool(), true);

    AgentReply exact = runCmd(u"head -c 4194304 /dev/zero"_s);
    QCOMPARE(exact.header.value(u"stdout"_s).toString().size(), 4 * 1024 * 1024);
    QCOMPARE(exact.header.value(u"truncated"_s).toBool(true), false);
}

void AgentTest::orphansAreReaped()
{
    AgentReply r = runCmd(u"(sleep 0.2 &) ; exit 0"_s);
    QVERIFY(r.ok());
    QTest::qWait(600);
    // No child of the agent may linger as a zombie.
    const QString agentPid = QString::number(m_agent.processId());
    const QStringList procs = QDir(u"/proc"_s).entryList(QDir::Dirs);
    for (const QString& pid : procs) {
        QFile stat(u"/proc/"_s + pid + u"/stat"_s);
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        QByteArray text = stat.readAll();
        QList<QByteArray> after = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (after.size() > 1 && after[1] == agentPid.toLatin1())
            QVERIFY2(after[0] != "Z", qPrintable(u"zombie child "_s + pid));
    }
}

void AgentTest::finishedCommandsAreCapped()
{
    QStringList ids;
    for (int i = 0; i < 270; ++i) {
        AgentReply r = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"true"_s}});
        QVERIFY(r.ok());
        ids << r.header.value(u"command_id"_s).toString();
    }
    QVERIFY(waitForStatus(ids.last(), u"exited"_s, 20000));
    QJsonArray all;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        all = m_client->request({{u"op"_s, u"list"_s}}).header.value(u"commands"_s).toArray();
        for (const QJsonValue& v : all) {
            if (v.toObject().value(u"status"_s).toString() == u"running"_s)
                return false;
        }
        return true;
    }(), 20000);
    QCOMPARE(all.size(), 256);
    QCOMPARE(all.last().toObject().value(u"command_id"_s).toString(), ids.last());
    QCOMPARE(m_client->request({{u"op"_s, u"logs"_s}, {u"command_id"_s, ids.first()}}).errorCode(), u"not_found"_s);
    QVERIFY(m_client->request({{u"op"_s, u"logs"_s}, {u"command_id"_s, ids.last()}}).ok());
}

void AgentTest::listWithPathListsFiles()
{
    // Both `list` ops share a name; the path field decides (PROTOCOL.md).
    AgentReply commands = m_client->request({{u"op"_s, u"list"_s}});
    QVERIFY(commands.ok());
    QVERIFY(commands.header.contains(u"commands"_s));
    AgentReply files = call({{u"op"_s, u"list"_s}, {u"path"_s, m_dir.path()}});
    QVERIFY(files.ok());
    QVERIFY(files.header.contains(u"entries"_s));
    QVERIFY(!files.header.contains(u"commands"_s));
    auto me = accountWhere([this](const Account& a) { return a.name == m_user; });
    if (me && QDir(me->home).exists()) {
        AgentReply home = call({{u"op"_s, u"list"_s}, {u"path"_s, u""_s}});
        QVERIFY(home.ok());
        QVERIFY(home.header.contains(u"entries"_s));
    }
}

void AgentTest::manyClientsAtOnce()
{
    const int clients = 40;
    std::vector<int> fds;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < clients; ++i) {
        int fd = m_client->connectSocket();
        QVERIFY(fd >= 0);
        fds.push_back(fd);
        QJsonObject h = withUser({{u"op"_s, u"run"_s}, {u"cmd"_s, u"sleep 0.5; echo %1"_s.arg(i)}});
        QVERIFY(AgentClient::sendAll(fd, QJsonDocument(h).toJson(QJsonDocument::Compact) + '\n'));
    }
    for (int i = 0; i < clients; ++i) {
        AgentReply r = AgentClient::readReply(fds[size_t(i)], 10000);
        ::close(fds[size_t(i)]);
        QVERIFY2(r.ok(), qPrintable(r.transportError));
        QCOMPARE(r.header.value(u"stdout"_s).toString(), QString::number(i) + u'\n');
    }
    // Run one after the other they would take 20 s.
    QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
}

void AgentTest::slowClientDoesNotBlockOthers()
{
    int silent = m_client->connectSocket();
    int halfHeader = m_client->connectSocket();
    int halfBody = m_client->connectSocket();
    QVERIFY(silent >= 0 && halfHeader >= 0 && halfBody >= 0);
    QVERIFY(AgentClient::sendAll(halfHeader, "{\"op\":\"pi"));
    QVERIFY(AgentClient::sendAll(halfBody, "{\"op\":\"write\",\"path\":\"/tmp/x\",\"body_len\":100}\nabc"));
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 20; ++i)
        expectAgentServing();
    QVERIFY(t.elapsed() < 3000);
    // The slow ones still get their answers once they finish.
    QVERIFY(AgentClient::sendAll(halfHeader, "ng\"}\n"));
    AgentReply r = AgentClient::readReply(halfHeader, 5000);
    QVERIFY(r.ok());
    ::close(silent);
    ::close(halfHeader);
    ::close(halfBody);
}

void AgentTest::halfClosedClientGetsItsAnswer()
{
    // Some clients signal "request complete" by shutting down their sending side.
    int fd = m_client->connectSocket();
    QVERIFY(fd >= 0);
    QJsonObject h = withUser({{u"op"_s, u"run"_s}, {u"cmd"_s, u"sleep 0.2; echo late"_s}});
    QVERIFY(AgentClient::sendAll(fd, QJsonDocument(h).toJson(QJsonDocument::Compact) + '\n'));
    QCOMPARE(::shutdown(fd, SHUT_WR), 0);
    AgentReply r = AgentClient::readReply(fd, 5000);
    ::close(fd);
    QVERIFY2(r.ok(), qPrintable(r.transportError));
    QCOMPARE(r.header.value(u"stdout"_s).toString(), u"late\n"_s);
}
