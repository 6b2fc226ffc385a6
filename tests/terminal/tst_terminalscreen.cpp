// SPDX-License-Identifier: GPL-3.0-or-later
// Conformance of TerminalScreen: recorded byte streams in, cell grids out.

#include "TerminalScreen.h"

#include <QSignalSpy>
#include <QTest>

namespace {

QStringList screenLines(const TerminalScreen &s)
{
    QStringList lines;
    for (int r = 0; r < s.rows(); ++r)
        lines << s.lineText(r);
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

class tst_TerminalScreen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void grid_data();
    void grid();
    void attributes_data();
    void attributes();
    void wideCharacters();
    void alternateScreen();
    void scrollbackBound_data();
    void scrollbackBound();
    void title();
    void resizeKeepsHistory();
    void insertAfterShrinkPastText();
    void widePoppedIntoLastColumn();
    void restoredCursorStaysOnScreen();
    void cursorShapes_data();
    void cursorShapes();
    void keys_data();
    void keys();
    void paste_data();
    void paste();
    void answersQueries();
    void damageCoalesces();
    void selectionText();
    void jumpScrollIsExact_data();
    void jumpScrollIsExact();
    void feedSlices();
    void csiGuard_data();
    void csiGuard();
    void hostileInput_data();
    void hostileInput();
};

void tst_TerminalScreen::grid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<QPoint>("cursor");

    QTest::newRow("empty") << QByteArray() << 5 << 10 << QStringList() << QPoint(0, 0);
    QTest::newRow("plain text") << QByteArray("hello") << 5 << 10 << QStringList{"hello"} << QPoint(5, 0);
    QTest::newRow("crlf") << QByteArray("ab\r\ncd") << 5 << 10 << QStringList{"ab", "cd"} << QPoint(2, 1);
    QTest::newRow("lf keeps column") << QByteArray("ab\ncd") << 5 << 10 << QStringList{"ab", "  cd"} << QPoint(4, 1);
    QTest::newRow("autowrap") << QByteArray("0123456789ab") << 5 << 10 << QStringList{"0123456789", "ab"}
                              << QPoint(2, 1);
    QTest::newRow("cursor position CUP") << QByteArray("\x1b[3;4Hx") << 5 << 10 << QStringList{"", "", "   x"}
                                         << QPoint(4, 2);
    QTest::newRow("cursor up/forward") << QByteArray("\x1b[5;1Habc\x1b[2A\x1b[3Cz") << 5 << 10
                                       << QStringList{"", "", "      z", "", "abc"} << QPoint(7, 2);
    QTest::newRow("backspace overwrite") << QByteArray("abc\b\bX") << 3 << 10 << QStringList{"aXc"} << QPoint(2, 0);
    QTest::newRow("tab stops") << QByteArray("a\tb") << 3 << 20 << QStringList{"a       b"} << QPoint(9, 0);
    QTest::newRow("erase line right") << QByteArray("abcdef\x1b[4G\x1b[K") << 3 << 10 << QStringList{"abc"}
                                      << QPoint(3, 0);
    QTest::newRow("erase display") << QByteArray("one\r\ntwo\x1b[2J") << 3 << 10 << QStringList() << QPoint(3, 1);
    QTest::newRow("scroll at bottom") << QByteArray("1\r\n2\r\n3\r\n4") << 3 << 10 << QStringList{"2", "3", "4"}
                                      << QPoint(1, 2);
    // DECSTBM 2..3: the first and last rows stay put while the region scrolls.
    QTest::newRow("scroll region") << QByteArray("top\x1b[4;1Hbottom\x1b[2;3r\x1b[2;1Ha\r\nb\r\nc") << 4 << 10
                                   << QStringList{"top", "b", "c", "bottom"} << QPoint(1, 2);
    QTest::newRow("reverse index in region") << QByteArray("\x1b[1;1Hx\x1b[2;1Hy\x1b[2;3r\x1b[2;1H\x1bMz") << 4 << 10
                                             << QStringList{"x", "z", "y"} << QPoint(1, 1);
    QTest::newRow("insert line") << QByteArray("a\r\nb\x1b[1;1H\x1b[L") << 3 << 10 << QStringList{"", "a", "b"}
                                 << QPoint(0, 0);
    QTest::newRow("delete chars") << QByteArray("abcdef\x1b[1;2H\x1b[2P") << 3 << 10 << QStringList{"adef"}
                                  << QPoint(1, 0);
    QTest::newRow("utf-8 split across writes is the same stream") << QByteArray("caf\xc3\xa9") << 3 << 10
                                                                  << QStringList{QStringLiteral("café")} << QPoint(4, 0);
    QTest::newRow("combining mark") << QByteArray("e\xcc\x81x") << 3 << 10 << QStringList{QStringLiteral("e\u0301x")}
                                    << QPoint(2, 0);
    QTest::newRow("save/restore cursor") << QByteArray("ab\x1b" "7\x1b[3;3Hc\x1b" "8d") << 3 << 10
                                         << QStringList{"abd", "", "  c"} << QPoint(3, 0);
}

