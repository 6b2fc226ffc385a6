// SPDX-License-Identifier: GPL-3.0-or-later
// AgentFrame: the engine's one reader of the head of an agent's message,
// shared by AgentClient and AgentStream, as a table of whole, partial,
// oversized and hostile heads.

#include "AgentFrame.h"

#include <QJsonDocument>
#include <QTest>

class tst_agentframe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
};

void tst_agentframe::parse_data()
{
    QTest::addColumn<QByteArray>("buffer");
    QTest::addColumn<int>("maxHeader");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<qint64>("bodyLen");
    QTest::addColumn<int>("headerSize");
    QTest::addColumn<bool>("complete");

    using O = AgentFrame::Outcome;
    QTest::newRow("empty") << QByteArray() << 64 << int(O::Incomplete) << qint64(0) << 0 << false;
    QTest::newRow("no newline yet") << QByteArray(R"({"ok":true)") << 64 << int(O::Incomplete) << qint64(0) << 0 << false;
    QTest::newRow("no newline, too long") << QByteArray(65, 'x') << 64 << int(O::TooLong) << qint64(0) << 0 << false;
    QTest::newRow("no newline, at the limit") << QByteArray(64, 'x') << 64 << int(O::Incomplete) << qint64(0) << 0 << false;
    QTest::newRow("answer") << QByteArray("{\"ok\":true}\n") << 64 << int(O::Ok) << qint64(0) << 12 << true;
    QTest::newRow("answer and next") << QByteArray("{}\n{\"a\":1}\n") << 64 << int(O::Ok) << qint64(0) << 3 << true;
    QTest::newRow("body whole") << QByteArray("{\"body_len\":3}\nabcdef") << 64 << int(O::Ok) << qint64(3) << 15 << true;
    QTest::newRow("body partial") << QByteArray("{\"body_len\":3}\nab") << 64 << int(O::Ok) << qint64(3) << 15 << false;
    QTest::newRow("body as a string is none") << QByteArray("{\"body_len\":\"3\"}\n") << 64 << int(O::Ok) << qint64(0) << 17 << true;
    QTest::newRow("negative body") << QByteArray("{\"body_len\":-1}\n") << 64 << int(O::BadBodyLength) << qint64(-1) << 0 << false;
    QTest::newRow("body over 32 MiB") << QByteArray("{\"body_len\":33554433}\n") << 64 << int(O::BadBodyLength)
                                      << qint64(33554433) << 0 << false;
    QTest::newRow("body of 32 MiB") << QByteArray("{\"body_len\":33554432}\n") << 64 << int(O::Ok) << qint64(33554432) << 22
                                    << false;
    QTest::newRow("array") << QByteArray("[1]\n") << 64 << int(O::Unreadable) << qint64(0) << 0 << false;
    QTest::newRow("not json") << QByteArray("ok\n") << 64 << int(O::Unreadable) << qint64(0) << 0 << false;
    QTest::newRow("empty line") << QByteArray("\n") << 64 << int(O::Unreadable) << qint64(0) << 0 << false;
    // Qt's parser takes a raw NUL inside a string; the header is data, never a C string.
    QTest::newRow("nul in a string") << QByteArray("{\"a\":\"\0\"}\n", 10) << 64 << int(O::Ok) << qint64(0) << 10 << true;
}

void tst_agentframe::parse()
{
    QFETCH(QByteArray, buffer);
    QFETCH(int, maxHeader);
    QFETCH(int, outcome);
    QFETCH(qint64, bodyLen);
    QFETCH(int, headerSize);
    QFETCH(bool, complete);
    const AgentFrame f = AgentFrame::parse(buffer, maxHeader);
    QCOMPARE(int(f.outcome), outcome);
    if (f.outcome == AgentFrame::Outcome::Ok || f.outcome == AgentFrame::Outcome::BadBodyLength)
        QCOMPARE(f.bodyLen, bodyLen);
    if (f.ok())
        QCOMPARE(f.headerSize, headerSize);
    QCOMPARE(f.complete(buffer), complete);
    QCOMPARE(f.bad(), outcome != int(AgentFrame::Outcome::Ok) && outcome != int(AgentFrame::Outcome::Incomplete));
}

QTEST_GUILESS_MAIN(tst_agentframe)
#include "tst_agentframe.moc"
