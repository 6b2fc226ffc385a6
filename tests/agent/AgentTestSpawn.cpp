// SPDX-License-Identifier: GPL-3.0-or-later
// How commands are started: the agent execs plain commands itself instead of
// through `bash -c` (agent/DirectExec.cpp). Which way a command goes must not
// be observable, so these rows check behaviour, and compare each plain
// command with the same command forced through bash.
#include "AgentTest.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <unistd.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString exactly(const QString& text)
{
    return u"\\A"_s + QRegularExpression::escape(text) + u"\\z"_s;
}

bool writeFile(const QString& file, const QByteArray& content, QFile::Permissions mode)
{
    QDir().mkpath(QFileInfo(file).path());
    QFile f(file);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size()
           && f.setPermissions(mode);
}

constexpr QFile::Permissions kExecutable = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                           | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;
constexpr QFile::Permissions kPlain = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;

// The same command with its first word quoted: bash still execs the program
// in place of itself, so this is the behaviour the plain form must have.
QString throughBash(const QString& cmd)
{
    qsizetype space = cmd.indexOf(u' ');
    if (space < 0)
        return u'\'' + cmd + u'\'';
    return u'\'' + cmd.left(space) + u'\'' + cmd.mid(space);
}

QString pwdLine(const QString& envOutput)
{
    const QStringList lines = envOutput.split(u'\n');
    for (const QString& line : lines) {
        if (line.startsWith(u"PWD="_s))
            return line;
    }
    return {};
}

} // namespace

void AgentTest::simpleCommands_data()
{
    QTest::addColumn<QString>("cmd");
    QTest::addColumn<QJsonObject>("extra");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("out"); // a regular expression
    QTest::addColumn<QString>("err");

    QVERIFY(writeFile(path(u"glob/a.txt"_s), "a", kPlain));
    QVERIFY(writeFile(path(u"glob/b.txt"_s), "b", kPlain));
    QVERIFY(writeFile(path(u"bin/noshebang"_s), "echo from a script without '#!' \"$0\"\n", kExecutable));
    QVERIFY(writeFile(path(u"bin/shebang"_s), "#!/bin/sh\necho \"interpreted $1\"\n", kExecutable));
    const QJsonObject none;
    const QJsonObject scriptPath{{u"env"_s, QJsonObject{{u"PATH"_s, path(u"bin"_s) + u":/usr/bin:/bin"_s}}}};

    QTest::newRow("true") << u"true"_s << none << 0 << exactly({}) << QString();
    QTest::newRow("false") << u"false"_s << none << 1 << exactly({}) << QString();
    // The builtins ignore arguments; the programs would print their help.
    QTest::newRow("true --help") << u"true --help"_s << none << 0 << exactly({}) << QString();
    QTest::newRow("false --version") << u"false --version"_s << none << 1 << exactly({}) << QString();
    QTest::newRow("ls /") << u"ls /"_s << none << 0 << u"(?m)^proc$"_s << QString();
    QTest::newRow("no inherited fds") << u"ls /proc/self/fd"_s << none << 0 << exactly(u"0\n1\n2\n3\n"_s) << QString();
    QTest::newRow("echo builtin") << u"echo hi"_s << none << 0 << exactly(u"hi\n"_s) << QString();
    QTest::newRow("printf builtin") << u"printf hi"_s << none << 0 << exactly(u"hi"_s) << QString();
    QTest::newRow("printf quoted") << u"printf '%s-%s\\n' a b"_s << none << 0 << exactly(u"a-b\n"_s) << QString();
    QTest::newRow("not found") << u"nosuchcmd"_s << none << 127 << exactly({})
                               << u"bash: line 1: nosuchcmd: command not found\n"_s;
    QTest::newRow("not found, absolute") << u"/no/such/cmd"_s << none << 127 << exactly({})
                                         << u"bash: line 1: /no/such/cmd: No such file or directory\n"_s;
    QTest::newRow("assignment") << u"FOO=1 env"_s << none << 0 << u"(?m)^FOO=1$"_s << QString();
    QTest::newRow("glob") << u"ls *"_s << QJsonObject{{u"cwd"_s, path(u"glob"_s)}} << 0
                          << exactly(u"a.txt\nb.txt\n"_s) << QString();
    QTest::newRow("cd builtin") << u"cd /tmp"_s << none << 0 << exactly({}) << QString();
    QTest::newRow("exit builtin") << u"exit 3"_s << none << 3 << exactly({}) << QString();
    QTest::newRow("keyword") << u"time true"_s << none << 0 << exactly({}) << u"(?s).*real.*"_s;
    QTest::newRow("dot builtin") << u". /dev/null"_s << none << 0 << exactly({}) << QString();
    QTest::newRow("script without #!") << u"noshebang"_s << scriptPath << 0
                                       << exactly(u"from a script without #! "_s + path(u"bin/noshebang"_s) + u'\n')
                                       << QString();
    QTest::newRow("script with #!") << u"shebang arg"_s << scriptPath << 0 << exactly(u"interpreted arg\n"_s)
                                    << QString();
    QTest::newRow("id -u") << u"id -u"_s << none << 0
                           << exactly(QString::number(::geteuid()) + u'\n') << QString();
    if (::geteuid() == 0) {
        QTest::newRow("id -u as root") << u"id -u"_s << QJsonObject{{u"user"_s, u"root"_s}} << 0
                                       << exactly(u"0\n"_s) << QString();
        if (auto user = accountWhere([](const Account& a) { return a.uid == 1000; }))
            QTest::newRow("id -u as uid 1000") << u"id -u"_s << QJsonObject{{u"user"_s, user->name}, {u"cwd"_s, u"/tmp"_s}}
                                               << 0 << exactly(u"1000\n"_s) << QString();
    }
}

