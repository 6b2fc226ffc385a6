// SPDX-License-Identifier: GPL-3.0-or-later
// The fixture of the agent tests: one agent for the whole run.
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

std::optional<AgentTest::Account> AgentTest::accountWhere(const std::function<bool(const Account&)>& match)
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

bool AgentTest::groupAlive(qint64 pgid)
{
    return ::kill(-pid_t(pgid), 0) == 0 || errno == EPERM;
}

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
    // The kernel driver lives in /.ai2in in a sandbox; here it is the source
    // file, run by Debian's python3, which has jupyter_client (pyenv's may not).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"AI2IN_KERNEL_DRIVER"_s, QStringLiteral(AI2IN_KERNEL_DRIVER_PATH));
    env.insert(u"AI2IN_KERNEL_PYTHON"_s, u"/usr/bin/python3"_s);
    m_agent.setProcessEnvironment(env);
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

QTEST_GUILESS_MAIN(AgentTest)
