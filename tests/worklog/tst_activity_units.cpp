// SPDX-License-Identifier: GPL-3.0-or-later
// The command log's pure parts, by table: ANSI output to spans, HTML and
// plain text (hostile input included); activity entries and pages from the
// engine's JSON; the model's incremental changes, the filter and the export.
#include "ActivityEntry.h"
#include "ActivityExport.h"
#include "ActivityFilterModel.h"
#include "ActivityModel.h"
#include "AnsiText.h"
#include "CommandKills.h"
#include "ApiPaths.h"
#include "EngineClient.h"
#include "Formatting.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using Span = AnsiText::Span;
using Style = AnsiText::Style;
using Spans = QList<Span>;

Q_DECLARE_METATYPE(Spans)
Q_DECLARE_METATYPE(std::optional<int>)

namespace {

Style fg(quint32 c)
{
    Style s;
    s.fg = c;
    return s;
}

Style with(Style s, void (*f)(Style &))
{
    f(s);
    return s;
}

QString esc(const char *s)
{
    return QString::fromUtf8(s).replace(QLatin1Char('~'), QChar(0x1b));
}

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

ActivityEntry command(qint64 seq, const QString &cmd, const QString &status, std::optional<int> exit,
                      const QString &out = {})
{
    QJsonObject o{{"seq", seq},
                  {"time", "2026-11-23T01:00:00.000Z"},
                  {"kind", "command"},
                  {"cmd", cmd},
                  {"status", status},
                  {"stdout", out},
                  {"stderr", ""},
                  {"started_at", "2026-11-23T01:00:00.000Z"},
                  {"ended_at", status == "running" ? QJsonValue() : QJsonValue("2026-11-23T01:00:01.500Z")},
                  {"exit_code", exit ? QJsonValue(*exit) : QJsonValue()}};
    return *ActivityEntry::fromJson(o);
}

} // namespace

namespace QTest {
template <>
char *toString(const Spans &spans)
{
    QByteArray b;
    for (const Span &s : spans) {
        b += "[" + s.text.toUtf8().toPercentEncoding(" ") + " fg=" +
             (s.style.fg ? QByteArray::number(*s.style.fg, 16) : "-") + " bg=" +
             (s.style.bg ? QByteArray::number(*s.style.bg, 16) : "-") + (s.style.bold ? " b" : "") +
             (s.style.italic ? " i" : "") + (s.style.underline ? " u" : "") + (s.style.inverse ? " r" : "") +
             (s.style.faint ? " f" : "") + "]";
    }
    return qstrdup(b.constData());
}
} // namespace QTest

class tst_activity_units : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cutOutputStartsAtAWholeLine()
    {
        QCOMPARE(ActivityEntry::fromFirstWholeLine(QStringLiteral("lf of a line\nwhole\n"), true), QStringLiteral("whole\n"));
        QCOMPARE(ActivityEntry::fromFirstWholeLine(QStringLiteral("lf of a line\nwhole\n"), false),
                 QStringLiteral("lf of a line\nwhole\n"));
        QCOMPARE(ActivityEntry::fromFirstWholeLine(QStringLiteral("one long line"), true), QStringLiteral("one long line"));
    }
    void ansiParse_data();
    void ansiParse();
    void ansiStrip_data();
    void ansiStrip();
    void ansiHostileIsLinear();
    void ansiHtml();
    void palette_data();
    void palette();

    void entry_data();
    void entry();
    void entryRejected_data();
    void entryRejected();
    void page_data();
    void page();

    void modelAppendsAndUpdatesInPlace();
    void modelIsBounded();
    void filterByKindAndSearch();
    void exportFormats();
    void exportWritesFile();

    void killable_data();
    void killable();
    void killSendsNothingForAnEndedCommand();
    void killPathNamesBothIds();
    void shortCommand();
};

// ---------------------------------------------------------------- AnsiText

