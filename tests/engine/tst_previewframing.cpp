// SPDX-License-Identifier: GPL-3.0-or-later
// The preview proxy's pure parts that find where messages end and who may
// pass: body framing (length, chunked), response heads, the preview token.

#include "proxy/BodyFraming.h"
#include "proxy/PreviewAuth.h"
#include "proxy/RequestHead.h"
#include "proxy/ResponseHead.h"

#include <QTest>

class tst_previewframing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chunked_data();
    void chunked();
    void chunkedByteByByte();
    void length();
    void requestFraming_data();
    void requestFraming();
    void response_data();
    void response();
    void auth_data();
    void auth();
    void withoutCredentials_data();
    void withoutCredentials();
};

void tst_previewframing::chunked_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("used");       // -1: broken
    QTest::addColumn<bool>("finished");

    QTest::newRow("empty body") << QByteArray("0\r\n\r\nGET") << 5 << true;
    QTest::newRow("one chunk") << QByteArray("3\r\nabc\r\n0\r\n\r\nnext") << 13 << true;
    QTest::newRow("hex upper and lower") << QByteArray("A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n") << 35 << true;
    QTest::newRow("extension") << QByteArray("3;name=\"v\"\r\nabc\r\n0;x\r\n\r\n") << 24 << true;
    QTest::newRow("space before extension") << QByteArray("3 ;x\r\nabc\r\n0\r\n\r\n") << 16 << true;
    QTest::newRow("trailers") << QByteArray("1\r\na\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\nrest") << 27 << true;
    QTest::newRow("unfinished data") << QByteArray("10\r\nabc") << 7 << false;
    QTest::newRow("unfinished size") << QByteArray("1") << 1 << false;
    QTest::newRow("unfinished trailer") << QByteArray("0\r\nX-A: 1\r\n") << 11 << false;
    QTest::newRow("no size") << QByteArray("\r\nabc") << -1 << false;
    QTest::newRow("not hex") << QByteArray("zz\r\n") << -1 << false;
    QTest::newRow("negative") << QByteArray("-1\r\n") << -1 << false;
    QTest::newRow("too many digits") << QByteArray("1000000000000000\r\n") << -1 << false;
    QTest::newRow("bare LF after size") << QByteArray("3\nabc\r\n") << -1 << false;
    QTest::newRow("data longer than size") << QByteArray("3\r\nabcd\r\n") << -1 << false;
    QTest::newRow("data without CRLF") << QByteArray("3\r\nabc0\r\n\r\n") << -1 << false;
    QTest::newRow("garbage after size") << QByteArray("3 x\r\nabc\r\n") << -1 << false;
    QTest::newRow("oversized size line") << "1;" + QByteArray(BodyFraming::kMaxLineBytes + 10, 'e') + "\r\n" << -1 << false;
    QTest::newRow("oversized trailer") << "0\r\n" + QByteArray(BodyFraming::kMaxTrailerBytes + 10, 'x') << -1 << false;
}

void tst_previewframing::chunked()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, used);
    QFETCH(bool, finished);
    BodyFraming f = BodyFraming::chunked();
    const qsizetype n = f.feed(bytes);
    QCOMPARE(int(n), used);
    QCOMPARE(f.finished(), finished);
    QCOMPARE(f.failed(), used < 0);
    if (used < 0)
        QVERIFY(!f.error().isEmpty());
}

void tst_previewframing::chunkedByteByByte()
{
    // The same body split at every byte ends at the same place.
    const QByteArray body = "5;e=1\r\nhello\r\n1\r\n \r\n0\r\nT: x\r\n\r\n";
    BodyFraming f = BodyFraming::chunked();
    qsizetype total = 0;
    for (char c : body + "GET / HTTP/1.1") {
        const qsizetype n = f.feed(QByteArrayView(&c, 1));
        QVERIFY(n >= 0);
        total += n;
        if (f.finished())
            break;
    }
    QVERIFY(f.finished());
    QCOMPARE(total, body.size());
    QCOMPARE(f.feed("more"), qsizetype(0));
}

void tst_previewframing::length()
{
    BodyFraming f = BodyFraming::length(5);
    QCOMPARE(f.feed("ab"), qsizetype(2));
    QVERIFY(!f.finished());
    QCOMPARE(f.feed("cdefg"), qsizetype(3));
    QVERIFY(f.finished());
    QCOMPARE(f.feed("x"), qsizetype(0));
    QVERIFY(BodyFraming::length(0).finished());
    QVERIFY(BodyFraming::none().finished());
    BodyFraming open = BodyFraming::untilClose();
    QCOMPARE(open.feed("anything"), qsizetype(8));
    QVERIFY(!open.finished());
}

