// SPDX-License-Identifier: GPL-3.0-or-later
// The preview proxy's pure parsers: the Host header that names a sandbox
// port, and the request head it is read from.

#include "proxy/PreviewHost.h"
#include "proxy/PreviewLinks.h"
#include "proxy/RequestHead.h"

#include <QTest>

class tst_previewhost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void head_data();
    void head();
    void links_data();
    void links();
};

namespace {
const QByteArray kId = "sbx_0123456789abcdef";
}

void tst_previewhost::parse_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("id");

    const int ok = int(PreviewHost::Outcome::Ok);
    const int notOurs = int(PreviewHost::Outcome::NotOurs);
    const int badPort = int(PreviewHost::Outcome::BadPort);
    const QString id = QString::fromLatin1(kId);
    const QString lh = QStringLiteral("localhost");
    const QString up = QStringLiteral("up.ai2in.dev");

    QTest::newRow("with listen port") << "3000-" + kId + ".localhost:7301" << lh << ok << 3000 << id;
    QTest::newRow("without port") << "3000-" + kId + ".localhost" << lh << ok << 3000 << id;
    QTest::newRow("port 1") << "1-" + kId + ".localhost" << lh << ok << 1 << id;
    QTest::newRow("port 65535") << "65535-" + kId + ".localhost" << lh << ok << 65535 << id;
    QTest::newRow("uppercase") << QByteArray("3000-SBX_0123456789ABCDEF.LOCALHOST:7301") << lh << ok << 3000 << id;
    QTest::newRow("trailing dot") << "3000-" + kId + ".localhost." << lh << ok << 3000 << id;
    QTest::newRow("surrounding spaces") << "  3000-" + kId + ".localhost  " << lh << ok << 3000 << id;
    QTest::newRow("public domain") << "8080-" + kId + ".up.ai2in.dev" << up << ok << 8080 << id;
    QTest::newRow("domain given uppercase") << "8080-" + kId + ".up.ai2in.dev" << QStringLiteral("UP.ai2in.dev")
                                            << ok << 8080 << id;

    QTest::newRow("other domain") << "3000-" + kId + ".example.com" << lh << notOurs << 0 << QString();
    QTest::newRow("domain as suffix of a label") << "3000-" + kId + ".evillocalhost" << lh << notOurs << 0 << QString();
    QTest::newRow("parent of the domain") << "3000-" + kId + ".ai2in.dev" << up << notOurs << 0 << QString();
    QTest::newRow("bare domain") << QByteArray("localhost:7301") << lh << notOurs << 0 << QString();
    QTest::newRow("extra label") << "a.3000-" + kId + ".localhost" << lh << notOurs << 0 << QString();
    QTest::newRow("no port part") << kId + ".localhost" << lh << notOurs << 0 << QString();
    QTest::newRow("empty id") << QByteArray("3000-.localhost") << lh << notOurs << 0 << QString();
    QTest::newRow("short id") << QByteArray("3000-sbx_0123.localhost") << lh << notOurs << 0 << QString();
    QTest::newRow("long id") << "3000-" + kId + "0.localhost" << lh << notOurs << 0 << QString();
    QTest::newRow("wrong prefix") << QByteArray("3000-cmd_0123456789abcdef.localhost") << lh << notOurs << 0 << QString();
    QTest::newRow("id with dash") << QByteArray("3000-sbx_0123456789abcde-.localhost") << lh << notOurs << 0 << QString();
    QTest::newRow("empty") << QByteArray() << lh << notOurs << 0 << QString();
    QTest::newRow("spaces only") << QByteArray("   ") << lh << notOurs << 0 << QString();
    QTest::newRow("ipv4") << QByteArray("127.0.0.1:7301") << lh << notOurs << 0 << QString();
    QTest::newRow("ipv6 literal") << QByteArray("[::1]:7301") << lh << notOurs << 0 << QString();
    QTest::newRow("non-numeric listen port") << "3000-" + kId + ".localhost:http" << lh << notOurs << 0 << QString();
    QTest::newRow("empty listen port") << "3000-" + kId + ".localhost:" << lh << notOurs << 0 << QString();
    QTest::newRow("userinfo") << "user@3000-" + kId + ".localhost" << lh << notOurs << 0 << QString();
    QTest::newRow("nul byte") << "3000-" + kId + QByteArray(".localhost\0", 11) << lh << notOurs << 0 << QString();
    QTest::newRow("utf-8") << "3000-" + kId + ".localhöst" << lh << notOurs << 0 << QString();
    QTest::newRow("path in host") << "3000-" + kId + ".localhost/x" << lh << notOurs << 0 << QString();
    QTest::newRow("huge") << QByteArray(100000, 'a') + ".localhost" << lh << notOurs << 0 << QString();

    QTest::newRow("letters as port") << "abc-" + kId + ".localhost" << lh << badPort << 0 << id;
    QTest::newRow("port 0") << "0-" + kId + ".localhost" << lh << badPort << 0 << id;
    QTest::newRow("port 65536") << "65536-" + kId + ".localhost" << lh << badPort << 0 << id;
    QTest::newRow("port 70000") << "70000-" + kId + ".localhost" << lh << badPort << 0 << id;
    QTest::newRow("port too long") << "0000003000-" + kId + ".localhost" << lh << badPort << 0 << id;
    QTest::newRow("empty port") << "-" + kId + ".localhost" << lh << badPort << 0 << id;
    QTest::newRow("negative port") << "-1-" + kId + ".localhost" << lh << notOurs << 0 << QString();
}

