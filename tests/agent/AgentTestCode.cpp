// SPDX-License-Identifier: GPL-3.0-or-later
// run_code: the agent's kernel driver with a real ipykernel (Debian's python3).
#include "AgentTest.h"

#include "AgentFrameReader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

bool haveJupyter()
{
    QProcess p;
    p.start(u"/usr/bin/python3"_s, {u"-c"_s, u"import jupyter_client, ipykernel, matplotlib"_s});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

QList<QJsonObject> AgentTest::runCode(const QString& code, int timeoutMs) const
{
    QJsonObject h{{u"op"_s, u"code_run"_s}, {u"code"_s, code}};
    if (timeoutMs > 0)
        h.insert(u"timeout_ms"_s, timeoutMs);
    AgentFrameReader reader;
    QList<QJsonObject> frames;
    if (!reader.open(path(u"a.sock"_s), h)) {
        frames << QJsonObject{{u"type"_s, u"transport"_s}, {u"text"_s, reader.error()}};
        return frames;
    }
    frames << reader.answer();
    while (auto f = reader.next(120000))
        frames << f->header;
    return frames;
}

static QJsonObject frameOf(const QList<QJsonObject>& frames, const QString& type)
{
    for (const QJsonObject& f : frames) {
        if (f.value(u"type"_s).toString() == type)
            return f;
    }
    return {};
}

void AgentTest::codeRunKeepsStateAndMapsOutput()
{
    if (!haveJupyter())
        QSKIP("/usr/bin/python3 lacks jupyter_client, ipykernel or matplotlib (apt-get install python3-ipykernel "
              "python3-jupyter-client python3-matplotlib)");
    QElapsedTimer cold;
    cold.start();
    QList<QJsonObject> f = runCode(u"x = 41"_s);
    qInfo("cold start and first execution: %lld ms", cold.elapsed());
    QCOMPARE(f.value(0), (QJsonObject{{u"ok"_s, true}}));
    QCOMPARE(f.last().value(u"type"_s).toString(), u"end"_s);

    QElapsedTimer warm;
    warm.start();
    f = runCode(u"x + 1"_s);
    qInfo("warm x + 1: %lld ms", warm.elapsed());
    QJsonObject result = frameOf(f, u"result"_s).value(u"result"_s).toObject();
    QCOMPARE(result.value(u"text"_s).toString(), u"42"_s);
    QCOMPARE(result.value(u"is_main_result"_s).toBool(), true);
    QVERIFY(result.contains(u"png"_s) && result.value(u"png"_s).isNull());
    QJsonObject end = f.last();
    QCOMPARE(end.value(u"type"_s).toString(), u"end"_s);
    QVERIFY(end.value(u"execution_count"_s).toInt() >= 2);

    f = runCode(u"print('hello')\nimport sys\nprint('oops', file=sys.stderr)"_s);
    QCOMPARE(frameOf(f, u"stdout"_s).value(u"text"_s).toString(), u"hello\n"_s);
    QCOMPARE(frameOf(f, u"stderr"_s).value(u"text"_s).toString(), u"oops\n"_s);

    f = runCode(u"def boom():\n    raise ValueError('bad value')\nboom()"_s);
    QJsonObject error = frameOf(f, u"error"_s).value(u"error"_s).toObject();
    QCOMPARE(error.value(u"name"_s).toString(), u"ValueError"_s);
    QCOMPARE(error.value(u"value"_s).toString(), u"bad value"_s);
    QString traceback = error.value(u"traceback"_s).toString();
    QVERIFY2(traceback.contains(u"boom()"_s) && traceback.contains(u'\n'), qPrintable(traceback));
    QVERIFY2(!traceback.contains(u'\x1b'), "ANSI colour codes must be stripped");
    QCOMPARE(f.last().value(u"type"_s).toString(), u"end"_s);

    f = runCode(u"import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()"_s);
    QJsonObject figure;
    for (const QJsonObject& frame : f) {
        QJsonObject r = frame.value(u"result"_s).toObject();
        if (!r.value(u"png"_s).toString().isEmpty())
            figure = r;
    }
    QVERIFY2(!figure.isEmpty(), "a matplotlib figure must come back as a PNG");
    QByteArray png = QByteArray::fromBase64(figure.value(u"png"_s).toString().toLatin1());
    QVERIFY(png.startsWith("\x89PNG"));
    QCOMPARE(figure.value(u"is_main_result"_s).toBool(true), false);
}

void AgentTest::codeTimeoutInterrupts()
{
    if (!haveJupyter())
        QSKIP("/usr/bin/python3 lacks jupyter_client");
    QElapsedTimer t;
    t.start();
    QList<QJsonObject> f = runCode(u"import time\ntime.sleep(10)"_s, 500);
    QVERIFY2(t.elapsed() < 8000, "the timeout must interrupt the sleep");
    QJsonObject error = frameOf(f, u"error"_s).value(u"error"_s).toObject();
    QCOMPARE(error.value(u"name"_s).toString(), u"TimeoutError"_s);
    QVERIFY(!error.value(u"value"_s).toString().isEmpty());
    QCOMPARE(f.last().value(u"type"_s).toString(), u"end"_s);
    // The kernel is still the same one, and still works.
    f = runCode(u"y = 5\ny * 2"_s);
    QCOMPARE(frameOf(f, u"result"_s).value(u"result"_s).toObject().value(u"text"_s).toString(), u"10"_s);
}

void AgentTest::codeRestartForgets()
{
    if (!haveJupyter())
        QSKIP("/usr/bin/python3 lacks jupyter_client");
    QList<QJsonObject> f = runCode(u"z = 7"_s);
    QCOMPARE(f.last().value(u"type"_s).toString(), u"end"_s);
    AgentReply r = m_client->request({{u"op"_s, u"code_restart"_s}}, {}, 90000);
    QVERIFY2(r.ok(), qPrintable(r.errorMessage() + r.transportError));
    f = runCode(u"z"_s);
    QCOMPARE(frameOf(f, u"error"_s).value(u"error"_s).toObject().value(u"name"_s).toString(), u"NameError"_s);
    QVERIFY(m_client->request({{u"op"_s, u"code_interrupt"_s}}).ok());
}

void AgentTest::codeBadInput_data()
{
    QTest::addColumn<QJsonObject>("header");
    QTest::newRow("code missing") << QJsonObject{{u"op"_s, u"code_run"_s}};
    QTest::newRow("code null") << QJsonObject{{u"op"_s, u"code_run"_s}, {u"code"_s, QJsonValue::Null}};
    QTest::newRow("code number") << QJsonObject{{u"op"_s, u"code_run"_s}, {u"code"_s, 5}};
    QTest::newRow("code array") << QJsonObject{{u"op"_s, u"code_run"_s}, {u"code"_s, QJsonArray{u"1"_s}}};
    QTest::newRow("timeout zero") << QJsonObject{{u"op"_s, u"code_run"_s}, {u"code"_s, u"1"_s}, {u"timeout_ms"_s, 0}};
    QTest::newRow("timeout string") << QJsonObject{{u"op"_s, u"code_run"_s}, {u"code"_s, u"1"_s}, {u"timeout_ms"_s, u"5"_s}};
    QTest::newRow("unknown field") << QJsonObject{{u"op"_s, u"code_run"_s}, {u"code"_s, u"1"_s}, {u"language"_s, u"r"_s}};
    QTest::newRow("interrupt with a field") << QJsonObject{{u"op"_s, u"code_interrupt"_s}, {u"id"_s, 1}};
    QTest::newRow("restart with a field") << QJsonObject{{u"op"_s, u"code_restart"_s}, {u"now"_s, true}};
}

void AgentTest::codeBadInput()
{
    QFETCH(QJsonObject, header);
    AgentReply r = m_client->request(header);
    QVERIFY2(r.received, qPrintable(r.transportError));
    QCOMPARE(r.errorCode(), u"bad_request"_s);
    QVERIFY(!r.errorMessage().isEmpty());
    expectAgentServing();
}