void tst_activity_units::ansiParse_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<Spans>("expected");
    const quint32 red = AnsiText::paletteColor(1);
    const quint32 green = AnsiText::paletteColor(2);

    QTest::newRow("empty") << QString() << Spans{};
    QTest::newRow("plain") << QStringLiteral("hello") << Spans{{"hello", {}}};
    QTest::newRow("red then reset") << esc("~[31mred~[0m ok") << Spans{{"red", fg(red)}, {" ok", {}}};
    QTest::newRow("bold green") << esc("~[1;32mgo")
                                << Spans{{"go", with(fg(green), [](Style &s) { s.bold = true; })}};
    QTest::newRow("empty params reset") << esc("~[1mA~[mB")
                                        << Spans{{"A", with({}, [](Style &s) { s.bold = true; })}, {"B", {}}};
    QTest::newRow("256 colours") << esc("~[38;5;196mX") << Spans{{"X", fg(0xff0000)}};
    QTest::newRow("true colour") << esc("~[38;2;10;20;30mX") << Spans{{"X", fg(0x0a141e)}};
    QTest::newRow("true colour, colons") << esc("~[38:2::10:20:30mX") << Spans{{"X", fg(0x0a141e)}};
    QTest::newRow("256, colons") << esc("~[38:5:21mX") << Spans{{"X", fg(AnsiText::paletteColor(21))}};
    QTest::newRow("bright background")
        << esc("~[101mX") << Spans{{"X", with({}, [](Style &s) { s.bg = AnsiText::paletteColor(9); })}};
    QTest::newRow("inverse and off") << esc("~[7mA~[27mB")
                                     << Spans{{"A", with({}, [](Style &s) { s.inverse = true; })}, {"B", {}}};
    QTest::newRow("italic underline")
        << esc("~[3;4mX") << Spans{{"X", with({}, [](Style &s) { s.italic = s.underline = true; })}};
    QTest::newRow("default fg") << esc("~[31mA~[39mB") << Spans{{"A", fg(red)}, {"B", {}}};
    QTest::newRow("same style merges") << esc("~[31mA~[31mB") << Spans{{"AB", fg(red)}};
    QTest::newRow("colour then text over lines") << esc("~[32mok\n~[0mdone")
                                                 << Spans{{"ok\n", fg(green)}, {"done", {}}};
    // Hostile or broken input.
    QTest::newRow("unterminated CSI") << esc("abc~[31") << Spans{{"abc", {}}};
    QTest::newRow("lone ESC at end") << esc("abc~") << Spans{{"abc", {}}};
    QTest::newRow("huge parameter") << esc("~[99999999999999999999999mX") << Spans{{"X", {}}};
    QTest::newRow("38;5 without index") << esc("~[38;5mX") << Spans{{"X", {}}};
    QTest::newRow("38;5 out of range") << esc("~[38;5;256mX") << Spans{{"X", {}}};
    QTest::newRow("38;2 out of range") << esc("~[38;2;300;0;0mX") << Spans{{"X", {}}};
    QTest::newRow("38 unknown space") << esc("~[38;9;1;1mX") << Spans{{"X", {}}};
    QTest::newRow("private mode") << esc("~[?25lX~[?1mY") << Spans{{"XY", {}}};
    QTest::newRow("cursor and erase") << esc("~[2J~[HX~[K") << Spans{{"X", {}}};
    QTest::newRow("intermediate then m") << esc("~[1 mX") << Spans{{"X", {}}};
    QTest::newRow("broken CSI keeps newline") << esc("~[31\nX") << Spans{{"\nX", {}}};
    QTest::newRow("OSC title with BEL") << esc("~]0;title\aX") << Spans{{"X", {}}};
    QTest::newRow("OSC hyperlink with ST") << esc("~]8;;http://x~\\link~]8;;~\\") << Spans{{"link", {}}};
    QTest::newRow("unterminated OSC ends at newline") << esc("~]0;never ends\nnext") << Spans{{"\nnext", {}}};
    QTest::newRow("charset escape") << esc("~(BX~=") << Spans{{"X", {}}};
    QTest::newRow("C1 CSI") << QString(QChar(0x9b)) + QStringLiteral("31mX") << Spans{{"X", fg(red)}};
    QTest::newRow("controls dropped") << QString::fromLatin1("a\0b\x07" "c\x7f", 6) << Spans{{"abc", {}}};
    QTest::newRow("tab kept") << QStringLiteral("a\tb") << Spans{{"a\tb", {}}};
    // Line editing.
    QTest::newRow("progress bar") << QStringLiteral("10%\r50%\r100%\n") << Spans{{"100%\n", {}}};
    QTest::newRow("crlf") << QStringLiteral("a\r\nb") << Spans{{"a\nb", {}}};
    QTest::newRow("trailing CR keeps line") << QStringLiteral("a\r") << Spans{{"a", {}}};
    QTest::newRow("CR keeps earlier lines") << QStringLiteral("x\nold\rnew") << Spans{{"x\nnew", {}}};
    QTest::newRow("CR drops coloured line")
        << esc("x\n~[31mold~[0m\rnew") << Spans{{"x\nnew", {}}};
    QTest::newRow("backspace") << QStringLiteral("ab\bc") << Spans{{"ac", {}}};
    QTest::newRow("backspace stops at line start") << QStringLiteral("a\n\b\bb") << Spans{{"a\nb", {}}};
    QTest::newRow("unicode") << esc("~[35mnaïve ✓ 漢字 🙂") << Spans{{"naïve ✓ 漢字 🙂", fg(AnsiText::paletteColor(5))}};
}