void tst_previewhost::parse()
{
    QFETCH(QByteArray, host);
    QFETCH(QString, domain);
    QFETCH(int, outcome);
    QFETCH(int, port);
    QFETCH(QString, id);
    const PreviewHost h = PreviewHost::parse(host, domain);
    QCOMPARE(int(h.outcome), outcome);
    if (outcome == int(PreviewHost::Outcome::Ok))
        QCOMPARE(int(h.port), port);
    if (!id.isEmpty())
        QCOMPARE(h.sandboxId, id);
}

void tst_previewhost::head_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QByteArrayList>("hosts");

    const int ok = int(RequestHead::Outcome::Ok);
    const int incomplete = int(RequestHead::Outcome::Incomplete);
    const int malformed = int(RequestHead::Outcome::Malformed);
    const int noHost = int(RequestHead::Outcome::MissingHost);
    const int tooLarge = int(RequestHead::Outcome::TooLarge);
    const int invalid = int(RequestHead::Outcome::Invalid);

    QTest::newRow("simple") << QByteArray("GET / HTTP/1.1\r\nHost: a.localhost\r\n\r\n") << ok << QByteArrayList{"a.localhost"};
    QTest::newRow("body follows") << QByteArray("POST /x HTTP/1.1\r\nhost:a\r\nContent-Length: 3\r\n\r\nabc") << ok
                                  << QByteArrayList{"a"};
    QTest::newRow("http/1.0") << QByteArray("GET / HTTP/1.0\r\nHOST: b\r\n\r\n") << ok << QByteArrayList{"b"};
    QTest::newRow("upgrade") << QByteArray("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                             << ok << QByteArrayList{"h"};
    QTest::newRow("empty") << QByteArray() << incomplete << QByteArrayList();
    QTest::newRow("half a head") << QByteArray("GET / HTTP/1.1\r\nHost: a") << incomplete << QByteArrayList();
    QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n") << noHost << QByteArrayList();
    QTest::newRow("empty host") << QByteArray("GET / HTTP/1.1\r\nHost:   \r\n\r\n") << noHost << QByteArrayList();
    QTest::newRow("two hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << invalid
                               << QByteArrayList();
    QTest::newRow("two equal hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n") << invalid
                                     << QByteArrayList();
    QTest::newRow("absolute target, same host") << QByteArray("GET http://A:1/x HTTP/1.1\r\nHost: a:1\r\n\r\n") << ok
                                                << QByteArrayList{"a:1"};
    QTest::newRow("absolute target, other host") << QByteArray("GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n") << invalid
                                                 << QByteArrayList();
    QTest::newRow("asterisk") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << ok << QByteArrayList{"a"};
    QTest::newRow("connect") << QByteArray("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n") << invalid
                             << QByteArrayList();
    QTest::newRow("length and chunked") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
                                                      "Transfer-Encoding: chunked\r\n\r\n")
                                        << invalid << QByteArrayList();
    QTest::newRow("chunked then gzip") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
                                       << invalid << QByteArrayList();
    QTest::newRow("chunked in http/1.0") << QByteArray("POST / HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
                                         << invalid << QByteArrayList();
    QTest::newRow("lengths disagree") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                                      << invalid << QByteArrayList();
    QTest::newRow("lengths agree") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nab") << ok
                                   << QByteArrayList{"a"};
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")
                                     << invalid << QByteArrayList();
    QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n")
                                 << invalid << QByteArrayList();
    QTest::newRow("http/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << malformed << QByteArrayList();
    QTest::newRow("garbage") << QByteArray("hello\r\n\r\n") << malformed << QByteArrayList();
    QTest::newRow("bare LF inside") << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n") << malformed << QByteArrayList();
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n x\r\n\r\n") << malformed << QByteArrayList();
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << malformed << QByteArrayList();
    QTest::newRow("nul in value") << QByteArray("GET / HTTP/1.1\r\nHost: a") + '\0' + QByteArray("b\r\n\r\n") << malformed << QByteArrayList();
    QTest::newRow("two spaces in request line") << QByteArray("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") << malformed
                                                << QByteArrayList();
    QTest::newRow("oversized, unfinished") << "GET / HTTP/1.1\r\nX: " + QByteArray(RequestHead::kMaxBytes, 'x')
                                           << tooLarge << QByteArrayList();
    QTest::newRow("oversized, finished") << "GET / HTTP/1.1\r\nHost: a\r\nX: " + QByteArray(RequestHead::kMaxBytes, 'x') +
                                                "\r\n\r\n"
                                         << tooLarge << QByteArrayList();
}

void tst_previewhost::head()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, outcome);
    QFETCH(QByteArrayList, hosts);
    const RequestHead h = RequestHead::parse(bytes);
    QCOMPARE(int(h.outcome), outcome);
    if (outcome == int(RequestHead::Outcome::Ok)) {
        QCOMPARE(h.hosts, hosts);
        QVERIFY(h.size > 0 && h.size <= bytes.size());
        QCOMPARE(bytes.mid(h.size - 4, 4), QByteArray("\r\n\r\n"));
    }
}

void tst_previewhost::links_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<int>("publicPort");
    QTest::addColumn<QString>("url");

    const QString id = QString::fromLatin1(kId);
    QTest::newRow("default") << QStringLiteral("http") << QStringLiteral("localhost") << 7301 << "http://3000-" + id + ".localhost:7301";
    QTest::newRow("http on 80") << QStringLiteral("http") << QStringLiteral("localhost") << 80 << "http://3000-" + id + ".localhost";
    QTest::newRow("https on 443") << QStringLiteral("https") << QStringLiteral("up.ai2in.dev") << 443 << "https://3000-" + id + ".up.ai2in.dev";
    QTest::newRow("https on 80") << QStringLiteral("https") << QStringLiteral("up.ai2in.dev") << 80 << "https://3000-" + id + ".up.ai2in.dev:80";
}

void tst_previewhost::links()
{
    QFETCH(QString, scheme);
    QFETCH(QString, domain);
    QFETCH(int, publicPort);
    QFETCH(QString, url);
    QCOMPARE(PreviewLinks(scheme, domain, quint16(publicPort)).url(QString::fromLatin1(kId), 3000), url);
}

QTEST_APPLESS_MAIN(tst_previewhost)
#include "tst_previewhost.moc"
