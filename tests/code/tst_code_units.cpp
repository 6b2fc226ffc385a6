// SPDX-License-Identifier: GPL-3.0-or-later
// The Code tab's pure parts, by table: NDJSON events of every type, lines cut
// across chunks, blank and broken lines; what a cell keeps past its limits;
// recalling inputs; and a cell drawn from events (traceback colours, images,
// the kept tail) without an engine.
#include "AnsiText.h"
#include "CodeCell.h"
#include "CodeCellView.h"
#include "CodeEvent.h"
#include "CodeHistoryView.h"
#include "CodeOutputBrowser.h"
#include "CodeInputHistory.h"
#include "CodeRunner.h"
#include "CodeSession.h"
#include "EngineClient.h"
#include "NdjsonSplitter.h"

#include <QBuffer>
#include <QImage>
#include <QPixmap>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QFile>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

Q_DECLARE_METATYPE(CodeEvent)
Q_DECLARE_METATYPE(CodeResult)
Q_DECLARE_METATYPE(std::optional<CodeEvent>)

namespace {

CodeEvent stream(CodeEvent::Type type, const QString &text)
{
    CodeEvent e;
    e.type = type;
    e.text = text;
    return e;
}

CodeEvent error(const QString &name, const QString &value, const QString &traceback)
{
    CodeEvent e;
    e.type = CodeEvent::Type::Error;
    e.error = {name, value, traceback};
    return e;
}

QByteArray tinyPng(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

} // namespace

class tst_code_units : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseLine_data();
    void parseLine();
    void resultFields();
    void preferredForm_data();
    void preferredForm();
    void splitter_data();
    void splitter();
    void splitterOverlongLine();
    void cellMergesStreams();
    void cellKeepsHeadAndTail();
    void cellBoundsOutputs();
    void inputHistory();
    void viewDrawsEvents();
    void viewRedrawsProgressLine();
    void viewShowsTailPastLimit();
    void viewLoadsNothingFromDisk();
};

void tst_code_units::parseLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<std::optional<CodeEvent>>("want");

    QTest::newRow("stdout") << QByteArray(R"({"type":"stdout","text":"hi\n"})")
                            << std::optional<CodeEvent>(stream(CodeEvent::Type::Stdout, QStringLiteral("hi\n")));
    QTest::newRow("stderr, extra fields, CRLF") << QByteArray("{\"id\":\"r1\",\"type\":\"stderr\",\"text\":\"w\"}\r")
                                                << std::optional<CodeEvent>(stream(CodeEvent::Type::Stderr, QStringLiteral("w")));
    QTest::newRow("unicode") << QByteArray(R"({"type":"stdout","text":"é ✓ \u001b[31mred"})")
                             << std::optional<CodeEvent>(stream(CodeEvent::Type::Stdout, QStringLiteral("é ✓ \x1b[31mred")));
    CodeEvent err = error(QStringLiteral("ZeroDivisionError"), QStringLiteral("division by zero"), QStringLiteral("Traceback…"));
    QTest::newRow("error") << QByteArray(R"({"type":"error","error":{"name":"ZeroDivisionError","value":"division by zero","traceback":"Traceback…"}})")
                           << std::optional<CodeEvent>(err);
    QTest::newRow("error without name") << QByteArray(R"({"type":"error","error":{"name":"","value":"v","traceback":null}})")
                                        << std::optional<CodeEvent>(error(QStringLiteral("Error"), QStringLiteral("v"), QString()));
    CodeEvent end;
    end.type = CodeEvent::Type::End;
    end.executionCount = 3;
    QTest::newRow("end") << QByteArray(R"({"type":"end","execution_count":3})") << std::optional<CodeEvent>(end);
    end.executionCount.reset();
    QTest::newRow("end, null count") << QByteArray(R"({"type":"end","execution_count":null})") << std::optional<CodeEvent>(end);
    CodeEvent result;
    result.type = CodeEvent::Type::Result;
    result.result.text = QStringLiteral("42");
    result.result.isMainResult = true;
    QTest::newRow("result, text") << QByteArray(R"({"type":"result","result":{"text":"42","html":null,"png":null,"is_main_result":true}})")
                                  << std::optional<CodeEvent>(result);

    QTest::newRow("empty") << QByteArray() << std::optional<CodeEvent>();
    QTest::newRow("blank") << QByteArray(" \t\r") << std::optional<CodeEvent>();
    QTest::newRow("unknown type") << QByteArray(R"({"type":"progress","percent":3})") << std::optional<CodeEvent>();

    auto bad = [](const char *why) {
        CodeEvent e = error(CodeEvent::badLineName(), QString::fromUtf8(why), QString());
        return std::optional<CodeEvent>(e);
    };
    QTest::newRow("not JSON") << QByteArray("{\"type\":\"stdout\",") << bad("The engine sent a line that is not a JSON object: “{\"type\":\"stdout\",”.");
    QTest::newRow("array") << QByteArray("[1,2]") << bad("The engine sent a line that is not a JSON object: “[1,2]”.");
    QTest::newRow("no type") << QByteArray("{\"text\":\"x\"}") << bad("The engine sent an event without a type: “{\"text\":\"x\"}”.");
    QTest::newRow("stdout without text") << QByteArray(R"({"type":"stdout","text":5})") << bad("The engine sent a stdout event without its text.");
    QTest::newRow("result not object") << QByteArray(R"({"type":"result","result":"42"})") << bad("The engine sent a result event without its result.");
    QTest::newRow("result, bad base64") << QByteArray(R"({"type":"result","result":{"png":"%%%not base64"}})")
                                        << bad("The engine sent a result whose fields are not text or base64.");
    QTest::newRow("result, number text") << QByteArray(R"({"type":"result","result":{"text":7}})")
                                         << bad("The engine sent a result whose fields are not text or base64.");
    QTest::newRow("error not object") << QByteArray(R"({"type":"error","error":[]})") << bad("The engine sent an error event without its error.");
    QTest::newRow("long bad line is quoted short") << QByteArray(200, 'x')
                                                   << bad(qPrintable(QStringLiteral("The engine sent a line that is not a JSON object: “%1…”.").arg(QString(80, QLatin1Char('x')))));
}

