// SPDX-License-Identifier: GPL-3.0-or-later
// bench_preview: download throughput through the engine's preview proxy
// (client → ai2ind → agent tunnel → python http.server in a sandbox) against
// the same size of file fetched straight from a python http.server on the
// host over loopback, in the same run. Writes its section of
// docs/performance.md.
//
// Usage: bench_preview [--no-write] [--output FILE] [--mib N] [--rounds N]

#include "ApiClient.h"
#include "BenchEngine.h"
#include "BenchReport.h"
#include "EngineProcess.h"
#include "PreviewClient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QSysInfo>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>

using BenchReport::die;

namespace {

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

// Best of `rounds` downloads, in MiB/s; each download is checked for size.
double bestMibPerSecond(quint16 port, const QByteArray &host, qint64 bytes, int rounds)
{
    double best = 0;
    for (int i = 0; i < rounds; ++i) {
        PreviewClient c(port, 300000);
        QElapsedTimer t;
        t.start();
        const auto r = c.get(host, "/big.bin");
        const double s = double(t.nsecsElapsed()) / 1e9;
        if (r.status != 200 || r.body.size() != bytes)
            die(QStringLiteral("download from %1 failed: %2 (%3 bytes)")
                    .arg(QString::fromLatin1(host), QString::fromUtf8(r.describe().left(200)))
                    .arg(r.body.size()));
        best = std::max(best, double(bytes) / (1024.0 * 1024.0) / s);
    }
    return best;
}

bool waitForHttp(quint16 port, const QByteArray &host, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        PreviewClient c(port, 2000);
        if (c.get(host, "/").status == 200)
            return true;
        QThread::msleep(200);
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const BenchReport::Args args{app.arguments()};
    const bool write = args.write();
    const QString outPath = args.outputPath(QStringLiteral(AI2IN_PERFORMANCE_MD));
    const int mib = args.value("--mib", QStringLiteral("100")).toInt();
    const int rounds = args.value("--rounds", QStringLiteral("3")).toInt();
    const qint64 bytes = qint64(mib) * 1024 * 1024;
    if (mib < 1 || rounds < 1)
        die(QStringLiteral("--mib and --rounds must be positive"));
    if (!EngineProcess::templateExists())
        die(QStringLiteral("no base template in %1 (build it with ./dev.sh)").arg(EngineProcess::templatesDir()));

    // Baseline: the same server program on the host, over loopback.
    QTemporaryDir dir;
    {
        QFile big(dir.filePath(QStringLiteral("big.bin")));
        if (!big.open(QIODevice::WriteOnly))
            die(QStringLiteral("cannot write %1").arg(big.fileName()));
        QByteArray chunk(1024 * 1024, '\0');
        for (int i = 0; i < chunk.size(); ++i)
            chunk[i] = char(i * 31 + 7);
        for (int i = 0; i < mib; ++i)
            big.write(chunk);
    }
    const quint16 directPort = freePort();
    QProcess direct;
    direct.setWorkingDirectory(dir.path());
    direct.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    direct.setStandardOutputFile(QProcess::nullDevice());
    direct.start(QStringLiteral("python3"), {QStringLiteral("-m"), QStringLiteral("http.server"), QString::number(directPort),
                                             QStringLiteral("--bind"), QStringLiteral("127.0.0.1")});
    if (!waitForHttp(directPort, "127.0.0.1", 20000))
        die(QStringLiteral("the host's python3 -m http.server did not start"));

    EngineProcess engine;
    BenchEngine::start(engine);
    ApiClient api(engine.baseUrl(), engine.apiKey());
    const QString id = BenchEngine::createSandbox(api);
    const ApiResponse made = api.run(id, QStringLiteral("head -c %1 /dev/urandom > big.bin").arg(bytes));
    if (made.status != 200)
        die(QStringLiteral("cannot make the file: %1").arg(QString::fromUtf8(made.describe())));
    const ApiResponse started = api.post(QStringLiteral("/v1/sandboxes/%1/commands").arg(id),
                                         QJsonObject{{QStringLiteral("cmd"), QStringLiteral("python3 -m http.server 3000")},
                                                     {QStringLiteral("background"), true}});
    if (started.status != 201)
        die(QStringLiteral("cannot start the server: %1").arg(QString::fromUtf8(started.describe())));
    const QByteArray host = QStringLiteral("3000-%1.localhost:%2").arg(id).arg(engine.previewPort()).toLatin1();
    if (!waitForHttp(engine.previewPort(), host, 30000))
        die(QStringLiteral("the sandbox's server is not reachable through the proxy"));

    std::fprintf(stderr, "direct: %d × %d MiB …\n", rounds, mib);
    const double directRate = bestMibPerSecond(directPort, "127.0.0.1", bytes, rounds);
    std::fprintf(stderr, "proxy: %d × %d MiB …\n", rounds, mib);
    const double proxyRate = bestMibPerSecond(engine.previewPort(), host, bytes, rounds);
    api.killAllSandboxes();
    direct.kill();
    direct.waitForFinished(5000);

    const double ratio = proxyRate / directRate;
    const QString section =
        QStringLiteral("## Preview proxy (`bench/bench_preview`)\n\n"
                       "Run %1 on %2 CPUs, kernel %3. Best of %4 downloads of a %5 MiB file by a\n"
                       "client on loopback: through the preview proxy (ai2ind → agent tunnel →\n"
                       "`python3 -m http.server` in a sandbox) and, as the baseline, straight from\n"
                       "`python3 -m http.server` on the host.\n\n"
                       "| measure | ai2ind | baseline | goal | result |\n| --- | --- | --- | --- | --- |\n"
                       "| download throughput (MiB/s) | %6 | %7 (direct loopback) | ratio ≥ 0.5 (now %8) | %9 |\n\n")
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'")))
            .arg(QThread::idealThreadCount())
            .arg(QSysInfo::kernelVersion())
            .arg(rounds)
            .arg(mib)
            .arg(QString::number(proxyRate, 'f', 1), QString::number(directRate, 'f', 1),
                 QString::number(ratio, 'f', 2), ratio >= 0.5 ? QStringLiteral("pass") : QStringLiteral("**fail**"));
    std::printf("%s", qPrintable(section));
    QString error;
    if (write && !BenchReport::writeSection(outPath, QStringLiteral("bench_preview"), section, &error))
        die(error);
    return 0;
}
