// SPDX-License-Identifier: GPL-3.0-or-later
// Uploads and downloads pass through the engine as they arrive (issue 19):
// a 32 MiB file both ways byte for byte, a larger one refused from its head,
// a client that leaves halfway through an upload, and a download the client
// does not read while the engine goes on answering.

#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace E2e;

namespace {

constexpr qint64 kLimit = 32 * 1024 * 1024;

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    gen.fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return bytes;
}

} // namespace

class tst_file_streaming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void roundTrip32MiB();
    void overLimitRefusedFromHead();
    void refusedPathAnsweredAfterBody();
    void clientLeavesMidUpload();
    void unreadDownloadKeepsEngineResponsive();
    void curlUploadIsToldToContinue();

private:
    QString content(const QString &path) const
    {
        return sbx(m_id, QStringLiteral("/files/content?path=") + ApiClient::q(path));
    }
    QByteArray rawHead(const QByteArray &method, const QString &path, const QByteArray &extra = {}) const
    {
        return method + ' ' + content(path).toLatin1() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
               m_engine->apiKey().toLatin1() + "\r\n" + extra + "\r\n";
    }
    // The names in `dir` (hidden ones too), through a command in the sandbox.
    QStringList namesIn(const QString &dir)
    {
        const ApiResponse r = m_api->run(m_id, QStringLiteral("ls -A ") + dir);
        return r.json().value(QStringLiteral("stdout")).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    static bool hasTemporary(const QStringList &names)
    {
        return std::any_of(names.begin(), names.end(), [](const QString &n) { return n.contains(".ai2in-"); });
    }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    QString m_id;
};

void tst_file_streaming::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, QJsonObject());
    m_id = id;
}

void tst_file_streaming::cleanup()
{
    if (QTest::currentTestFailed())
        m_engine->printLogTail();
}

void tst_file_streaming::cleanupTestCase()
{
    if (m_api && !m_id.isEmpty())
        QCOMPARE(m_api->del(sbx(m_id)).status, 204);
    m_api.reset();
    m_engine.reset();
}

void tst_file_streaming::roundTrip32MiB()
{
    const QByteArray bytes = randomBytes(kLimit, 19);
    E2E_EXPECT(put, m_api->put(content(QStringLiteral("big/whole.bin")), bytes), 200);
    QCOMPARE(put.json().value(QStringLiteral("written")).toInteger(), kLimit);
    E2E_EXPECT(get, m_api->get(content(QStringLiteral("big/whole.bin"))), 200);
    QCOMPARE(get.body.size(), bytes.size());
    QVERIFY(get.body == bytes);
    // Written in place, with nothing left beside it.
    E2E_RUN(sum, *m_api, m_id, QStringLiteral("stat -c %s big/whole.bin"), QJsonObject(), 0);
    QCOMPARE(sum.trimmed().toLongLong(), kLimit);
    QVERIFY(!hasTemporary(namesIn(QStringLiteral("big"))));
    // Small files take the same way in and out.
    E2E_EXPECT(small, m_api->put(content(QStringLiteral("big/small.txt")), "tiny"), 200);
    E2E_EXPECT(smallBack, m_api->get(content(QStringLiteral("big/small.txt"))), 200);
    QCOMPARE(smallBack.body, QByteArray("tiny"));
    E2E_EXPECT(empty, m_api->put(content(QStringLiteral("big/small.txt")), QByteArray()), 200);
    E2E_EXPECT(emptyBack, m_api->get(content(QStringLiteral("big/small.txt"))), 200);
    QCOMPARE(emptyBack.body, QByteArray());
}

void tst_file_streaming::overLimitRefusedFromHead()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_engine->baseUrl().port()));
    QVERIFY(socket.waitForConnected(5000));
    // Only the head is sent: the answer must not wait for a body.
    socket.write(rawHead("PUT", QStringLiteral("over/limit.bin"),
                         "Content-Length: " + QByteArray::number(kLimit + 1) + "\r\n"));
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (!answer.contains("\r\n\r\n{") && clock.elapsed() < 5000) {
        socket.waitForReadyRead(200);
        answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());
    QVERIFY2(answer.contains("too_large") && answer.contains(QByteArray::number(kLimit)), answer.constData());
    // Nothing was written: not the file, not its directory.
    E2E_EXPECT(exists, m_api->get(sbx(m_id, QStringLiteral("/files/exists?path=over"))), 200);
    QCOMPARE(exists.json().value(QStringLiteral("exists")).toBool(), false);
}

void tst_file_streaming::refusedPathAnsweredAfterBody()
{
    // The agent refuses the path before the body is in; it still reads the
    // body, so the client gets the reason rather than a broken connection.
    const QByteArray bytes = randomBytes(4 * 1024 * 1024, 5);
    E2E_ERROR(m_api->put(content(QStringLiteral("/root/not-yours.bin")), bytes), 403, "permission_denied");
    E2E_ERROR(m_api->put(content(QStringLiteral("/home/sandbox")), bytes), 400, "bad_request");
    // The connection and the agent are fine afterwards.
    E2E_EXPECT(ok, m_api->put(content(QStringLiteral("after/ok.bin")), bytes), 200);
}

