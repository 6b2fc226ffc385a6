// SPDX-License-Identifier: GPL-3.0-or-later
// What fuzz/ found in the terminal, as plain cases. libvterm 0.1.4 kept
// scroll margins across a resize and crashed on the next scroll once the top
// margin lay below the smaller screen. A program in a sandbox could kill the
// desktop app with `printf '\e[5;10r'` and a window made smaller. And it
// hung on REP (`\e[b`) before any character was printed, and crashed on a
// wide character in a screen of one column.

#include "TerminalScreen.h"

#include <QTest>

class tst_terminalresize : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void marginsBelowTheNewScreen_data();
    void marginsBelowTheNewScreen();
    void marginsThatFitAreResetToo();
    void repeatBeforeAnyCharacter();
    void wideCharacterOnANarrowScreen();
};

void tst_terminalresize::marginsBelowTheNewScreen_data()
{
    QTest::addColumn<QByteArray>("margins");
    QTest::addColumn<int>("rows");
    QTest::newRow("top and bottom") << QByteArray("\x1b[5;10r") << 4;
    QTest::newRow("top only") << QByteArray("\x1b[20r") << 4;
    QTest::newRow("to two rows") << QByteArray("\x1b[5;10r") << 2;
    QTest::newRow("to one row") << QByteArray("\x1b[2;24r") << 1;
}

void tst_terminalresize::marginsBelowTheNewScreen()
{
    QFETCH(QByteArray, margins);
    QFETCH(int, rows);
    TerminalScreen s(24, 80);
    s.write(margins + "\x1b[" + QByteArray::number(rows) + ";8H");
    const QPoint cursor = s.cursor();
    s.resize(rows, 76);
    // The cursor stays where the program put it.
    QCOMPARE(s.cursor(), cursor);
    s.write("X\r\n\n\n\x1bM\x1b[L\x1b[M\x1b[S\x1b[T"); // every way to scroll, each one crashed before
    // And the screen still works.
    s.write("\x1b[2J\x1b[HY");
    QCOMPARE(s.lineText(0), QStringLiteral("Y"));
}

void tst_terminalresize::marginsThatFitAreResetToo()
{
    // As xterm does: after a resize the whole screen scrolls.
    TerminalScreen s(24, 80);
    s.write("\x1b[2;5r\x1b[24;1Hlast");
    s.resize(20, 80);
    s.write("\x1b[20;1Hbottom\r\nnew");
    QCOMPARE(s.lineText(18), QStringLiteral("bottom"));
    QCOMPARE(s.lineText(19), QStringLiteral("new"));
}

void tst_terminalresize::repeatBeforeAnyCharacter()
{
    // REP with nothing printed yet hung libvterm 0.1.4 (and the app) for good.
    TerminalScreen s(24, 80);
    s.write("\x1b[1;31m\x1b[3b\x1b[;;b\x1b[b");
    s.write("ab\x1b[3b");
    // Once something was printed, REP repeats it as before.
    QCOMPARE(s.lineText(0), QStringLiteral("abbbb"));
}

void tst_terminalresize::wideCharacterOnANarrowScreen()
{
    // libvterm crashed on a wide character in a screen of one column.
    TerminalScreen s(3, 1);
    QCOMPARE(s.cols(), TerminalScreen::kMinCols);
    s.write("\xe4\xb8\xad\xcc\x81 \xf0\x9f\x98\x80\r\n");
    s.resize(3, 1);
    QCOMPARE(s.cols(), TerminalScreen::kMinCols);
    s.write("\xe4\xb8\xad\xe4\xb8\xad\r\n");
    QCOMPARE(s.lineText(1), QString::fromUtf8("\xe4\xb8\xad"));
}

QTEST_GUILESS_MAIN(tst_terminalresize)
#include "tst_terminalresize.moc"