void tst_code_units::parseLine()
{
    QFETCH(QByteArray, line);
    QFETCH(std::optional<CodeEvent>, want);
    const std::optional<CodeEvent> got = CodeEvent::fromLine(line);
    QCOMPARE(got.has_value(), want.has_value());
    if (!want)
        return;
    QCOMPARE(int(got->type), int(want->type));
    QCOMPARE(got->text, want->text);
    QCOMPARE(got->error.name, want->error.name);
    QCOMPARE(got->error.value, want->error.value);
    QCOMPARE(got->error.traceback, want->error.traceback);
    QCOMPARE(got->executionCount, want->executionCount);
    QVERIFY(*got == *want);
}

void tst_code_units::resultFields()
{
    const QByteArray png = tinyPng(3, 2);
    QJsonObject r{{QStringLiteral("text"), QStringLiteral("<Figure>")},
                  {QStringLiteral("html"), QStringLiteral("<b>x</b>")},
                  {QStringLiteral("markdown"), QStringLiteral("# T")},
                  {QStringLiteral("svg"), QStringLiteral("<svg/>")},
                  // Wrapped the way some kernels wrap base64.
                  {QStringLiteral("png"), QString::fromLatin1(png.toBase64()).insert(8, QStringLiteral("\n"))},
                  {QStringLiteral("jpeg"), QStringLiteral("AAEC")},
                  {QStringLiteral("pdf"), QStringLiteral("JVBERi0=")},
                  {QStringLiteral("latex"), QStringLiteral("$x^2$")},
                  {QStringLiteral("json"), QJsonObject{{QStringLiteral("a"), 1}}},
                  {QStringLiteral("javascript"), QStringLiteral("alert(1)")},
                  {QStringLiteral("is_main_result"), false}};
    const QByteArray line = QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("result")}, {QStringLiteral("result"), r}})
                                .toJson(QJsonDocument::Compact);
    const auto e = CodeEvent::fromLine(line);
    QVERIFY(e);
    QCOMPARE(int(e->type), int(CodeEvent::Type::Result));
    QCOMPARE(e->result.text, QStringLiteral("<Figure>"));
    QCOMPARE(e->result.html, QStringLiteral("<b>x</b>"));
    QCOMPARE(e->result.markdown, QStringLiteral("# T"));
    QCOMPARE(e->result.svg, QStringLiteral("<svg/>"));
    QCOMPARE(e->result.png, png);
    QCOMPARE(e->result.jpeg, QByteArray("\x00\x01\x02", 3));
    QCOMPARE(e->result.pdf, QByteArray("%PDF-"));
    QCOMPARE(e->result.latex, QStringLiteral("$x^2$"));
    QCOMPARE(e->result.json.toObject().value(QStringLiteral("a")).toInt(), 1);
    QCOMPARE(e->result.javascript, QStringLiteral("alert(1)"));
    QCOMPARE(e->result.isMainResult, false);
    QVERIFY(!QImage::fromData(e->result.png).isNull());
}