void AgentTest::simpleCommands()
{
    QFETCH(QString, cmd);
    QFETCH(QJsonObject, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, out);
    QFETCH(QString, err);
    AgentReply r = runCmd(cmd, extra);
    QVERIFY2(r.ok(), qPrintable(r.transportError + r.errorMessage()));
    QCOMPARE(r.header.value(u"exit_code"_s).toInt(-1), exitCode);
    const QString stdoutText = r.header.value(u"stdout"_s).toString();
    QVERIFY2(QRegularExpression(out).match(stdoutText).hasMatch(), qPrintable(stdoutText));
    const QString stderrText = r.header.value(u"stderr"_s).toString();
    if (err.startsWith(u"(?s)"_s))
        QVERIFY2(QRegularExpression(err).match(stderrText).hasMatch(), qPrintable(stderrText));
    else
        QCOMPARE(stderrText, err);
}

void AgentTest::directExecMatchesBash_data()
{
    QTest::addColumn<QString>("cmd");
    QTest::addColumn<QJsonObject>("extra");
    QTest::addColumn<bool>("anyOrder"); // bash orders the environment its own way

    QVERIFY(writeFile(path(u"nox/ls"_s), "#!/bin/sh\necho not executable\n", kPlain));
    QVERIFY(writeFile(path(u"bin/shebang"_s), "#!/bin/sh\necho \"interpreted $1\"\n", kExecutable));
    QVERIFY(writeFile(path(u"bash_env"_s), "echo sourced\n", kPlain));
    QVERIFY(QDir().mkpath(path(u"cwd/sub"_s)));
    const QJsonObject none;
    auto withEnv = [](const QString& key, const QString& value) {
        return QJsonObject{{u"env"_s, QJsonObject{{key, value}}}};
    };

    QTest::newRow("env") << u"env"_s << none << true;
    QTest::newRow("env, absolute name") << u"/usr/bin/env"_s << none << true;
    QTest::newRow("env with arguments") << u"env -u HOME"_s << none << true;
    QTest::newRow("SHLVL kept") << u"env"_s << withEnv(u"SHLVL"_s, u"7"_s) << true;
    QTest::newRow("SHLVL empty") << u"env"_s << withEnv(u"SHLVL"_s, u""_s) << true;
    QTest::newRow("SHLVL too high") << u"env"_s << withEnv(u"SHLVL"_s, u"999"_s) << true;
    QTest::newRow("SHLVL not a number") << u"env"_s << withEnv(u"SHLVL"_s, u"x"_s) << true;
    QTest::newRow("_ replaced") << u"env"_s << withEnv(u"_"_s, u"/x"_s) << true;
    QTest::newRow("OLDPWD a directory") << u"env"_s << withEnv(u"OLDPWD"_s, u"/"_s) << true;
    QTest::newRow("OLDPWD missing") << u"env"_s << withEnv(u"OLDPWD"_s, u"/no/such"_s) << true;
    QTest::newRow("OLDPWD relative to cwd")
        << u"env"_s << QJsonObject{{u"cwd"_s, path(u"cwd"_s)}, {u"env"_s, QJsonObject{{u"OLDPWD"_s, u"sub"_s}}}} << true;
    QTest::newRow("OLDPWD a file") << u"env"_s << withEnv(u"OLDPWD"_s, u"/etc/passwd"_s) << true;
    QTest::newRow("PWD elsewhere") << u"env"_s << withEnv(u"PWD"_s, u"/"_s) << true;
    QTest::newRow("PWD relative") << u"env"_s << withEnv(u"PWD"_s, u"tmp"_s) << true;
    QTest::newRow("IFS rewritten") << u"env"_s << withEnv(u"IFS"_s, u"x"_s) << true;
    QTest::newRow("missing locale warns") << u"env"_s << withEnv(u"LC_ALL"_s, u"xx_YY.UTF-8"_s) << true;
    QTest::newRow("BASH_ENV sourced") << u"env"_s << withEnv(u"BASH_ENV"_s, path(u"bash_env"_s)) << true;
    QTest::newRow("exported function") << u"ls /"_s << withEnv(u"BASH_FUNC_ls%%"_s, u"() {  echo shadowed\n}"_s) << false;
    QTest::newRow("invalid variable name") << u"env"_s << withEnv(u"A-B"_s, u"1"_s) << true;
    QTest::newRow("ls") << u"ls -a /"_s << none << false;
    QTest::newRow("ls error") << u"ls /no/such"_s << none << false;
    QTest::newRow("argv") << u"cat /proc/self/cmdline"_s << none << false;
    QTest::newRow("signals") << u"grep Sig /proc/self/status"_s << none << false;
    QTest::newRow("groups") << u"grep Groups /proc/self/status"_s << none << false;
    QTest::newRow("stdin closed") << u"cat"_s << none << false;
    QTest::newRow("true") << u"true"_s << none << false;
    QTest::newRow("false") << u"false"_s << none << false;
    QTest::newRow("not executable first on PATH")
        << u"ls /"_s << withEnv(u"PATH"_s, path(u"nox"_s) + u":/usr/bin:/bin"_s) << false;
    QTest::newRow("relative PATH entry")
        << u"shebang x"_s << QJsonObject{{u"cwd"_s, m_dir.path()}, {u"env"_s, QJsonObject{{u"PATH"_s, u"bin:/usr/bin:/bin"_s}}}}
        << false;
    QTest::newRow("empty PATH entry")
        << u"shebang x"_s << QJsonObject{{u"cwd"_s, path(u"bin"_s)}, {u"env"_s, QJsonObject{{u"PATH"_s, u":/usr/bin:/bin"_s}}}}
        << false;
}

