// SPDX-License-Identifier: GPL-3.0-or-later
// Terminal echo and run_code latency through the engine, against a loopback
// HTTP round trip to the same engine measured in the same run.

#include "ApiClient.h"
#include "BenchEngine.h"
#include "BenchReport.h"
#include "EngineProcess.h"
#include "WsProbe.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <cstdio>

using namespace BenchReport;

namespace {

constexpr int kEchoSamples = 200;
constexpr int kCodeSamples = 50;
constexpr int kColdSamples = 5;

// The same cold start done by hand on the host, outside any sandbox: the
// stock jupyter_client way to start a kernel and run one cell.
const char kHostColdStart[] =
    "from jupyter_client.manager import start_new_kernel\n"
    "km, kc = start_new_kernel(kernel_name='python3')\n"
    "kc.execute_interactive('1+1', timeout=60)\n"
    "kc.stop_channels(); km.shutdown_kernel(now=True)\n";

double hostColdStartMs()
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QString::fromLatin1(kHostColdStart)});
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        return -1;
    return msSince(t);
}

// One run_code call; true when it ended with an `end` event.
bool runCode(ApiClient &api, const QString &id, const QString &code)
{
    const ApiResponse r = api.post(QStringLiteral("/v1/sandboxes/%1/code").arg(id), {{QStringLiteral("code"), code}});
    return r.status == 200 && r.body.contains("\"type\":\"end\"");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool write = !app.arguments().contains(QStringLiteral("--no-write"));
    EngineProcess engine;
    BenchEngine::start(engine);
    ApiClient api(engine.baseUrl(), engine.apiKey());

    QList<double> health;
    for (int i = 0; i < kEchoSamples; ++i) {
        QElapsedTimer t;
        t.start();
        if (api.get(QStringLiteral("/v1/health")).status != 200)
            die(QStringLiteral("the engine stopped answering"));
        health << msSince(t);
    }

    const QString id = BenchEngine::createSandbox(api);

    // Terminal echo: a byte typed into `cat` in raw mode comes back once.
    const ApiResponse pty = api.post(QStringLiteral("/v1/sandboxes/%1/pty").arg(id),
                                     {{QStringLiteral("cmd"), QStringLiteral("stty raw -echo; cat")}});
    const QString ptyId = pty.json().value(QStringLiteral("pty_id")).toString();
    if (ptyId.isEmpty())
        die(QString::fromUtf8(pty.describe()));
    QUrl url = engine.baseUrl();
    url.setScheme(QStringLiteral("ws"));
    url.setPath(QStringLiteral("/v1/sandboxes/%1/pty/%2/ws").arg(id, ptyId));
    WsProbe ws(url, api.apiKey());
    if (!ws.waitConnected())
        die(QStringLiteral("the terminal's WebSocket did not open"));
    QTest::qWait(500);
    ws.binary.clear();
    QList<double> echo;
    for (int i = 0; i < kEchoSamples; ++i) {
        // An event loop that ends on the echo itself: polling helpers check
        // only every few milliseconds, which would be the measurement.
        const qsizetype before = ws.binary.size();
        QEventLoop loop;
        const auto c = QObject::connect(&ws.ws, &QWebSocket::binaryMessageReceived, &loop, [&] {
            if (ws.binary.size() > before)
                loop.quit();
        }, Qt::QueuedConnection);
        QTimer::singleShot(5000, &loop, [&] { loop.exit(1); });
        QElapsedTimer t;
        t.start();
        ws.ws.sendBinaryMessage("x");
        if (loop.exec() != 0)
            die(QStringLiteral("no echo from the terminal"));
        echo << msSince(t);
        QObject::disconnect(c);
    }

    // run_code: the first call in a sandbox starts its kernel. Each cold
    // sample is a fresh sandbox, alternated with the host baseline so both
    // see the same load.
    QList<double> cold, hostCold;
    for (int i = 0; i < kColdSamples; ++i) {
        const QString fresh = api.createSandbox().json().value(QStringLiteral("sandbox_id")).toString();
        if (fresh.isEmpty())
            die(QStringLiteral("cannot create a sandbox for a cold start"));
        QElapsedTimer t;
        t.start();
        if (!runCode(api, fresh, QStringLiteral("1+1")))
            die(QStringLiteral("the first run_code call failed"));
        cold << msSince(t);
        api.del(QStringLiteral("/v1/sandboxes/") + fresh);
        const double host = hostColdStartMs();
        if (host < 0)
            die(QStringLiteral("the host baseline (python3 with jupyter_client and ipykernel) failed"));
        hostCold << host;
    }
    if (!runCode(api, id, QStringLiteral("1+1")))
        die(QStringLiteral("the first run_code call failed"));
    QList<double> warm;
    for (int i = 0; i < kCodeSamples; ++i) {
        QElapsedTimer t;
        t.start();
        if (!runCode(api, id, QStringLiteral("1+1")))
            die(QStringLiteral("run_code failed"));
        warm << msSince(t);
    }
    api.del(QStringLiteral("/v1/sandboxes/") + id);

    const double healthP50 = percentile(health, 0.5);
    const QString base = QStringLiteral("%1 (`GET /v1/health`)").arg(fmt(healthP50, 2));
    const QList<Row> rows = {
        {QStringLiteral("terminal echo over WebSocket, p50 (ms)"), fmt(percentile(echo, 0.5), 2), base,
         QStringLiteral("≤ 5 ms"), percentile(echo, 0.5) <= 5 ? 1 : 0},
        {QStringLiteral("terminal echo over WebSocket, p99 (ms)"), fmt(percentile(echo, 0.99), 2), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("`run_code(\"1+1\")` warm, p50 (ms)"), fmt(percentile(warm, 0.5), 1), base,
         QStringLiteral("≤ 20 ms"), percentile(warm, 0.5) <= 20 ? 1 : 0},
        {QStringLiteral("`run_code` first call (kernel start), p50 (ms)"), fmt(percentile(cold, 0.5), 0),
         QStringLiteral("%1 (host, stock `jupyter_client`)").arg(fmt(percentile(hostCold, 0.5), 0)),
         QStringLiteral("≤ 1500 ms"), percentile(cold, 0.5) <= 1500 ? 1 : 0},
        {QStringLiteral("`run_code` first call, slowest of %1 (ms)").arg(kColdSamples), fmt(percentile(cold, 1.0), 0),
         fmt(percentile(hostCold, 1.0), 0), QStringLiteral("—"), -1},
    };
    const QString section = QStringLiteral("## Terminals and run_code (`bench/bench_interactive`)\n\n%1\n"
                                           "Samples: %2 echoes, %3 warm cells, %4 cold starts (each in a "
                                           "fresh sandbox with the default 2 CPUs).\n\n")
                                .arg(machineLine())
                                .arg(kEchoSamples)
                                .arg(kCodeSamples)
                                .arg(kColdSamples) +
                            markdownTable(rows) + QLatin1Char('\n');
    std::printf("%s", qPrintable(section));
    if (write) {
        QString error;
        if (!writeSection(QStringLiteral(AI2IN_PERFORMANCE_MD), QStringLiteral("bench_interactive"), section, &error))
            die(error);
    }
    return 0;
}
