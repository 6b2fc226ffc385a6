// SPDX-License-Identifier: GPL-3.0-or-later
// Terminals: pty_start, pty_send, pty_read, pty_resize, pty_kill, pty_list, pty_stream.
#include "AgentFrameReader.h"
#include "AgentTest.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

QString AgentTest::ptyStart(const QString& cmd, QJsonObject extra) const
{
    extra.insert(u"op"_s, u"pty_start"_s);
    if (!cmd.isEmpty())
        extra.insert(u"cmd"_s, cmd);
    if (!extra.contains(u"cols"_s))
        extra.insert(u"cols"_s, 80);
    if (!extra.contains(u"rows"_s))
        extra.insert(u"rows"_s, 24);
    AgentReply r = call(extra);
    if (!r.ok())
        qWarning("pty_start failed: %s %s", qPrintable(r.transportError), qPrintable(r.errorMessage()));
    return r.header.value(u"pty_id"_s).toString();
}

QByteArray AgentTest::ptyReadUntil(const QString& id, const QByteArray& needle, int ms, AgentReply* last) const
{
    QByteArray all;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        AgentReply r = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
        if (last)
            *last = r;
        if (!r.ok())
            break;
        all += r.body;
        if (all.contains(needle))
            break;
        QTest::qWait(20);
    }
    return all;
}

void AgentTest::ptyEchoesInput()
{
    const QString id = ptyStart(u"cat"_s);
    QVERIFY(QRegularExpression(u"^pty_[a-z0-9]{16}$"_s).match(id).hasMatch());
    AgentReply sent = call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "hello\n");
    QVERIFY2(sent.ok(), qPrintable(sent.errorMessage()));
    QCOMPARE(sent.header.value(u"written"_s).toInteger(), 6);
    // The terminal echoes the line, then cat prints it: both with CR LF.
    QByteArray out = ptyReadUntil(id, "hello\r\nhello\r\n", 5000);
    QVERIFY2(out.contains("hello\r\nhello\r\n"), out.constData());
    QVERIFY(call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}}).ok());
}

void AgentTest::ptyShellResizeAndExitCode()
{
    const QString id = ptyStart(u"bash --norc -i"_s, {{u"cols"_s, 80}, {u"rows"_s, 24}});
    QVERIFY(!id.isEmpty());
    call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "echo \"T=$TERM\"; stty size; tty\n");
    QByteArray out = ptyReadUntil(id, "/dev/pts/", 5000);
    QVERIFY2(out.contains("T=xterm-256color"), out.constData());
    QVERIFY2(out.contains("24 80\r\n"), out.constData());

    AgentReply resized = call({{u"op"_s, u"pty_resize"_s}, {u"pty_id"_s, id}, {u"cols"_s, 132}, {u"rows"_s, 43}});
    QVERIFY2(resized.ok(), qPrintable(resized.errorMessage()));
    call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "stty size\n");
    out = ptyReadUntil(id, "43 132\r\n", 5000);
    QVERIFY2(out.contains("43 132\r\n"), out.constData());
    bool listed = false;
    for (const QJsonValue& v : call({{u"op"_s, u"pty_list"_s}}).header.value(u"ptys"_s).toArray()) {
        QJsonObject p = v.toObject();
        if (p.value(u"pty_id"_s).toString() != id)
            continue;
        listed = true;
        QCOMPARE(p.value(u"cols"_s).toInt(), 132);
        QCOMPARE(p.value(u"rows"_s).toInt(), 43);
        QCOMPARE(p.value(u"alive"_s).toBool(), true);
        QCOMPARE(p.value(u"cmd"_s).toString(), u"bash --norc -i"_s);
        QCOMPARE(p.value(u"user"_s).toString(), m_user);
        QVERIFY(p.value(u"exit_code"_s).isNull());
        QVERIFY(p.value(u"started_at_ms"_s).toInteger() > 0);
    }
    QVERIFY(listed);

    call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "exit 3\n");
    AgentReply last;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 5000) {
        last = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
        if (!last.header.value(u"alive"_s).toBool(true))
            break;
        QTest::qWait(20);
    }
    QCOMPARE(last.header.value(u"alive"_s).toBool(true), false);
    QCOMPARE(last.header.value(u"exit_code"_s).toInt(-1), 3);
    // An exited terminal stays readable but takes no more input.
    AgentReply again = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
    QCOMPARE(again.header.value(u"alive"_s).toBool(true), false);
    QCOMPARE(again.header.value(u"exit_code"_s).toInt(-1), 3);
    AgentReply after = call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "x");
    QCOMPARE(after.errorCode(), u"conflict"_s);
}