void tst_activity_units::ansiParse()
{
    QFETCH(QString, input);
    QFETCH(Spans, expected);
    QCOMPARE(AnsiText::parse(input), expected);
}

void tst_activity_units::ansiStrip_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("colours") << esc("~[1;31merror:~[0m not found\n") << QStringLiteral("error: not found\n");
    QTest::newRow("ls colours") << esc("~[0m~[01;34mdir~[0m  file\n") << QStringLiteral("dir  file\n");
    QTest::newRow("progress") << QStringLiteral("1/3\r2/3\r3/3 done\n") << QStringLiteral("3/3 done\n");
    QTest::newRow("only escapes") << esc("~[0m~[K~]0;t\a") << QString();
}

void tst_activity_units::ansiStrip()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(AnsiText::strip(input), expected);
}

void tst_activity_units::ansiHostileIsLinear()
{
    // A megabyte of parameters, of unterminated strings and of carriage
    // returns each take milliseconds, not minutes.
    QString params = esc("~[");
    for (int i = 0; i < 200000; ++i)
        params += QStringLiteral("1;");
    params += QStringLiteral("mX");
    const QString osc = esc("~]") + QString(1 << 20, QLatin1Char('a'));
    QString returns;
    for (int i = 0; i < 200000; ++i)
        returns += QStringLiteral("ab\r");
    QElapsedTimer t;
    t.start();
    const Spans p = AnsiText::parse(params);
    QCOMPARE(p.size(), 1);
    QVERIFY(p.first().style.bold);
    QCOMPARE(AnsiText::strip(osc), QString());
    QCOMPARE(AnsiText::strip(returns), QStringLiteral("ab"));
    QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
}

void tst_activity_units::ansiHtml()
{
    const Spans spans = AnsiText::parse(esc("<b>&~[31mred~[7minv~[0m"));
    const QString html = AnsiText::toHtml(spans, 0x111111, 0xeeeeee);
    QVERIFY(html.startsWith(QStringLiteral("<pre")));
    QVERIFY(html.endsWith(QStringLiteral("</pre>")));
    QVERIFY2(html.contains(QStringLiteral("&lt;b&gt;&amp;")), qPrintable(html));
    QVERIFY2(html.contains(QStringLiteral("<span style=\"color:#c0392b;\">red</span>")), qPrintable(html));
    // Inverse: the red becomes the background, the default background the text.
    QVERIFY2(html.contains(QStringLiteral("color:#eeeeee;background-color:#c0392b;")), qPrintable(html));
    QVERIFY(!html.contains(QStringLiteral("<b>")));
}

void tst_activity_units::palette_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<quint32>("rgb");
    QTest::newRow("red") << 1 << quint32(0xc0392b);
    QTest::newRow("cube black") << 16 << quint32(0x000000);
    QTest::newRow("cube red") << 196 << quint32(0xff0000);
    QTest::newRow("cube mid") << 67 << quint32(0x5f87af);
    QTest::newRow("cube white") << 231 << quint32(0xffffff);
    QTest::newRow("grey first") << 232 << quint32(0x080808);
    QTest::newRow("grey last") << 255 << quint32(0xeeeeee);
    QTest::newRow("negative") << -1 << quint32(0);
    QTest::newRow("too big") << 256 << quint32(0);
}

void tst_activity_units::palette()
{
    QFETCH(int, index);
    QFETCH(quint32, rgb);
    QCOMPARE(AnsiText::paletteColor(index), rgb);
}

// ---------------------------------------------------------------- entries