void tst_TerminalScreen::grid()
{
    QFETCH(QByteArray, input);
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(QStringList, lines);
    QFETCH(QPoint, cursor);
    // Feed byte by byte too: a PTY may cut a sequence anywhere.
    for (const bool bytewise : {false, true}) {
        TerminalScreen s(rows, cols);
        if (bytewise) {
            for (char c : input)
                s.write(QByteArray(1, c));
        } else {
            s.write(input);
        }
        QCOMPARE(screenLines(s), lines);
        QCOMPARE(s.cursor(), cursor);
    }
}

void tst_TerminalScreen::attributes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expect"); // a compact description of cell (0, 0)

    QTest::newRow("plain") << QByteArray("x") << "fg=default bg=default";
    QTest::newRow("16 colours") << QByteArray("\x1b[31;42mx") << "fg=i1 bg=i2";
    QTest::newRow("bright colours") << QByteArray("\x1b[93;104mx") << "fg=i11 bg=i12";
    QTest::newRow("256 colours") << QByteArray("\x1b[38;5;196;48;5;236mx") << "fg=i196 bg=i236";
    QTest::newRow("true colour") << QByteArray("\x1b[38;2;10;20;30;48;2;200;100;50mx") << "fg=#0a141e bg=#c86432";
    QTest::newRow("true colour, colon form") << QByteArray("\x1b[38:2:1:2:3mx") << "fg=#010203 bg=default";
    QTest::newRow("bold") << QByteArray("\x1b[1mx") << "fg=default bg=default bold";
    QTest::newRow("italic") << QByteArray("\x1b[3mx") << "fg=default bg=default italic";
    QTest::newRow("underline") << QByteArray("\x1b[4mx") << "fg=default bg=default underline=1";
    QTest::newRow("double underline") << QByteArray("\x1b[21mx") << "fg=default bg=default underline=2";
    QTest::newRow("inverse") << QByteArray("\x1b[7mx") << "fg=default bg=default reverse";
    QTest::newRow("strike") << QByteArray("\x1b[9mx") << "fg=default bg=default strike";
    QTest::newRow("all, then reset") << QByteArray("\x1b[1;3;4;7;31mx\x1b[0m\r\x1b[Cy\r") << "fg=i1 bg=default bold italic reverse underline=1";
    QTest::newRow("reset clears") << QByteArray("\x1b[1;31m\x1b[mx") << "fg=default bg=default";
    QTest::newRow("default fg after colour") << QByteArray("\x1b[31m\x1b[39mx") << "fg=default bg=default";
}

void tst_TerminalScreen::attributes()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expect);
    TerminalScreen s(3, 10);
    s.write(input);
    const TerminalCell c = s.cell(0, 0);
    auto colour = [](const TerminalColor &col) {
        switch (col.kind) {
        case TerminalColor::Default:
            return QStringLiteral("default");
        case TerminalColor::Indexed:
            return QStringLiteral("i%1").arg(col.index);
        case TerminalColor::Rgb:
            return QColor::fromRgb(col.rgb).name();
        }
        return QString();
    };
    QString got = QStringLiteral("fg=%1 bg=%2").arg(colour(c.fg), colour(c.bg));
    if (c.bold)
        got += QStringLiteral(" bold");
    if (c.italic)
        got += QStringLiteral(" italic");
    if (c.reverse)
        got += QStringLiteral(" reverse");
    if (c.strike)
        got += QStringLiteral(" strike");
    if (c.underline)
        got += QStringLiteral(" underline=%1").arg(c.underline);
    QCOMPARE(got, expect);
    QCOMPARE(c.text(), QStringLiteral("x"));
}