void AgentTest::ptyReadDrains()
{
    const QString id = ptyStart(u"printf ready; exec sleep 60"_s);
    QByteArray out = ptyReadUntil(id, "ready", 5000);
    QCOMPARE(out, QByteArray("ready"));
    AgentReply again = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
    QVERIFY(again.ok());
    QCOMPARE(again.body, QByteArray());
    QCOMPARE(again.header.value(u"offset"_s).toInteger(), 5);
    QCOMPARE(again.header.value(u"dropped"_s).toBool(true), false);
    QCOMPARE(again.header.value(u"alive"_s).toBool(), true);
    QVERIFY(call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}}).ok());
}

void AgentTest::ptyRingOverflowDrops()
{
    const QString done = path(u"ring-done"_s);
    const QString id = ptyStart(u"head -c 3000000 /dev/zero | tr '\\0' a; touch '"_s + done + u"'; exec sleep 60"_s);
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(done), 10000);
    QTest::qWait(100);
    AgentReply r = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
    QVERIFY(r.ok());
    QCOMPARE(r.header.value(u"dropped"_s).toBool(), true);
    QCOMPARE(r.body.size(), 1024 * 1024);
    QCOMPARE(r.header.value(u"offset"_s).toInteger(), 3000000 - 1024 * 1024);
    QCOMPARE(r.body, QByteArray(1024 * 1024, 'a'));
    AgentReply again = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
    QCOMPARE(again.header.value(u"dropped"_s).toBool(true), false);
    QVERIFY(call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}}).ok());
}

static QByteArray seqOutput(int from, int to)
{
    QByteArray out;
    for (int i = from; i <= to; ++i)
        out += QByteArray::number(i) + '\n';
    return out;
}

void AgentTest::ptyStreamIsCompleteForSlowReader()
{
    // About 10 MB through a 1 MiB ring: only backpressure keeps it whole.
    const QString id = ptyStart(u"stty -echo; read x; seq 1 1300000"_s);
    QVERIFY(!id.isEmpty());
    AgentFrameReader stream;
    QVERIFY2(stream.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}, {u"from"_s, 0}}),
             qPrintable(stream.error()));
    QCOMPARE(stream.answer().value(u"ok"_s).toBool(), true);
    QCOMPARE(stream.answer().value(u"offset"_s).toInteger(), 0);
    QTest::qWait(300); // let bash reach `read`
    QVERIFY(call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "\n").ok());
    QTest::qWait(500); // a reader that does not read at all for a while

    QByteArray all;
    qint64 expectedOffset = 0;
    int frames = 0;
    std::optional<int> exitCode;
    for (;;) {
        auto f = stream.next(20000, 16384);
        QVERIFY2(f, qPrintable(stream.error()));
        QString type = f->header.value(u"type"_s).toString();
        if (type == u"exit"_s) {
            exitCode = f->header.value(u"exit_code"_s).toInt(-1);
            break;
        }
        QCOMPARE(type, u"data"_s);
        QCOMPARE(f->header.value(u"offset"_s).toInteger(), expectedOffset);
        QVERIFY(!f->header.contains(u"dropped"_s));
        expectedOffset += f->body.size();
        all += f->body;
        if (++frames % 40 == 0)
            QTest::qWait(10); // and one that keeps falling behind
    }
    QCOMPARE(exitCode, 0);
    QVERIFY(stream.atEnd());
    all.replace("\r", "");
    if (all.startsWith('\n'))
        all.remove(0, 1); // the echo of the newline, if it came before stty
    QVERIFY(all.size() > 9000000);
    QCOMPARE(all.size(), seqOutput(1, 1300000).size());
    QVERIFY(all == seqOutput(1, 1300000));
}

