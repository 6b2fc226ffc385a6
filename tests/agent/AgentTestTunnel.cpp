// SPDX-License-Identifier: GPL-3.0-or-later
// `tunnel`: a client connection becomes a byte pipe to a port in the sandbox.
#include "AgentTest.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QJsonArray>
#include <QTest>

#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kBig = 50 * 1024 * 1024;

// Reads the answer line byte by byte so no relayed byte is taken with it.
int openTunnel(const AgentClient& client, const QJsonValue& port, QJsonObject* answer)
{
    int fd = client.connectSocket();
    if (fd < 0)
        return -1;
    QJsonObject h{{u"op"_s, u"tunnel"_s}};
    if (!port.isUndefined())
        h.insert(u"port"_s, port);
    if (!AgentClient::sendAll(fd, QJsonDocument(h).toJson(QJsonDocument::Compact) + '\n')) {
        ::close(fd);
        return -1;
    }
    QByteArray line;
    QDeadlineTimer deadline(15000);
    while (!line.endsWith('\n') && !deadline.hasExpired()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, int(deadline.remainingTime())) <= 0)
            continue;
        char ch;
        ssize_t n = ::recv(fd, &ch, 1, 0);
        if (n <= 0)
            break;
        line.append(ch);
    }
    *answer = QJsonDocument::fromJson(line).object();
    return fd;
}

// Everything up to EOF, or what came before an error or the deadline.
QByteArray readToEnd(int fd, int timeoutMs, bool* eof)
{
    QByteArray data;
    QDeadlineTimer deadline(timeoutMs);
    std::vector<char> buf(1 << 20);
    *eof = false;
    while (!deadline.hasExpired()) {
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, int(deadline.remainingTime()));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *eof = n == 0;
            break;
        }
        data.append(buf.data(), n);
    }
    return data;
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray data(size, Qt::Uninitialized);
    auto* words = reinterpret_cast<quint32*>(data.data());
    QRandomGenerator::global()->fillRange(words, size_t(size) / sizeof(quint32));
    return data;
}

int descriptorCount(qint64 pid)
{
    return int(QDir(u"/proc/%1/fd"_s.arg(pid)).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System).size());
}

qint64 residentKiB(qint64 pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Reads until EOF, answers "<bytes> <sha256>\n" and closes: checks the
// client-to-port direction and that the client's EOF arrives as an EOF.
const char* const kHashServer = R"(import hashlib, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
while True:
    c, _ = s.accept()
    h, n = hashlib.sha256(), 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        h.update(d)
        n += len(d)
    c.sendall(f"{n} {h.hexdigest()}\n".encode())
    c.close()
)";

} // namespace

