// SPDX-License-Identifier: GPL-3.0-or-later
// The API's answer counter: where each answer on a connection ends.
#include "api/ResponseMeter.h"

#include <QTest>

class TestResponseMeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answers_data()
    {
        QTest::addColumn<QByteArrayList>("methods"); // of the requests, in order
        QTest::addColumn<QByteArray>("bytes");       // what the server sent
        QTest::addColumn<int>("ended");
        QTest::addColumn<bool>("stopped");

        const QByteArray ok5 = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        const QByteArray chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        QTest::newRow("one answer") << QByteArrayList{"GET"} << ok5 << 1 << false;
        QTest::newRow("half an answer") << QByteArrayList{"GET"} << ok5.chopped(1) << 0 << false;
        QTest::newRow("two in a row") << QByteArrayList{"GET", "POST"} << ok5 + ok5 << 2 << false;
        QTest::newRow("second not yet asked") << QByteArrayList{"GET"} << ok5 + ok5 << 1 << true;
        QTest::newRow("head has no body")
            << QByteArrayList{"HEAD", "GET"} << "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + ok5 << 2 << false;
        QTest::newRow("no content") << QByteArrayList{"DELETE"} << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << 1
                                    << false;
        QTest::newRow("chunked") << QByteArrayList{"GET", "GET"} << chunked + ok5 << 2 << false;
        QTest::newRow("continue first") << QByteArrayList{"PUT"} << "HTTP/1.1 100 Continue\r\n\r\n" + ok5 << 1
                                        << false;
        QTest::newRow("upgrade stops")
            << QByteArrayList{"GET"} << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
            << 0 << true;
        QTest::newRow("until close stops")
            << QByteArrayList{"GET"} << QByteArray("HTTP/1.1 200 OK\r\n\r\nanything") << 0 << true;
        QTest::newRow("unasked bytes stop") << QByteArrayList{} << ok5 << 0 << true;
        QTest::newRow("unreadable head stops") << QByteArrayList{"GET"} << QByteArray("garbage\r\n\r\n") << 0 << true;
        QTest::newRow("endless head stops")
            << QByteArrayList{"GET"} << "HTTP/1.1 200 OK\r\nX: " + QByteArray(70 * 1024, 'a') << 0 << true;
    }

    void answers()
    {
        QFETCH(QByteArrayList, methods);
        QFETCH(QByteArray, bytes);
        QFETCH(int, ended);
        QFETCH(bool, stopped);
        // Whole, and a byte at a time: the split must not matter.
        for (const qsizetype step : {bytes.size(), qsizetype(1)}) {
            ResponseMeter meter;
            for (const QByteArray &m : methods)
                meter.expect(m);
            int n = 0;
            for (qsizetype at = 0; at < bytes.size(); at += step)
                n += meter.feed(QByteArrayView(bytes).sliced(at, std::min(step, bytes.size() - at)));
            QCOMPARE(n, ended);
            QCOMPARE(meter.stopped(), stopped);
        }
    }

    void bodyLengthWhilePassing()
    {
        ResponseMeter meter;
        meter.expect("GET");
        QCOMPARE(meter.bodyLength(), -1);
        QCOMPARE(meter.feed("HTTP/1.1 200 OK\r\nContent-Length: 40000000\r\n\r\n"), 0);
        QCOMPARE(meter.bodyLength(), 40000000);
        QCOMPARE(meter.feed(QByteArray(1000, 'x')), 0);
        QCOMPARE(meter.bodyLength(), 40000000);
        QCOMPARE(meter.feed(QByteArray(40000000 - 1000, 'x')), 1);
        QCOMPARE(meter.bodyLength(), -1);
    }
};

QTEST_APPLESS_MAIN(TestResponseMeter)
#include "tst_responsemeter.moc"
