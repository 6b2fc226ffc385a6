// SPDX-License-Identifier: GPL-3.0-or-later
// Malformed, oversized and abandoned requests.
#include "AgentTest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <vector>

using namespace Qt::StringLiterals;

void AgentTest::badInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    QTest::newRow("not JSON") << QByteArray("hello there\n") << u"bad_request"_s;
    QTest::newRow("empty line") << QByteArray("\n") << u"bad_request"_s;
    QTest::newRow("truncated JSON") << QByteArray("{\"op\":\"ping\"\n") << u"bad_request"_s;
    QTest::newRow("array") << QByteArray("[1,2,3]\n") << u"bad_request"_s;
    QTest::newRow("string") << QByteArray("\"ping\"\n") << u"bad_request"_s;
    QTest::newRow("number") << QByteArray("42\n") << u"bad_request"_s;
    QTest::newRow("null") << QByteArray("null\n") << u"bad_request"_s;
    QTest::newRow("missing op") << QByteArray("{}\n") << u"bad_request"_s;
    QTest::newRow("op not string") << QByteArray("{\"op\":5}\n") << u"bad_request"_s;
    QTest::newRow("op null") << QByteArray("{\"op\":null}\n") << u"bad_request"_s;
    QTest::newRow("unknown op") << QByteArray("{\"op\":\"format_disk\"}\n") << u"unknown_op"_s;
    QTest::newRow("body_len string") << QByteArray("{\"op\":\"ping\",\"body_len\":\"5\"}\n") << u"bad_request"_s;
    QTest::newRow("body_len negative") << QByteArray("{\"op\":\"ping\",\"body_len\":-1}\n") << u"bad_request"_s;
    QTest::newRow("body_len fraction") << QByteArray("{\"op\":\"ping\",\"body_len\":1.5}\n") << u"bad_request"_s;
    QTest::newRow("body_len over limit") << QByteArray("{\"op\":\"write\",\"path\":\"/tmp/x\",\"body_len\":33554433}\n")
                                         << u"too_large"_s;
    QTest::newRow("body_len huge") << QByteArray("{\"op\":\"write\",\"body_len\":18446744073709551615}\n") << u"too_large"_s;
    QTest::newRow("body_len 1e30") << QByteArray("{\"op\":\"write\",\"body_len\":1e30}\n") << u"bad_request"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"op\":\"\xff\xfe\"}\n") << u"bad_request"_s;
    QTest::newRow("deep nesting") << (QByteArray(500000, '[') + '\n') << u"bad_request"_s;
    QTest::newRow("deep nesting in a field") << (QByteArray("{\"op\":\"ping\",\"x\":") + QByteArray(40, '[')
                                                 + QByteArray(40, ']') + "}\n") << u"bad_request"_s;
    QTest::newRow("brackets inside a string") << QByteArray("{\"op\":\"nope\",\"x\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"\"}\n")
                                              << u"unknown_op"_s;
    QTest::newRow("header over 1 MiB") << QByteArray(1024 * 1024 + 100, 'a') << u"too_large"_s;
    QTest::newRow("long header ok") << (QByteArray("{\"op\":\"nope\",\"pad\":\"") + QByteArray(900000, 'p') + "\"}\n")
                                    << u"unknown_op"_s;
    QTest::newRow("eof check") << QByteArray("{\"op\":\"stdin\",\"command_id\":\"x\",\"eof\":\"yes\"}\n")
                               << u"not_found"_s;
}

void AgentTest::badInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    AgentReply r = m_client->raw(bytes);
    AGENT_EXPECT_REFUSED(r, code);
    expectAgentServing();
}

void AgentTest::disconnectMidRequest_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("half header") << QByteArray("{\"op\":\"wri");
    QTest::newRow("half body") << QByteArray("{\"op\":\"write\",\"path\":\"/tmp/ai2in-never\",\"body_len\":1000}\nabc");
    QTest::newRow("before run answer") << QByteArray("{\"op\":\"run\",\"cmd\":\"sleep 0.3\",\"user\":\"root\"}\n");
    QTest::newRow("before big answer") << QByteArray("{\"op\":\"run\",\"cmd\":\"head -c 3000000 /dev/zero\",\"user\":\"root\"}\n");
}

void AgentTest::disconnectMidRequest()
{
    QFETCH(QByteArray, bytes);
    int fd = m_client->connectSocket();
    QVERIFY(fd >= 0);
    QVERIFY(AgentClient::sendAll(fd, bytes));
    ::close(fd);
    QTest::qWait(50);
    expectAgentServing();
    QTest::qWait(400);
    expectAgentServing();
    QVERIFY(!QFile::exists(u"/tmp/ai2in-never"_s));
}
