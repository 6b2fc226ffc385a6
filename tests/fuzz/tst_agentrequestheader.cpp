// SPDX-License-Identifier: GPL-3.0-or-later
// The agent's reading of a request's header line (agent/RequestHeader),
// moved out of Connection so it can be fuzzed: the same answers as before,
// as a table of valid, malformed, oversized and hostile lines.

#include "RequestHeader.h"

#include <QTest>

#include <string>

class tst_agentrequestheader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
};

void tst_agentrequestheader::parse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("code"); // empty: accepted
    QTest::addColumn<QByteArray>("detail"); // accepted: the op; refused: part of the message
    QTest::addColumn<qulonglong>("bodyLen");

    QTest::newRow("run") << QByteArray(R"({"op":"run","cmd":"ls"})") << QByteArray() << QByteArray("run") << 0ull;
    QTest::newRow("write with body") << QByteArray(R"({"op":"write","body_len":5})") << QByteArray() << QByteArray("write") << 5ull;
    QTest::newRow("body at the limit") << QByteArray(R"({"op":"w","body_len":33554432})") << QByteArray() << QByteArray("w")
                                       << 33554432ull;
    QTest::newRow("body over the limit") << QByteArray(R"({"op":"w","body_len":33554433})") << QByteArray("too_large")
                                         << QByteArray("33554433 bytes") << 0ull;
    QTest::newRow("body over int64") << QByteArray(R"({"op":"w","body_len":18446744073709551615})") << QByteArray("too_large")
                                     << QByteArray("18446744073709551615 bytes") << 0ull;
    QTest::newRow("negative body") << QByteArray(R"({"op":"w","body_len":-1})") << QByteArray("bad_request")
                                   << QByteArray("non-negative integer") << 0ull;
    QTest::newRow("fractional body") << QByteArray(R"({"op":"w","body_len":1.5})") << QByteArray("bad_request")
                                     << QByteArray("non-negative integer") << 0ull;
    QTest::newRow("no op") << QByteArray(R"({"cmd":"ls"})") << QByteArray("bad_request") << QByteArray("'op' is required") << 0ull;
    QTest::newRow("op not string") << QByteArray(R"({"op":7})") << QByteArray("bad_request") << QByteArray("'op' must be a string")
                                   << 0ull;
    QTest::newRow("null op") << QByteArray(R"({"op":null})") << QByteArray("bad_request") << QByteArray("'op' is required") << 0ull;
    QTest::newRow("not json") << QByteArray("{op}") << QByteArray("bad_request") << QByteArray("not valid JSON") << 0ull;
    QTest::newRow("empty") << QByteArray("") << QByteArray("bad_request") << QByteArray("not valid JSON") << 0ull;
    QTest::newRow("array") << QByteArray("[1]") << QByteArray("bad_request") << QByteArray("must be a JSON object") << 0ull;
    QTest::newRow("32 levels") << QByteArray(R"({"op":"x","a":)") + QByteArray(31, '[') + QByteArray(31, ']') + "}"
                               << QByteArray() << QByteArray("x") << 0ull;
    QTest::newRow("33 levels") << QByteArray(R"({"op":"x","a":)") + QByteArray(32, '[') + QByteArray(32, ']') + "}"
                               << QByteArray("bad_request") << QByteArray("deeper than 32") << 0ull;
    QTest::newRow("brackets in strings") << QByteArray(R"({"op":"x","a":")") + QByteArray(100, '[') + R"(\"["})"
                                         << QByteArray() << QByteArray("x") << 0ull;
}

void tst_agentrequestheader::parse()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, code);
    QFETCH(QByteArray, detail);
    QFETCH(qulonglong, bodyLen);
    const auto r = RequestHeader::parse(std::string_view(line.constData(), size_t(line.size())));
    if (code.isEmpty()) {
        QVERIFY2(r, r ? "" : r.failure().message.c_str());
        QCOMPARE(QByteArray::fromStdString(r->op), detail);
        QCOMPARE(qulonglong(r->bodyLen), bodyLen);
        QVERIFY(r->header.is_object());
    } else {
        QVERIFY(!r);
        QCOMPARE(QByteArray::fromStdString(r.failure().code), code);
        QVERIFY2(QByteArray::fromStdString(r.failure().message).contains(detail), r.failure().message.c_str());
    }
}

QTEST_GUILESS_MAIN(tst_agentrequestheader)
#include "tst_agentrequestheader.moc"