void tst_previewframing::requestFraming_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("length");
    QTest::addColumn<bool>("upgrade");

    const int none = int(BodyFraming::Kind::None);
    const int len = int(BodyFraming::Kind::Length);
    const int chunk = int(BodyFraming::Kind::Chunked);
    QTest::newRow("get") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << none << qint64(0) << false;
    QTest::newRow("length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 12\r\n\r\n") << len << qint64(12) << false;
    QTest::newRow("length zero") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n") << none << qint64(0) << false;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n") << chunk << qint64(0) << false;
    QTest::newRow("websocket") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n")
                               << none << qint64(0) << true;
    QTest::newRow("upgrade without connection token") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n")
                                                      << none << qint64(0) << false;
}

void tst_previewframing::requestFraming()
{
    QFETCH(QByteArray, head);
    QFETCH(int, kind);
    QFETCH(qint64, length);
    QFETCH(bool, upgrade);
    const RequestHead h = RequestHead::parse(head);
    QCOMPARE(int(h.outcome), int(RequestHead::Outcome::Ok));
    QCOMPARE(int(h.body.kind()), kind);
    QCOMPARE(h.body.declaredLength(), length);
    QCOMPARE(h.upgrade, upgrade);
}

void tst_previewframing::response_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("length");

    const int ok = int(ResponseHead::Outcome::Ok);
    const int bad = int(ResponseHead::Outcome::Malformed);
    const int incomplete = int(ResponseHead::Outcome::Incomplete);
    const int none = int(BodyFraming::Kind::None);
    const int len = int(BodyFraming::Kind::Length);
    const int chunk = int(BodyFraming::Kind::Chunked);
    const int close = int(BodyFraming::Kind::UntilClose);
    QTest::newRow("length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") << QByteArray("GET") << ok << 200 << len << qint64(5);
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") << QByteArray("GET") << ok << 200 << chunk << qint64(0);
    QTest::newRow("gzip then chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << QByteArray("GET") << ok << 200 << chunk << qint64(0);
    QTest::newRow("chunked wins over length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") << QByteArray("GET") << ok << 200 << chunk << qint64(0);
    QTest::newRow("no length") << QByteArray("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n") << QByteArray("GET") << ok << 200 << close << qint64(0);
    QTest::newRow("gzip only") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n") << QByteArray("GET") << ok << 200 << close << qint64(0);
    QTest::newRow("lengths disagree") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n") << QByteArray("GET") << ok << 200 << close << qint64(0);
    QTest::newRow("head") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n") << QByteArray("HEAD") << ok << 200 << none << qint64(0);
    QTest::newRow("204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << QByteArray("DELETE") << ok << 204 << none << qint64(0);
    QTest::newRow("304") << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n") << QByteArray("GET") << ok << 304 << none << qint64(0);
    QTest::newRow("100") << QByteArray("HTTP/1.1 100 Continue\r\n\r\n") << QByteArray("POST") << ok << 100 << none << qint64(0);
    QTest::newRow("101") << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n") << QByteArray("GET") << ok << 101 << none << qint64(0);
    QTest::newRow("bare LF") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi") << QByteArray("GET") << ok << 200 << len << qint64(2);
    QTest::newRow("no reason") << QByteArray("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n") << QByteArray("GET") << ok << 404 << none << qint64(0);
    QTest::newRow("incomplete") << QByteArray("HTTP/1.1 200 OK\r\nContent-") << QByteArray("GET") << incomplete << 0 << none << qint64(0);
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH\r\n\r\n") << QByteArray("GET") << bad << 0 << none << qint64(0);
    QTest::newRow("letters for status") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << QByteArray("GET") << bad << 0 << none << qint64(0);
    QTest::newRow("header without colon") << QByteArray("HTTP/1.1 200 OK\r\nnonsense\r\n\r\n") << QByteArray("GET") << bad << 200 << none << qint64(0);
}

void tst_previewframing::response()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, method);
    QFETCH(int, outcome);
    QFETCH(int, status);
    QFETCH(int, kind);
    QFETCH(qint64, length);
    const ResponseHead r = ResponseHead::parse(bytes, method);
    QCOMPARE(int(r.outcome), outcome);
    if (outcome != int(ResponseHead::Outcome::Ok))
        return;
    QCOMPARE(r.status, status);
    QCOMPARE(int(r.body.kind()), kind);
    QCOMPARE(r.body.declaredLength(), length);
    QVERIFY(r.size > 0 && r.size <= bytes.size());
}

