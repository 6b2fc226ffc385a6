// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop's sandbox model on the UI thread, for a list of 1000 sandboxes
// from recorded (generated) engine responses: what an unchanged poll (a 304)
// costs, and what a list with 10 % of its sandboxes changed costs to parse,
// diff and signal through the sort/filter proxy into a live list view.
// Writes its section of docs/performance.md.
#include "BenchReport.h"
#include "EngineClient.h"
#include "SandboxFilterModel.h"
#include "SandboxListView.h"
#include "SandboxModel.h"
#include "SandboxPoller.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>

#include <cstdio>

using namespace BenchReport;

namespace {

constexpr int kSandboxes = 1000;
constexpr int kSamples = 200;

// What `GET /v1/sandboxes` answers for 1000 sandboxes; with `variant` 1 every
// tenth one differs (paused, a new end time or new metadata, in turn).
QByteArray listBody(int variant)
{
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'790'000'000'000, Qt::UTC);
    QJsonArray arr;
    for (int i = 0; i < kSandboxes; ++i) {
        SandboxInfo s;
        s.id = QStringLiteral("sbx_%1").arg(i, 16, 36, QLatin1Char('0'));
        s.templateName = QStringLiteral("base");
        s.state = SandboxState::Running;
        s.createdAt = t0.addSecs(i);
        s.startedAt = s.createdAt;
        if (i % 3 == 0)
            s.endAt = t0.addSecs(3600 + i);
        s.nodeId = QStringLiteral("node-1");
        s.metadata = {{QStringLiteral("agent"), QStringLiteral("agent-%1").arg(i % 17)},
                      {QStringLiteral("session"), QString::number(i)}};
        s.cpuCount = 1;
        s.memoryMb = 512;
        if (i % 5 == 0)
            s.ports.append({3000, QStringLiteral("http://3000-%1.localhost:7301").arg(s.id)});
        if (variant == 1 && i % 10 == 0) {
            switch ((i / 10) % 3) {
            case 0:
                s.state = SandboxState::Paused;
                s.pausedAt = t0.addSecs(7200);
                s.pauseKind = QStringLiteral("stop");
                s.ports.clear();
                break;
            case 1: s.endAt = t0.addSecs(86400); break;
            default: s.metadata.insert(QStringLiteral("step"), QStringLiteral("tests")); break;
            }
        }
        arr.append(s.toJson());
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("sandboxes"), arr}}).toJson(QJsonDocument::Compact);
}

QList<SandboxInfo> parse(const QByteArray &body)
{
    auto r = EngineClient::parseList(body);
    if (!r)
        die(r.error().message);
    return std::move(r).value();
}

