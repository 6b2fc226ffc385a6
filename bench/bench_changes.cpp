// SPDX-License-Identifier: GPL-3.0-or-later
// bench_changes: what a sandbox changed, listed by the engine and laid out
// by the app, against the host's own `find` over the same layer.
//
// A sandbox writes N files (default 10 000) in 100 folders. In turns, the
// app's path — `GET …/changes` (the engine walks the sandbox's layer on the
// host), ChangeList::fromJson and a fresh ChangeTreeModel::setChanges — and
// the baseline — `find` over the sandbox's upper directory on the host,
// printing type, size, time and path of each entry, as the engine reads
// them — are timed; the p50s and their ratio go to docs/performance.md.
//
// Usage: bench_changes [--no-write] [--output FILE] [--files N] [--rounds N]

#include "ApiClient.h"
#include "BenchEngine.h"
#include "ChangeEntry.h"
#include "ChangeTreeModel.h"
#include "EngineProcess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

using BenchReport::die;
using BenchReport::fmt;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const BenchReport::Args args{app.arguments()};
    const int files = args.value("--files", QStringLiteral("10000")).toInt();
    const int rounds = args.value("--rounds", QStringLiteral("7")).toInt();
    if (files < 100 || rounds < 1)
        die(QStringLiteral("--files must be at least 100 and --rounds positive"));
    if (!EngineProcess::templateExists())
        die(QStringLiteral("no base template in %1 (build it with ./dev.sh)").arg(EngineProcess::templatesDir()));

    EngineProcess engine;
    BenchEngine::start(engine);
    ApiClient api(engine.baseUrl(), engine.apiKey());
    const QString id = BenchEngine::createSandbox(api);
    std::fprintf(stderr, "writing %d files in the sandbox …\n", files);
    const ApiResponse made = api.run(
        id, QStringLiteral("python3 -c \"import os\nfor i in range(%1):\n    d = '/home/sandbox/work/d%2' % (i % 100)\n"
                           "    os.makedirs(d, exist_ok=True)\n    open(d + '/f%3.txt' % i, 'w').write('x' * (i % 300))\"")
                .arg(files)
                .arg(QStringLiteral("%d"), QStringLiteral("%d")));
    if (made.status != 200 || made.json().value(QStringLiteral("exit_code")).toInt(-1) != 0)
        die(QStringLiteral("cannot write the files: %1").arg(QString::fromUtf8(made.describe())));
    const QString upper = engine.dataDir() + QStringLiteral("/sandboxes/") + id + QStringLiteral("/disk/upper");
    if (!QFileInfo(upper).isDir())
        die(QStringLiteral("no upper directory at %1").arg(upper));

    QList<double> appMs, findMs, getMs, parseMs;
    qsizetype listed = 0;
    qint64 findLines = 0;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer t;
        t.start();
        const ApiResponse r = api.get(QStringLiteral("/v1/sandboxes/%1/changes?limit=100000").arg(id));
        if (r.status != 200)
            die(QStringLiteral("GET …/changes: %1").arg(QString::fromUtf8(r.describe())));
        getMs << BenchReport::msSince(t);
        QElapsedTimer parse;
        parse.start();
        const auto list = ChangeList::fromJson(r.body);
        if (!list)
            die(list.error().message);
        ChangeTreeModel model;
        model.setChanges(list->changes);
        parseMs << BenchReport::msSince(parse);
        appMs << BenchReport::msSince(t);
        listed = list->changes.size();

        t.restart();
        QProcess find;
        find.start(QStringLiteral("find"), {upper, QStringLiteral("-printf"), QStringLiteral("%y %s %T@ %p\\n")});
        if (!find.waitForFinished(60000) || find.exitCode() != 0)
            die(QStringLiteral("find failed: %1").arg(QString::fromUtf8(find.readAllStandardError())));
        findLines = find.readAllStandardOutput().count('\n');
        findMs << BenchReport::msSince(t);
    }
    if (listed < files)
        die(QStringLiteral("the engine listed %1 changes for %2 files written").arg(listed).arg(files));
    api.killAllSandboxes();

    const double a = BenchReport::percentile(appMs, 0.5), f = BenchReport::percentile(findMs, 0.5);
    const double ratio = a / f;
    const QList<BenchReport::Row> rows{
        {QStringLiteral("list %1 changes (%2 files, 100 folders): engine walk + JSON + app model, p50 of %3 (ms)")
             .arg(listed)
             .arg(files)
             .arg(rounds),
         fmt(a), fmt(f) + QStringLiteral(" (`find` of the upper dir on the host, %1 entries)").arg(findLines),
         QStringLiteral("ratio ≤ 3 (now %1)").arg(fmt(ratio, 2)), ratio <= 3.0 ? 1 : 0},
        {QStringLiteral("… of which the engine's answer (walk, JSON, loopback), p50 (ms)"),
         fmt(BenchReport::percentile(getMs, 0.5)), QStringLiteral("—"), QStringLiteral("—"), -1},
        {QStringLiteral("… of which the app's parsing and tree model, p50 (ms)"),
         fmt(BenchReport::percentile(parseMs, 0.5)), QStringLiteral("—"), QStringLiteral("—"), -1},
    };
    const QString section = QStringLiteral("## Sandbox changes (`bench/bench_changes`)\n\n%1\n"
                                           "The app's path to a sandbox's changes — the engine's walk of its layer,\n"
                                           "the JSON answer over loopback, parsing and the tree model — against the\n"
                                           "host's `find` printing the same metadata of the same directory; both in\n"
                                           "turns, the same number of times.\n\n%2\n")
                                .arg(BenchReport::machineLine(), BenchReport::markdownTable(rows));
    std::printf("%s", qPrintable(section));
    QString error;
    if (args.write() && !BenchReport::writeSection(args.outputPath(QStringLiteral(AI2IN_PERFORMANCE_MD)),
                                                   QStringLiteral("bench_changes"), section, &error))
        die(error);
    return 0;
}
