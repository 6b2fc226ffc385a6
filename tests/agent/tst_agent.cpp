// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: starts the real ai2in-agent with --listen and checks every
// operation of agent/PROTOCOL.md, plus hostile input.
#include "AgentClient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <optional>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Account {
    QString name;
    uint uid = 0;
    QString home;
};

std::optional<Account> accountWhere(const std::function<bool(const Account&)>& match)
{
    QFile passwd(u"/etc/passwd"_s);
    if (!passwd.open(QIODevice::ReadOnly))
        return std::nullopt;
    for (const QByteArray& line : passwd.readAll().split('\n')) {
        QList<QByteArray> f = line.split(':');
        if (f.size() < 7)
            continue;
        Account a{QString::fromUtf8(f[0]), f[2].toUInt(), QString::fromUtf8(f[5])};
        if (match(a))
            return a;
    }
    return std::nullopt;
}

bool groupAlive(qint64 pgid)
{
    return ::kill(-pid_t(pgid), 0) == 0 || errno == EPERM;
}

} // namespace

class AgentTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void ping();
    void inheritedListeningSocket();
    void run_data();
    void run();
    void runCwdAndEnv();
    void runUserEnvironment();
    void runTimeout();
    void runReplacesInvalidUtf8();
    void runRejects_data();
    void runRejects();
    void runAsUnprivilegedUser();
    void startListLogsKill();
    void killReachesWholeGroup();
    void killEscalatesToSigkill();
    void killWithSignal();
    void stdinWithEof();
    void stdinAfterExitIsRefused();
    void outputIsTruncatedAt4MiB();
    void orphansAreReaped();
    void finishedCommandsAreCapped();
    void listWithPathListsFiles();
    void manyClientsAtOnce();
    void slowClientDoesNotBlockOthers();
    void halfClosedClientGetsItsAnswer();

    void writeCreatesParentsAndReadsBackBinary();
    void writeIsAtomicAndKeepsMode();
    void relativePathsAreInHome();
    void listDepth();
    void statAndExists();
    void removeRecursiveNeverFollowsLinks();
    void renameCreatesParents();
    void mkdirCreatedFlag();
    void readTooLarge();
    void fileErrors_data();
    void fileErrors();
    void filesAsUnprivilegedUser();

    void badInput_data();
    void badInput();
    void disconnectMidRequest_data();
    void disconnectMidRequest();

private:
    QJsonObject withUser(QJsonObject h) const;
    AgentReply call(const QJsonObject& h, const QByteArray& body = {}, int timeoutMs = 20000) const;
    AgentReply runCmd(const QString& cmd, QJsonObject extra = {}) const;
    QJsonObject commandSummary(const QString& id) const;
    bool waitForStatus(const QString& id, const QString& status, int ms) const;
    void expectAgentServing() const;
    QString path(const QString& rel) const { return m_dir.path() + u'/' + rel; }

    QTemporaryDir m_dir;
    QProcess m_agent;
    std::optional<AgentClient> m_client;
    QString m_user;
    qint64 m_survivorGroup = 0;
};

QJsonObject AgentTest::withUser(QJsonObject h) const
{
    if (!h.contains(u"user"_s))
        h.insert(u"user"_s, m_user);
    return h;
}

AgentReply AgentTest::call(const QJsonObject& h, const QByteArray& body, int timeoutMs) const
{
    return m_client->request(withUser(h), body, timeoutMs);
}

AgentReply AgentTest::runCmd(const QString& cmd, QJsonObject extra) const
{
    extra.insert(u"op"_s, u"run"_s);
    extra.insert(u"cmd"_s, cmd);
    return call(extra);
}

QJsonObject AgentTest::commandSummary(const QString& id) const
{
    AgentReply r = m_client->request({{u"op"_s, u"list"_s}});
    for (const QJsonValue& v : r.header.value(u"commands"_s).toArray()) {
        if (v.toObject().value(u"command_id"_s).toString() == id)
            return v.toObject();
    }
    return {};
}