void tst_TerminalScreen::wideCharacters()
{
    TerminalScreen s(3, 10);
    // A CJK character and an emoji take two cells each; the cursor follows.
    s.write("a\xe4\xb8\xad" "b\xf0\x9f\x98\x80" "c");
    QCOMPARE(s.lineText(0), QStringLiteral("a中b😀c"));
    QCOMPARE(s.cursor(), QPoint(7, 0));
    QCOMPARE(s.cell(0, 1).width, qint8(2));
    QCOMPARE(s.cell(0, 1).text(), QStringLiteral("中"));
    QCOMPARE(s.cell(0, 2).width, qint8(0));
    QCOMPARE(s.cell(0, 4).text(), QStringLiteral("😀"));
    QCOMPARE(s.cell(0, 4).width, qint8(2));
    QCOMPARE(s.cell(0, 6).text(), QStringLiteral("c"));
    // A wide character that does not fit at the end of a line wraps whole.
    TerminalScreen narrow(3, 4);
    narrow.write("abc\xe4\xb8\xad");
    QCOMPARE(narrow.lineText(0), QStringLiteral("abc"));
    QCOMPARE(narrow.lineText(1), QStringLiteral("中"));
}

void tst_TerminalScreen::alternateScreen()
{
    TerminalScreen s(3, 20);
    QSignalSpy alt(&s, &TerminalScreen::altScreenChanged);
    s.write("shell$ ls\r\n");
    s.write("\x1b[?1049h\x1b[H\x1b[2Jfull screen");
    QVERIFY(s.altScreen());
    QCOMPARE(screenLines(s), QStringList{"full screen"});
    // Output in the alternate screen never reaches the scrollback.
    for (int i = 0; i < 10; ++i)
        s.write("\r\nline");
    QCOMPARE(s.scrollbackLines(), 0);
    s.write("\x1b[?1049l");
    QVERIFY(!s.altScreen());
    QCOMPARE(screenLines(s), QStringList{"shell$ ls"});
    QCOMPARE(s.cursor(), QPoint(0, 1));
    QCOMPARE(alt.count(), 2);
    // The 1047 form (no cursor save) works too.
    s.write("\x1b[?1047hX");
    QVERIFY(s.altScreen());
    s.write("\x1b[?1047l");
    QVERIFY(!s.altScreen());
}

void tst_TerminalScreen::scrollbackBound_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("lines");
    QTest::addColumn<int>("kept");
    QTest::newRow("under the limit") << 100 << 10 << 7; // 3 lines stay on the screen
    QTest::newRow("at the limit") << 5 << 8 << 5;
    QTest::newRow("far over") << 50 << 5000 << 50;
    QTest::newRow("disabled") << 0 << 100 << 0;
}

void tst_TerminalScreen::scrollbackBound()
{
    QFETCH(int, limit);
    QFETCH(int, lines);
    QFETCH(int, kept);
    TerminalScreen s(3, 20);
    s.setScrollbackLimit(limit);
    QByteArray in;
    for (int i = 1; i <= lines; ++i)
        in += "line " + QByteArray::number(i) + (i < lines ? "\r\n" : "");
    s.write(in);
    QCOMPARE(s.scrollbackLines(), kept);
    QCOMPARE(s.lineText(2), QStringLiteral("line %1").arg(lines));
    if (kept > 0) {
        // -1 is the newest history line, -kept the oldest one still kept.
        QCOMPARE(s.lineText(-1), QStringLiteral("line %1").arg(lines - 3));
        QCOMPARE(s.lineText(-kept), QStringLiteral("line %1").arg(lines - 2 - kept));
    }
    QCOMPARE(s.lineText(-kept - 1), QString());
    // Lowering the limit drops the oldest lines.
    s.setScrollbackLimit(kept / 2);
    QCOMPARE(s.scrollbackLines(), kept / 2);
}

void tst_TerminalScreen::title()
{
    TerminalScreen s;
    QSignalSpy spy(&s, &TerminalScreen::titleChanged);
    s.write("\x1b]0;first title\x07");
    QCOMPARE(s.title(), QStringLiteral("first title"));
    s.write("\x1b]2;caf\xc3\xa9 \xe2\x80\x94 vim\x1b\\");
    QCOMPARE(s.title(), QStringLiteral("café — vim"));
    QCOMPARE(spy.count(), 2);
    QCOMPARE(spy.last().first().toString(), QStringLiteral("café — vim"));
}