void tst_activity_units::entry_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("exit");
    QTest::addColumn<qint64>("durationMs"); // -1: none
    QTest::addColumn<bool>("running");
    QTest::addColumn<QString>("lastLine");

    QTest::newRow("command failed")
        << QByteArray(R"J({"seq":4,"time":"2026-11-23T01:00:02.000Z","kind":"command","command_id":"cmd_0123456789abcdef",
              "cmd":"echo out; echo err >&2; exit 3","cwd":null,"user":"sandbox","background":false,"pid":12,
              "status":"exited","started_at":"2026-11-23T01:00:01.000Z","ended_at":"2026-11-23T01:00:01.250Z",
              "exit_code":3,"stdout":"out\n","stderr":"err\n","truncated":false})J")
        << "command" << "echo out; echo err >&2; exit 3" << "exit 3" << "3" << qint64(250) << false << "out";
    QTest::newRow("background running")
        << QByteArray(R"J({"seq":5,"time":"2026-11-23T01:00:03.000Z","kind":"command","cmd":"for i in 1 2; do echo $i; done",
              "background":true,"status":"running","started_at":"2026-11-23T01:00:03.000Z","ended_at":null,
              "exit_code":null,"stdout":"1\n\u001b[32m2\u001b[0m\n\n","stderr":""})J")
        << "command" << "for i in 1 2; do echo $i; done" << "running" << "" << qint64(-1) << true << "2";
    QTest::newRow("command killed")
        << QByteArray(R"J({"seq":6,"kind":"command","cmd":"sleep 100","status":"killed","exit_code":143})J")
        << "command" << "sleep 100" << "killed" << "143" << qint64(-1) << false << "";
    QTest::newRow("command without status")
        << QByteArray(R"J({"seq":7,"kind":"command","cmd":"true","exit_code":0})J")
        << "command" << "true" << "exit 0" << "0" << qint64(-1) << false << "";
    QTest::newRow("multi-line command")
        << QByteArray(R"J({"seq":8,"kind":"command","cmd":"cd /tmp\n  ls -la\n","status":"exited","exit_code":0,
              "stdout":"","stderr":"ls: boom\n"})J")
        << "command" << "cd /tmp ls -la" << "exit 0" << "0" << qint64(-1) << false << "ls: boom";
    QTest::newRow("exit code too big")
        << QByteArray(R"J({"seq":9,"kind":"command","cmd":"x","status":"exited","exit_code":1e300})J")
        << "command" << "x" << "exited" << "" << qint64(-1) << false << "";
    QTest::newRow("code error")
        << QByteArray(R"J({"seq":10,"kind":"code","code":"1/0","outcome":"error","stdout":"","stderr":"",
              "result":"","error":{"name":"ZeroDivisionError","value":"division by zero","traceback":["a","b"]},
              "execution_count":2})J")
        << "code" << "1/0" << "error: ZeroDivisionError" << "" << qint64(-1) << false
        << "ZeroDivisionError: division by zero";
    QTest::newRow("code ok")
        << QByteArray(R"J({"seq":11,"kind":"code","code":"print(42)","outcome":"ok","stdout":"42\n","error":null})J")
        << "code" << "print(42)" << "ok" << "" << qint64(-1) << false << "42";
    QTest::newRow("code with a value, lines and times")
        << QByteArray(R"J({"seq":18,"kind":"code","code":"x = 6\nx * 7\n","outcome":"ok","stdout":"","result":"42",
              "error":null,"started_at":"2026-11-23T01:00:00.000Z","ended_at":"2026-11-23T01:00:01.500Z"})J")
        << "code" << QStringLiteral("x = 6 \u23CE x * 7") << "ok" << "" << qint64(1500) << false << "42";
    QTest::newRow("file write")
        << QByteArray(R"J({"seq":12,"kind":"file","op":"write","path":"/home/sandbox/a.txt","bytes":12})J")
        << "file" << "write /home/sandbox/a.txt (12 B)" << "" << "" << qint64(-1) << false << "";
    QTest::newRow("file rename")
        << QByteArray(R"J({"seq":13,"kind":"file","op":"rename","path":"a","to":"b"})J")
        << "file" << "rename a → b" << "" << "" << qint64(-1) << false << "";
    QTest::newRow("lifecycle paused")
        << QByteArray(R"J({"seq":14,"kind":"lifecycle","event":"paused","pause_kind":"stop"})J")
        << "lifecycle" << "paused (stop)" << "" << "" << qint64(-1) << false << "";
    QTest::newRow("lifecycle killed")
        << QByteArray(R"J({"seq":15,"kind":"lifecycle","event":"killed","reason":"its timeout passed"})J")
        << "lifecycle" << "killed (its timeout passed)" << "" << "" << qint64(-1) << false << "";
    QTest::newRow("lifecycle created")
        << QByteArray(R"J({"seq":1,"kind":"lifecycle","event":"created"})J")
        << "lifecycle" << "created" << "" << "" << qint64(-1) << false << "";
    QTest::newRow("pty opened")
        << QByteArray(R"J({"seq":16,"kind":"pty","event":"opened","pty_id":"pty_1","cmd":"bash","cols":80,"rows":24})J")
        << "pty" << "terminal opened: bash 80×24" << "" << "" << qint64(-1) << false << "";
    QTest::newRow("ends before it starts")
        << QByteArray(R"J({"seq":17,"kind":"command","cmd":"x","status":"exited","exit_code":0,
              "started_at":"2026-11-23T01:00:02.000Z","ended_at":"2026-11-23T01:00:01.000Z"})J")
        << "command" << "x" << "exit 0" << "0" << qint64(0) << false << "";
}