void tst_code_units::preferredForm_data()
{
    QTest::addColumn<CodeResult>("result");
    QTest::addColumn<int>("form");
    CodeResult r;
    QTest::newRow("empty") << r << int(CodeResult::Form::Nothing);
    r.javascript = QStringLiteral("x");
    QTest::newRow("javascript only") << r << int(CodeResult::Form::Javascript);
    r.pdf = "%PDF";
    QTest::newRow("pdf") << r << int(CodeResult::Form::Pdf);
    r.text = QStringLiteral("t");
    QTest::newRow("text beats pdf") << r << int(CodeResult::Form::Text);
    r.json = QJsonArray{1};
    QTest::newRow("json") << r << int(CodeResult::Form::Json);
    r.latex = QStringLiteral("$x$");
    QTest::newRow("latex") << r << int(CodeResult::Form::Latex);
    r.markdown = QStringLiteral("*m*");
    QTest::newRow("markdown") << r << int(CodeResult::Form::Markdown);
    r.html = QStringLiteral("<i>h</i>");
    QTest::newRow("html") << r << int(CodeResult::Form::Html);
    r.svg = QStringLiteral("<svg/>");
    QTest::newRow("svg") << r << int(CodeResult::Form::Svg);
    r.jpeg = "jpg";
    QTest::newRow("jpeg") << r << int(CodeResult::Form::Jpeg);
    r.png = "png";
    QTest::newRow("png first") << r << int(CodeResult::Form::Png);
}

void tst_code_units::preferredForm()
{
    QFETCH(CodeResult, result);
    QFETCH(int, form);
    QCOMPARE(int(result.preferredForm()), form);
}

void tst_code_units::splitter_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QByteArray>("rest");
    using L = QList<QByteArray>;
    QTest::newRow("nothing") << L{} << L{} << QByteArray();
    QTest::newRow("one line") << L{"a\n"} << L{"a"} << QByteArray();
    QTest::newRow("two in one chunk") << L{"a\nb\n"} << L{"a", "b"} << QByteArray();
    QTest::newRow("cut in the middle") << L{"{\"ty", "pe\":1}\n"} << L{"{\"type\":1}"} << QByteArray();
    QTest::newRow("cut at the newline") << L{"abc", "\n", "def\n"} << L{"abc", "def"} << QByteArray();
    QTest::newRow("byte by byte") << L{"x", "y", "\n", "z"} << L{"xy"} << QByteArray("z");
    QTest::newRow("blank lines kept") << L{"\n\na\n"} << L{"", "", "a"} << QByteArray();
    QTest::newRow("no final newline") << L{"a\nb"} << L{"a"} << QByteArray("b");
    QTest::newRow("empty chunks") << L{"", "a", "", "\n", ""} << L{"a"} << QByteArray();
}

void tst_code_units::splitter()
{
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QByteArray, rest);
    NdjsonSplitter s;
    QList<QByteArray> got;
    for (const QByteArray &c : chunks)
        got += s.feed(c);
    QCOMPARE(got, lines);
    QCOMPARE(s.finish(), rest);
    QVERIFY(!s.overflowed());
}

void tst_code_units::splitterOverlongLine()
{
    NdjsonSplitter s(8);
    QCOMPARE(s.feed("12345"), QList<QByteArray>());
    // The line grows past the limit: dropped up to its end, and the next
    // line is read as usual.
    QCOMPARE(s.feed("6789abc"), QList<QByteArray>());
    QCOMPARE(s.pending(), 0);
    QCOMPARE(s.feed("def\nok\n"), QList<QByteArray>{"ok"});
    QVERIFY(s.overflowed());
    QCOMPARE(s.feed("12345678\n"), QList<QByteArray>{"12345678"});
}