void tst_TerminalScreen::resizeKeepsHistory()
{
    TerminalScreen s(4, 10);
    s.write("1\r\n2\r\n3\r\n4\r\n5\r\n6");
    QCOMPARE(s.scrollbackLines(), 2);
    QCOMPARE(screenLines(s), (QStringList{"3", "4", "5", "6"}));
    // Taller: lines come back from the scrollback.
    s.resize(6, 10);
    QCOMPARE(s.rows(), 6);
    QCOMPARE(s.scrollbackLines(), 0);
    QCOMPARE(screenLines(s), (QStringList{"1", "2", "3", "4", "5", "6"}));
    QCOMPARE(s.cursor(), QPoint(1, 5));
    // Shorter: the top lines go into the scrollback, the cursor line stays.
    s.resize(2, 10);
    QCOMPARE(screenLines(s), (QStringList{"5", "6"}));
    QCOMPARE(s.scrollbackLines(), 4);
    QCOMPARE(s.lineText(-1), QStringLiteral("4"));
    // Narrower, then wider: libvterm keeps cells beyond the new width out of sight.
    s.resize(2, 5);
    QCOMPARE(s.cols(), 5);
    s.write("\x1b[2;1H123456");
    QCOMPARE(s.lineText(0), QStringLiteral("12345"));
    QCOMPARE(s.lineText(1), QStringLiteral("6"));
    // Wide characters survive the trip through the scrollback.
    TerminalScreen w(2, 10);
    w.write("\xe4\xb8\xad\xe6\x96\x87\r\nx\r\ny");
    QCOMPARE(w.lineText(-1), QStringLiteral("中文"));
    w.resize(3, 10);
    QCOMPARE(w.lineText(0), QStringLiteral("中文"));
    QCOMPARE(w.cell(0, 2).text(), QStringLiteral("文"));
    QCOMPARE(w.cell(0, 2).width, qint8(2));
}

void tst_TerminalScreen::cursorShapes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("shape");
    QTest::addColumn<bool>("visible");
    QTest::newRow("default") << QByteArray() << int(TerminalScreen::CursorShape::Block) << true;
    QTest::newRow("underline DECSCUSR 4") << QByteArray("\x1b[4 q") << int(TerminalScreen::CursorShape::Underline) << true;
    QTest::newRow("bar DECSCUSR 6") << QByteArray("\x1b[6 q") << int(TerminalScreen::CursorShape::Bar) << true;
    QTest::newRow("block DECSCUSR 2") << QByteArray("\x1b[6 q\x1b[2 q") << int(TerminalScreen::CursorShape::Block) << true;
    QTest::newRow("hidden DECTCEM") << QByteArray("\x1b[?25l") << int(TerminalScreen::CursorShape::Block) << false;
    QTest::newRow("shown again") << QByteArray("\x1b[?25l\x1b[?25h") << int(TerminalScreen::CursorShape::Block) << true;
}

void tst_TerminalScreen::cursorShapes()
{
    QFETCH(QByteArray, input);
    QFETCH(int, shape);
    QFETCH(bool, visible);
    TerminalScreen s;
    s.write(input);
    QCOMPARE(int(s.cursorShape()), shape);
    QCOMPARE(s.cursorVisible(), visible);
}

void tst_TerminalScreen::keys_data()
{
    QTest::addColumn<QByteArray>("setup");
    QTest::addColumn<int>("key"); // -1: send `text` instead
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("mods");
    QTest::addColumn<QByteArray>("expected");

    const int none = Qt::NoModifier;
    QTest::newRow("letter") << QByteArray() << -1 << "a" << none << QByteArray("a");
    QTest::newRow("utf-8 text") << QByteArray() << -1 << QStringLiteral("é😀") << none << QByteArray("\xc3\xa9\xf0\x9f\x98\x80");
    QTest::newRow("ctrl+c") << QByteArray() << -1 << "c" << int(Qt::ControlModifier) << QByteArray("\x03");
    QTest::newRow("alt+x") << QByteArray() << -1 << "x" << int(Qt::AltModifier) << QByteArray("\x1bx");
    QTest::newRow("enter") << QByteArray() << int(TerminalScreen::Key::Enter) << "" << none << QByteArray("\r");
    QTest::newRow("backspace") << QByteArray() << int(TerminalScreen::Key::Backspace) << "" << none << QByteArray("\x7f");
    QTest::newRow("tab") << QByteArray() << int(TerminalScreen::Key::Tab) << "" << none << QByteArray("\t");
    QTest::newRow("shift+tab") << QByteArray() << int(TerminalScreen::Key::Tab) << "" << int(Qt::ShiftModifier)
                               << QByteArray("\x1b[Z");
    QTest::newRow("up, normal mode") << QByteArray() << int(TerminalScreen::Key::Up) << "" << none << QByteArray("\x1b[A");
    // Programs such as less and vim switch the cursor keys to application mode.
    QTest::newRow("up, application mode") << QByteArray("\x1b[?1h") << int(TerminalScreen::Key::Up) << "" << none
                                          << QByteArray("\x1bOA");
    QTest::newRow("ctrl+right") << QByteArray() << int(TerminalScreen::Key::Right) << "" << int(Qt::ControlModifier)
                                << QByteArray("\x1b[1;5C");
    QTest::newRow("page down") << QByteArray() << int(TerminalScreen::Key::PageDown) << "" << none << QByteArray("\x1b[6~");
    QTest::newRow("delete") << QByteArray() << int(TerminalScreen::Key::Delete) << "" << none << QByteArray("\x1b[3~");
}