void tst_file_streaming::clientLeavesMidUpload()
{
    E2E_EXPECT(old, m_api->put(content(QStringLiteral("drop/kept.txt")), "the old content"), 200);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_engine->baseUrl().port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawHead("PUT", QStringLiteral("drop/kept.txt"),
                         "Content-Length: " + QByteArray::number(kLimit) + "\r\n"));
    socket.write(randomBytes(8 * 1024 * 1024, 7));
    while (socket.bytesToWrite() > 0)
        QVERIFY(socket.waitForBytesWritten(5000));
    // The bytes reach the sandbox before the last one is sent: its
    // temporary file is there while the client still has 24 MiB to go.
    QTRY_VERIFY_WITH_TIMEOUT(hasTemporary(namesIn(QStringLiteral("drop"))), 10000);
    socket.abort();
    // Gone with the client, and the old file as it was.
    QTRY_VERIFY_WITH_TIMEOUT(!hasTemporary(namesIn(QStringLiteral("drop"))), 10000);
    QCOMPARE(namesIn(QStringLiteral("drop")), QStringList{QStringLiteral("kept.txt")});
    E2E_EXPECT(back, m_api->get(content(QStringLiteral("drop/kept.txt"))), 200);
    QCOMPARE(back.body, QByteArray("the old content"));
}

void tst_file_streaming::unreadDownloadKeepsEngineResponsive()
{
    const QByteArray bytes = randomBytes(kLimit, 23);
    E2E_EXPECT(put, m_api->put(content(QStringLiteral("down/file.bin")), bytes), 200);
    const qint64 rssBefore = rssMiB(m_engine->pid());
    QTcpSocket socket;
    socket.setReadBufferSize(64 * 1024);
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_engine->baseUrl().port()));
    QVERIFY(socket.waitForConnected(5000));
    socket.write(rawHead("GET", QStringLiteral("down/file.bin")));
    QVERIFY(socket.waitForBytesWritten(5000));
    QVERIFY(socket.waitForReadyRead(5000));
    QTest::qWait(500); // the engine fills what the client does not read
    // Meanwhile the engine answers, the same sandbox's agent included.
    QElapsedTimer clock;
    clock.start();
    E2E_EXPECT(health, m_api->get(QStringLiteral("/v1/health")), 200);
    E2E_EXPECT(stat, m_api->get(sbx(m_id, QStringLiteral("/files/stat?path=down/file.bin"))), 200);
    QCOMPARE(stat.json().value(QStringLiteral("size")).toInteger(), kLimit);
    E2E_EXPECT(small, m_api->get(content(QStringLiteral("/etc/hostname"))), 200);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
    // The file waits in the agent, not in the engine's memory.
    const qint64 rssDuring = rssMiB(m_engine->pid());
    qInfo("engine RSS %lld MiB before, %lld MiB with a 32 MiB download not read", rssBefore, rssDuring);
    QVERIFY2(rssDuring < rssBefore + 24, qPrintable(QString::number(rssDuring)));
    // Then read, it arrives whole.
    QByteArray answer;
    clock.restart();
    const auto headEnd = [&answer] { return answer.indexOf("\r\n\r\n"); };
    while ((headEnd() < 0 || answer.size() - headEnd() - 4 < kLimit) && clock.elapsed() < 30000) {
        socket.waitForReadyRead(200);
        answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 200 "), answer.left(200).constData());
    QVERIFY(answer.left(headEnd()).toLower().contains("content-length: " + QByteArray::number(kLimit)));
    QVERIFY(answer.mid(headEnd() + 4) == bytes);
}

void tst_file_streaming::curlUploadIsToldToContinue()
{
    // curl sends `Expect: 100-continue` with a large body and waits for the
    // engine's go-ahead; without one it would wait out its timeout (made
    // far longer than this test's here) before it sent a byte.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString local = dir.filePath(QStringLiteral("upload.bin"));
    const QByteArray bytes = QByteArray(3 << 20, 'c') + "end";
    {
        QFile f(local);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
    }
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"), QStringLiteral("--expect100-timeout"),
                QStringLiteral("600"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                QStringLiteral("Authorization: Bearer ") + m_engine->apiKey(), QStringLiteral("-T"), local,
                m_engine->baseUrl().toString() + content(QStringLiteral("curl/upload.bin"))});
    QVERIFY2(curl.waitForFinished(60000), "curl waited for a 100 Continue that never came");
    QCOMPARE(curl.readAllStandardOutput(), QByteArray("200"));
    E2E_EXPECT(back, m_api->get(content(QStringLiteral("curl/upload.bin"))), 200);
    QVERIFY(back.body == bytes);
}

QTEST_GUILESS_MAIN(tst_file_streaming)
#include "tst_file_streaming.moc"