void tst_code_units::cellMergesStreams()
{
    CodeCell c(QStringLiteral("print(1)"));
    QVERIFY(c.isRunning());
    c.apply(stream(CodeEvent::Type::Stdout, QStringLiteral("a")));
    c.apply(stream(CodeEvent::Type::Stdout, QStringLiteral("b\n")));
    c.apply(stream(CodeEvent::Type::Stderr, QStringLiteral("w\n")));
    c.apply(stream(CodeEvent::Type::Stdout, QStringLiteral("c\n")));
    c.apply(error(QStringLiteral("E"), QStringLiteral("v"), QString()));
    CodeEvent end;
    end.type = CodeEvent::Type::End;
    end.executionCount = 7;
    c.apply(end);
    c.finish(QString(), 1500);
    QCOMPARE(c.outputs().size(), 4);
    QCOMPARE(c.outputs().at(0).text, QStringLiteral("ab\n"));
    QCOMPARE(int(c.outputs().at(1).kind), int(CodeCell::Output::Kind::Stderr));
    QCOMPARE(c.outputs().at(2).text, QStringLiteral("c\n"));
    QVERIFY(c.raisedError());
    QCOMPARE(c.executionCount(), std::optional<int>(7));
    QCOMPARE(int(c.state()), int(CodeCell::State::Finished));
    QCOMPARE(c.durationMs(), 1500);
    QCOMPARE(c.droppedChars(), 0);

    CodeCell failed(QStringLiteral("x"));
    failed.finish(QStringLiteral("No sandbox sbx_x."), 10);
    QCOMPARE(int(failed.state()), int(CodeCell::State::Failed));
    QCOMPARE(failed.problem(), QStringLiteral("No sandbox sbx_x."));
}

void tst_code_units::cellKeepsHeadAndTail()
{
    CodeCell c(QStringLiteral("loop"));
    const QString line = QStringLiteral("0123456789abcde\n"); // 16 characters
    const qsizetype total = 4 * (CodeCell::kHeadChars + CodeCell::kTailChars);
    QString chunk;
    for (int i = 0; i < 1024; ++i)
        chunk += line;
    for (qsizetype sent = 0; sent < total; sent += chunk.size())
        c.apply(stream(CodeEvent::Type::Stdout, chunk));
    c.apply(stream(CodeEvent::Type::Stdout, QStringLiteral("last\n")));
    QCOMPARE(c.outputs().size(), 1);
    QCOMPARE(c.outputs().first().text.size(), CodeCell::kHeadChars);
    QVERIFY(c.tail().size() <= CodeCell::kTailChars);
    QVERIFY(c.tail().size() > CodeCell::kTailChars - 1024);
    QVERIFY(c.tail().endsWith(QStringLiteral("last\n")));
    // It starts at a line.
    QVERIFY(c.tail().startsWith(line));
    QCOMPARE(c.droppedChars() + c.tail().size() + c.outputs().first().text.size(), total + 5);
    QVERIFY(c.tailRevision() > 0);
}

void tst_code_units::cellBoundsOutputs()
{
    CodeCell c(QStringLiteral("many"));
    CodeEvent r;
    r.type = CodeEvent::Type::Result;
    r.result.text = QStringLiteral("x");
    for (int i = 0; i < CodeCell::kMaxOutputs + 5; ++i)
        c.apply(r);
    QCOMPARE(c.outputs().size(), CodeCell::kMaxOutputs);
    QCOMPARE(c.droppedOutputs(), 5);

    CodeCell big(QStringLiteral("images"));
    CodeEvent image;
    image.type = CodeEvent::Type::Result;
    image.result.png = QByteArray(CodeCell::kMaxResultBytes / 2 + 1, 'p');
    big.apply(image);
    big.apply(image);
    QCOMPARE(big.outputs().size(), 1);
    QCOMPARE(big.droppedOutputs(), 1);
}