void tst_TerminalScreen::keys()
{
    QFETCH(QByteArray, setup);
    QFETCH(int, key);
    QFETCH(QString, text);
    QFETCH(int, mods);
    QFETCH(QByteArray, expected);
    TerminalScreen s;
    s.write(setup);
    QByteArray out;
    connect(&s, &TerminalScreen::outputReady, this, [&out](const QByteArray &b) { out += b; });
    if (key < 0)
        s.sendText(text, Qt::KeyboardModifiers(mods));
    else
        s.sendKey(TerminalScreen::Key(key), Qt::KeyboardModifiers(mods));
    QCOMPARE(out, expected);
}

void tst_TerminalScreen::paste_data()
{
    QTest::addColumn<QByteArray>("setup");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray() << "ls -l\nwc\r\n" << QByteArray("ls -l\rwc\r");
    QTest::newRow("bracketed") << QByteArray("\x1b[?2004h") << "a\nb" << QByteArray("\x1b[200~a\rb\x1b[201~");
    QTest::newRow("bracketed, hostile end marker") << QByteArray("\x1b[?2004h") << "x\x1b[201~rm -rf ~\n"
                                                   << QByteArray("\x1b[200~xrm -rf ~\r\x1b[201~");
    QTest::newRow("bracketed then off") << QByteArray("\x1b[?2004h\x1b[?2004l") << "a" << QByteArray("a");
}

void tst_TerminalScreen::paste()
{
    QFETCH(QByteArray, setup);
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);
    TerminalScreen s;
    s.write(setup);
    QCOMPARE(s.bracketedPaste(), setup.endsWith("2004h"));
    QByteArray out;
    connect(&s, &TerminalScreen::outputReady, this, [&out](const QByteArray &b) { out += b; });
    s.paste(text);
    QCOMPARE(out, expected);
}

void tst_TerminalScreen::answersQueries()
{
    // A program asking where the cursor is gets the answer on the output.
    TerminalScreen s(10, 20);
    QByteArray out;
    connect(&s, &TerminalScreen::outputReady, this, [&out](const QByteArray &b) { out += b; });
    s.write("\x1b[4;7H\x1b[6n");
    QCOMPARE(out, QByteArray("\x1b[4;7R"));
}

void tst_TerminalScreen::damageCoalesces()
{
    TerminalScreen s(5, 10);
    s.takeDamage();
    QSignalSpy spy(&s, &TerminalScreen::damaged);
    s.write("a");
    s.write("b");
    s.write("\x1b[3;1Hc");
    // One signal until the damage is taken: a view paints once per frame.
    QCOMPARE(spy.count(), 1);
    const QRect d = s.takeDamage();
    QVERIFY(d.contains(0, 0));
    QVERIFY(d.contains(0, 2));
    QVERIFY(!s.hasDamage());
    s.write("d");
    QCOMPARE(spy.count(), 2);
}

void tst_TerminalScreen::selectionText()
{
    TerminalScreen s(3, 10);
    s.setScrollbackLimit(10);
    s.write("old\r\nfirst line\r\nsecond\r\nthird");
    QCOMPARE(s.scrollbackLines(), 1);
    QCOMPARE(s.text(-1, 0, 1, 2), QStringLiteral("old\nfirst line\nsec"));
    QCOMPARE(s.text(1, 2, 0, 6), QStringLiteral("line\nsec")); // reversed ends
    QCOMPARE(s.text(2, 1, 2, 3), QStringLiteral("hir"));
}

