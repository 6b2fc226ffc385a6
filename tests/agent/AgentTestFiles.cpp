// SPDX-License-Identifier: GPL-3.0-or-later
// File operations, as root and as an unprivileged user.
#include "AgentTest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
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
    // "//" and "." do not show in answers; ".." is left to the kernel.
    for (const QString &spelled : {u"./"_s + name, u".//"_s + name, me->home + u"/./"_s + name,
                                   u"/"_s + me->home + u"//"_s + name}) {
        AgentReply st = call({{u"op"_s, u"stat"_s}, {u"path"_s, spelled}});
        QVERIFY2(st.ok(), qPrintable(spelled));
        QCOMPARE(st.header.value(u"entry"_s).toObject().value(u"path"_s).toString(), me->home + u'/' + name);
    }
    AgentReply up = call({{u"op"_s, u"stat"_s}, {u"path"_s, u"../"_s + QFileInfo(me->home).fileName() + u'/' + name}});
    QVERIFY(up.ok());
    QVERIFY(up.header.value(u"entry"_s).toObject().value(u"path"_s).toString().contains(u"/../"_s));
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
    r = call({{u"op"_s, u"mkdir"_s}, {u"path"_s, path(u"made/file/sub"_s)}});
    QCOMPARE(r.errorCode(), u"conflict"_s);
    QVERIFY(r.errorMessage().contains(u"in the way"_s));
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
    AGENT_EXPECT_REFUSED(r, code);
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