bool AgentTest::waitForStatus(const QString& id, const QString& status, int ms) const
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        if (commandSummary(id).value(u"status"_s).toString() == status)
            return true;
        QTest::qWait(20);
    }
    return false;
}

void AgentTest::expectAgentServing() const
{
    AgentReply r = m_client->request({{u"op"_s, u"ping"_s}});
    QVERIFY2(r.ok(), qPrintable(u"agent stopped answering: "_s + r.transportError));
    QCOMPARE(m_agent.state(), QProcess::Running);
}

void AgentTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                    | QFile::ReadGroup | QFile::ExeGroup
                                                    | QFile::ReadOther | QFile::ExeOther));
    auto me = accountWhere([](const Account& a) { return a.uid == ::geteuid(); });
    QVERIFY2(me, "the test's own uid has no /etc/passwd entry");
    m_user = me->name;

    const QString socket = path(u"a.sock"_s);
    m_agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_agent.start(QStringLiteral(AI2IN_AGENT_PATH), {u"--listen"_s, socket});
    QVERIFY2(m_agent.waitForStarted(5000), qPrintable(m_agent.errorString()));
    m_client.emplace(socket);
    QTRY_VERIFY_WITH_TIMEOUT(m_client->request({{u"op"_s, u"ping"_s}}).ok(), 5000);
}

void AgentTest::cleanupTestCase()
{
    if (m_agent.state() != QProcess::Running)
        QFAIL("the agent died during the tests");
    // A command still running at shutdown must be taken down with the agent.
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"sleep 60"_s}});
    QVERIFY(started.ok());
    qint64 group = started.header.value(u"pid"_s).toInteger();
    m_agent.terminate();
    QVERIFY(m_agent.waitForFinished(5000));
    QCOMPARE(m_agent.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_agent.exitCode(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!groupAlive(group), 3000);
}

void AgentTest::ping()
{
    AgentReply r = m_client->request({{u"op"_s, u"ping"_s}});
    QVERIFY2(r.ok(), qPrintable(r.transportError));
    QCOMPARE(r.header.value(u"version"_s).toString(), u"0.1.0"_s);
    QCOMPARE(r.header.value(u"pid"_s).toInteger(), m_agent.processId());
    QVERIFY(r.header.value(u"uptime_ms"_s).toInteger(-1) >= 0);
}

void AgentTest::inheritedListeningSocket()
{
    // The engine's way: the listening socket arrives as fd 3.
    const QString socketPath = path(u"fd3.sock"_s);
    int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(listener >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    QByteArray encoded = QFile::encodeName(socketPath);
    QVERIFY(encoded.size() < int(sizeof addr.sun_path));
    std::memcpy(addr.sun_path, encoded.constData(), size_t(encoded.size()));
    QCOMPARE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    QCOMPARE(::listen(listener, 8), 0);
    QProcess agent;
    agent.setProcessChannelMode(QProcess::ForwardedChannels);
    agent.setChildProcessModifier([listener] {
        if (::dup2(listener, 3) != 3)
            ::_exit(99);
    });
    agent.start(QStringLiteral(AI2IN_AGENT_PATH), {});
    QVERIFY(agent.waitForStarted(5000));
    ::close(listener);
    AgentClient client(socketPath);
    AgentReply r = client.request({{u"op"_s, u"ping"_s}});
    QVERIFY2(r.ok(), qPrintable(r.transportError));
    QCOMPARE(r.header.value(u"pid"_s).toInteger(), agent.processId());
    agent.terminate();
    QVERIFY(agent.waitForFinished(5000));
    QCOMPARE(agent.exitCode(), 0);

    // Without fd 3 and without --listen there is nothing to serve: a clear refusal.
    QProcess lost;
    lost.start(QStringLiteral(AI2IN_AGENT_PATH), {});
    QVERIFY(lost.waitForFinished(5000));
    QCOMPARE(lost.exitCode(), 1);
    QVERIFY(lost.readAllStandardError().startsWith("ai2in-agent: "));
}

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
                                 << u"not_found"_s << u"/no/such/dir"_s;
    QTest::newRow("cwd is a file") << QJsonObject{{u"op"_s, u"start"_s}, {u"cmd"_s, u"true"_s}, {u"cwd"_s, u"/etc/passwd"_s}}
                                   << u"not_a_directory"_s << u"/etc/passwd"_s;
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
    QVERIFY2(r.received, qPrintable(r.transportError));
    QCOMPARE(r.header.value(u"ok"_s).toBool(true), false);
    QCOMPARE(r.errorCode(), code);
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
    QCOMPARE(again.errorCode(), u"bad_request"_s);
    QVERIFY(again.errorMessage().contains(id));
    QVERIFY(m_client->request({{u"op"_s, u"kill"_s}, {u"command_id"_s, id}, {u"signal"_s, SIGKILL}}).ok());
    QVERIFY(waitForStatus(id, u"killed"_s, 3000));
    AgentReply finished = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}}, "x");
    QCOMPARE(finished.errorCode(), u"bad_request"_s);
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