void AgentTest::directExecMatchesBash()
{
    QFETCH(QString, cmd);
    QFETCH(QJsonObject, extra);
    QFETCH(bool, anyOrder);
    AgentReply direct = runCmd(cmd, extra);
    AgentReply bash = runCmd(throughBash(cmd), extra);
    QVERIFY2(direct.ok(), qPrintable(direct.transportError + direct.errorMessage()));
    QVERIFY2(bash.ok(), qPrintable(bash.transportError + bash.errorMessage()));
    QCOMPARE(direct.header.value(u"exit_code"_s).toInt(-1), bash.header.value(u"exit_code"_s).toInt(-2));
    QString out = direct.header.value(u"stdout"_s).toString();
    QString expected = bash.header.value(u"stdout"_s).toString();
    if (anyOrder) {
        QStringList a = out.split(u'\n'), b = expected.split(u'\n');
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        QCOMPARE(a, b);
    } else {
        QCOMPARE(out, expected);
    }
    QCOMPARE(direct.header.value(u"stderr"_s).toString(), bash.header.value(u"stderr"_s).toString());
}

void AgentTest::pwdAsBashSetsIt_data()
{
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QJsonObject>("env");
    QTest::addColumn<QString>("pwd");

    QVERIFY(QDir().mkpath(path(u"pwd/real"_s)));
    QFile::remove(path(u"pwd/link"_s));
    QVERIFY(QFile::link(path(u"pwd/real"_s), path(u"pwd/link"_s)));
    const QString real = QDir(path(u"pwd/real"_s)).canonicalPath();

    QTest::newRow("absolute") << path(u"pwd/real"_s) << QJsonObject() << real;
    QTest::newRow("trailing slash") << path(u"pwd/real/"_s) << QJsonObject() << real;
    QTest::newRow("dot-dot") << path(u"pwd/real/.."_s) << QJsonObject() << QDir(path(u"pwd"_s)).canonicalPath();
    QTest::newRow("through a link") << path(u"pwd/link"_s) << QJsonObject() << real;
    auto me = accountWhere([this](const Account& a) { return a.name == m_user; });
    if (me && QDir(me->home).exists())
        QTest::newRow("relative to home") << QDir(me->home).relativeFilePath(path(u"pwd/real"_s)) << QJsonObject() << real;
    QTest::newRow("PWD elsewhere") << path(u"pwd/real"_s) << QJsonObject{{u"PWD"_s, u"/"_s}} << real;
    // Bash keeps an inherited PWD that names the directory.
    QTest::newRow("PWD through a link") << path(u"pwd/real"_s) << QJsonObject{{u"PWD"_s, path(u"pwd/link"_s)}}
                                        << path(u"pwd/link"_s);
}