// Like BenchReport::markdownTable, with this program's own column name.
QString table(const QList<Row> &rows)
{
    QString out = QStringLiteral("| measure | desktop model | baseline | goal | result |\n| --- | --- | --- | --- | --- |\n");
    for (const Row &r : rows) {
        const QString result = r.pass < 0 ? QStringLiteral("—") : (r.pass ? QStringLiteral("pass") : QStringLiteral("FAIL"));
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n").arg(r.what, r.figure, r.baseline, r.goal, result);
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const bool write = !args.contains(QStringLiteral("--no-write"));
    const qsizetype outAt = args.indexOf(QStringLiteral("--output"));
    const QString outPath = QDir::cleanPath(outAt > 0 ? args.value(outAt + 1) : QStringLiteral(AI2IN_PERFORMANCE_MD));

    const QByteArray bodyA = listBody(0);
    const QByteArray bodyB = listBody(1);

    EngineClient client;
    SandboxModel model;
    model.setTickInterval(0);
    SandboxFilterModel proxy;
    proxy.setSandboxModel(&model);
    SandboxListView view;
    view.setModel(&proxy);
    view.sortByColumn(SandboxModel::StartedColumn, Qt::DescendingOrder);
    view.resize(1280, 720);
    view.show();
    SandboxPoller poller(&client, &model);

    // The first list: every row inserted at once.
    QElapsedTimer t;
    EngineClient::ListReply first{false, "\"a\"", parse(bodyA)};
    t.start();
    poller.handleListResult(first, 1);
    const double firstMs = msSince(t);
    QApplication::processEvents();
    if (model.rowCount() != kSandboxes)
        die(QStringLiteral("the model has %1 rows, not %2").arg(model.rowCount()).arg(kSandboxes));
    view.selectIds({model.index(500, SandboxModel::IdColumn).data().toString()});

    // Unchanged: a 304, which is what the poller gets with If-None-Match.
    QSignalSpy anySignal(&model, &QAbstractItemModel::dataChanged);
    QList<double> notModified;
    for (int i = 0; i < kSamples; ++i) {
        t.start();
        poller.handleListResult(EngineClient::ListReply{true, "\"a\"", {}}, 1);
        notModified.append(msSince(t));
    }
    if (!anySignal.isEmpty())
        die(QStringLiteral("a 304 changed the model"));

    // Unchanged but sent whole (an engine without ETags): the diff finds
    // nothing. Parsing happens on a worker thread (EngineClient), so it is
    // timed on its own.
    QList<double> unchangedWhole;
    QList<double> parseOnly;
    for (int i = 0; i < kSamples / 4; ++i) {
        t.start();
        QList<SandboxInfo> l = parse(bodyA);
        parseOnly.append(msSince(t));
        EngineClient::ListReply reply{false, "\"a\"", std::move(l)};
        t.start();
        poller.handleListResult(reply, 1);
        unchangedWhole.append(msSince(t));
    }
    if (!anySignal.isEmpty())
        die(QStringLiteral("an unchanged list changed the model"));

    // 10 % changed, back and forth: diff and signals through the proxy
    // (which re-sorts) into the view; then the view's repaint.
    const QList<SandboxInfo> listA = parse(bodyA);
    const QList<SandboxInfo> listB = parse(bodyB);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelAboutToBeReset);
    QList<double> tenPercent;
    QList<double> withPaint;
    for (int i = 0; i < kSamples / 2; ++i) {
        EngineClient::ListReply reply{false, "\"x\"", (i % 2 == 0) ? listB : listA};
        t.start();
        poller.handleListResult(reply, 1);
        tenPercent.append(msSince(t));
        view.viewport()->repaint();
        withPaint.append(msSince(t));
    }
    const double signalsPerUpdate = double(changed.size()) / double(kSamples / 2);
    const QString selected = view.selectedIds().value(0);
    if (selected != model.index(500, SandboxModel::IdColumn).data().toString())
        die(QStringLiteral("the selection did not survive the updates"));
    if (!resets.isEmpty())
        die(QStringLiteral("an update reset the model"));

    // The baseline: what a model that reloads (reset + all rows) pays.
    QList<double> reload;
    for (int i = 0; i < kSamples / 4; ++i) {
        t.start();
        model.clear();
        model.applyList((i % 2 == 0) ? listB : listA);
        reload.append(msSince(t));
    }

    const double p304 = percentile(notModified, 0.5);
    const double p10 = percentile(tenPercent, 0.5);
    const double p10tail = percentile(tenPercent, 0.95);
    const double parse50 = percentile(parseOnly, 0.5);
    const double reload50 = percentile(reload, 0.5);
    QList<Row> rows{
        {QStringLiteral("unchanged list (304): UI-thread work per poll, p50 (ms)"), fmt(p304, 4),
         QStringLiteral("—"), QStringLiteral("≈ 0"), p304 < 0.05 ? 1 : 0},
        {QStringLiteral("10 % changed: UI-thread work (diff, row signals through proxy and view), p50 (ms)"), fmt(p10, 2),
         QStringLiteral("%1 (reset and reload, which loses selection and scroll)").arg(fmt(reload50, 2)), QStringLiteral("≤ 10 ms"), p10 <= 10 ? 1 : 0},
        {QStringLiteral("10 % changed, p95 (ms)"), fmt(p10tail, 2), QString(), QStringLiteral("≤ 10 ms"), p10tail <= 10 ? 1 : 0},
        {QStringLiteral("10 % changed, with the view's repaint, p50 (ms)"), fmt(percentile(withPaint, 0.5), 2), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("unchanged list sent whole (no ETag): UI-thread diff, p50 (ms)"), fmt(percentile(unchangedWhole, 0.5), 2),
         QString(), QStringLiteral("—"), -1},
        {QStringLiteral("parsing the list of 1000 (worker thread, not the UI's), p50 (ms)"), fmt(parse50, 2), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("first list: 1000 rows inserted (ms)"), fmt(firstMs, 2), QString(), QStringLiteral("—"), -1},
    };
    const QString section =
        QStringLiteral("## Desktop sandbox model (`bench/bench_model`)\n\n"
                       "%1 A list of %2 sandboxes (metadata, some with ports and end times) as the engine\n"
                       "sends it, applied by `SandboxPoller`/`SandboxModel` on the UI thread with a\n"
                       "`SandboxFilterModel` (sorted by start time) and a shown `SandboxListView` attached\n"
                       "(offscreen). The 10 % case flips every tenth sandbox between two recorded lists\n"
                       "(paused, a new end time or new metadata): %3 batched `dataChanged` per update, no\n"
                       "reset, the selection kept. Samples: %4 polls of each kind.\n\n")
            .arg(machineLine())
            .arg(kSandboxes)
            .arg(fmt(signalsPerUpdate, 0))
            .arg(kSamples / 2)
        + table(rows) + QLatin1Char('\n');
    std::printf("%s", qPrintable(section));
    if (write) {
        QString error;
        if (!writeSection(outPath, QStringLiteral("bench_model"), section, &error))
            die(error);
        std::fprintf(stderr, "written to %s\n", qPrintable(outPath));
    }
    return 0;
}