void AgentTest::writeCreatesParentsAndReadsBackBinary()
{
    QByteArray data;
    for (int i = 0; i < 70000; ++i)
        data.append(char(QRandomGenerator::global()->bounded(256)));
    data.append(QByteArray(100, '\0'));
    const QString file = path(u"deep/er/still/blob.bin"_s);
    AgentReply w = call({{u"op"_s, u"write"_s}, {u"path"_s, file}}, data);
    QVERIFY2(w.ok(), qPrintable(w.errorMessage()));
    QCOMPARE(w.header.value(u"path"_s).toString(), file);
    QCOMPARE(w.header.value(u"written"_s).toInteger(), data.size());
    AgentReply r = call({{u"op"_s, u"read"_s}, {u"path"_s, file}});
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"size"_s).toInteger(), data.size());
    QCOMPARE(r.body, data);
    QFile onDisk(file);
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QCOMPARE(onDisk.readAll(), data);

    // An empty file is a file too.
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, path(u"empty"_s)}}).ok());
    r = call({{u"op"_s, u"read"_s}, {u"path"_s, path(u"empty"_s)}});
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"size"_s).toInt(-1), 0);
    QVERIFY(r.body.isEmpty());
}

void AgentTest::writeIsAtomicAndKeepsMode()
{
    const QString file = path(u"modes/script.sh"_s);
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, file}, {u"mode"_s, 0750}}, "#!/bin/sh\n").ok());
    struct stat st{};
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0750);
    // Overwriting without a mode keeps the file's mode; no temporary is left behind.
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, file}}, "#!/bin/sh\necho\n").ok());
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0750);
    QCOMPARE(QDir(path(u"modes"_s)).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{u"script.sh"_s});
    AgentReply bad = call({{u"op"_s, u"write"_s}, {u"path"_s, file}, {u"mode"_s, u"0644"_s}}, "x");
    QCOMPARE(bad.errorCode(), u"bad_request"_s);
}

void AgentTest::relativePathsAreInHome()
{
    auto me = accountWhere([this](const Account& a) { return a.name == m_user; });
    QVERIFY(me);
    if (!QDir(me->home).exists())
        QSKIP("The test user's home directory does not exist on this host.");
    AgentReply s = call({{u"op"_s, u"stat"_s}, {u"path"_s, u""_s}});
    QVERIFY(s.ok());
    QCOMPARE(s.header.value(u"entry"_s).toObject().value(u"path"_s).toString(), me->home);
    const QString name = u"ai2in-agent-test-%1.txt"_s.arg(QCoreApplication::applicationPid());
    AgentReply w = call({{u"op"_s, u"write"_s}, {u"path"_s, name}}, "rel");
    QVERIFY(w.ok());
    QCOMPARE(w.header.value(u"path"_s).toString(), me->home + u'/' + name);
    QVERIFY(call({{u"op"_s, u"remove"_s}, {u"path"_s, name}}).ok());
    QVERIFY(!QFile::exists(me->home + u'/' + name));
}

