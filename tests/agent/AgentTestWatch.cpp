// SPDX-License-Identifier: GPL-3.0-or-later
// File watches: watch_start, watch_poll, watch_stop, watch_stream.
#include "AgentFrameReader.h"
#include "AgentTest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

static QJsonObject fsEvent(const QString& type, const QString& path, bool isDir)
{
    return {{u"type"_s, type}, {u"path"_s, path}, {u"is_dir"_s, isDir}};
}

static bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Append) && f.write(bytes) == bytes.size();
}

QString AgentTest::watchStart(const QString& dir, bool recursive) const
{
    QDir().mkpath(dir);
    AgentReply r = call({{u"op"_s, u"watch_start"_s}, {u"path"_s, dir}, {u"recursive"_s, recursive}});
    if (!r.ok())
        qWarning("watch_start failed: %s", qPrintable(r.errorMessage()));
    else if (r.header.value(u"path"_s).toString() != dir)
        qWarning("watch_start answered path %s", qPrintable(r.header.value(u"path"_s).toString()));
    return r.header.value(u"watch_id"_s).toString();
}

// Polls until every event of `wanted` has been seen (in any order); all events seen.
QList<QJsonObject> AgentTest::watchPollUntil(const QString& id, const QList<QJsonObject>& wanted, int ms) const
{
    QList<QJsonObject> seen;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        AgentReply r = call({{u"op"_s, u"watch_poll"_s}, {u"watch_id"_s, id}});
        if (!r.ok())
            break;
        for (const QJsonValue& v : r.header.value(u"events"_s).toArray())
            seen.append(v.toObject());
        if (std::all_of(wanted.begin(), wanted.end(), [&](const QJsonObject& w) { return seen.contains(w); }))
            break;
        QTest::qWait(20);
    }
    return seen;
}

static QString describe(const QList<QJsonObject>& events)
{
    QStringList out;
    for (const QJsonObject& e : events)
        out << e.value(u"type"_s).toString() + u' ' + e.value(u"path"_s).toString()
                   + (e.value(u"is_dir"_s).toBool() ? u"/"_s : QString());
    return out.join(u", "_s);
}

void AgentTest::watchCreateModifyRemove()
{
    const QString dir = path(u"watch-basic"_s);
    const QString id = watchStart(dir, false);
    QVERIFY(QRegularExpression(u"^wch_[a-z0-9]{16}$"_s).match(id).hasMatch());
    const QString file = dir + u"/a.txt"_s;
    QVERIFY(writeFile(file, {}));
    auto seen = watchPollUntil(id, {fsEvent(u"create"_s, file, false)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"create"_s, file, false)), qPrintable(describe(seen)));
    QVERIFY(writeFile(file, "more"));
    seen = watchPollUntil(id, {fsEvent(u"modify"_s, file, false)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"modify"_s, file, false)), qPrintable(describe(seen)));
    QVERIFY(QFile::remove(file));
    seen = watchPollUntil(id, {fsEvent(u"remove"_s, file, false)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"remove"_s, file, false)), qPrintable(describe(seen)));
    // Drained: nothing more until something happens.
    AgentReply again = call({{u"op"_s, u"watch_poll"_s}, {u"watch_id"_s, id}});
    QVERIFY(again.ok());
    QCOMPARE(again.header.value(u"events"_s).toArray().size(), 0);
    QCOMPARE(again.header.value(u"dropped"_s).toBool(true), false);
    // Only the directory itself: a subdirectory's contents are not reported.
    QVERIFY(QDir().mkpath(dir + u"/sub"_s));
    QVERIFY(writeFile(dir + u"/sub/inner.txt"_s, "x"));
    QVERIFY(writeFile(dir + u"/marker"_s, "x"));
    seen = watchPollUntil(id, {fsEvent(u"create"_s, dir + u"/marker"_s, false)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"create"_s, dir + u"/sub"_s, true)), qPrintable(describe(seen)));
    QVERIFY2(!seen.contains(fsEvent(u"create"_s, dir + u"/sub/inner.txt"_s, false)), qPrintable(describe(seen)));
    QVERIFY(call({{u"op"_s, u"watch_stop"_s}, {u"watch_id"_s, id}}).ok());
}