void tst_code_units::inputHistory()
{
    CodeInputHistory h;
    QCOMPARE(h.older(QStringLiteral("typing")), std::nullopt);
    QCOMPARE(h.newer(), std::nullopt);
    h.add(QStringLiteral("a = 1"));
    h.add(QStringLiteral("   "));
    h.add(QStringLiteral("b = 2"));
    h.add(QStringLiteral("b = 2"));
    QCOMPARE(h.entries(), (QStringList{QStringLiteral("a = 1"), QStringLiteral("b = 2")}));
    QCOMPARE(h.older(QStringLiteral("draft")), std::optional<QString>(QStringLiteral("b = 2")));
    QCOMPARE(h.older(QStringLiteral("b = 2")), std::optional<QString>(QStringLiteral("a = 1")));
    QCOMPARE(h.older(QStringLiteral("a = 1")), std::nullopt);
    QCOMPARE(h.newer(), std::optional<QString>(QStringLiteral("b = 2")));
    QCOMPARE(h.newer(), std::optional<QString>(QStringLiteral("draft")));
    QCOMPARE(h.newer(), std::nullopt);
    // Running something starts again from the newest, with no draft.
    h.older(QString());
    h.add(QStringLiteral("c"));
    QCOMPARE(h.older(QString()), std::optional<QString>(QStringLiteral("c")));
    QCOMPARE(h.newer(), std::optional<QString>(QString()));
}

// A session whose runner's events come from the test, not an engine: the
// request it sends goes to a server that never answers.
class FedSession
{
public:
    FedSession()
    {
        silent.listen(QHostAddress::LocalHost);
        client.setEndpoint(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())), QString());
        session = new CodeSession(&client, QStringLiteral("sbx_test"), &client);
        view = new CodeHistoryView(session);
        drawn.emplace(view, &CodeHistoryView::cellFinished);
        view->resize(800, 600);
        view->show();
    }
    ~FedSession() { delete view; }
    void feed(const CodeEvent &e) { Q_EMIT session->runner()->eventReceived(e); }
    void end(int count)
    {
        CodeEvent e;
        e.type = CodeEvent::Type::End;
        e.executionCount = count;
        feed(e);
        Q_EMIT session->runner()->finished(QString());
    }
    // Drawn in full after the end (a big cell takes several turns).
    bool waitDrawn() { return QTest::qWaitFor([this] { return drawn->size() > 0; }, 10000); }
    QTcpServer silent;
    EngineClient client;
    CodeSession *session = nullptr;
    CodeHistoryView *view = nullptr;
    std::optional<QSignalSpy> drawn;
};

void tst_code_units::viewDrawsEvents()
{
    FedSession f;
    QVERIFY(f.session->run(QStringLiteral("1/0")));
    CodeCellView *cell = f.view->cellView(0);
    QVERIFY(cell);
    QCOMPARE(cell->promptText(), QStringLiteral("[*]"));
    f.feed(stream(CodeEvent::Type::Stdout, QStringLiteral("before\n")));
    CodeEvent image;
    image.type = CodeEvent::Type::Result;
    image.result.png = tinyPng(300, 120);
    image.result.text = QStringLiteral("<Figure size 300x120>");
    f.feed(image);
    f.feed(error(QStringLiteral("ZeroDivisionError"), QStringLiteral("division by zero"),
                 QStringLiteral("\x1b[0;31m---------\x1b[0m\n\x1b[0;31mZeroDivisionError\x1b[0m: division by zero")));
    f.end(4);
    QVERIFY(f.waitDrawn());
    QCOMPARE(cell->promptText(), QStringLiteral("[4]"));
    const QString text = cell->outputText();
    QVERIFY2(text.startsWith(QStringLiteral("before\n")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("ZeroDivisionError: division by zero\n---------\nZeroDivisionError: division by zero")),
             qPrintable(text));
    QVERIFY2(!text.contains(QChar(0x1b)) && !text.contains(QStringLiteral("[0;31m")), qPrintable(text));
    QCOMPARE(cell->images().size(), 1);
    QCOMPARE(cell->images().first().size(), QSize(300, 120));
    // The error's title and the traceback's coloured name are red.
    QTextDocument *doc = cell->outputView()->document();
    const QTextCursor found = doc->find(QStringLiteral("---------"));
    QVERIFY(!found.isNull());
    QCOMPARE(found.charFormat().foreground().color().rgb() & 0xffffff, AnsiText::paletteColor(1));
    const QTextCursor title = doc->find(QStringLiteral("ZeroDivisionError: division"));
    QVERIFY(!title.isNull());
    QCOMPARE(title.charFormat().fontWeight(), int(QFont::Bold));
    QVERIFY(!cell->factsText().contains(QStringLiteral("Running")));
}