void AgentTest::listDepth()
{
    const QString root = path(u"tree"_s);
    for (const char* f : {"b/x.txt", "a/one/two/three/four.txt", "c.txt"})
        QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, root + u'/' + QLatin1String(f)}}, "1").ok());
    QVERIFY(QFile::link(root + u"/a"_s, root + u"/link"_s));

    auto names = [&](int depth) {
        QJsonObject h{{u"op"_s, u"list"_s}, {u"path"_s, root}};
        if (depth > 0)
            h.insert(u"depth"_s, depth);
        AgentReply r = call(h);
        QStringList paths;
        for (const QJsonValue& v : r.header.value(u"entries"_s).toArray())
            paths << v.toObject().value(u"path"_s).toString().mid(root.size() + 1);
        return paths;
    };
    QCOMPARE(names(0), (QStringList{u"a"_s, u"b"_s, u"c.txt"_s, u"link"_s}));
    QCOMPARE(names(1), names(0));
    QCOMPARE(names(2), (QStringList{u"a"_s, u"a/one"_s, u"b"_s, u"b/x.txt"_s, u"c.txt"_s, u"link"_s}));
    QCOMPARE(names(16), (QStringList{u"a"_s, u"a/one"_s, u"a/one/two"_s, u"a/one/two/three"_s,
                                     u"a/one/two/three/four.txt"_s, u"b"_s, u"b/x.txt"_s, u"c.txt"_s, u"link"_s}));

    AgentReply r = call({{u"op"_s, u"list"_s}, {u"path"_s, root}});
    QJsonObject link = r.header.value(u"entries"_s).toArray().last().toObject();
    QCOMPARE(link.value(u"type"_s).toString(), u"symlink"_s);
    QCOMPARE(link.value(u"symlink_target"_s).toString(), root + u"/a"_s);
    QCOMPARE(link.value(u"name"_s).toString(), u"link"_s);
    QJsonObject dir = r.header.value(u"entries"_s).toArray().first().toObject();
    QCOMPARE(dir.value(u"type"_s).toString(), u"dir"_s);
    QVERIFY(dir.value(u"symlink_target"_s).isNull());

    QCOMPARE(call({{u"op"_s, u"list"_s}, {u"path"_s, root}, {u"depth"_s, 17}}).errorCode(), u"bad_request"_s);
    QCOMPARE(call({{u"op"_s, u"list"_s}, {u"path"_s, root}, {u"depth"_s, 0}}).errorCode(), u"bad_request"_s);
    AgentReply notDir = call({{u"op"_s, u"list"_s}, {u"path"_s, root + u"/c.txt"_s}});
    QCOMPARE(notDir.errorCode(), u"not_a_directory"_s);
    QVERIFY(notDir.errorMessage().contains(root + u"/c.txt"_s));
}