void tst_activity_units::entry()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, kind);
    QFETCH(QString, summary);
    QFETCH(QString, status);
    QFETCH(QString, exit);
    QFETCH(qint64, durationMs);
    QFETCH(bool, running);
    QFETCH(QString, lastLine);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    QVERIFY(doc.isObject());
    const auto e = ActivityEntry::fromJson(doc.object());
    QVERIFY(e);
    QCOMPARE(ActivityEntry::kindName(e->kind), kind);
    QCOMPARE(e->summary(), summary);
    QCOMPARE(e->statusText(), status);
    QCOMPARE(e->exitText(), exit);
    QCOMPARE(e->durationMs().value_or(-1), durationMs);
    QCOMPARE(e->isRunning(), running);
    QCOMPARE(e->lastOutputLine(), lastLine);
    QCOMPARE(e->raw, doc.object());
}

void tst_activity_units::entryRejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("empty") << QByteArray("{}");
    QTest::newRow("no seq") << QByteArray(R"J({"kind":"command"})J");
    QTest::newRow("seq zero") << QByteArray(R"J({"seq":0,"kind":"command"})J");
    QTest::newRow("seq negative") << QByteArray(R"J({"seq":-4,"kind":"command"})J");
    QTest::newRow("seq string") << QByteArray(R"J({"seq":"3","kind":"command"})J");
    QTest::newRow("seq fraction") << QByteArray(R"J({"seq":1.5,"kind":"command"})J");
    QTest::newRow("seq huge") << QByteArray(R"J({"seq":1e300,"kind":"command"})J");
    QTest::newRow("unknown kind") << QByteArray(R"J({"seq":3,"kind":"telepathy"})J");
    QTest::newRow("no kind") << QByteArray(R"J({"seq":3})J");
}

void tst_activity_units::entryRejected()
{
    QFETCH(QByteArray, json);
    QVERIFY(!ActivityEntry::fromJson(QJsonDocument::fromJson(json).object()));
}