void tst_TerminalScreen::jumpScrollIsExact_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("limit");
    auto lines = [](int from, int to, const QByteArray &prefix = {}) {
        QByteArray out;
        for (int i = from; i <= to; ++i)
            out += prefix + QByteArray::number(i) + "\r\n";
        return out;
    };
    QTest::newRow("numbered lines after a prompt") << ("$ seq 500\r\n" + lines(1, 500)) << 1000;
    QTest::newRow("scrollback smaller than the run") << ("$ x\r\n" + lines(1, 500)) << 50;
    QTest::newRow("coloured pen") << ("\x1b[1;31;44m" + lines(1, 300, "  spaced  ") + "\x1b[0mend") << 1000;
    QTest::newRow("true colour background") << ("\x1b[48;2;1;2;3m" + lines(1, 200) + "\x1b[m") << 1000;
    QTest::newRow("wrapping and exact-width lines")
        << (lines(1, 100, QByteArray(150, 'w')) + lines(1, 100, QByteArray(76, 'e')) + lines(1, 60, QByteArray(80, 'x'))
            + QByteArray("\r\n\r\n\r\n") + lines(1, 100))
        << 2000;
    QTest::newRow("cursor not at the bottom") << ("\x1b[H" + lines(1, 200)) << 1000;
    QTest::newRow("scroll region") << ("\x1b[5;20r\x1b[20;1H" + lines(1, 300) + "\x1b[r") << 1000;
    QTest::newRow("alternate screen") << ("\x1b[?1049h" + lines(1, 300) + "\x1b[?1049l" + lines(1, 100)) << 1000;
    QTest::newRow("no autowrap") << ("\x1b[?7l" + lines(1, 100, QByteArray(100, 'n')) + "\x1b[?7h") << 1000;
    QTest::newRow("line drawing charset") << ("\x1b(0" + lines(1, 100, "lqqk") + "\x1b(B" + lines(1, 100)) << 1000;
    QTest::newRow("tabs and utf-8 fall back") << (lines(1, 100, "a\tb ") + lines(1, 100, "\xc3\xa9")) << 1000;
    QTest::newRow("bottom row not blank") << ("\x1b[24;1Hxyz\r" + lines(1, 100)) << 1000;
}

void tst_TerminalScreen::jumpScrollIsExact()
{
    // The shortcut must give exactly what libvterm gives line by line.
    QFETCH(QByteArray, input);
    QFETCH(int, limit);
    TerminalScreen fast(24, 80);
    TerminalScreen exact(24, 80);
    fast.setScrollbackLimit(limit);
    exact.setScrollbackLimit(limit);
    exact.setJumpScroll(false);
    fast.write(input);
    for (qsizetype at = 0; at < input.size(); at += 5)
        exact.write(input.mid(at, 5));
    QCOMPARE(fast.scrollbackLines(), exact.scrollbackLines());
    QCOMPARE(fast.linesPushed(), exact.linesPushed());
    QCOMPARE(fast.cursor(), exact.cursor());
    for (int row = -exact.scrollbackLines(); row < exact.rows(); ++row) {
        for (int col = 0; col < exact.cols(); ++col) {
            const TerminalCell a = fast.cell(row, col);
            const TerminalCell b = exact.cell(row, col);
            QVERIFY2(a.text() == b.text() && a.width == b.width && a.sameStyle(b),
                     qPrintable(QStringLiteral("row %1 col %2: '%3' vs '%4' (%5 / %6)")
                                    .arg(row)
                                    .arg(col)
                                    .arg(a.text(), b.text(), fast.lineText(row), exact.lineText(row))));
        }
    }
}

void tst_TerminalScreen::feedSlices()
{
    // feed() writes later, in slices, and keeps the order.
    TerminalScreen s(5, 20);
    QByteArray big;
    for (int i = 1; i <= 20000; ++i)
        big += "line " + QByteArray::number(i) + "\r\n";
    s.feed("first\r\n");
    s.feed(big);
    s.feed("last");
    QVERIFY(s.backlog() > 0);
    QCOMPARE(s.lineText(0), QString());
    QTRY_COMPARE(s.backlog(), qsizetype(0));
    QCOMPARE(s.lineText(3), QStringLiteral("line 20000"));
    QCOMPARE(s.lineText(4), QStringLiteral("last"));
    QCOMPARE(s.linesPushed(), quint64(20002 - 5)); // "first", 20000 lines, "last" on 5 rows
}

