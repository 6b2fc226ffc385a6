// SPDX-License-Identifier: GPL-3.0-or-later
// The API's request gate: framing, limits and refusals from the head alone.
#include "api/RequestGate.h"

#include <QTest>

namespace {

// The policy of these tests: bodies up to 100 bytes; a head carrying
// `X-Refuse` is refused as a request without a key would be.
RequestGate::Verdict policy(const RequestHead &h)
{
    if (!h.value("X-Refuse").isEmpty())
        return ApiError::unauthorized(QStringLiteral("No API key was sent."));
    return RequestGate::Admit{100};
}

struct Fed
{
    QByteArray pass;
    int status = 0; // of the refusal, 0 when none
    int heads = 0;
    int ends = 0;
    bool tunnel = false;
};

Fed feedAll(const QByteArray &input, qsizetype step)
{
    RequestGate gate(policy);
    Fed f;
    for (qsizetype at = 0; at < input.size(); at += step) {
        const auto out = gate.feed(QByteArrayView(input).sliced(at, std::min(step, input.size() - at)));
        f.pass += out.pass;
        f.heads += out.headsAdmitted;
        f.ends += out.messagesEnded;
        if (out.refusal)
            f.status = out.refusal->httpStatus;
    }
    f.tunnel = gate.tunnelling();
    return f;
}

const QByteArray kGet = "GET /v1/sandboxes HTTP/1.1\r\nHost: a\r\n\r\n";

} // namespace

class TestRequestGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framing_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("passed"); // what reaches the server
        QTest::addColumn<int>("status");        // of the refusal, 0 for none
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("ends");

        const QByteArray post = "POST /v1/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
        const QByteArray chunked = "POST /v1/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
        QTest::newRow("get") << kGet << kGet << 0 << 1 << 1;
        QTest::newRow("body by length") << post << post << 0 << 1 << 1;
        QTest::newRow("pipelined") << (post + kGet + post) << (post + kGet + post) << 0 << 3 << 3;
        QTest::newRow("chunked") << chunked << chunked << 0 << 1 << 1;
        QTest::newRow("chunked then get") << (chunked + kGet) << (chunked + kGet) << 0 << 2 << 2;
        QTest::newRow("blank lines between requests dropped") << ("\r\n" + kGet + "\r\n\r\n" + kGet)
                                                              << (kGet + kGet) << 0 << 2 << 2;
        QTest::newRow("incomplete head held back") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") << QByteArray() << 0
                                                   << 0 << 0;
        QTest::newRow("body in flight") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc")
                                        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nabc") << 0
                                        << 1 << 0;

        // Refused from the head alone: nothing of it reaches the server.
        QTest::newRow("policy refuses") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nX-Refuse: 1\r\nContent-Length: "
                                                      "68719476736\r\n\r\n0000")
                                        << QByteArray() << 401 << 0 << 0;
        QTest::newRow("refused after an admitted one") << (kGet + "GET / HTTP/1.1\r\nHost: a\r\nX-Refuse: 1\r\n\r\n") << kGet << 401
                                                       << 1 << 1;
        QTest::newRow("length over the limit") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n")
                                               << QByteArray() << 413 << 0 << 0;
        QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999\r\n\r\n")
                                     << QByteArray() << 413 << 0 << 0;
        QTest::newRow("length too long to be a number")
            << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9999999999999999999999\r\n\r\n") << QByteArray() << 400
            << 0 << 0;
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n") << QByteArray()
                                         << 400 << 0 << 0;
        QTest::newRow("two lengths that differ")
            << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") << QByteArray() << 400
            << 0 << 0;
        QTest::newRow("length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") << QByteArray()
            << 400 << 0 << 0;
        QTest::newRow("other encoding") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n") << QByteArray()
                                        << 400 << 0 << 0;
        QTest::newRow("malformed request line") << QByteArray("GET /\r\n\r\n") << QByteArray() << 400 << 0 << 0;
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n") << QByteArray() << 400
                                       << 0 << 0;
        QTest::newRow("bare LF head") << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << QByteArray() << 0 << 0 << 0;
        QTest::newRow("head too large") << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(70000, 'a'))
                                        << QByteArray() << 431 << 0 << 0;

        const QByteArray chunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        // Chunked bodies are counted raw, with room for framing (100 + 1036).
        const QByteArray bigChunk = "300\r\n" + QByteArray(0x300, 'x') + "\r\n";
        QTest::newRow("chunks over the limit") << (chunkedHead + bigChunk + bigChunk) << chunkedHead
                                               << 413 << 1 << 0;
        QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << QByteArray() << 400 << 0 << 0;
        QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n") << QByteArray() << 400
                                   << 0 << 0;
        QTest::newRow("chunk size not hex") << (chunkedHead + "zz\r\n") << chunkedHead << 400 << 1 << 0;
        QTest::newRow("chunk size overflows") << (chunkedHead + "ffffffffffffffffff\r\n") << chunkedHead << 400 << 1
                                              << 0;
        QTest::newRow("chunk longer than its size") << (chunkedHead + "1\r\nab\r\n") << chunkedHead << 400 << 1 << 0;
    }
    void framing()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, passed);
        QFETCH(int, status);
        QFETCH(int, heads);
        QFETCH(int, ends);
        // Whole, then byte by byte, then in odd pieces: framing must not
        // depend on how the bytes were cut.
        for (qsizetype step : {input.size() ? input.size() : 1, qsizetype(1), qsizetype(7)}) {
            const Fed f = feedAll(input, step);
            if (status == 0 || step == input.size())
                QCOMPARE(f.pass, passed);
            else
                QVERIFY(passed.startsWith(f.pass) || f.pass.startsWith(passed.left(f.pass.size())));
            QCOMPARE(f.status, status);
            QCOMPARE(f.heads, heads);
            QCOMPARE(f.ends, ends);
        }
    }

    // A client that waits for `100 Continue` is told to go on once its head
    // is admitted, and only when it has a body to send.
    void expectContinue_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("continueNow");
        QTest::newRow("body waits") << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                                    << true;
        QTest::newRow("any case") << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nexpect:  100-Continue \r\nContent-Length: 5\r\n\r\n")
                                  << true;
        QTest::newRow("chunked body waits")
            << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n") << true;
        QTest::newRow("no body") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n") << false;
        QTest::newRow("no expectation") << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n") << false;
        QTest::newRow("refused: the refusal is the answer")
            << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n") << false;
    }
    void expectContinue()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, continueNow);
        RequestGate gate(policy);
        QCOMPARE(gate.feed(head).continueNow, continueNow);
    }

    void upgradeTunnelsTheRest()
    {
        const QByteArray head = "GET /v1/ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
        const QByteArray frames = QByteArray("\x81\x85") + QByteArray(200, '\0');
        const Fed f = feedAll(head + frames, 5);
        QCOMPARE(f.pass, head + frames);
        QVERIFY(f.tunnel);
        QCOMPARE(f.status, 0);
    }

    void refusedGateStaysShut()
    {
        RequestGate gate(policy);
        const auto first = gate.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Refuse: 1\r\n\r\n");
        QVERIFY(first.refusal);
        QVERIFY(gate.refused());
        const auto later = gate.feed(kGet);
        QVERIFY(later.pass.isEmpty());
        QVERIFY(!later.refusal);
    }

    void headStateForTheTimer()
    {
        RequestGate gate(policy);
        QVERIFY(!gate.inHead());
        gate.feed("GET / HT");
        QVERIFY(gate.inHead());
        gate.feed("TP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n");
        QVERIFY(!gate.inHead());
        QVERIFY(gate.inBody());
        gate.feed("abc");
        QVERIFY(!gate.inBody());
    }

    void sinkTakesTheBody()
    {
        // A body of declared length goes to the sink, in any pieces; the
        // server sees the head with no body, then the next request.
        QByteArray sunk;
        int lasts = 0;
        RequestGate gate([&](const RequestHead &h) -> RequestGate::Verdict {
            RequestGate::Admit admit{100, {}};
            if (h.method == "PUT")
                admit.sink = [&](QByteArrayView bytes, bool last) {
                    sunk += bytes;
                    lasts += last ? 1 : 0;
                };
            return admit;
        });
        const QByteArray input = "PUT /f HTTP/1.1\r\nHost: a\r\ncontent-length: 10\r\nX-B: c\r\n\r\n0123456789" + kGet;
        QByteArray pass;
        for (qsizetype at = 0; at < input.size(); at += 3)
            pass += gate.feed(QByteArrayView(input).sliced(at, std::min<qsizetype>(3, input.size() - at))).pass;
        QCOMPARE(pass, "PUT /f HTTP/1.1\r\nHost: a\r\ncontent-length: 0\r\nX-B: c\r\n\r\n" + kGet);
        QCOMPARE(sunk, QByteArray("0123456789"));
        QCOMPARE(lasts, 1);
        // Past the limit it is still refused from the head, the sink untouched.
        sunk.clear();
        const auto over = gate.feed("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n");
        QVERIFY(over.refusal);
        QCOMPARE(over.refusal->httpStatus, 413);
        QVERIFY(sunk.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRequestGate)
#include "tst_requestgate.moc"