void tst_activity_units::page_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QList<qint64>>("seqs");
    QTest::addColumn<qint64>("nextAfter");
    QTest::addColumn<QList<qint64>>("running");
    QTest::addColumn<int>("skipped");

    QTest::newRow("not json") << QByteArray("<html>") << false << QList<qint64>{} << qint64(0) << QList<qint64>{} << 0;
    QTest::newRow("empty body") << QByteArray() << false << QList<qint64>{} << qint64(0) << QList<qint64>{} << 0;
    QTest::newRow("array") << QByteArray("[]") << false << QList<qint64>{} << qint64(0) << QList<qint64>{} << 0;
    QTest::newRow("no entries") << QByteArray(R"J({"next_after":0,"running":[]})J") << false << QList<qint64>{}
                                << qint64(0) << QList<qint64>{} << 0;
    QTest::newRow("no next_after") << QByteArray(R"J({"entries":[],"running":[]})J") << false << QList<qint64>{}
                                   << qint64(0) << QList<qint64>{} << 0;
    QTest::newRow("nothing new") << QByteArray(R"J({"entries":[],"next_after":7,"running":[]})J") << true
                                 << QList<qint64>{} << qint64(7) << QList<qint64>{} << 0;
    QTest::newRow("two entries")
        << QByteArray(R"J({"entries":[{"seq":1,"kind":"lifecycle","event":"created"},
                          {"seq":2,"kind":"command","cmd":"ls","status":"running"}],"next_after":2,"running":[2]})J")
        << true << QList<qint64>{1, 2} << qint64(2) << QList<qint64>{2} << 0;
    QTest::newRow("unknown kind skipped")
        << QByteArray(R"J({"entries":[{"seq":1,"kind":"future"},{"seq":2,"kind":"file","op":"mkdir","path":"/x"}],
                          "next_after":2,"running":[]})J")
        << true << QList<qint64>{2} << qint64(2) << QList<qint64>{} << 1;
    QTest::newRow("out of order skipped")
        << QByteArray(R"J({"entries":[{"seq":5,"kind":"file","op":"mkdir"},{"seq":4,"kind":"file","op":"mkdir"},
                          "junk",{"seq":6,"kind":"file","op":"mkdir"}],"next_after":6,"running":[]})J")
        << true << QList<qint64>{5, 6} << qint64(6) << QList<qint64>{} << 2;
    QTest::newRow("running junk")
        << QByteArray(R"J({"entries":[],"next_after":9,"running":["x",3,-1,3,2,null,2.5]})J") << true
        << QList<qint64>{} << qint64(9) << QList<qint64>{2, 3} << 0;
    QTest::newRow("running missing") << QByteArray(R"J({"entries":[],"next_after":9})J") << true << QList<qint64>{}
                                     << qint64(9) << QList<qint64>{} << 0;
}

void tst_activity_units::page()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QList<qint64>, seqs);
    QFETCH(qint64, nextAfter);
    QFETCH(QList<qint64>, running);
    QFETCH(int, skipped);
    const Result<ActivityPage> r = ActivityPage::parse(body);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QVERIFY(!r.error().message.isEmpty());
        return;
    }
    QList<qint64> got;
    for (const ActivityEntry &e : r->entries)
        got.append(e.seq);
    QCOMPARE(got, seqs);
    QCOMPARE(r->nextAfter, nextAfter);
    QCOMPARE(r->running, running);
    QCOMPARE(r->skipped, skipped);
}

// ---------------------------------------------------------------- model

void tst_activity_units::modelAppendsAndUpdatesInPlace()
{
    ActivityModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    QVERIFY(model.apply({command(1, "a", "exited", 0), command(2, "b", "running", std::nullopt, "x\n")}));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, ActivityModel::StatusColumn).data().toString(), QStringLiteral("running"));
    QCOMPARE(model.index(1, ActivityModel::OutputColumn).data().toString(), QStringLiteral("x"));

    // The same entries again: nothing at all.
    QVERIFY(!model.apply({command(1, "a", "exited", 0), command(2, "b", "running", std::nullopt, "x\n")}));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(changed.size(), 0);

    // The running one grows output, then ends; a new one arrives.
    QVERIFY(model.apply({command(2, "b", "running", std::nullopt, "x\ny\n")}));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(model.index(1, ActivityModel::OutputColumn).data().toString(), QStringLiteral("y"));
    QVERIFY(model.apply({command(2, "b", "exited", 2, "x\ny\n"), command(3, "c", "exited", 0)}));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(model.index(1, ActivityModel::ExitColumn).data().toString(), QStringLiteral("2"));
    QCOMPARE(model.index(1, ActivityModel::ExitColumn).data(ActivityModel::FailedRole).toBool(), true);
    QCOMPARE(model.index(0, ActivityModel::ExitColumn).data(ActivityModel::FailedRole).toBool(), false);
    QCOMPARE(model.index(1, ActivityModel::DurationColumn).data().toString(), QStringLiteral("1.5 s"));
    QCOMPARE(model.index(2, 0).data(ActivityModel::SeqRole).toLongLong(), 3);
    QCOMPARE(model.rowOfSeq(2), 1);
    QCOMPARE(model.rowOfSeq(9), -1);
    QCOMPARE(reset.size(), 0);
}