void AgentTest::statAndExists()
{
    const QString file = path(u"stat/me.txt"_s);
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, file}, {u"mode"_s, 0600}}, "12345").ok());
    AgentReply s = call({{u"op"_s, u"stat"_s}, {u"path"_s, file}});
    QVERIFY(s.ok());
    QJsonObject e = s.header.value(u"entry"_s).toObject();
    QCOMPARE(e.value(u"name"_s).toString(), u"me.txt"_s);
    QCOMPARE(e.value(u"path"_s).toString(), file);
    QCOMPARE(e.value(u"type"_s).toString(), u"file"_s);
    QCOMPARE(e.value(u"size"_s).toInt(), 5);
    QCOMPARE(e.value(u"mode"_s).toInt(), 0600);
    QCOMPARE(e.value(u"owner"_s).toString(), m_user);
    QVERIFY(qAbs(e.value(u"mtime_ms"_s).toInteger() - QDateTime::currentMSecsSinceEpoch()) < 10000);
    QVERIFY(e.contains(u"symlink_target"_s));

    // stat does not follow links.
    QVERIFY(QFile::link(path(u"stat/nowhere"_s), path(u"stat/dangling"_s)));
    s = call({{u"op"_s, u"stat"_s}, {u"path"_s, path(u"stat/dangling"_s)}});
    QVERIFY(s.ok());
    QCOMPARE(s.header.value(u"entry"_s).toObject().value(u"type"_s).toString(), u"symlink"_s);

    QCOMPARE(call({{u"op"_s, u"exists"_s}, {u"path"_s, file}}).header.value(u"exists"_s).toBool(false), true);
    QCOMPARE(call({{u"op"_s, u"exists"_s}, {u"path"_s, path(u"stat/dangling"_s)}}).header.value(u"exists"_s).toBool(false), true);
    AgentReply no = call({{u"op"_s, u"exists"_s}, {u"path"_s, path(u"stat/nope"_s)}});
    QVERIFY(no.ok());
    QCOMPARE(no.header.value(u"exists"_s).toBool(true), false);
    QCOMPARE(call({{u"op"_s, u"exists"_s}, {u"path"_s, file + u"/below"_s}}).header.value(u"exists"_s).toBool(true), false);
}

void AgentTest::removeRecursiveNeverFollowsLinks()
{
    const QString outside = path(u"keep/precious.txt"_s);
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, outside}}, "keep me").ok());
    const QString victim = path(u"victim"_s);
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, victim + u"/sub/deeper/f.txt"_s}}, "x").ok());
    QVERIFY(QFile::link(path(u"keep"_s), victim + u"/sub/dirlink"_s));
    QVERIFY(QFile::link(outside, victim + u"/filelink"_s));

    AgentReply r = call({{u"op"_s, u"remove"_s}, {u"path"_s, victim}});
    QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
    QVERIFY(!QFileInfo::exists(victim));
    QVERIFY(QFile::exists(outside));

    // A link itself is removed, not its target.
    QVERIFY(QFile::link(outside, path(u"alink"_s)));
    QVERIFY(call({{u"op"_s, u"remove"_s}, {u"path"_s, path(u"alink"_s)}}).ok());
    QVERIFY(!QFileInfo(path(u"alink"_s)).isSymLink());
    QVERIFY(QFile::exists(outside));

    AgentReply missing = call({{u"op"_s, u"remove"_s}, {u"path"_s, victim}});
    QCOMPARE(missing.errorCode(), u"not_found"_s);
    QVERIFY(missing.errorMessage().contains(victim));
}

void AgentTest::renameCreatesParents()
{
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, path(u"mv/from.txt"_s)}}, "moving").ok());
    AgentReply r = call({{u"op"_s, u"rename"_s}, {u"from"_s, path(u"mv/from.txt"_s)}, {u"to"_s, path(u"mv/new/dir/to.txt"_s)}});
    QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
    QCOMPARE(r.header.value(u"path"_s).toString(), path(u"mv/new/dir/to.txt"_s));
    QVERIFY(!QFile::exists(path(u"mv/from.txt"_s)));
    QFile moved(path(u"mv/new/dir/to.txt"_s));
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), QByteArray("moving"));
    AgentReply missing = call({{u"op"_s, u"rename"_s}, {u"from"_s, path(u"mv/gone"_s)}, {u"to"_s, path(u"mv/x"_s)}});
    QCOMPARE(missing.errorCode(), u"not_found"_s);
    QVERIFY(missing.errorMessage().contains(path(u"mv/gone"_s)));
    QCOMPARE(call({{u"op"_s, u"rename"_s}, {u"from"_s, path(u"mv/new"_s)}}).errorCode(), u"bad_request"_s);
}

