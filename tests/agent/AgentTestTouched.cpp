// SPDX-License-Identifier: GPL-3.0-or-later
// Which files each command touched while it ran (`touched`).
#include "AgentTest.h"
#include "TouchChange.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

void writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

// "added path", "modified path/" (a directory), … in the agent's order,
// of the paths under the test's directory: the agent also follows the
// user's home, which on a test host other programs may write to.
QStringList touchedLines(const QJsonObject& header, const QString& under, bool* partial = nullptr)
{
    const QJsonObject touched = header.value(u"touched"_s).toObject();
    if (partial)
        *partial = touched.value(u"partial"_s).toBool(true);
    QStringList lines;
    for (const QJsonValue& v : touched.value(u"paths"_s).toArray()) {
        const QJsonObject p = v.toObject();
        if (!p.value(u"path"_s).toString().startsWith(under + u'/'))
            continue;
        lines << p.value(u"change"_s).toString() + u' ' + p.value(u"path"_s).toString()
                + (p.value(u"is_dir"_s).toBool() ? u"/"_s : QString());
    }
    return lines;
}

} // namespace

void AgentTest::touchFold_data()
{
    using C = TouchChange;
    QTest::addColumn<QList<int>>("changes"); // in order
    QTest::addColumn<int>("net");            // -1: nothing
    QTest::newRow("added") << QList<int>{int(C::Added)} << int(C::Added);
    QTest::newRow("added, written") << QList<int>{int(C::Added), int(C::Modified)} << int(C::Added);
    QTest::newRow("added, removed") << QList<int>{int(C::Added), int(C::Deleted)} << -1;
    QTest::newRow("added, removed, added") << QList<int>{int(C::Added), int(C::Deleted), int(C::Added)} << int(C::Added);
    QTest::newRow("written") << QList<int>{int(C::Modified), int(C::Modified)} << int(C::Modified);
    QTest::newRow("written, removed") << QList<int>{int(C::Modified), int(C::Deleted)} << int(C::Deleted);
    QTest::newRow("removed") << QList<int>{int(C::Deleted)} << int(C::Deleted);
    QTest::newRow("removed, added") << QList<int>{int(C::Deleted), int(C::Added)} << int(C::Modified);
    QTest::newRow("removed, added, removed") << QList<int>{int(C::Deleted), int(C::Added), int(C::Deleted)}
                                             << int(C::Deleted);
    QTest::newRow("moved over") << QList<int>{int(C::Modified), int(C::Added)} << int(C::Modified);
}

void AgentTest::touchFold()
{
    QFETCH(QList<int>, changes);
    QFETCH(int, net);
    std::optional<TouchChange> now;
    for (int c : changes)
        now = foldTouch(now, TouchChange(c));
    QCOMPARE(now ? int(*now) : -1, net);
}

// The commands run as `nobody`, whose home does not exist: the home of the
// test's own user (root's) may be large, busy and past what is followed.
QJsonObject AgentTest::asNobodyIn(const QString& dir) const
{
    return {{u"cwd"_s, dir}, {u"user"_s, u"nobody"_s}};
}

// A directory anyone may write to, under the test's own.
static QString openDir(const QString& dir)
{
    QDir().mkpath(dir);
    QFile::setPermissions(dir, QFileDevice::Permissions(0x7777));
    return dir;
}