void tst_activity_units::modelIsBounded()
{
    ActivityModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxRows(5);
    QList<ActivityEntry> batch;
    for (int i = 1; i <= 8; ++i)
        batch.append(command(i, QStringLiteral("c%1").arg(i), "exited", 0));
    model.apply(batch);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.entryAt(0)->seq, 4);
    QCOMPARE(model.lastSeq(), 8);
    // An update of an entry no longer kept changes nothing.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(!model.apply({command(2, "c2", "exited", 1)}));
    QCOMPARE(changed.size(), 0);
    model.setMaxRows(2);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.entryAt(0)->seq, 7);
}

void tst_activity_units::filterByKindAndSearch()
{
    ActivityModel model;
    ActivityFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.apply({*ActivityEntry::fromJson(obj(R"J({"seq":1,"kind":"lifecycle","event":"created"})J")),
                 command(2, "make all", "exited", 2, "Error 2\n"),
                 *ActivityEntry::fromJson(obj(R"J({"seq":3,"kind":"file","op":"write","path":"/home/x/Makefile"})J")),
                 command(4, "ls", "exited", 0, "Makefile\n")});
    QCOMPARE(filter.rowCount(), 4);
    filter.setKind(ActivityEntry::Kind::Command);
    QCOMPARE(filter.rowCount(), 2);
    filter.setSearch(QStringLiteral("error 2"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, 0).data(ActivityModel::SeqRole).toLongLong(), 2);
    filter.setKind(std::nullopt);
    filter.setSearch(QStringLiteral("makefile"));
    QCOMPARE(filter.rowCount(), 2);
    QCOMPARE(filter.index(0, 0).data(ActivityModel::SeqRole).toLongLong(), 3);
    // A running command whose new output matches appears.
    filter.setSearch(QStringLiteral("ready"));
    QCOMPARE(filter.rowCount(), 0);
    model.apply({command(5, "server", "running", std::nullopt, "starting\n")});
    QCOMPARE(filter.rowCount(), 0);
    model.apply({command(5, "server", "running", std::nullopt, "starting\nready\n")});
    QCOMPARE(filter.rowCount(), 1);
}

void tst_activity_units::exportFormats()
{
    QList<ActivityEntry> entries{command(2, "printf 'a\\n'", "exited", 1, QStringLiteral("\x1b[31mred\x1b[0m\n")),
                                 *ActivityEntry::fromJson(obj(R"J({"seq":3,"kind":"lifecycle","event":"paused","pause_kind":"freeze"})J"))};
    const QString text = QString::fromUtf8(ActivityExport::toText(entries));
    QVERIFY2(text.startsWith(QStringLiteral("#2 2026-11-23T01:00:00.000Z command exit 1 (1500 ms)\n$ printf 'a\\n'\n--- stdout\nred\n")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\n#3 ")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("paused (freeze)\n")));
    QVERIFY(!text.contains(QChar(0x1b)));

    const QList<QByteArray> lines = ActivityExport::toJsonLines(entries).split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.last().isEmpty());
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object(), entries.at(0).raw);
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object(), entries.at(1).raw);

    QCOMPARE(ActivityExport::formatFor(QStringLiteral("/x/log.JSONL")), ActivityExport::Format::JsonLines);
    QCOMPARE(ActivityExport::formatFor(QStringLiteral("/x/log.json")), ActivityExport::Format::JsonLines);
    QCOMPARE(ActivityExport::formatFor(QStringLiteral("/x/log.txt")), ActivityExport::Format::Text);
    QCOMPARE(ActivityExport::formatFor(QStringLiteral("/x/log")), ActivityExport::Format::Text);
}

void tst_activity_units::exportWritesFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QList<ActivityEntry> entries{command(1, "echo hi", "exited", 0, "hi\n")};
    const QString path = dir.filePath(QStringLiteral("log.txt"));
    const Status s = ActivityExport::write(path, entries);
    QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().message));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), ActivityExport::toText(entries));

    const Status bad = ActivityExport::write(dir.filePath(QStringLiteral("no/such/dir/log.txt")), entries);
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.startsWith(QStringLiteral("Cannot write ")), qPrintable(bad.error().message));
}