void tst_TerminalScreen::csiGuard_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray sep15(15, ';');
    QTest::newRow("text") << QByteArray("plain text") << QByteArray("plain text");
    QTest::newRow("ordinary sequence") << QByteArray("\x1b[1;31mx") << QByteArray("\x1b[1;31mx");
    QTest::newRow("16 arguments kept") << ("\x1b[" + sep15 + "m") << ("\x1b[" + sep15 + "m");
    QTest::newRow("17th argument dropped") << ("\x1b[" + sep15 + ";5mx") << ("\x1b[" + sep15 + "mx");
    QTest::newRow("sub-parameters count") << QByteArray("\x1b[38:2:" + QByteArray(20, ':') + "m")
                                          << QByteArray("\x1b[38:2:" + QByteArray(13, ':') + "m");
    QTest::newRow("next sequence starts afresh") << ("\x1b[" + sep15 + ";;H\x1b[1;2H")
                                                 << ("\x1b[" + sep15 + "H\x1b[1;2H");
    QTest::newRow("osc untouched") << ("\x1b]0;" + QByteArray(30, ';') + "\x07") << ("\x1b]0;" + QByteArray(30, ';') + "\x07");
    QTest::newRow("cancelled sequence") << ("\x1b[;;\x18" + QByteArray(20, ';')) << ("\x1b[;;\x18" + QByteArray(20, ';'));
    // libvterm starts a sequence at '[' after ESC and intermediates too.
    QTest::newRow("after ESC and an intermediate") << ("\x1b-[" + sep15 + ";5m") << ("\x1b-[" + sep15 + "m");
    QTest::newRow("after ESC (") << ("\x1b([" + sep15 + ";5m") << ("\x1b([" + sep15 + "m");
    QTest::newRow("after two intermediates") << ("\x1b #[" + sep15 + ";5m") << ("\x1b #[" + sep15 + "m");
    QTest::newRow("a charset is no sequence") << ("\x1b(B[" + sep15 + ";5m") << ("\x1b(B[" + sep15 + ";5m");
    // C0 controls and bytes above 0x7f do not end an escape in libvterm.
    QTest::newRow("controls inside an escape") << (QByteArray("\x1b\0\x12[", 4) + sep15 + ";5m")
                                               << (QByteArray("\x1b\0\x12[", 4) + sep15 + "m");
    QTest::newRow("high byte inside an escape") << ("\x1b\x95[" + sep15 + ";5m") << ("\x1b\x95[" + sep15 + "m");
    QTest::newRow("a string is no sequence") << ("\x1bP" + sep15 + ";;;\x1b\\") << ("\x1bP" + sep15 + ";;;\x1b\\");
    // REP is carried out by the guard: libvterm gets the character again.
    QTest::newRow("repeat") << QByteArray("ab\x1b[3b") << QByteArray("ab\x1b[3ybbb");
    QTest::newRow("repeat once by default") << QByteArray("a\x1b[b") << QByteArray("a\x1b[ya");
    QTest::newRow("repeat a character with its mark") << QByteArray("e\xcc\x81\x1b[2b")
                                                      << QByteArray("e\xcc\x81\x1b[2ye\xcc\x81" "e\xcc\x81");
    QTest::newRow("repeat a wide character") << QByteArray("\xe4\xb8\xad\x1b[2b")
                                             << QByteArray("\xe4\xb8\xad\x1b[2y\xe4\xb8\xad\xe4\xb8\xad");
    QTest::newRow("repeat with nothing printed") << QByteArray("\x1b[5b") << QByteArray("\x1b[5y");
    QTest::newRow("repeat after a string only") << QByteArray("\x1bPq\x1b\\\x1b[b") << QByteArray("\x1bPq\x1b\\\x1b[y");
    QTest::newRow("repeat at most a row") << QByteArray("x\x1b[999999b") << (QByteArray("x\x1b[999999y") + QByteArray(80, 'x'));
    QTest::newRow("a private b is no repeat") << QByteArray("a\x1b[?2b") << QByteArray("a\x1b[?2b");
    // A restored cursor is brought into the screen (DSR 0 does only that).
    QTest::newRow("DECRC") << QByteArray("\x1b" "8x") << QByteArray("\x1b" "8\x1b[0nx");
    QTest::newRow("SCORC") << QByteArray("\x1b[u") << QByteArray("\x1b[u\x1b[0n");
    QTest::newRow("leaving the alternate screen") << QByteArray("\x1b[?1049l") << QByteArray("\x1b[?1049l\x1b[0n");
    QTest::newRow("DECSC untouched") << QByteArray("\x1b" "7\x1b[s") << QByteArray("\x1b" "7\x1b[s");
    // A C1 control written as text has a width of -1 in libvterm.
    QTest::newRow("C1 as text") << QByteArray("a\xc2\x85" "b\xc2\xa0") << QByteArray("a\xc2\xbf" "b\xc2\xa0");
}

void tst_TerminalScreen::csiGuard()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    CsiGuard whole;
    QCOMPARE(whole.filter(input), expected);
    CsiGuard bytewise;
    QByteArray out;
    for (char c : input)
        out += bytewise.filter(QByteArray(1, c));
    QCOMPARE(out, expected);
}