void tst_previewframing::auth_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<QByteArray>("location");

    const int allowed = int(PreviewAuth::Verdict::Allowed);
    const int denied = int(PreviewAuth::Verdict::Denied);
    const int cookie = int(PreviewAuth::Verdict::SetCookie);
    const QByteArray t = "tok123";
    QTest::newRow("nothing") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << denied << QByteArray();
    QTest::newRow("header") << "GET / HTTP/1.1\r\nHost: a\r\nX-Ai2in-Preview-Token: " + t + "\r\n\r\n" << allowed << QByteArray();
    QTest::newRow("header, other case") << "GET / HTTP/1.1\r\nHost: a\r\nx-ai2in-preview-token: " + t + "\r\n\r\n" << allowed << QByteArray();
    QTest::newRow("wrong header") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Ai2in-Preview-Token: tok124\r\n\r\n") << denied << QByteArray();
    QTest::newRow("prefix of the token") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Ai2in-Preview-Token: tok\r\n\r\n") << denied << QByteArray();
    QTest::newRow("empty header") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Ai2in-Preview-Token:\r\n\r\n") << denied << QByteArray();
    QTest::newRow("cookie") << "GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1; ai2in_preview_token=" + t + "; b=2\r\n\r\n" << allowed << QByteArray();
    QTest::newRow("quoted cookie") << "GET / HTTP/1.1\r\nHost: a\r\nCookie: ai2in_preview_token=\"" + t + "\"\r\n\r\n" << allowed << QByteArray();
    QTest::newRow("second cookie header") << "GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1\r\nCookie: ai2in_preview_token=" + t + "\r\n\r\n" << allowed << QByteArray();
    QTest::newRow("cookie of another name") << "GET / HTTP/1.1\r\nHost: a\r\nCookie: xai2in_preview_token=" + t + "\r\n\r\n" << denied << QByteArray();
    QTest::newRow("wrong cookie") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nCookie: ai2in_preview_token=nope\r\n\r\n") << denied << QByteArray();
    QTest::newRow("link") << "GET /app?ai2in_token=" + t + " HTTP/1.1\r\nHost: a\r\n\r\n" << cookie << QByteArray("/app");
    QTest::newRow("link keeps other items") << "GET /app?a=1&ai2in_token=" + t + "&b=2 HTTP/1.1\r\nHost: a\r\n\r\n" << cookie << QByteArray("/app?a=1&b=2");
    QTest::newRow("link at the root") << "HEAD ?ai2in_token=" + t + " HTTP/1.1\r\nHost: a\r\n\r\n" << denied << QByteArray();
    QTest::newRow("link, head") << "HEAD /?ai2in_token=" + t + " HTTP/1.1\r\nHost: a\r\n\r\n" << cookie << QByteArray("/");
    QTest::newRow("wrong link") << QByteArray("GET /?ai2in_token=nope HTTP/1.1\r\nHost: a\r\n\r\n") << denied << QByteArray();
    QTest::newRow("wrong link, right header") << "GET /?ai2in_token=nope HTTP/1.1\r\nHost: a\r\nX-Ai2in-Preview-Token: " + t + "\r\n\r\n" << denied << QByteArray();
    QTest::newRow("link on a post is not a redirect") << "POST /?ai2in_token=" + t + " HTTP/1.1\r\nHost: a\r\n\r\n" << denied << QByteArray();
}

void tst_previewframing::auth()
{
    QFETCH(QByteArray, head);
    QFETCH(int, verdict);
    QFETCH(QByteArray, location);
    const RequestHead h = RequestHead::parse(head);
    if (h.outcome != RequestHead::Outcome::Ok) {
        QCOMPARE(verdict, int(PreviewAuth::Verdict::Denied)); // never reaches the check
        return;
    }
    const PreviewAuth a = PreviewAuth::check(h, "tok123");
    QCOMPARE(int(a.verdict), verdict);
    QCOMPARE(a.location, location);
}

void tst_previewframing::withoutCredentials_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("stripped");
    QTest::newRow("untouched") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nCookie: x=1\r\n\r\n")
                               << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nCookie: x=1\r\n\r\n");
    QTest::newRow("header") << QByteArray("GET / HTTP/1.1\r\nX-Ai2in-Preview-Token: t\r\nHost: a\r\n\r\n")
                            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("only cookie") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nCookie: ai2in_preview_token=t\r\n\r\n")
                                 << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("among cookies") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1;ai2in_preview_token=t; b=2\r\n\r\n")
                                   << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nCookie: a=1; b=2\r\n\r\n");
}

void tst_previewframing::withoutCredentials()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, stripped);
    QCOMPARE(PreviewAuth::withoutCredentials(head), stripped);
}

QTEST_APPLESS_MAIN(tst_previewframing)
#include "tst_previewframing.moc"