void AgentTest::ptyStreamReconnectsFromOffset()
{
    const QString id = ptyStart(u"stty -echo; read x; seq 1 20000; read y; seq 20001 40000; exec sleep 60"_s);
    QVERIFY(!id.isEmpty());
    QByteArray first;
    qint64 last = 0;
    {
        AgentFrameReader stream;
        QVERIFY(stream.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}, {u"from"_s, 0}}));
        QTest::qWait(300);
        call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "\n");
        while (!first.endsWith("20000\r\n")) {
            auto f = stream.next(10000);
            QVERIFY2(f, qPrintable(stream.error()));
            QCOMPARE(f->header.value(u"offset"_s).toInteger(), last);
            first += f->body;
            last += f->body.size();
        }
    } // the client hangs up
    call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "\n");
    QByteArray rest;
    AgentFrameReader again;
    QVERIFY(again.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}, {u"from"_s, last}}));
    QCOMPARE(again.answer().value(u"offset"_s).toInteger(), last);
    while (!rest.endsWith("40000\r\n")) {
        auto f = again.next(10000);
        QVERIFY2(f, qPrintable(again.error()));
        QCOMPARE(f->header.value(u"offset"_s).toInteger(), last + rest.size());
        rest += f->body;
    }
    // pty_read has its own cursor, still at 0: it sees the same bytes.
    AgentReply whole = call({{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, id}});
    QCOMPARE(whole.header.value(u"offset"_s).toInteger(), 0);
    QVERIFY(whole.body == first + rest);
    QVERIFY(call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}}).ok());
    auto exitFrame = again.next(10000);
    QVERIFY(exitFrame);
    QCOMPARE(exitFrame->header.value(u"type"_s).toString(), u"exit"_s);
    QCOMPARE(exitFrame->header.value(u"exit_code"_s).toInt(), 128 + 1); // SIGHUP
}

void AgentTest::ptyTwoStreamsAndKill()
{
    const QString id = ptyStart(u"stty -echo; read x; seq 1 50000; exec sleep 60"_s);
    QVERIFY(!id.isEmpty());
    AgentFrameReader a, b;
    QVERIFY(a.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}}));
    QVERIFY(b.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}}));
    QTest::qWait(300);
    call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "\n");
    QByteArray outA, outB;
    for (auto [reader, out] : {std::pair{&a, &outA}, std::pair{&b, &outB}}) {
        while (!out->endsWith("50000\r\n")) {
            auto f = reader->next(10000);
            QVERIFY2(f, qPrintable(reader->error()));
            *out += f->body;
        }
    }
    QVERIFY(outA == outB);
    QVERIFY(outA.replace("\r", "").endsWith(seqOutput(1, 50000)));

    AgentReply killed = call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}});
    QVERIFY2(killed.ok(), qPrintable(killed.errorMessage()));
    for (AgentFrameReader* reader : {&a, &b}) {
        auto f = reader->next(10000);
        QVERIFY(f);
        QCOMPARE(f->header.value(u"type"_s).toString(), u"exit"_s);
        QVERIFY(reader->atEnd());
    }
    bool listed = false;
    for (const QJsonValue& v : call({{u"op"_s, u"pty_list"_s}}).header.value(u"ptys"_s).toArray()) {
        if (v.toObject().value(u"pty_id"_s).toString() == id) {
            listed = true;
            QCOMPARE(v.toObject().value(u"alive"_s).toBool(true), false);
            QCOMPARE(v.toObject().value(u"exit_code"_s).toInt(), 128 + 1);
        }
    }
    QVERIFY(listed);
    // A stream of a finished terminal replays what is left and ends at once.
    AgentFrameReader late;
    QVERIFY(late.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}}));
    auto f = late.next(5000);
    QVERIFY(f);
    QCOMPARE(f->header.value(u"type"_s).toString(), u"exit"_s);
    QVERIFY(late.atEnd());
    AgentReply sent = call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "x");
    QCOMPARE(sent.errorCode(), u"conflict"_s);
    expectAgentServing();
}

void AgentTest::ptyStreamClientLeavesWhileBlocked()
{
    // A client that stops reading and hangs up mid-stream must not stall the terminal.
    const QString id = ptyStart(u"stty -echo; read x; head -c 5000000 /dev/zero | tr '\\0' b; printf END; exec sleep 60"_s);
    {
        AgentFrameReader stream;
        QVERIFY(stream.open(path(u"a.sock"_s), {{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}}));
        QTest::qWait(300);
        call({{u"op"_s, u"pty_send"_s}, {u"pty_id"_s, id}}, "\n");
        QTest::qWait(500);
    }
    expectAgentServing();
    QByteArray out = ptyReadUntil(id, "END", 10000);
    QVERIFY(out.endsWith("END"));
    QVERIFY(call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}}).ok());
}