void AgentTest::runRecordsTouchedFiles()
{
    if (!accountWhere([](const Account& a) { return a.name == u"nobody"_s; }))
        QSKIP("this host has no account 'nobody'");
    const QString dir = openDir(path(u"touched run"_s));
    QVERIFY(QDir().mkpath(dir + u"/keep"_s));
    QFile::setPermissions(dir + u"/keep"_s, QFileDevice::Permissions(0x7777));
    writeFile(dir + u"/existing.txt"_s, "one\n");
    writeFile(dir + u"/gone.txt"_s, "bye\n");
    writeFile(dir + u"/keep/old"_s, "old\n");
    writeFile(dir + u"/untouched"_s, "same\n");
    for (const QString& name : {u"existing.txt"_s, u"gone.txt"_s, u"keep/old"_s, u"untouched"_s})
        QFile::setPermissions(dir + u'/' + name, QFileDevice::Permissions(0x6666));
    AgentReply r = runCmd(u"echo new > 'new file ü.txt'; echo two >> existing.txt; rm gone.txt; "
                          "echo tmp > tmp.txt; rm tmp.txt; mkdir sub; echo x > sub/inner; "
                          "rm keep/old; echo back > keep/old; cat untouched > /dev/null"_s,
                          asNobodyIn(dir));
    QVERIFY(r.ok());
    bool partial = true;
    const QStringList lines = touchedLines(r.header, dir, &partial);
    // sub/inner may be seen as its own creation or found when sub is
    // followed; either way it is there once.
    QCOMPARE(lines, (QStringList{u"modified "_s + dir + u"/existing.txt"_s, u"deleted "_s + dir + u"/gone.txt"_s,
                                 u"modified "_s + dir + u"/keep/old"_s, u"added "_s + dir + u"/new file ü.txt"_s,
                                 u"added "_s + dir + u"/sub/"_s, u"added "_s + dir + u"/sub/inner"_s}));
    QCOMPARE(partial, false);

    // The next command has a record of its own.
    r = runCmd(u"rm -r sub"_s, asNobodyIn(dir));
    QCOMPARE(touchedLines(r.header, dir),
             (QStringList{u"deleted "_s + dir + u"/sub/"_s, u"deleted "_s + dir + u"/sub/inner"_s}));
    r = runCmd(u"true"_s, asNobodyIn(dir));
    QCOMPARE(touchedLines(r.header, dir, &partial), QStringList());
    QCOMPARE(partial, false);
}

void AgentTest::touchedOfBackgroundAndCapped()
{
    if (!accountWhere([](const Account& a) { return a.name == u"nobody"_s; }))
        QSKIP("this host has no account 'nobody'");
    const QString dir = openDir(path(u"touched start"_s));
    // While it runs there is nothing to say yet; once it ended, list and
    // logs both say what it did.
    AgentReply started = call({{u"op"_s, u"start"_s}, {u"cmd"_s, u"sleep 0.3; touch a b"_s}, {u"cwd"_s, dir}, {u"user"_s, u"nobody"_s}});
    QVERIFY(started.ok());
    const QString id = started.header.value(u"command_id"_s).toString();
    QVERIFY(commandSummary(id).value(u"touched"_s).isNull());
    QVERIFY(waitForStatus(id, u"exited"_s, 5000));
    QCOMPARE(touchedLines(commandSummary(id), dir),
             (QStringList{u"added "_s + dir + u"/a"_s, u"added "_s + dir + u"/b"_s}));
    AgentReply logs = m_client->request({{u"op"_s, u"logs"_s}, {u"command_id"_s, id}});
    QCOMPARE(touchedLines(logs.header, dir).size(), 2);

    // Past 128 paths the record stops growing and says it is partial.
    bool partial = false;
    AgentReply r = runCmd(u"mkdir many && cd many && touch $(seq 1 200)"_s, asNobodyIn(dir));
    QVERIFY(r.ok());
    QCOMPARE(touchedLines(r.header, dir, &partial).size(), 128);
    QCOMPARE(partial, true);

    // A working directory with more directories than are followed: what
    // happens past them may be missed, and the record says so.
    const QString big = openDir(path(u"touched big"_s));
    r = runCmd(u"mkdir -p d/{1..4200}"_s, asNobodyIn(big));
    QVERIFY(r.ok());
    r = runCmd(u"touch d/1/x"_s, asNobodyIn(big + u"/d"_s));
    QVERIFY(r.ok());
    touchedLines(r.header, big, &partial);
    QCOMPARE(partial, true);
}