void tst_code_units::viewRedrawsProgressLine()
{
    FedSession f;
    QVERIFY(f.session->run(QStringLiteral("progress")));
    CodeCellView *cell = f.view->cellView(0);
    f.feed(stream(CodeEvent::Type::Stdout, QStringLiteral("start\n 10%")));
    QTRY_COMPARE(cell->outputText(), QStringLiteral("start\n 10%"));
    f.feed(stream(CodeEvent::Type::Stdout, QStringLiteral("\r 50%")));
    QTRY_COMPARE(cell->outputText(), QStringLiteral("start\n 50%"));
    f.feed(stream(CodeEvent::Type::Stdout, QStringLiteral("\r100%\ndone\n")));
    f.feed(stream(CodeEvent::Type::Stderr, QStringLiteral("warn\n")));
    f.end(1);
    QVERIFY(f.waitDrawn());
    QCOMPARE(cell->outputText(), QStringLiteral("start\n100%\ndone\nwarn\n"));
}

void tst_code_units::viewShowsTailPastLimit()
{
    FedSession f;
    QVERIFY(f.session->run(QStringLiteral("flood")));
    CodeCellView *cell = f.view->cellView(0);
    QString chunk;
    for (int i = 0; i < 4096; ++i)
        chunk += QStringLiteral("line %1\n").arg(i, 6, 10, QLatin1Char('0'));
    for (int i = 0; i < 60; ++i)
        f.feed(stream(CodeEvent::Type::Stdout, chunk));
    CodeEvent result;
    result.type = CodeEvent::Type::Result;
    result.result.text = QStringLiteral("RESULT");
    f.feed(result);
    f.feed(stream(CodeEvent::Type::Stdout, QStringLiteral("the very end\n")));
    f.end(2);
    QVERIFY(f.waitDrawn());
    const QString text = cell->outputText();
    QVERIFY2(text.startsWith(QStringLiteral("line 000000\n")), qPrintable(text.left(100)));
    QVERIFY(text.contains(QStringLiteral("characters of output not shown; the latest follow:\n")));
    QVERIFY(text.endsWith(QStringLiteral("line 004095\nthe very end\n")));
    QVERIFY(text.contains(QStringLiteral("RESULT")));
    QVERIFY(text.size() < 1100 * 1024);
    QVERIFY2(cell->factsText().contains(QStringLiteral("not kept")), qPrintable(cell->factsText()));
}

void tst_code_units::viewLoadsNothingFromDisk()
{
    // A file of this machine that HTML or markdown from a sandbox names.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("local.png"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(tinyPng(40, 40));
    }
    FedSession f;
    QVERIFY(f.session->run(QStringLiteral("display")));
    CodeCellView *cell = f.view->cellView(0);
    CodeEvent html;
    html.type = CodeEvent::Type::Result;
    html.result.html = QStringLiteral("<p>see <img src=\"%1\"> <img src=\"file://%1\"></p>").arg(path);
    f.feed(html);
    CodeEvent markdown;
    markdown.type = CodeEvent::Type::Result;
    markdown.result.markdown = QStringLiteral("![x](%1)").arg(path);
    f.feed(markdown);
    CodeEvent huge;
    huge.type = CodeEvent::Type::Result;
    huge.result.html = QStringLiteral("<table>") + QStringLiteral("<tr><td>1</td></tr>").repeated(20000) + QStringLiteral("</table>");
    huge.result.text = QStringLiteral("a table of 20000 rows");
    f.feed(huge);
    f.end(1);
    QVERIFY(f.waitDrawn());
    cell->outputView()->grab(); // paints, so the images are asked for
    QTextDocument *doc = cell->outputView()->document();
    for (const QUrl &url : {QUrl(path), QUrl::fromLocalFile(path)}) {
        const QVariant loaded = doc->resource(QTextDocument::ImageResource, url);
        const QImage shown = loaded.userType() == QMetaType::QPixmap ? loaded.value<QPixmap>().toImage() : loaded.value<QImage>();
        QVERIFY2(shown.size() == QSize(CodeOutputBrowser::kPlaceholderSide, CodeOutputBrowser::kPlaceholderSide),
                 qPrintable(url.toString() + QLatin1Char(' ') + QString::fromLatin1(loaded.typeName())));
    }
    QVERIFY(cell->images().isEmpty());
    const QString text = cell->outputText();
    QVERIFY2(text.contains(QStringLiteral("characters of markup, shown as text]\na table of 20000 rows")), qPrintable(text.right(200)));
}

QTEST_MAIN(tst_code_units)
#include "tst_code_units.moc"