void tst_TerminalScreen::insertAfterShrinkPastText()
{
    // Text below the new last row pushes the screen up by a row on this
    // shrink; libvterm 0.1.4 moved the cursor, on the top row, above the
    // screen with it, and the next character in insert mode crashed the app
    // (fuzz/crashes/terminal_screen/insert-after-shrink-above-screen).
    TerminalScreen s(25, 81);
    s.write("\x1b[4h\n\nh\x1b[H");
    s.resize(2, 76);
    QCOMPARE(s.cursor(), QPoint(0, 0));
    s.write("q");
    QCOMPARE(s.cursor(), QPoint(1, 0));
    QVERIFY2(s.lineText(0).startsWith(QLatin1Char('q')), qPrintable(s.lineText(0)));
}

void tst_TerminalScreen::widePoppedIntoLastColumn()
{
    // A line with a wide character in its last two columns goes to the
    // scrollback; a resize to more rows and fewer columns brings it back
    // with that character in the last column, where it does not fit.
    TerminalScreen s(2, 4);
    s.write("ab\xe4\xb8\xad\r\nx\r\ny");
    QCOMPARE(s.scrollbackLines(), 1);
    s.resize(3, 3);
    QCOMPARE(s.scrollbackLines(), 0);
    QCOMPARE(s.lineText(0), QStringLiteral("ab"));
    QCOMPARE(s.lineText(2), QStringLiteral("y"));
}

void tst_TerminalScreen::restoredCursorStaysOnScreen()
{
    // Saved on row 20, restored after a shrink to 5 rows: libvterm 0.1.4
    // would put it on row 20 and write there.
    TerminalScreen s(25, 10);
    s.write("\x1b[21;3H\x1b" "7");
    s.resize(5, 10);
    s.write("\x1b" "8\x1b[4hz");
    QVERIFY2(s.cursor().y() < s.rows(), qPrintable(QStringLiteral("row %1").arg(s.cursor().y())));
    QVERIFY(s.lineText(s.cursor().y()).contains(QLatin1Char('z')));
}

void tst_TerminalScreen::hostileInput_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xfe\xc3(\xe2\x28\xa1");
    QTest::newRow("huge CUP") << QByteArray("\x1b[99999;99999Hx");
    QTest::newRow("huge repeat") << QByteArray("x\x1b[999999999b");
    // A string's bytes are not printed: libvterm 0.1.4 hangs on a REP with
    // nothing to repeat.
    QTest::newRow("repeat after a DCS string") << QByteArray("\x1bP+q\x1b\\\x1b[b");
    QTest::newRow("repeat after an OSC string") << QByteArray("\x1b]0;title\x07\x1b[5b");
    QTest::newRow("repeat in an escape with controls") << QByteArray("\x1b\0\0\x12[6b", 7);
    QTest::newRow("endless OSC") << (QByteArray("\x1b]0;") + QByteArray(100000, 'a'));
    // libvterm 0.3 writes past its argument array from the 17th argument
    // on: TerminalScreen must cut such sequences before libvterm sees them.
    QTest::newRow("many params") << (QByteArray("\x1b[") + QByteArray(5000, ';') + "m");
    QTest::newRow("17 params") << QByteArray("\x1b[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1H");
    QTest::newRow("17 sub-params") << QByteArray("\x1b[38:2:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1m");
    QTest::newRow("params split across writes") << (QByteArray("\x1b[") + QByteArray(10, ';') + "\x1b[" + QByteArray(40, ';') + "H");
    QTest::newRow("overflowing number") << QByteArray("\x1b[99999999999999999999999999999999;1H");
    QTest::newRow("scroll region inverted") << QByteArray("\x1b[5;2r\r\n\r\n\r\n");
    QByteArray noise;
    for (int i = 0; i < 20000; ++i)
        noise += char((i * 7919 + 13) % 256);
    QTest::newRow("pseudo-random bytes") << noise;
}

void tst_TerminalScreen::hostileInput()
{
    QFETCH(QByteArray, input);
    TerminalScreen s(5, 10);
    s.write(input);
    s.resize(3, 4);
    for (qsizetype at = 0; at < input.size(); at += 7)
        s.write(input.mid(at, 7));
    QVERIFY(s.cursor().x() >= 0 && s.cursor().x() <= s.cols());
    QVERIFY(s.cursor().y() >= 0 && s.cursor().y() < s.rows());
    s.write("\x1b[0m\x1b[!p\x1b[2J\x1b[Hok");
    QCOMPARE(s.lineText(0), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(tst_TerminalScreen)
#include "tst_terminalscreen.moc"