void AgentTest::mkdirCreatedFlag()
{
    const QString dir = path(u"made/a/b/c"_s);
    AgentReply r = call({{u"op"_s, u"mkdir"_s}, {u"path"_s, dir}});
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"created"_s).toBool(false), true);
    QCOMPARE(r.header.value(u"path"_s).toString(), dir);
    QVERIFY(QFileInfo(dir).isDir());
    r = call({{u"op"_s, u"mkdir"_s}, {u"path"_s, dir}});
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"created"_s).toBool(true), false);
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, path(u"made/file"_s)}}, "f").ok());
    r = call({{u"op"_s, u"mkdir"_s}, {u"path"_s, path(u"made/file"_s)}});
    QCOMPARE(r.errorCode(), u"already_exists"_s);
    QVERIFY(r.errorMessage().contains(path(u"made/file"_s)));
}

void AgentTest::readTooLarge()
{
    const QString big = path(u"big.bin"_s);
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(32 * 1024 * 1024 + 1));
    f.close();
    AgentReply r = call({{u"op"_s, u"read"_s}, {u"path"_s, big}});
    QCOMPARE(r.errorCode(), u"too_large"_s);
    QVERIFY(r.errorMessage().contains(big));
    // Exactly 32 MiB is still allowed, both ways.
    QByteArray limit(32 * 1024 * 1024, 'z');
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, big}}, limit, 60000).ok());
    r = call({{u"op"_s, u"read"_s}, {u"path"_s, big}}, {}, 60000);
    QVERIFY(r.ok());
    QCOMPARE(r.body.size(), limit.size());
    QVERIFY(r.body == limit);
}

void AgentTest::fileErrors_data()
{
    QTest::addColumn<QJsonObject>("header");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mentions");
    const QString missing = path(u"no/such.txt"_s);
    QTest::newRow("read missing") << QJsonObject{{u"op"_s, u"read"_s}, {u"path"_s, missing}} << u"not_found"_s << missing;
    QTest::newRow("stat missing") << QJsonObject{{u"op"_s, u"stat"_s}, {u"path"_s, missing}} << u"not_found"_s << missing;
    QTest::newRow("list missing") << QJsonObject{{u"op"_s, u"list"_s}, {u"path"_s, missing}} << u"not_found"_s << missing;
    QTest::newRow("read directory") << QJsonObject{{u"op"_s, u"read"_s}, {u"path"_s, m_dir.path()}} << u"is_a_directory"_s << m_dir.path();
    QTest::newRow("write over directory") << QJsonObject{{u"op"_s, u"write"_s}, {u"path"_s, m_dir.path()}} << u"is_a_directory"_s << m_dir.path();
    QTest::newRow("write below a file") << QJsonObject{{u"op"_s, u"write"_s}, {u"path"_s, u"/etc/passwd/x"_s}} << u"already_exists"_s << u"/etc/passwd"_s;
    QTest::newRow("NUL in path") << QJsonObject{{u"op"_s, u"read"_s}, {u"path"_s, u"a\u0000b"_s}} << u"bad_request"_s << u"path"_s;
    QTest::newRow("NUL in write path") << QJsonObject{{u"op"_s, u"write"_s}, {u"path"_s, path(u"x\u0000y"_s)}} << u"bad_request"_s << u"path"_s;
    QTest::newRow("empty read path") << QJsonObject{{u"op"_s, u"read"_s}, {u"path"_s, u""_s}} << u"bad_request"_s << u"path"_s;
    QTest::newRow("empty remove path") << QJsonObject{{u"op"_s, u"remove"_s}, {u"path"_s, u""_s}} << u"bad_request"_s << u"path"_s;
    QTest::newRow("missing path") << QJsonObject{{u"op"_s, u"write"_s}} << u"bad_request"_s << u"path"_s;
    QTest::newRow("path not string") << QJsonObject{{u"op"_s, u"stat"_s}, {u"path"_s, 3}} << u"bad_request"_s << u"path"_s;
    QTest::newRow("depth wrong type") << QJsonObject{{u"op"_s, u"list"_s}, {u"path"_s, u"/"_s}, {u"depth"_s, u"2"_s}} << u"bad_request"_s << u"depth"_s;
    QTest::newRow("unknown user") << QJsonObject{{u"op"_s, u"stat"_s}, {u"path"_s, u"/"_s}, {u"user"_s, u"nobody-here-xyz"_s}} << u"bad_request"_s << u"nobody-here-xyz"_s;
    QTest::newRow("remove root") << QJsonObject{{u"op"_s, u"remove"_s}, {u"path"_s, u"/"_s}} << u"bad_request"_s << u"/"_s;
}

