// SPDX-License-Identifier: GPL-3.0-or-later
// bench_network: a sandbox's network against the host's own, in one run.
// TCP throughput and connection set-up from a sandbox to a listener on a
// test host (a network namespace of the bench's own, 198.18.0.0/15 behind a
// blackhole route) against the same program sending from the host; and the
// create → first command latency of an engine with sandbox networks against
// one started with --network none. Writes its section of docs/performance.md.
//
// Usage: bench_network [--no-write] [--output FILE] [--mib N] [--creates N]

#include "ApiClient.h"
#include "BenchEngine.h"
#include "BenchReport.h"
#include "EngineProcess.h"
#include "TestHost.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <cstdio>

using BenchReport::die;
using BenchReport::fmt;

namespace {

QString script()
{
    return QStringLiteral(AI2IN_NETWORK_TEST_DIR "/tcp_send.py");
}

double fromHost(const QStringList &args)
{
    bool ok = false;
    const QByteArray out = TestHost::tool(QStringLiteral("python3"), QStringList{script()} + args, &ok);
    if (!ok)
        die(QStringLiteral("tcp_send.py on the host: %1").arg(QString::fromUtf8(out)));
    return out.trimmed().toDouble();
}

double fromSandbox(ApiClient &api, const QString &id, const QStringList &args)
{
    const ApiResponse r = api.run(id, QStringLiteral("python3 /tmp/tcp_send.py %1").arg(args.join(QLatin1Char(' '))));
    if (r.status != 200 || r.json().value(QStringLiteral("exit_code")).toInt(-1) != 0)
        die(QStringLiteral("tcp_send.py in the sandbox: %1").arg(QString::fromUtf8(r.describe())));
    return r.json().value(QStringLiteral("stdout")).toString().trimmed().toDouble();
}

// Create → first command, each sandbox killed after: the time in ms.
double createOnce(ApiClient &api)
{
    QElapsedTimer t;
    t.start();
    const QString id = BenchEngine::createSandbox(api);
    const ApiResponse r = api.run(id, QStringLiteral("true"));
    if (r.status != 200)
        die(QStringLiteral("first command failed: %1").arg(QString::fromUtf8(r.describe())));
    const double ms = BenchReport::msSince(t);
    api.del(QStringLiteral("/v1/sandboxes/") + id);
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const BenchReport::Args args{app.arguments()};
    const bool write = args.write();
    const QString outPath = args.outputPath(QStringLiteral(AI2IN_PERFORMANCE_MD));
    const int mib = args.value("--mib", QStringLiteral("512")).toInt();
    const int creates = args.value("--creates", QStringLiteral("20")).toInt();
    if (mib < 1 || creates < 1)
        die(QStringLiteral("--mib and --creates must be positive"));
    if (!EngineProcess::templateExists())
        die(QStringLiteral("no base template in %1 (build it with ./dev.sh)").arg(EngineProcess::templatesDir()));

    TestHost host;
    QString error;
    if (!host.up(&error))
        die(error);
    host.run(QStringLiteral("python3"), {QStringLiteral(AI2IN_NETWORK_TEST_DIR "/tcp_sink.py"), host.address(2),
                                         QStringLiteral("9000")});
    QThread::msleep(500);
    // One round per call, host and sandbox taking turns, so a busy moment
    // of the shared machine hits both sides alike.
    const QStringList sendArgs{host.address(2), QStringLiteral("9000"), QString::number(mib), QStringLiteral("1")};
    constexpr int kRounds = 5;
    const QStringList connectArgs{QStringLiteral("--connect"), host.address(2), QStringLiteral("9000"), QStringLiteral("200")};

    double sandboxRate = 0, hostRate = 0, sandboxConnect = 0, hostConnect = 0, withNetwork = 0, without = 0;
    {
        EngineProcess engine;
        BenchEngine::start(engine);
        ApiClient api(engine.baseUrl(), engine.apiKey());
        const QString id = BenchEngine::createSandbox(api);
        QFile f(script());
        if (!f.open(QIODevice::ReadOnly))
            die(QStringLiteral("cannot read %1").arg(script()));
        api.put(QStringLiteral("/v1/sandboxes/%1/files/content?path=/tmp/tcp_send.py").arg(id), f.readAll());
        std::fprintf(stderr, "throughput: %d × %d MiB from the host and from a sandbox, in turns …\n", kRounds, mib);
        for (int round = 0; round < kRounds; ++round) {
            hostRate = std::max(hostRate, fromHost(sendArgs));
            sandboxRate = std::max(sandboxRate, fromSandbox(api, id, sendArgs));
        }
        std::fprintf(stderr, "connection set-up: 200 from each …\n");
        hostConnect = fromHost(connectArgs);
        sandboxConnect = fromSandbox(api, id, connectArgs);
        api.killAllSandboxes();
        // Both engines run side by side and take turns, so a busy moment
        // of the shared machine hits both alike.
        EngineProcess plain({QStringLiteral("--network"), QStringLiteral("none")});
        BenchEngine::start(plain);
        ApiClient plainApi(plain.baseUrl(), plain.apiKey());
        std::fprintf(stderr, "create → first command: %d with networks and %d with --network none, in turns …\n",
                     creates, creates);
        QList<double> withMs, withoutMs;
        for (int i = 0; i < creates; ++i) {
            // Who goes first alternates too.
            if (i % 2 == 0)
                withMs << createOnce(api);
            withoutMs << createOnce(plainApi);
            if (i % 2 == 1)
                withMs << createOnce(api);
        }
        withNetwork = BenchReport::percentile(withMs, 0.5);
        without = BenchReport::percentile(withoutMs, 0.5);
    }
    host.down();

    const double ratio = sandboxRate / hostRate;
    const double extra = withNetwork - without;
    const QList<BenchReport::Row> rows{
        {QStringLiteral("TCP throughput to the test host, best of %1 × %2 MiB, in turns (MiB/s)").arg(kRounds).arg(mib),
         fmt(sandboxRate),
         fmt(hostRate) + QStringLiteral(" (the same sender on the host)"),
         QStringLiteral("ratio ≥ 0.8 (now %1)").arg(fmt(ratio, 2)), ratio >= 0.8 ? 1 : 0},
        {QStringLiteral("TCP connection set-up, median of 200 (ms)"), fmt(sandboxConnect, 3),
         fmt(hostConnect, 3) + QStringLiteral(" (from the host)"), QStringLiteral("—"), -1},
        {QStringLiteral("create → first command, p50 of %1 (ms)").arg(creates), fmt(withNetwork),
         fmt(without) + QStringLiteral(" (`--network none`)"), QStringLiteral("≤ +2 ms (now %1)").arg(fmt(extra)),
         extra <= 2.0 ? 1 : 0},
    };
    const QString section = QStringLiteral("## Sandbox networks (`bench/bench_network`)\n\n%1\n"
                                           "A sandbox sends through its veth link, the host's forward path and NAT to\n"
                                           "a listener in a test network namespace; the baseline is the same Python\n"
                                           "sender on the host, which reaches the namespace directly. Creates\n"
                                           "alternate between an engine with networks and one with `--network none`,\n"
                                           "both running.\n\n%2\n")
                                .arg(BenchReport::machineLine(), BenchReport::markdownTable(rows));
    std::printf("%s", qPrintable(section));
    if (write && !BenchReport::writeSection(outPath, QStringLiteral("bench_network"), section, &error))
        die(error);
    return 0;
}