void AgentTest::watchRecursive()
{
    const QString dir = path(u"watch-rec"_s);
    QVERIFY(QDir().mkpath(dir + u"/old/deep"_s));
    const QString id = watchStart(dir, true);
    QVERIFY(!id.isEmpty());
    // A directory that existed before the watch is watched too.
    QVERIFY(writeFile(dir + u"/old/deep/x"_s, "1"));
    // A new tree, made faster than the agent can add watches: what it finds
    // inside is reported as created.
    QVERIFY(QDir().mkpath(dir + u"/new/a/b"_s));
    QVERIFY(writeFile(dir + u"/new/a/b/f.txt"_s, "2"));
    QList<QJsonObject> wanted = {fsEvent(u"create"_s, dir + u"/old/deep/x"_s, false),
                                 fsEvent(u"create"_s, dir + u"/new"_s, true),
                                 fsEvent(u"create"_s, dir + u"/new/a"_s, true),
                                 fsEvent(u"create"_s, dir + u"/new/a/b"_s, true),
                                 fsEvent(u"create"_s, dir + u"/new/a/b/f.txt"_s, false)};
    auto seen = watchPollUntil(id, wanted, 5000);
    for (const QJsonObject& w : wanted)
        QVERIFY2(seen.contains(w), qPrintable(describe(seen)));
    // The new directories are watched from now on.
    QVERIFY(writeFile(dir + u"/new/a/b/g.txt"_s, "3"));
    seen = watchPollUntil(id, {fsEvent(u"create"_s, dir + u"/new/a/b/g.txt"_s, false)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"create"_s, dir + u"/new/a/b/g.txt"_s, false)), qPrintable(describe(seen)));

    // Rename: a remove of the old path and a create of the new one; the
    // moved directory's contents keep being watched under the new name.
    QVERIFY(QDir().rename(dir + u"/new"_s, dir + u"/moved"_s));
    QVERIFY(QFile::rename(dir + u"/old/deep/x"_s, dir + u"/old/y"_s));
    wanted = {fsEvent(u"remove"_s, dir + u"/new"_s, true), fsEvent(u"create"_s, dir + u"/moved"_s, true),
              fsEvent(u"remove"_s, dir + u"/old/deep/x"_s, false), fsEvent(u"create"_s, dir + u"/old/y"_s, false)};
    seen = watchPollUntil(id, wanted, 5000);
    for (const QJsonObject& w : wanted)
        QVERIFY2(seen.contains(w), qPrintable(describe(seen)));
    QVERIFY(writeFile(dir + u"/moved/a/h.txt"_s, "4"));
    seen = watchPollUntil(id, {fsEvent(u"create"_s, dir + u"/moved/a/h.txt"_s, false)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"create"_s, dir + u"/moved/a/h.txt"_s, false)), qPrintable(describe(seen)));
    QVERIFY2(!seen.contains(fsEvent(u"create"_s, dir + u"/new/a/h.txt"_s, false)), qPrintable(describe(seen)));

    QVERIFY(QDir(dir + u"/moved"_s).removeRecursively());
    seen = watchPollUntil(id, {fsEvent(u"remove"_s, dir + u"/moved"_s, true)}, 5000);
    QVERIFY2(seen.contains(fsEvent(u"remove"_s, dir + u"/moved/a/h.txt"_s, false)), qPrintable(describe(seen)));
    QVERIFY(call({{u"op"_s, u"watch_stop"_s}, {u"watch_id"_s, id}}).ok());
}

void AgentTest::watchStopAndUnknownIds()
{
    const QString id = watchStart(path(u"watch-stop"_s), false);
    QVERIFY(!id.isEmpty());
    QVERIFY(call({{u"op"_s, u"watch_stop"_s}, {u"watch_id"_s, id}}).ok());
    for (const char* op : {"watch_poll", "watch_stop", "watch_stream"}) {
        AgentReply r = call({{u"op"_s, QString::fromLatin1(op)}, {u"watch_id"_s, id}});
        QCOMPARE(r.errorCode(), u"not_found"_s);
        QVERIFY(r.errorMessage().contains(id));
    }
}