void AgentTest::fileErrors()
{
    QFETCH(QJsonObject, header);
    QFETCH(QString, code);
    QFETCH(QString, mentions);
    AgentReply r = call(header);
    QVERIFY2(r.received, qPrintable(r.transportError));
    QCOMPARE(r.header.value(u"ok"_s).toBool(true), false);
    QCOMPARE(r.errorCode(), code);
    QVERIFY2(r.errorMessage().contains(mentions), qPrintable(r.errorMessage()));
    expectAgentServing();
}

void AgentTest::filesAsUnprivilegedUser()
{
    if (::geteuid() != 0)
        QSKIP("The test does not run as root, so the agent cannot switch users.");
    auto user = accountWhere([](const Account& a) { return a.uid == 1000; });
    if (!user)
        QSKIP("This host has no account with uid 1000 to act as.");
    const QString shared = path(u"shared"_s);
    QVERIFY(QDir().mkpath(shared));
    QVERIFY(::chmod(QFile::encodeName(shared).constData(), 0777) == 0);
    AgentReply w = call({{u"op"_s, u"write"_s}, {u"path"_s, shared + u"/new/dir/mine.txt"_s}, {u"user"_s, user->name}}, "x");
    QVERIFY2(w.ok(), qPrintable(w.errorMessage()));
    for (const QString& p : {shared + u"/new"_s, shared + u"/new/dir"_s, shared + u"/new/dir/mine.txt"_s}) {
        struct stat st{};
        QCOMPARE(::stat(QFile::encodeName(p).constData(), &st), 0);
        QCOMPARE(st.st_uid, uid_t(1000));
    }
    AgentReply s = call({{u"op"_s, u"stat"_s}, {u"path"_s, shared + u"/new/dir/mine.txt"_s}});
    QCOMPARE(s.header.value(u"entry"_s).toObject().value(u"owner"_s).toString(), user->name);
    // Permissions are the user's, not the agent's.
    const QString rootOnly = path(u"rootonly"_s);
    QVERIFY(QDir().mkpath(rootOnly));
    QVERIFY(::chmod(QFile::encodeName(rootOnly).constData(), 0755) == 0);
    AgentReply denied = call({{u"op"_s, u"write"_s}, {u"path"_s, rootOnly + u"/f"_s}, {u"user"_s, user->name}}, "x");
    QCOMPARE(denied.errorCode(), u"permission_denied"_s);
    QVERIFY(denied.errorMessage().contains(rootOnly));
    // The agent's own identity is back afterwards.
    QVERIFY(call({{u"op"_s, u"write"_s}, {u"path"_s, rootOnly + u"/f"_s}}, "x").ok());
}

