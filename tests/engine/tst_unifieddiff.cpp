// SPDX-License-Identifier: GPL-3.0-or-later
// Unified diffs of two texts: hunks, context, missing line ends, binaries.
#include "changes/UnifiedDiff.h"

#include <QTest>

class TestUnifiedDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hunks_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<int>("context");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("equal") << QByteArray("a\nb\n") << QByteArray("a\nb\n") << 3 << QByteArray();
        QTest::newRow("from nothing") << QByteArray() << QByteArray("x\ny\n") << 3 << QByteArray("@@ -0,0 +1,2 @@\n+x\n+y\n");
        QTest::newRow("to nothing") << QByteArray("x\n") << QByteArray() << 3 << QByteArray("@@ -1,1 +0,0 @@\n-x\n");
        QTest::newRow("one line changed, context 1")
            << QByteArray("1\n2\n3\n4\n5\n") << QByteArray("1\n2\nthree\n4\n5\n") << 1
            << QByteArray("@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n");
        QTest::newRow("two hunks, far apart")
            << QByteArray("1\n2\n3\n4\n5\n6\n7\n8\n") << QByteArray("one\n2\n3\n4\n5\n6\n7\neight\n") << 1
            << QByteArray("@@ -1,2 +1,2 @@\n-1\n+one\n 2\n@@ -7,2 +7,2 @@\n 7\n-8\n+eight\n");
        QTest::newRow("two changes, one hunk (gap of 2 × context)")
            << QByteArray("1\n2\n3\n4\n") << QByteArray("one\n2\n3\nfour\n") << 1
            << QByteArray("@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n-4\n+four\n");
        QTest::newRow("line end added at the end")
            << QByteArray("a\nb") << QByteArray("a\nb\n") << 3
            << QByteArray("@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
        QTest::newRow("insert in the middle, context 0")
            << QByteArray("a\nc\n") << QByteArray("a\nb\nc\n") << 0 << QByteArray("@@ -1,0 +2,1 @@\n+b\n");
    }

    void hunks()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(int, context);
        QFETCH(QByteArray, expected);
        QCOMPARE(UnifiedDiff::hunks(before, after, context), expected);
    }

    void fileHeaders()
    {
        const QByteArray a("old\n"), b("new\n");
        QCOMPARE(UnifiedDiff::file("/etc/x y", &a, &b, 3), QByteArray("--- a/etc/x y\n+++ b/etc/x y\n@@ -1,1 +1,1 @@\n-old\n+new\n"));
        QCOMPARE(UnifiedDiff::file("/n", nullptr, &b, 3), QByteArray("--- /dev/null\n+++ b/n\n@@ -0,0 +1,1 @@\n+new\n"));
        QCOMPARE(UnifiedDiff::file("/d", &a, nullptr, 3), QByteArray("--- a/d\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old\n"));
        QCOMPARE(UnifiedDiff::file("/same", &a, &a, 3), QByteArray());
    }

    void binary_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("binary");
        QTest::newRow("text") << QByteArray("hello\n") << false;
        QTest::newRow("utf-8") << QByteArray("h\xc3\xa9llo\n") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("nul") << QByteArray("a\0b", 3) << true;
        QTest::newRow("latin-1") << QByteArray("h\xe9llo") << true;
    }

    void binary()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, binary);
        QCOMPARE(UnifiedDiff::isBinary(bytes), binary);
    }

    // Past kMaxEditLines differing lines the edit is all-out, all-in, and
    // still applies: old lines then new ones, counted right.
    void hugeEditStaysCorrect()
    {
        QByteArray a, b;
        for (int i = 0; i < UnifiedDiff::kMaxEditLines + 10; ++i) {
            a += "a" + QByteArray::number(i) + "\n";
            b += "b" + QByteArray::number(i) + "\n";
        }
        const QByteArray d = UnifiedDiff::hunks(a, b, 3);
        const QByteArray header = "@@ -1," + QByteArray::number(UnifiedDiff::kMaxEditLines + 10) + " +1," +
                                  QByteArray::number(UnifiedDiff::kMaxEditLines + 10) + " @@\n";
        QVERIFY(d.startsWith(header));
        QCOMPARE(d.count("\n-"), UnifiedDiff::kMaxEditLines + 10);
    }
};

QTEST_APPLESS_MAIN(TestUnifiedDiff)
#include "tst_unifieddiff.moc"
