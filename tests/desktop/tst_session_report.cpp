// SPDX-License-Identifier: GPL-3.0-or-later
// Export report without an engine: the HTML page made from hand-made data,
// by table (what must be in it and what must never be: unescaped markup
// from outputs and paths, environment values, references to anything
// outside the page), the parts one by one, and the timeline's picture drawn
// offscreen.
#include "ActivityEntry.h"
#include "ReportExport.h"
#include "SessionReport.h"

#include <QApplication>
#include <QBuffer>
#include <QImage>
#include <QRegularExpression>
#include <QTest>

Q_DECLARE_METATYPE(SessionReport::Data)

namespace {

constexpr qint64 kT0 = 1'790'000'000'000; // unix ms

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(kT0 + ms, Qt::UTC);
}

ActivityEntry command(qint64 seq, const QString &cmd, int exitCode, const QString &out = {}, const QString &err = {})
{
    ActivityEntry e;
    e.seq = seq;
    e.kind = ActivityEntry::Kind::Command;
    e.cmd = cmd;
    e.status = QStringLiteral("exited");
    e.exitCode = exitCode;
    e.startedAt = at(seq * 1000);
    e.endedAt = at(seq * 1000 + 250);
    e.time = e.endedAt;
    e.user = QStringLiteral("sandbox");
    e.out = out;
    e.err = err;
    return e;
}

TouchedFiles::Path touched(const QString &path, ChangeEntry::Kind kind, bool isDir = false)
{
    return {path, kind, isDir};
}

// A sandbox with a little of everything, each part read well.
SessionReport::Data base()
{
    SessionReport::Data d;
    d.generatedAt = at(60'000);
    d.appVersion = QStringLiteral("9.8.7");
    d.engineVersion = QStringLiteral("9.8.6");
    d.sandbox.id = QStringLiteral("sbx_report0test");
    d.sandbox.templateName = QStringLiteral("base");
    d.sandbox.state = SandboxState::Running;
    d.sandbox.createdAt = at(0);
    d.sandbox.startedAt = at(0);
    d.sandbox.cpuCount = 2;
    d.sandbox.memoryMb = 512;
    d.sandbox.diskMb = 1024;
    d.sandbox.netAddress = QStringLiteral("100.72.0.2");
    d.activity.append(command(2, QStringLiteral("echo hello"), 0, QStringLiteral("hello\n")));
    d.changes = ChangeList{};
    return d;
}

SessionReport::Data with(const std::function<void(SessionReport::Data &)> &change)
{
    SessionReport::Data d = base();
    change(d);
    return d;
}

} // namespace

class tst_session_report : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escape_data();
    void escape();
    void html_data();
    void html();
    void selfContained();
    void patchLines_data();
    void patchLines();
    void chartBreaksAtGaps();
    void timelineImage();
};

void tst_session_report::escape_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("html");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("plain") << QStringLiteral("ls -la") << QStringLiteral("ls -la");
    QTest::newRow("script") << QStringLiteral("<script>alert(1)</script>")
                            << QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;");
    QTest::newRow("attribute breakout") << QStringLiteral("\" onload=\"x") << QStringLiteral("&quot; onload=&quot;x");
    QTest::newRow("ampersand") << QStringLiteral("a && b") << QStringLiteral("a &amp;&amp; b");
    QTest::newRow("escape character") << QStringLiteral("a\x1b[31mb") << QStringLiteral("a\u241b[31mb");
    QTest::newRow("NUL and DEL") << QString::fromUtf16(u"a\u0000b\u007f", 4) << QStringLiteral("a\u2400b\u2421");
    QTest::newRow("tab and newline kept") << QStringLiteral("a\tb\nc") << QStringLiteral("a\tb\nc");
    QTest::newRow("non-ASCII kept") << QStringLiteral("\u00e9t\u00e9 \u2713") << QStringLiteral("\u00e9t\u00e9 \u2713");
}