void AgentTest::pwdAsBashSetsIt()
{
    QFETCH(QString, cwd);
    QFETCH(QJsonObject, env);
    QFETCH(QString, pwd);
    QJsonObject extra{{u"cwd"_s, cwd}, {u"env"_s, env}};
    AgentReply direct = runCmd(u"env"_s, extra);
    AgentReply bash = runCmd(u"env | grep ^PWD="_s, extra);
    QVERIFY2(direct.ok(), qPrintable(direct.transportError + direct.errorMessage()));
    QVERIFY2(bash.ok(), qPrintable(bash.transportError + bash.errorMessage()));
    QCOMPARE(bash.header.value(u"stdout"_s).toString(), u"PWD="_s + pwd + u'\n');
    QCOMPARE(pwdLine(direct.header.value(u"stdout"_s).toString()), u"PWD="_s + pwd);
}

void AgentTest::directExecFailingChdir()
{
    AgentReply r = runCmd(u"ls /"_s, {{u"cwd"_s, u"/no/such/dir"_s}});
    QVERIFY(r.received);
    QCOMPARE(r.errorCode(), u"bad_request"_s);
    QVERIFY2(r.errorMessage().contains(u"/no/such/dir"_s) && r.errorMessage().contains(u"working directory"_s),
             qPrintable(r.errorMessage()));
    r = runCmd(u"true"_s, {{u"cwd"_s, u"/etc/passwd"_s}});
    QCOMPARE(r.errorCode(), u"bad_request"_s);
    QVERIFY2(r.errorMessage().contains(u"/etc/passwd"_s), qPrintable(r.errorMessage()));
    if (::geteuid() != 0)
        return;
    auto user = accountWhere([](const Account& a) { return a.uid == 1000; });
    if (!user)
        return;
    QVERIFY(QDir().mkpath(path(u"private"_s)));
    QVERIFY(QFile::setPermissions(path(u"private"_s), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    r = runCmd(u"ls"_s, {{u"cwd"_s, path(u"private"_s)}, {u"user"_s, user->name}});
    QCOMPARE(r.errorCode(), u"permission_denied"_s);
    QVERIFY2(r.errorMessage().contains(path(u"private"_s)), qPrintable(r.errorMessage()));
    expectAgentServing();
}

void AgentTest::directExecOwnSession()
{
    // /proc/PID/stat: "pid (comm) state ppid pgrp session ..."
    AgentReply r = runCmd(u"cat /proc/self/stat"_s);
    QVERIFY(r.ok());
    QString stat = r.header.value(u"stdout"_s).toString();
    QStringList after = stat.mid(stat.lastIndexOf(u')') + 2).split(u' ');
    QVERIFY(after.size() > 3);
    const QString pid = QString::number(r.header.value(u"pid"_s).toInteger());
    QCOMPARE(stat.section(u' ', 0, 0), pid);
    QCOMPARE(after[2], pid); // process group
    QCOMPARE(after[3], pid); // session
}

void AgentTest::directExecStdin()
{
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"cat"_s}});
    QVERIFY(started.ok());
    QString id = started.header.value(u"command_id"_s).toString();
    AgentReply w = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}}, "first ");
    QVERIFY(w.ok());
    w = m_client->request({{u"op"_s, u"stdin"_s}, {u"command_id"_s, id}, {u"eof"_s, true}}, "second");
    QVERIFY(w.ok());
    QVERIFY(waitForStatus(id, u"exited"_s, 5000));
    AgentReply logs = m_client->request({{u"op"_s, u"logs"_s}, {u"command_id"_s, id}});
    QCOMPARE(logs.header.value(u"stdout"_s).toString(), u"first second"_s);
    QCOMPARE(logs.header.value(u"exit_code"_s).toInt(-1), 0);
}