void AgentTest::badInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    QTest::newRow("not JSON") << QByteArray("hello there\n") << u"bad_request"_s;
    QTest::newRow("empty line") << QByteArray("\n") << u"bad_request"_s;
    QTest::newRow("truncated JSON") << QByteArray("{\"op\":\"ping\"\n") << u"bad_request"_s;
    QTest::newRow("array") << QByteArray("[1,2,3]\n") << u"bad_request"_s;
    QTest::newRow("string") << QByteArray("\"ping\"\n") << u"bad_request"_s;
    QTest::newRow("number") << QByteArray("42\n") << u"bad_request"_s;
    QTest::newRow("null") << QByteArray("null\n") << u"bad_request"_s;
    QTest::newRow("missing op") << QByteArray("{}\n") << u"bad_request"_s;
    QTest::newRow("op not string") << QByteArray("{\"op\":5}\n") << u"bad_request"_s;
    QTest::newRow("op null") << QByteArray("{\"op\":null}\n") << u"bad_request"_s;
    QTest::newRow("unknown op") << QByteArray("{\"op\":\"format_disk\"}\n") << u"unknown_op"_s;
    QTest::newRow("body_len string") << QByteArray("{\"op\":\"ping\",\"body_len\":\"5\"}\n") << u"bad_request"_s;
    QTest::newRow("body_len negative") << QByteArray("{\"op\":\"ping\",\"body_len\":-1}\n") << u"bad_request"_s;
    QTest::newRow("body_len fraction") << QByteArray("{\"op\":\"ping\",\"body_len\":1.5}\n") << u"bad_request"_s;
    QTest::newRow("body_len over limit") << QByteArray("{\"op\":\"write\",\"path\":\"/tmp/x\",\"body_len\":33554433}\n")
                                         << u"too_large"_s;
    QTest::newRow("body_len huge") << QByteArray("{\"op\":\"write\",\"body_len\":18446744073709551615}\n") << u"too_large"_s;
    QTest::newRow("body_len 1e30") << QByteArray("{\"op\":\"write\",\"body_len\":1e30}\n") << u"bad_request"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"op\":\"\xff\xfe\"}\n") << u"bad_request"_s;
    QTest::newRow("header over 1 MiB") << QByteArray(1024 * 1024 + 100, 'a') << u"too_large"_s;
    QTest::newRow("long header ok") << (QByteArray("{\"op\":\"nope\",\"pad\":\"") + QByteArray(900000, 'p') + "\"}\n")
                                    << u"unknown_op"_s;
    QTest::newRow("eof check") << QByteArray("{\"op\":\"stdin\",\"command_id\":\"x\",\"eof\":\"yes\"}\n")
                               << u"not_found"_s;
}

void AgentTest::badInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    AgentReply r = m_client->raw(bytes);
    QVERIFY2(r.received, qPrintable(r.transportError));
    QCOMPARE(r.header.value(u"ok"_s).toBool(true), false);
    QCOMPARE(r.errorCode(), code);
    QVERIFY(!r.errorMessage().isEmpty());
    expectAgentServing();
}

void AgentTest::disconnectMidRequest_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("half header") << QByteArray("{\"op\":\"wri");
    QTest::newRow("half body") << QByteArray("{\"op\":\"write\",\"path\":\"/tmp/ai2in-never\",\"body_len\":1000}\nabc");
    QTest::newRow("before run answer") << QByteArray("{\"op\":\"run\",\"cmd\":\"sleep 0.3\",\"user\":\"root\"}\n");
    QTest::newRow("before big answer") << QByteArray("{\"op\":\"run\",\"cmd\":\"head -c 3000000 /dev/zero\",\"user\":\"root\"}\n");
}

void AgentTest::disconnectMidRequest()
{
    QFETCH(QByteArray, bytes);
    int fd = m_client->connectSocket();
    QVERIFY(fd >= 0);
    QVERIFY(AgentClient::sendAll(fd, bytes));
    ::close(fd);
    QTest::qWait(50);
    expectAgentServing();
    QTest::qWait(400);
    expectAgentServing();
    QVERIFY(!QFile::exists(u"/tmp/ai2in-never"_s));
}

QTEST_GUILESS_MAIN(AgentTest)
#include "tst_agent.moc"