void tst_session_report::escape()
{
    QFETCH(QString, text);
    QFETCH(QString, html);
    QCOMPARE(SessionReport::escape(text), html);
}

void tst_session_report::html_data()
{
    QTest::addColumn<SessionReport::Data>("data");
    QTest::addColumn<QStringList>("present");
    QTest::addColumn<QStringList>("absent");

    QTest::newRow("made by, when, of what")
        << base()
        << QStringList{QStringLiteral("<!DOCTYPE html>"), QStringLiteral("<meta charset=\"utf-8\">"),
                       QStringLiteral("Session report of sandbox <code>sbx_report0test</code>"),
                       QStringLiteral("Made 2026-09-21 14:14:20.000 UTC by ai2in-desktop 9.8.7, from engine ai2ind 9.8.6."),
                       QStringLiteral("look for secrets in them before you share it."),
                       QStringLiteral("<th>Template</th><td>base</td>"), QStringLiteral("<th>State</th><td>running</td>"),
                       QStringLiteral("2 CPUs, 512.0 MiB memory, 1.00 GiB disk"), QStringLiteral("<code>100.72.0.2</code>"),
                       QStringLiteral("not set: it lives until killed")}
        << QStringList{QStringLiteral("<script")};

    QTest::newRow("script in an output is text")
        << with([](auto &d) {
               d.activity = {command(2, QStringLiteral("cat page.html"), 0, QStringLiteral("<script>alert('out')</script>\n"),
                                     QStringLiteral("<img src=x onerror=alert(1)>"))};
           })
        << QStringList{QStringLiteral("&lt;script&gt;alert('out')&lt;/script&gt;"),
                       QStringLiteral("&lt;img src=x onerror=alert(1)&gt;")}
        << QStringList{QStringLiteral("<script"), QStringLiteral("<img src=x")};

    QTest::newRow("script in a command and its cwd")
        << with([](auto &d) {
               ActivityEntry e = command(2, QStringLiteral("echo '</pre><script>x()</script>'"), 0);
               e.cwd = QStringLiteral("/tmp/<b>dir</b>");
               d.activity = {e};
           })
        << QStringList{QStringLiteral("$ echo '&lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt;'"),
                       QStringLiteral("in /tmp/&lt;b&gt;dir&lt;/b&gt;")}
        << QStringList{QStringLiteral("<script"), QStringLiteral("<b>dir")};

    QTest::newRow("script in paths")
        << with([](auto &d) {
               ActivityEntry e = command(2, QStringLiteral("touch x"), 0);
               e.touched = TouchedFiles{{touched(QStringLiteral("/home/sandbox/<script>a()</script>.js"), ChangeEntry::Kind::Added)}, false};
               d.activity = {e};
               ChangeEntry c;
               c.path = QStringLiteral("/home/sandbox/\"><script>b()</script>");
               c.type = QStringLiteral("symlink");
               c.symlinkTarget = QStringLiteral("<script>c()</script>");
               d.changes->changes = {c};
           })
        << QStringList{QStringLiteral("/home/sandbox/&lt;script&gt;a()&lt;/script&gt;.js"),
                       QStringLiteral("/home/sandbox/&quot;&gt;&lt;script&gt;b()&lt;/script&gt;"),
                       QStringLiteral("&lt;script&gt;c()&lt;/script&gt;")}
        << QStringList{QStringLiteral("<script")};

    QTest::newRow("metadata escaped")
        << with([](auto &d) { d.sandbox.metadata = {{QStringLiteral("a<b"), QStringLiteral("c&d")}}; })
        << QStringList{QStringLiteral("<code>a&lt;b</code> = <code>c&amp;d</code>")} << QStringList{QStringLiteral("a<b")};

    QTest::newRow("env names, never values")
        << with([](auto &d) {
               d.envs = StringMap{{QStringLiteral("API_TOKEN"), QStringLiteral("s3cr3t-token-value")},
                                  {QStringLiteral("DEBUG"), QStringLiteral("very-private-flag")}};
           })
        << QStringList{QStringLiteral("<code>API_TOKEN</code>, <code>DEBUG</code>"), QStringLiteral("(names only)")}
        << QStringList{QStringLiteral("s3cr3t-token-value"), QStringLiteral("very-private-flag")};

    QTest::newRow("envs not known")
        << base() << QStringList{QStringLiteral("Not known: the engine does not tell a sandbox's environment variables.")}
        << QStringList{};

    QTest::newRow("a failed part is a sentence in its place")
        << with([](auto &d) {
               d.changes.reset();
               d.changesProblem = QStringLiteral("The changes could not be read: sandbox is paused.");
               d.patchProblem = QStringLiteral("The patch could not be read: sandbox is paused.");
               d.metricsProblem = QStringLiteral("The metrics could not be read: <timeout>.");
               d.activityProblem = QStringLiteral("The command log could not be read: gone.");
               d.activity.clear();
               d.timelineProblem = QStringLiteral("The timeline could not be drawn.");
           })
        << QStringList{QStringLiteral("<p class=\"problem\">The changes could not be read: sandbox is paused.</p>"),
                       QStringLiteral("<p class=\"problem\">The patch could not be read: sandbox is paused.</p>"),
                       QStringLiteral("<p class=\"problem\">The metrics could not be read: &lt;timeout&gt;.</p>"),
                       QStringLiteral("<p class=\"problem\">The command log could not be read: gone.</p>"),
                       QStringLiteral("<p class=\"problem\">The timeline could not be drawn.</p>")}
        << QStringList{QStringLiteral("No file differs from the template.")};

    QTest::newRow("touched files listed with their marks")
        << with([](auto &d) {
               ActivityEntry e = command(3, QStringLiteral("./build.sh"), 0);
               e.touched = TouchedFiles{{touched(QStringLiteral("/home/sandbox/gone.txt"), ChangeEntry::Kind::Deleted),
                                         touched(QStringLiteral("/home/sandbox/new"), ChangeEntry::Kind::Added, true),
                                         touched(QStringLiteral("/home/sandbox/old.txt"), ChangeEntry::Kind::Modified)},
                                        true};
               ActivityEntry idle = command(4, QStringLiteral("true"), 0);
               idle.touched = TouchedFiles{};
               d.activity = {e, idle};
           })
        << QStringList{QStringLiteral("<li><span class=\"mark D\">D</span><code>/home/sandbox/gone.txt</code></li>"),
                       QStringLiteral("<li><span class=\"mark A\">A</span><code>/home/sandbox/new/</code></li>"),
                       QStringLiteral("<li><span class=\"mark M\">M</span><code>/home/sandbox/old.txt</code></li>"),
                       QStringLiteral("Files it changed"), QStringLiteral("Some changes may be missing from this list."),
                       QStringLiteral("It changed no files")}
        << QStringList{};

    QTest::newRow("escape sequences stripped from outputs")
        << with([](auto &d) {
               d.activity = {command(2, QStringLiteral("ls --color"), 0, QStringLiteral("\x1b[1;31mred\x1b[0m plain\n"),
                                     QStringLiteral("50%\r100%\n"))};
           })
        << QStringList{QStringLiteral("red plain"), QStringLiteral(">100%\n<")}
        << QStringList{QStringLiteral("\x1b"), QStringLiteral("[1;31m"), QStringLiteral("\u241b"), QStringLiteral("50%")};

    QTest::newRow("statuses, exit codes and durations")
        << with([](auto &d) {
               ActivityEntry failed = command(2, QStringLiteral("false"), 1);
               ActivityEntry killed = command(3, QStringLiteral("sleep 100"), 137);
               killed.status = QStringLiteral("killed");
               killed.endedAt = at(3000 + 2'500);
               ActivityEntry running = command(4, QStringLiteral("server"), 0);
               running.status = QStringLiteral("running");
               running.exitCode.reset();
               running.endedAt = {};
               running.background = true;
               d.activity = {failed, killed, running};
           })
        << QStringList{QStringLiteral("<span class=\"status failed\">exit 1</span>"), QStringLiteral("took 250 ms"),
                       QStringLiteral("exit code 1"), QStringLiteral("<span class=\"status failed\">killed</span>"),
                       QStringLiteral("took 2.5 s"), QStringLiteral("<span class=\"status running\">running</span>"),
                       QStringLiteral("command (background)"), QStringLiteral("3 entries: 3 commands, 0 code cells, 2 of them failed.")}
        << QStringList{};

    QTest::newRow("code cell with its error")
        << with([](auto &d) {
               ActivityEntry e;
               e.seq = 5;
               e.kind = ActivityEntry::Kind::Code;
               e.cmd = QStringLiteral("1 < undefined_name");
               e.status = QStringLiteral("error");
               e.errorName = QStringLiteral("NameError");
               e.errorValue = QStringLiteral("name 'undefined_name' is not defined");
               e.traceback = QStringLiteral("\x1b[0;31mNameError\x1b[0m Traceback");
               e.startedAt = at(5000);
               e.endedAt = at(5040);
               e.time = e.endedAt;
               d.activity = {e};
           })
        << QStringList{QStringLiteral("code cell"), QStringLiteral("1 &lt; undefined_name"),
                       QStringLiteral("<span class=\"status failed\">error: NameError</span>"),
                       QStringLiteral("NameError: name 'undefined_name' is not defined"),
                       QStringLiteral("NameError Traceback")}
        << QStringList{QStringLiteral("[0;31m")};

    QTest::newRow("file, lifecycle and terminal entries")
        << with([](auto &d) {
               ActivityEntry file;
               file.seq = 6;
               file.kind = ActivityEntry::Kind::File;
               file.op = QStringLiteral("write");
               file.path = QStringLiteral("/home/sandbox/a&b.txt");
               file.bytes = 12;
               file.time = at(6000);
               ActivityEntry life;
               life.seq = 7;
               life.kind = ActivityEntry::Kind::Lifecycle;
               life.event = QStringLiteral("paused");
               life.detail = QStringLiteral("stop");
               life.time = at(7000);
               d.activity = {file, life};
           })
        << QStringList{QStringLiteral("write /home/sandbox/a&amp;b.txt (12 B)"), QStringLiteral("paused (stop)"),
                       QStringLiteral(">file<"), QStringLiteral(">lifecycle<")}
        << QStringList{};

    QTest::newRow("changes with marks and the patch coloured")
        << with([](auto &d) {
               ChangeEntry added{QStringLiteral("/home/sandbox/new.txt"), ChangeEntry::Kind::Added, QStringLiteral("file"), 2048};
               ChangeEntry deleted{QStringLiteral("/etc/issue.net"), ChangeEntry::Kind::Deleted, QStringLiteral("file")};
               d.changes->changes = {deleted, added};
               d.changes->truncated = true;
               d.patch = "--- a/etc/issue.net\n+++ /dev/null\n@@ -1 +0,0 @@\n-Debian <12>\n";
           })
        << QStringList{QStringLiteral("2 paths differ from the template:"),
                       QStringLiteral("<td><span class=\"mark D\">D</span></td><td><code>/etc/issue.net</code></td>"),
                       QStringLiteral("<td><span class=\"mark A\">A</span></td><td><code>/home/sandbox/new.txt</code></td><td>file</td><td class=\"num\">2.0 KiB</td>"),
                       QStringLiteral("<span class=\"d-file\">--- a/etc/issue.net</span>"),
                       QStringLiteral("<span class=\"d-hunk\">@@ -1 +0,0 @@</span>"),
                       QStringLiteral("<span class=\"d-del\">-Debian &lt;12&gt;</span>"),
                       QStringLiteral("more paths changed than are shown")}
        << QStringList{QStringLiteral("Debian <12>")};

    QTest::newRow("nothing changed")
        << base() << QStringList{QStringLiteral("No file differs from the template."), QStringLiteral("No text file changed.")}
        << QStringList{QStringLiteral("<pre class=\"diff\">")};

    QTest::newRow("the timeline picture inline")
        << with([](auto &d) { d.timelinePng = QByteArray("\x89PNG\r\n\x1a\n-fake", 13); })
        << QStringList{QStringLiteral("<img src=\"data:image/png;base64,") + QString::fromLatin1(QByteArray("\x89PNG\r\n\x1a\n-fake", 13).toBase64()) + QLatin1Char('"')}
        << QStringList{};

    QTest::newRow("metrics as charts")
        << with([](auto &d) {
               for (int i = 0; i < 30; ++i)
                   d.metrics.append({kT0 + i * 1000, 10.0 + i, (64LL + i) << 20, 3, -1, -1});
               d.cpuCount = 2;
               d.memoryLimitBytes = 512LL << 20;
           })
        << QStringList{QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\""), QStringLiteral("<polyline"),
                       QStringLiteral("CPU (%, 100 % = one CPU; 2 CPUs)"), QStringLiteral("Memory (limit 512.0 MiB)"),
                       QStringLiteral("30 readings over 29 s"), QStringLiteral(">50.0 MiB</text>")}
        << QStringList{QStringLiteral("No readings.")};

    QTest::newRow("no metrics")
        << base() << QStringList{QStringLiteral("The engine kept no readings")} << QStringList{QStringLiteral("<svg")};
}