void AgentTest::watchStream()
{
    const QString dir = path(u"watch-stream"_s);
    const QString id = watchStart(dir, true);
    QVERIFY(!id.isEmpty());
    AgentFrameReader a, b;
    QVERIFY(a.open(path(u"a.sock"_s), {{u"op"_s, u"watch_stream"_s}, {u"watch_id"_s, id}}));
    QVERIFY(b.open(path(u"a.sock"_s), {{u"op"_s, u"watch_stream"_s}, {u"watch_id"_s, id}}));
    QCOMPARE(a.answer().value(u"ok"_s).toBool(), true);
    QVERIFY(writeFile(dir + u"/s.txt"_s, {}));
    for (AgentFrameReader* reader : {&a, &b}) {
        auto f = reader->next(5000);
        QVERIFY2(f, qPrintable(reader->error()));
        QCOMPARE(f->header.value(u"type"_s).toString(), u"event"_s);
        QCOMPARE(f->header.value(u"event"_s).toObject(), fsEvent(u"create"_s, dir + u"/s.txt"_s, false));
    }
    b.close(); // one client leaves; the other goes on
    QVERIFY(QFile::remove(dir + u"/s.txt"_s));
    auto f = a.next(5000);
    QVERIFY(f);
    QCOMPARE(f->header.value(u"event"_s).toObject(), fsEvent(u"remove"_s, dir + u"/s.txt"_s, false));
    // The stream does not take the poll queue's events away.
    auto polled = watchPollUntil(id, {fsEvent(u"remove"_s, dir + u"/s.txt"_s, false)}, 5000);
    QVERIFY(polled.contains(fsEvent(u"create"_s, dir + u"/s.txt"_s, false)));
    QVERIFY(call({{u"op"_s, u"watch_stop"_s}, {u"watch_id"_s, id}}).ok());
    f = a.next(5000);
    QVERIFY(f);
    QCOMPARE(f->header.value(u"type"_s).toString(), u"stopped"_s);
    QVERIFY(a.atEnd());

    // Removing the watched directory ends its streams too.
    const QString gone = path(u"watch-gone"_s);
    const QString id2 = watchStart(gone, false);
    AgentFrameReader c;
    QVERIFY(c.open(path(u"a.sock"_s), {{u"op"_s, u"watch_stream"_s}, {u"watch_id"_s, id2}}));
    QVERIFY(QDir(gone).removeRecursively());
    f = c.next(5000);
    QVERIFY2(f, qPrintable(c.error()));
    QCOMPARE(f->header.value(u"type"_s).toString(), u"stopped"_s);
    QVERIFY(c.atEnd());
    QVERIFY(call({{u"op"_s, u"watch_stop"_s}, {u"watch_id"_s, id2}}).ok());
    expectAgentServing();
}

void AgentTest::watchErrors_data()
{
    QTest::addColumn<QJsonObject>("request");
    QTest::addColumn<QString>("code");
    QFile file(path(u"watch-a-file"_s));
    file.open(QIODevice::WriteOnly);
    QTest::newRow("a file") << QJsonObject{{u"op"_s, u"watch_start"_s}, {u"path"_s, path(u"watch-a-file"_s)}}
                            << u"not_a_directory"_s;
    QTest::newRow("missing") << QJsonObject{{u"op"_s, u"watch_start"_s}, {u"path"_s, path(u"no-such-dir"_s)}}
                             << u"not_found"_s;
    QTest::newRow("path not string") << QJsonObject{{u"op"_s, u"watch_start"_s}, {u"path"_s, 3}} << u"bad_request"_s;
    QTest::newRow("recursive not bool")
        << QJsonObject{{u"op"_s, u"watch_start"_s}, {u"path"_s, path(QString())}, {u"recursive"_s, u"yes"_s}}
        << u"bad_request"_s;
    QTest::newRow("unknown user")
        << QJsonObject{{u"op"_s, u"watch_start"_s}, {u"path"_s, path(QString())}, {u"user"_s, u"nobody-xyz"_s}}
        << u"bad_request"_s;
    for (const char* op : {"watch_poll", "watch_stop", "watch_stream"}) {
        QTest::addRow("%s unknown id", op)
            << QJsonObject{{u"op"_s, QString::fromLatin1(op)}, {u"watch_id"_s, u"wch_0000000000000000"_s}} << u"not_found"_s;
        QTest::addRow("%s no id", op) << QJsonObject{{u"op"_s, QString::fromLatin1(op)}} << u"bad_request"_s;
    }
}

void AgentTest::watchErrors()
{
    QFETCH(QJsonObject, request);
    QFETCH(QString, code);
    AgentReply r = call(request);
    AGENT_EXPECT_REFUSED(r, code);
}