void AgentTest::ptyErrors_data()
{
    QTest::addColumn<QJsonObject>("request");
    QTest::addColumn<QString>("code");
    const QJsonValue unknown = u"pty_0000000000000000"_s;
    for (const char* op : {"pty_send", "pty_read", "pty_kill", "pty_stream"})
        QTest::addRow("%s unknown id", op) << QJsonObject{{u"op"_s, QString::fromLatin1(op)}, {u"pty_id"_s, unknown}}
                                           << u"not_found"_s;
    QTest::newRow("pty_resize unknown id")
        << QJsonObject{{u"op"_s, u"pty_resize"_s}, {u"pty_id"_s, unknown}, {u"cols"_s, 10}, {u"rows"_s, 10}} << u"not_found"_s;
    QTest::newRow("pty_read no id") << QJsonObject{{u"op"_s, u"pty_read"_s}} << u"bad_request"_s;
    QTest::newRow("pty_read id not string") << QJsonObject{{u"op"_s, u"pty_read"_s}, {u"pty_id"_s, 7}} << u"bad_request"_s;
    const QList<std::pair<const char*, QJsonValue>> badSizes = {
        {"0", 0}, {"-1", -1}, {"1001", 1001}, {"x", u"x"_s}, {"1.5", 1.5}, {"null", QJsonValue::Null}, {"array", QJsonArray{80}}};
    for (const auto& [name, value] : badSizes) {
        QTest::addRow("start cols %s", name) << QJsonObject{{u"op"_s, u"pty_start"_s}, {u"cols"_s, value}, {u"rows"_s, 24}}
                                             << u"bad_request"_s;
        QTest::addRow("start rows %s", name) << QJsonObject{{u"op"_s, u"pty_start"_s}, {u"cols"_s, 80}, {u"rows"_s, value}}
                                             << u"bad_request"_s;
    }
    QTest::newRow("start without size") << QJsonObject{{u"op"_s, u"pty_start"_s}} << u"bad_request"_s;
    QTest::newRow("start cmd not string")
        << QJsonObject{{u"op"_s, u"pty_start"_s}, {u"cols"_s, 80}, {u"rows"_s, 24}, {u"cmd"_s, 5}} << u"bad_request"_s;
    QTest::newRow("start env not object")
        << QJsonObject{{u"op"_s, u"pty_start"_s}, {u"cols"_s, 80}, {u"rows"_s, 24}, {u"env"_s, u"A=1"_s}} << u"bad_request"_s;
    QTest::newRow("start missing cwd")
        << QJsonObject{{u"op"_s, u"pty_start"_s}, {u"cols"_s, 80}, {u"rows"_s, 24}, {u"cwd"_s, u"/no/such/dir"_s}}
        << u"bad_request"_s;
    QTest::newRow("start unknown user")
        << QJsonObject{{u"op"_s, u"pty_start"_s}, {u"cols"_s, 80}, {u"rows"_s, 24}, {u"user"_s, u"nobody-xyz"_s}}
        << u"bad_request"_s;
}

void AgentTest::ptyErrors()
{
    QFETCH(QJsonObject, request);
    QFETCH(QString, code);
    AgentReply r = call(request);
    AGENT_EXPECT_REFUSED(r, code);
}

void AgentTest::ptyResizeRejectsBadSizes()
{
    const QString id = ptyStart(u"exec sleep 60"_s);
    QVERIFY(!id.isEmpty());
    for (const QJsonValue& bad : {QJsonValue(0), QJsonValue(-1), QJsonValue(1001), QJsonValue(u"x"_s)}) {
        AgentReply r = call({{u"op"_s, u"pty_resize"_s}, {u"pty_id"_s, id}, {u"cols"_s, bad}, {u"rows"_s, 10}});
        QCOMPARE(r.errorCode(), u"bad_request"_s);
        r = call({{u"op"_s, u"pty_resize"_s}, {u"pty_id"_s, id}, {u"cols"_s, 10}, {u"rows"_s, bad}});
        QCOMPARE(r.errorCode(), u"bad_request"_s);
    }
    AgentReply beyond = call({{u"op"_s, u"pty_stream"_s}, {u"pty_id"_s, id}, {u"from"_s, 999999}});
    QCOMPARE(beyond.errorCode(), u"bad_request"_s);
    QVERIFY(call({{u"op"_s, u"pty_kill"_s}, {u"pty_id"_s, id}}).ok());
}