void tst_session_report::html()
{
    QFETCH(SessionReport::Data, data);
    QFETCH(QStringList, present);
    QFETCH(QStringList, absent);
    const QString page = SessionReport::html(data);
    for (const QString &p : present)
        QVERIFY2(page.contains(p), qPrintable(QStringLiteral("missing: %1").arg(p)));
    for (const QString &a : absent)
        QVERIFY2(!page.contains(a), qPrintable(QStringLiteral("present: %1").arg(a)));
}

void tst_session_report::selfContained()
{
    // Nothing in the page is fetched from elsewhere: no script at all, no
    // stylesheet or picture by URL (the SVG namespace is a name, not a fetch).
    SessionReport::Data d = base();
    d.timelinePng = "png";
    d.metrics = {{kT0, 5, 1 << 20, 1, -1, -1}, {kT0 + 1000, 6, 2 << 20, 1, -1, -1}};
    d.activity.append(command(3, QStringLiteral("curl https://example.invalid/x.js"), 0, QStringLiteral("http://a/b\n")));
    const QString page = SessionReport::html(d);
    QVERIFY(!page.contains(QLatin1String("<script"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QLatin1String("<link"), Qt::CaseInsensitive));
    static const QRegularExpression fetched(QStringLiteral("(src|href)\\s*=\\s*\"(?!data:|#)"));
    QVERIFY2(!page.contains(fetched), qPrintable(fetched.match(page).captured(0)));
    QVERIFY(!page.contains(QLatin1String("url("), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QLatin1String("@import"), Qt::CaseInsensitive));
}

void tst_session_report::patchLines_data()
{
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("html");
    QTest::newRow("empty") << QString() << QStringLiteral("<pre class=\"diff\"><span> </span></pre>\n");
    QTest::newRow("one file")
        << QStringLiteral("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n same\n-old\n+new\n")
        << QStringLiteral("<pre class=\"diff\"><span class=\"d-file\">--- a/x</span><span class=\"d-file\">+++ b/x</span>"
                          "<span class=\"d-hunk\">@@ -1,2 +1,2 @@</span><span> same</span><span class=\"d-del\">-old</span>"
                          "<span class=\"d-add\">+new</span></pre>\n");
    QTest::newRow("no newline at the end")
        << QStringLiteral("+a\n\\ No newline at end of file")
        << QStringLiteral("<pre class=\"diff\"><span class=\"d-add\">+a</span><span>\\ No newline at end of file</span></pre>\n");
    QTest::newRow("headers of a new file")
        << QStringLiteral("diff --git a/n b/n\nnew file mode 100644\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+x\n")
        << QStringLiteral("<pre class=\"diff\"><span class=\"d-file\">diff --git a/n b/n</span>"
                          "<span class=\"d-file\">new file mode 100644</span><span class=\"d-file\">--- /dev/null</span>"
                          "<span class=\"d-file\">+++ b/n</span><span class=\"d-hunk\">@@ -0,0 +1 @@</span>"
                          "<span class=\"d-add\">+x</span></pre>\n");
    QTest::newRow("markup in a line")
        << QStringLiteral("+<script>\n") << QStringLiteral("<pre class=\"diff\"><span class=\"d-add\">+&lt;script&gt;</span></pre>\n");
}

void tst_session_report::patchLines()
{
    QFETCH(QString, patch);
    QFETCH(QString, html);
    QCOMPARE(SessionReport::patchHtml(patch), html);
}

void tst_session_report::chartBreaksAtGaps()
{
    // A pause (no readings for a while) is a gap, not a line across it; a
    // lone reading is a dot.
    QList<QPair<qint64, double>> points;
    for (int i = 0; i < 5; ++i)
        points.append({kT0 + i * 1000, 10.0 * i});
    for (int i = 0; i < 5; ++i)
        points.append({kT0 + 60'000 + i * 1000, 5.0});
    points.append({kT0 + 120'000, 1.0});
    const QString svg = SessionReport::chartSvg(points, 50, 40, QStringLiteral("CPU <1>"),
                                                [](double v) { return QString::number(v); });
    QCOMPARE(svg.count(QLatin1String("<polyline")), 2);
    QCOMPARE(svg.count(QLatin1String("<circle")), 1);
    QVERIFY(svg.contains(QLatin1String("stroke-dasharray"))); // the limit
    QVERIFY(svg.contains(QLatin1String("aria-label=\"CPU &lt;1&gt;\"")));
    QVERIFY(svg.startsWith(QLatin1String("<svg ")) && svg.endsWith(QLatin1String("</svg>\n")));
}

void tst_session_report::timelineImage()
{
    // The Timeline tab's own view draws the picture: coloured bars, as wide
    // as asked, tall enough for every lane and both sparklines.
    QList<ActivityEntry> entries;
    ActivityEntry created;
    created.seq = 1;
    created.kind = ActivityEntry::Kind::Lifecycle;
    created.event = QStringLiteral("created");
    created.time = at(0);
    entries << created << command(2, QStringLiteral("make"), 0) << command(3, QStringLiteral("make test"), 2);
    QList<MetricsHistory::Sample> samples;
    for (int i = 0; i < 10; ++i)
        samples.append({kT0 + i * 400, 50.0, 100LL << 20, 3, -1, -1});
    const QImage image = ReportExport::timelineImage(entries, samples, 900);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), 900);
    QVERIFY2(image.height() > 150 && image.height() < 1000, qPrintable(QString::number(image.height())));
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));
    // Light, as the page is, whatever the app's palette.
    QPalette dark;
    for (const auto role : {QPalette::Window, QPalette::Base, QPalette::AlternateBase, QPalette::Button})
        dark.setColor(role, QColor(0x20, 0x20, 0x20));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        dark.setColor(role, Qt::white);
    QApplication::setPalette(dark);
    const QImage underDark = ReportExport::timelineImage(entries, samples, 900);
    QApplication::setPalette(QPalette());
    QCOMPARE(underDark.pixelColor(underDark.width() - 2, underDark.height() - 2).lightness() > 200, true);
    QBuffer png;
    png.open(QIODevice::WriteOnly);
    QVERIFY(image.save(&png, "PNG"));
    QVERIFY(png.data().startsWith("\x89PNG"));
}

QTEST_MAIN(tst_session_report)
#include "tst_session_report.moc"