void tst_activity_units::killable_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("killable");
    QTest::addColumn<bool>("leftovers");
    const char *head = R"({"seq": 5, "time": "2026-11-23T01:00:00.000Z", "started_at": "2026-11-23T01:00:00.000Z", )";
    auto row = [head](const char *name, const char *rest, bool killable, bool leftovers) {
        QTest::newRow(name) << (QByteArray(head) + rest) << killable << leftovers;
    };
    row("running command", R"("kind": "command", "cmd": "sleep 9", "command_id": "c1", "status": "running"})", true, false);
    row("running in the background", R"("kind": "command", "cmd": "sleep 9", "command_id": "c1", "background": true, "status": "running"})", true, false);
    row("running without an id", R"("kind": "command", "cmd": "sleep 9", "status": "running"})", false, false);
    row("exited", R"("kind": "command", "cmd": "true", "command_id": "c1", "status": "exited", "exit_code": 0, "ended_at": "2026-11-23T01:00:01.000Z"})", false, true);
    row("exited without an id", R"("kind": "command", "cmd": "true", "status": "exited", "exit_code": 0, "ended_at": "2026-11-23T01:00:01.000Z"})", false, false);
    row("timed out", R"("kind": "command", "cmd": "sleep 9", "command_id": "c1", "status": "timeout", "exit_code": 137, "ended_at": "2026-11-23T01:00:01.000Z"})", false, true);
    // A kill through the API swept its session already; a lost one's
    // sandbox lost every process.
    row("killed", R"("kind": "command", "cmd": "sleep 9", "command_id": "c1", "status": "killed", "exit_code": 143, "ended_at": "2026-11-23T01:00:01.000Z"})", false, false);
    row("lost", R"("kind": "command", "cmd": "sleep 9", "command_id": "c1", "status": "lost"})", false, false);
    row("code cell", R"("kind": "code", "cmd": "1+1", "status": "ok"})", false, false);
    row("lifecycle", R"("kind": "lifecycle", "event": "created"})", false, false);
}

void tst_activity_units::killable()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, killable);
    QFETCH(bool, leftovers);
    const auto entry = ActivityEntry::fromJson(QJsonDocument::fromJson(json).object());
    QVERIFY(entry);
    QCOMPARE(CommandKills::isKillable(*entry), killable);
    QCOMPARE(CommandKills::mayHaveLeftovers(*entry), leftovers);
    // Nothing in flight: canKill says the same.
    EngineClient client;
    CommandKills kills(&client);
    QCOMPARE(kills.canKill(*entry), killable);
    QCOMPARE(kills.canKillLeftovers(*entry), leftovers);
}

void tst_activity_units::killSendsNothingForAnEndedCommand()
{
    EngineClient client;
    CommandKills kills(&client);
    QSignalSpy pending(&kills, &CommandKills::pendingChanged);
    QSignalSpy finished(&kills, &CommandKills::finished);
    // Killed already, and without an id: nothing to send.
    ActivityEntry ended = command(3, "sleep 9", "killed", 143);
    ended.commandId = QStringLiteral("c3");
    QVERIFY(!kills.kill(QStringLiteral("sbx1"), ended));
    QVERIFY(!kills.kill(QStringLiteral("sbx1"), command(2, "true", "exited", 0)));
    // No sandbox: nothing to send to, even for a running command.
    ActivityEntry running = command(4, "sleep 9", "running", std::nullopt);
    running.commandId = QStringLiteral("c4");
    QVERIFY(CommandKills::isKillable(running));
    QVERIFY(!kills.kill(QString(), running));
    QCOMPARE(kills.pendingCount(), 0);
    QCOMPARE(pending.size(), 0);
    QCOMPARE(finished.size(), 0);
}

void tst_activity_units::killPathNamesBothIds()
{
    QCOMPARE(ApiPaths::commandKillPath(QStringLiteral("sbx-1a2b"), QStringLiteral("cmd-9f")),
             QStringLiteral("/v1/sandboxes/sbx-1a2b/commands/cmd-9f/kill"));
}

void tst_activity_units::shortCommand()
{
    QCOMPARE(Formatting::shortCommand(QStringLiteral("  sleep   10\n& wait ")), QStringLiteral("sleep 10 & wait"));
    QCOMPARE(Formatting::shortCommand(QStringLiteral("a\nb")), QStringLiteral("a b"));
    const QString longer = Formatting::shortCommand(QString(100, QLatin1Char('x')));
    QCOMPARE(longer.size(), 60);
    QCOMPARE(longer.back(), QChar(0x2026));
}

QTEST_GUILESS_MAIN(tst_activity_units)
#include "tst_activity_units.moc"