void AgentTest::tunnelRelaysHttp()
{
    QByteArray big = randomBytes(kBig);
    QDir(m_dir.path()).mkpath(u"www"_s);
    QFile file(path(u"www/big.bin"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(big), kBig);
    file.close();
    QByteArray expected = QCryptographicHash::hash(big, QCryptographicHash::Sha256);
    big.clear();

    quint16 port = freePort();
    QString server = startServer(u"exec python3 -m http.server %1 --bind 127.0.0.1 -d %2"_s.arg(port).arg(path(u"www"_s)), port);
    QVERIFY2(!server.isEmpty(), "the http.server did not start");

    // A page.
    QJsonObject answer;
    int fd = openTunnel(*m_client, port, &answer);
    QVERIFY(fd >= 0);
    QCOMPARE(answer, (QJsonObject{{u"ok"_s, true}}));
    QVERIFY(AgentClient::sendAll(fd, "GET / HTTP/1.0\r\n\r\n"));
    bool eof = false;
    QByteArray page = readToEnd(fd, 10000, &eof);
    ::close(fd);
    QVERIFY(eof);
    QVERIFY2(page.startsWith("HTTP/1.0 200"), page.left(200).constData());
    QVERIFY(page.contains("big.bin"));

    // 50 MB, with a pause in which nobody reads: the agent must not buffer it all.
    qint64 rssBefore = residentKiB(m_agent.processId());
    fd = openTunnel(*m_client, port, &answer);
    QVERIFY(answer.value(u"ok"_s).toBool());
    QVERIFY(AgentClient::sendAll(fd, "GET /big.bin HTTP/1.0\r\n\r\n"));
    QTest::qWait(1500);
    qint64 rssPaused = residentKiB(m_agent.processId());
    QByteArray response = readToEnd(fd, 60000, &eof);
    ::close(fd);
    QVERIFY(eof);
    qsizetype bodyAt = response.indexOf("\r\n\r\n");
    QVERIFY(bodyAt > 0);
    QByteArray body = response.mid(bodyAt + 4);
    QCOMPARE(body.size(), kBig);
    QCOMPARE(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex(), expected.toHex());
    QVERIFY2(rssPaused - rssBefore < 16 * 1024,
             qPrintable(u"the agent grew by %1 KiB while the client did not read"_s.arg(rssPaused - rssBefore)));

    QVERIFY(call({{u"op"_s, u"kill"_s}, {u"command_id"_s, server}, {u"signal"_s, 9}}).ok());
    QVERIFY(QFile::remove(path(u"www/big.bin"_s)));
}

void AgentTest::tunnelUploadWithHalfClose()
{
    QFile script(path(u"hash_server.py"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kHashServer);
    script.close();
    quint16 port = freePort();
    QString server = startServer(u"exec python3 %1 %2"_s.arg(script.fileName()).arg(port), port);
    QVERIFY2(!server.isEmpty(), "the hash server did not start");

    QByteArray upload = randomBytes(kBig);
    QJsonObject answer;
    int fd = openTunnel(*m_client, port, &answer);
    QCOMPARE(answer, (QJsonObject{{u"ok"_s, true}}));
    QVERIFY(AgentClient::sendAll(fd, upload));
    // Our EOF must reach the server as its EOF, and its answer must still come back.
    QCOMPARE(::shutdown(fd, SHUT_WR), 0);
    bool eof = false;
    QByteArray reply = readToEnd(fd, 30000, &eof);
    ::close(fd);
    QVERIFY(eof);
    QCOMPARE(reply, QByteArray::number(kBig) + ' '
                        + QCryptographicHash::hash(upload, QCryptographicHash::Sha256).toHex() + '\n');

    // An empty upload: EOF right away.
    fd = openTunnel(*m_client, port, &answer);
    QVERIFY(answer.value(u"ok"_s).toBool());
    QCOMPARE(::shutdown(fd, SHUT_WR), 0);
    reply = readToEnd(fd, 10000, &eof);
    ::close(fd);
    QVERIFY(reply.startsWith("0 e3b0c442"));

    QVERIFY(call({{u"op"_s, u"kill"_s}, {u"command_id"_s, server}, {u"signal"_s, 9}}).ok());
}

void AgentTest::tunnelPeersVanish()
{
    QByteArray big = randomBytes(8 * 1024 * 1024);
    QDir(m_dir.path()).mkpath(u"www2"_s);
    QFile file(path(u"www2/big.bin"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(big);
    file.close();
    quint16 webPort = freePort();
    QString web = startServer(u"exec python3 -m http.server %1 --bind 127.0.0.1 -d %2"_s.arg(webPort).arg(path(u"www2"_s)), webPort);
    QVERIFY(!web.isEmpty());
    QFile script(path(u"hash_server.py"_s));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kHashServer);
    script.close();
    quint16 hashPort = freePort();
    QString hash = startServer(u"exec python3 %1 %2"_s.arg(script.fileName()).arg(hashPort), hashPort);
    QVERIFY(!hash.isEmpty());
    const qint64 pid = m_agent.processId();
    const int baseline = descriptorCount(pid);

    // The client leaves in the middle of a download.
    for (int i = 0; i < 5; ++i) {
        QJsonObject answer;
        int fd = openTunnel(*m_client, webPort, &answer);
        QVERIFY(answer.value(u"ok"_s).toBool());
        QVERIFY(AgentClient::sendAll(fd, "GET /big.bin HTTP/1.0\r\n\r\n"));
        char some[4096];
        QVERIFY(::recv(fd, some, sizeof some, 0) > 0);
        ::close(fd);
    }
    // The client leaves while the server waits for more (only a full close,
    // no shutdown first).
    {
        QJsonObject answer;
        int fd = openTunnel(*m_client, hashPort, &answer);
        QVERIFY(answer.value(u"ok"_s).toBool());
        QVERIFY(AgentClient::sendAll(fd, "partial"));
        ::close(fd);
    }
    QTRY_VERIFY_WITH_TIMEOUT(descriptorCount(pid) <= baseline, 5000);

    // The server goes away in the middle of an upload: the client sees the end.
    QJsonObject answer;
    int fd = openTunnel(*m_client, hashPort, &answer);
    QVERIFY(answer.value(u"ok"_s).toBool());
    QVERIFY(AgentClient::sendAll(fd, QByteArray(1 << 20, 'x')));
    QVERIFY(call({{u"op"_s, u"kill"_s}, {u"command_id"_s, hash}, {u"signal"_s, 9}}).ok());
    bool eof = false;
    readToEnd(fd, 10000, &eof);
    ::close(fd);
    QVERIFY(waitForStatus(hash, u"killed"_s, 5000));
    QTRY_VERIFY_WITH_TIMEOUT(descriptorCount(pid) <= baseline, 5000);

    QVERIFY(call({{u"op"_s, u"kill"_s}, {u"command_id"_s, web}, {u"signal"_s, 9}}).ok());
    expectAgentServing();
}

void AgentTest::tunnelRefused()
{
    quint16 port = freePort();
    QVERIFY(port != 0);
    QJsonObject answer;
    int fd = openTunnel(*m_client, port, &answer);
    QVERIFY(fd >= 0);
    bool eof = false;
    readToEnd(fd, 5000, &eof);
    ::close(fd);
    QVERIFY(eof);
    QCOMPARE(answer.value(u"ok"_s).toBool(true), false);
    QJsonObject error = answer.value(u"error"_s).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"connection_refused"_s);
    QVERIFY2(error.value(u"message"_s).toString().contains(QString::number(port)),
             qPrintable(error.value(u"message"_s).toString()));
}

void AgentTest::tunnelBadPort_data()
{
    QTest::addColumn<QJsonValue>("port");
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("null") << QJsonValue(QJsonValue::Null);
    QTest::newRow("zero") << QJsonValue(0);
    QTest::newRow("negative") << QJsonValue(-80);
    QTest::newRow("65536") << QJsonValue(65536);
    QTest::newRow("huge") << QJsonValue(1e20);
    QTest::newRow("fraction") << QJsonValue(80.5);
    QTest::newRow("string") << QJsonValue(u"80"_s);
    QTest::newRow("boolean") << QJsonValue(true);
    QTest::newRow("array") << QJsonValue(QJsonArray{80});
    QTest::newRow("object") << QJsonValue(QJsonObject{{u"port"_s, 80}});
}

void AgentTest::tunnelBadPort()
{
    QFETCH(QJsonValue, port);
    QJsonObject answer;
    int fd = openTunnel(*m_client, port, &answer);
    QVERIFY(fd >= 0);
    ::close(fd);
    QCOMPARE(answer.value(u"ok"_s).toBool(true), false);
    QCOMPARE(answer.value(u"error"_s).toObject().value(u"code"_s).toString(), u"bad_request"_s);
    QVERIFY(!answer.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
    expectAgentServing();
}
