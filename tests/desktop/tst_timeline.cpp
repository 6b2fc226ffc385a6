// SPDX-License-Identifier: GPL-3.0-or-later
// The Timeline tab without an engine: how activity entries become items in
// lanes and rows (by table), their updates in place, the visible-range
// query against a brute-force count, and the view over 10 000 items drawn
// into an image, hit by a click and zoomed.
#include "ActivityEntry.h"
#include "MetricsHistory.h"
#include "TimelineItems.h"
#include "TimelineView.h"

#include <QApplication>
#include <QImage>
#include <QJsonDocument>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using Spans = QList<QPair<int, int>>;

namespace {

using Item = TimelineItems::Item;
using Lane = TimelineItems::Lane;
using ItemStatus = TimelineItems::Status;

constexpr qint64 kT0 = 1'790'000'000'000; // unix ms

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

ActivityEntry fromJson(const QByteArray &json)
{
    const auto e = ActivityEntry::fromJson(QJsonDocument::fromJson(json).object());
    if (!e)
        qFatal("not an entry: %s", json.constData());
    return *e;
}

// A command from `start` to `end` (ms after kT0; end < 0: running).
ActivityEntry command(qint64 seq, qint64 start, qint64 end, int exitCode = 0, const QString &cmd = QStringLiteral("make"))
{
    ActivityEntry e;
    e.seq = seq;
    e.kind = ActivityEntry::Kind::Command;
    e.cmd = cmd;
    e.startedAt = QDateTime::fromMSecsSinceEpoch(kT0 + start, Qt::UTC);
    e.time = e.startedAt;
    if (end < 0) {
        e.status = QStringLiteral("running");
    } else {
        e.status = QStringLiteral("exited");
        e.exitCode = exitCode;
        e.endedAt = QDateTime::fromMSecsSinceEpoch(kT0 + end, Qt::UTC);
        e.time = e.endedAt;
    }
    e.raw = QJsonObject{{QStringLiteral("seq"), seq}, {QStringLiteral("end"), end}, {QStringLiteral("exit"), exitCode}};
    return e;
}

ActivityEntry pty(qint64 seq, qint64 at, const char *event, const QString &id)
{
    ActivityEntry e;
    e.seq = seq;
    e.kind = ActivityEntry::Kind::Pty;
    e.time = QDateTime::fromMSecsSinceEpoch(kT0 + at, Qt::UTC);
    e.event = QLatin1String(event);
    e.detail = id;
    e.cmd = QStringLiteral("bash");
    return e;
}

ActivityEntry lifecycle(qint64 seq, qint64 at, const char *event, const QString &detail = {})
{
    ActivityEntry e;
    e.seq = seq;
    e.kind = ActivityEntry::Kind::Lifecycle;
    e.time = QDateTime::fromMSecsSinceEpoch(kT0 + at, Qt::UTC);
    e.event = QLatin1String(event);
    e.detail = detail;
    return e;
}

// Every item of a lane overlapping [from, to], as seqs in row order.
QList<qint64> seqsIn(const TimelineItems &items, Lane lane, qint64 from, qint64 to, qint64 now)
{
    QList<qint64> out;
    for (int row = 0; row < items.rowCount(lane); ++row)
        items.forEachIn(lane, row, from, to, now, [&](const Item &i) { out.append(i.seq); });
    return out;
}

// 10 000 entries of every kind over about three hours: commands (every
// tenth overlapping the next, some failing, the last few running), cells,
// files, terminals and lifecycle events.
QList<ActivityEntry> synthetic(int n)
{
    QList<ActivityEntry> out;
    out.reserve(n);
    out.append(lifecycle(1, 0, "created"));
    qint64 t = 100;
    for (int i = 2; i <= n; ++i) {
        t += 1000;
        switch (i % 5) {
        case 0:
        case 1: {
            const bool running = i > n - 8;
            const qint64 length = (i % 10 == 0) ? 2500 : 400;
            out.append(command(i, t, running ? -1 : t + length, i % 7 == 0 ? 1 : 0,
                               QStringLiteral("pytest tests/test_%1.py").arg(i)));
            break;
        }
        case 2: {
            ActivityEntry e;
            e.seq = i;
            e.kind = ActivityEntry::Kind::Code;
            e.cmd = QStringLiteral("x = %1").arg(i);
            e.status = i % 3 == 0 ? QStringLiteral("error") : QStringLiteral("ok");
            e.startedAt = QDateTime::fromMSecsSinceEpoch(kT0 + t, Qt::UTC);
            e.endedAt = QDateTime::fromMSecsSinceEpoch(kT0 + t + 300, Qt::UTC);
            e.time = e.endedAt;
            out.append(e);
            break;
        }
        case 3: {
            ActivityEntry e;
            e.seq = i;
            e.kind = ActivityEntry::Kind::File;
            e.op = QStringLiteral("write");
            e.path = QStringLiteral("/home/sandbox/out/%1.txt").arg(i);
            e.time = QDateTime::fromMSecsSinceEpoch(kT0 + t, Qt::UTC);
            out.append(e);
            break;
        }
        case 4:
            if (i % 20 == 4)
                out.append(pty(i, t, "opened", QStringLiteral("pty_%1").arg(i)));
            else if (i % 20 == 14)
                out.append(pty(i, t, "closed", QStringLiteral("pty_%1").arg(i - 10)));
            else
                out.append(lifecycle(i, t, i % 40 == 9 ? "paused" : "timeout_changed", QStringLiteral("freeze")));
            break;
        }
    }
    return out;
}

} // namespace

class tst_timeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void itemOf_data();
    void itemOf();
    void rows_data();
    void rows();
    void runningCommandUpdatesInPlace();
    void terminalsPairUp();
    void applyIsIncremental();
    void visibleRangeMatchesBruteForce();
    void viewPaintsAndClicks();
    void viewZoomAndFollow();
};

void tst_timeline::itemOf_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("made");
    QTest::addColumn<int>("lane");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("start"); // ms after kT0
    QTest::addColumn<qint64>("end");   // -1: open
    QTest::addColumn<QString>("label");

    const QByteArray a = iso(kT0).toLatin1();
    const QByteArray b = iso(kT0 + 1500).toLatin1();
    auto cmd = [&](const QByteArray &rest) {
        return "{\"seq\":3,\"kind\":\"command\",\"time\":\"" + b + "\",\"cmd\":\"make  test\",\"started_at\":\"" + a +
               "\"," + rest + "}";
    };
    QTest::newRow("exit 0") << cmd("\"status\":\"exited\",\"exit_code\":0,\"ended_at\":\"" + b + "\"") << true
                            << int(Lane::Commands) << int(ItemStatus::Ok) << qint64(0) << qint64(1500) << "make test";
    QTest::newRow("exit 2") << cmd("\"status\":\"exited\",\"exit_code\":2,\"ended_at\":\"" + b + "\"") << true
                            << int(Lane::Commands) << int(ItemStatus::Failed) << qint64(0) << qint64(1500) << "make test";
    QTest::newRow("killed") << cmd("\"status\":\"killed\",\"exit_code\":137,\"ended_at\":\"" + b + "\"") << true
                            << int(Lane::Commands) << int(ItemStatus::Failed) << qint64(0) << qint64(1500) << "make test";
    QTest::newRow("timeout") << cmd("\"status\":\"timeout\",\"ended_at\":\"" + b + "\"") << true << int(Lane::Commands)
                             << int(ItemStatus::Failed) << qint64(0) << qint64(1500) << "make test";
    QTest::newRow("lost") << cmd("\"status\":\"lost\"") << true << int(Lane::Commands) << int(ItemStatus::Failed)
                          << qint64(0) << qint64(0) << "make test";
    QTest::newRow("out of memory") << cmd("\"status\":\"exited\",\"exit_code\":137,\"error\":\"killed: out of memory\","
                                          "\"ended_at\":\"" + b + "\"")
                                   << true << int(Lane::Commands) << int(ItemStatus::Failed) << qint64(0) << qint64(1500)
                                   << "make test";
    QTest::newRow("running") << cmd("\"status\":\"running\"") << true << int(Lane::Commands) << int(ItemStatus::Running)
                             << qint64(0) << qint64(-1) << "make test";
    QTest::newRow("ended before it started (clocks)")
        << "{\"seq\":3,\"kind\":\"command\",\"cmd\":\"x\",\"status\":\"exited\",\"exit_code\":0,\"started_at\":\"" + b +
               "\",\"ended_at\":\"" + a + "\"}"
        << true << int(Lane::Commands) << int(ItemStatus::Ok) << qint64(1500) << qint64(1500) << "x";
    QTest::newRow("command without any time") << QByteArray("{\"seq\":3,\"kind\":\"command\",\"cmd\":\"x\"}") << false
                                              << 0 << 0 << qint64(0) << qint64(0) << QString();
    QTest::newRow("cell ok") << "{\"seq\":4,\"kind\":\"code\",\"time\":\"" + b + "\",\"code\":\"1+1\",\"outcome\":\"ok\","
                                "\"started_at\":\"" + a + "\",\"ended_at\":\"" + b + "\"}"
                             << true << int(Lane::Code) << int(ItemStatus::Ok) << qint64(0) << qint64(1500) << "1+1";
    QTest::newRow("cell error") << "{\"seq\":4,\"kind\":\"code\",\"time\":\"" + b + "\",\"code\":\"x\",\"outcome\":\"error\","
                                   "\"error\":{\"name\":\"NameError\"},\"started_at\":\"" + a + "\",\"ended_at\":\"" + b + "\"}"
                                << true << int(Lane::Code) << int(ItemStatus::Failed) << qint64(0) << qint64(1500) << "x";
    QTest::newRow("cell without start") << "{\"seq\":4,\"kind\":\"code\",\"time\":\"" + b + "\",\"code\":\"x\",\"outcome\":\"ok\"}"
                                        << true << int(Lane::Code) << int(ItemStatus::Ok) << qint64(1500) << qint64(1500) << "x";
    QTest::newRow("file") << "{\"seq\":5,\"kind\":\"file\",\"time\":\"" + a + "\",\"op\":\"write\",\"path\":\"/x\",\"bytes\":3}"
                          << true << int(Lane::Files) << int(ItemStatus::Neutral) << qint64(0) << qint64(0) << "write /x (3 B)";
    QTest::newRow("created") << "{\"seq\":1,\"kind\":\"lifecycle\",\"time\":\"" + a + "\",\"event\":\"created\"}" << true
                             << int(Lane::Lifecycle) << int(ItemStatus::Ok) << qint64(0) << qint64(0) << "created";
    QTest::newRow("paused") << "{\"seq\":1,\"kind\":\"lifecycle\",\"time\":\"" + a + "\",\"event\":\"paused\",\"pause_kind\":\"stop\"}"
                            << true << int(Lane::Lifecycle) << int(ItemStatus::Neutral) << qint64(0) << qint64(0) << "paused (stop)";
    QTest::newRow("error") << "{\"seq\":1,\"kind\":\"lifecycle\",\"time\":\"" + a + "\",\"event\":\"error\",\"reason\":\"died\"}"
                           << true << int(Lane::Lifecycle) << int(ItemStatus::Failed) << qint64(0) << qint64(0) << "error (died)";
    QTest::newRow("killed sandbox") << "{\"seq\":1,\"kind\":\"lifecycle\",\"time\":\"" + a + "\",\"event\":\"killed\"}" << true
                                    << int(Lane::Lifecycle) << int(ItemStatus::Failed) << qint64(0) << qint64(0) << "killed";
    QTest::newRow("timeout_changed") << "{\"seq\":1,\"kind\":\"lifecycle\",\"time\":\"" + a + "\",\"event\":\"timeout_changed\","
                                        "\"end_at\":null}"
                                     << true << int(Lane::Lifecycle) << int(ItemStatus::Neutral) << qint64(0) << qint64(0)
                                     << "timeout_changed (no limit)";
    QTest::newRow("terminal opened") << "{\"seq\":6,\"kind\":\"pty\",\"time\":\"" + a + "\",\"event\":\"opened\",\"pty_id\":\"p\","
                                        "\"cmd\":\"bash\"}"
                                     << true << int(Lane::Terminals) << int(ItemStatus::Running) << qint64(0) << qint64(-1) << "bash";
    QTest::newRow("terminal closed") << "{\"seq\":7,\"kind\":\"pty\",\"time\":\"" + a + "\",\"event\":\"closed\",\"pty_id\":\"p\"}"
                                     << false << 0 << 0 << qint64(0) << qint64(0) << QString();
    QTest::newRow("terminal resized (unknown event)")
        << "{\"seq\":7,\"kind\":\"pty\",\"time\":\"" + a + "\",\"event\":\"resized\",\"pty_id\":\"p\"}" << false << 0 << 0
        << qint64(0) << qint64(0) << QString();
}

void tst_timeline::itemOf()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, made);
    const auto item = TimelineItems::itemOf(fromJson(json));
    QCOMPARE(item.has_value(), made);
    if (!made)
        return;
    QFETCH(int, lane);
    QFETCH(int, status);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(QString, label);
    QCOMPARE(int(item->lane), lane);
    QCOMPARE(int(item->status), status);
    QCOMPARE(item->startMs, kT0 + start);
    QCOMPARE(item->endMs, end < 0 ? TimelineItems::kOpen : kT0 + end);
    QCOMPARE(item->label, label);
}

void tst_timeline::rows_data()
{
    // Commands as (start, end) in the order the log has them; end -1 runs.
    QTest::addColumn<Spans>("spans");
    QTest::addColumn<QList<int>>("rows");
    QTest::newRow("one after another") << Spans{{0, 10}, {10, 20}, {25, 30}} << QList<int>{0, 0, 0};
    QTest::newRow("overlapping stack") << Spans{{0, 10}, {5, 15}, {12, 20}} << QList<int>{0, 1, 0};
    QTest::newRow("three at once") << Spans{{0, 30}, {5, 10}, {6, 8}} << QList<int>{0, 1, 2};
    // A blocking command is logged when it ends, after one that started later.
    QTest::newRow("logged out of order") << Spans{{5, 15}, {0, 10}, {20, 30}} << QList<int>{1, 0, 0};
    QTest::newRow("a running one keeps its row") << Spans{{0, -1}, {5, 10}, {20, 25}, {22, 30}}
                                                 << QList<int>{0, 1, 1, 2};
    QTest::newRow("points in one row") << Spans{{3, 3}, {3, 3}, {4, 4}} << QList<int>{0, 0, 0};
}

void tst_timeline::rows()
{
    QFETCH(Spans, spans);
    QFETCH(QList<int>, rows);
    QList<ActivityEntry> entries;
    for (int i = 0; i < spans.size(); ++i)
        entries.append(command(i + 1, spans[i].first * 1000, spans[i].second < 0 ? -1 : spans[i].second * 1000));
    TimelineItems items;
    QVERIFY(items.apply(entries));
    QList<int> got;
    for (int i = 0; i < spans.size(); ++i)
        got.append(items.rowOf(i + 1));
    QCOMPARE(got, rows);
    QCOMPARE(items.rowCount(Lane::Commands), *std::max_element(rows.cbegin(), rows.cend()) + 1);
    // The same, one entry per apply(), as a poller brings them.
    TimelineItems oneByOne;
    for (const ActivityEntry &e : std::as_const(entries))
        oneByOne.apply({e});
    got.clear();
    for (int i = 0; i < spans.size(); ++i)
        got.append(oneByOne.rowOf(i + 1));
    QCOMPARE(got, rows);
}

void tst_timeline::runningCommandUpdatesInPlace()
{
    TimelineItems items;
    QVERIFY(items.apply({lifecycle(1, 0, "created"), command(2, 1000, -1), command(3, 2000, 3000)}));
    QVERIFY(items.hasOpen());
    QCOMPARE(items.rowOf(2), 0);
    QCOMPARE(items.rowOf(3), 1);
    QCOMPARE(items.find(2)->status, ItemStatus::Running);
    // Running to "now": the visible range reaches it however late it is.
    QCOMPARE(seqsIn(items, Lane::Commands, kT0 + 50000, kT0 + 60000, kT0 + 70000), QList<qint64>{2});
    QCOMPARE(seqsIn(items, Lane::Commands, kT0 + 50000, kT0 + 60000, kT0 + 40000), QList<qint64>{});

    // The same entry, now ended with a failure: same seq, same row, no new item.
    QVERIFY(items.apply({command(2, 1000, 9000, 3)}));
    QCOMPARE(items.size(), 3);
    QCOMPARE(items.count(Lane::Commands), 2);
    QCOMPARE(items.rowOf(2), 0);
    QCOMPARE(items.find(2)->status, ItemStatus::Failed);
    QCOMPARE(items.find(2)->endMs, kT0 + 9000);
    QCOMPARE(items.find(2)->statusText, QStringLiteral("exit 3"));
    QVERIFY(!items.hasOpen());
    QCOMPARE(items.lastMs(), kT0 + 9000);
    QCOMPARE(items.firstMs(), kT0);
    // Unchanged again: nothing to redraw.
    QVERIFY(!items.apply({command(2, 1000, 9000, 3)}));
}

void tst_timeline::terminalsPairUp()
{
    TimelineItems items;
    items.apply({pty(1, 0, "opened", QStringLiteral("a")), pty(2, 5000, "opened", QStringLiteral("b")),
                 pty(3, 10000, "closed", QStringLiteral("a")), pty(4, 11000, "closed", QStringLiteral("nobody"))});
    QCOMPARE(items.count(Lane::Terminals), 2);
    QCOMPARE(items.find(1)->endMs, kT0 + 10000);
    QCOMPARE(items.find(1)->status, ItemStatus::Neutral);
    QVERIFY(items.find(2)->isOpen());
    QCOMPARE(items.rowOf(1), 0);
    QCOMPARE(items.rowOf(2), 1);
    QVERIFY(!items.find(3));
    // Read again (the command log re-reads), an opened entry does not reopen.
    QVERIFY(!items.apply({pty(1, 0, "opened", QStringLiteral("a"))}));
    QCOMPARE(items.find(1)->endMs, kT0 + 10000);
    // A freeze keeps processes; a stop ends every terminal open before it.
    QVERIFY(items.apply({lifecycle(5, 20000, "paused", QStringLiteral("freeze"))}));
    QVERIFY(items.find(2)->isOpen());
    QVERIFY(items.apply({lifecycle(6, 30000, "paused", QStringLiteral("stop"))}));
    QCOMPARE(items.find(2)->endMs, kT0 + 30000);
    QVERIFY(!items.hasOpen());
    // A terminal opened after the resume is open again.
    items.apply({lifecycle(7, 40000, "resumed"), pty(8, 41000, "opened", QStringLiteral("c"))});
    QVERIFY(items.find(8)->isOpen());
    items.apply({lifecycle(9, 50000, "killed")});
    QCOMPARE(items.find(8)->endMs, kT0 + 50000);
}

void tst_timeline::applyIsIncremental()
{
    const QList<ActivityEntry> all = synthetic(2000);
    TimelineItems whole;
    QVERIFY(whole.apply(all));
    QVERIFY(!whole.apply(all)); // nothing new
    // In pages of 37, as the poller reads them: the same items in the same rows.
    TimelineItems paged;
    for (qsizetype i = 0; i < all.size(); i += 37)
        paged.apply(all.mid(i, 37));
    QCOMPARE(paged.size(), whole.size());
    for (const ActivityEntry &e : all) {
        const Item *a = whole.find(e.seq);
        const Item *b = paged.find(e.seq);
        QCOMPARE(bool(a), bool(b));
        if (a) {
            QCOMPARE(*b, *a);
            QCOMPARE(paged.rowOf(e.seq), whole.rowOf(e.seq));
        }
    }
    whole.clear();
    QVERIFY(whole.isEmpty());
    QCOMPARE(whole.rowCount(Lane::Commands), 0);
    QVERIFY(!whole.find(all.first().seq));
}

void tst_timeline::visibleRangeMatchesBruteForce()
{
    const QList<ActivityEntry> all = synthetic(10000);
    TimelineItems items;
    items.apply(all);
    const qint64 now = items.lastMs() + 5000;
    QList<Item> flat;
    for (const ActivityEntry &e : all) {
        if (const Item *i = items.find(e.seq))
            flat.append(*i);
    }
    QVERIFY(flat.size() > 9000);
    const qint64 ranges[][2] = {{kT0 - 1000, kT0 + 500},       {kT0 + 3'000'000, kT0 + 3'060'000},
                                {kT0 + 5'000'000, kT0 + 5'000'001}, {now - 2000, now + 1000},
                                {kT0 - 10, now + 10}};
    for (const auto &r : ranges) {
        for (int l = 0; l < TimelineItems::kLaneCount; ++l) {
            const auto lane = Lane(l);
            QList<qint64> expected;
            for (const Item &i : std::as_const(flat)) {
                if (i.lane == lane && i.startMs <= r[1] && i.endAt(now) >= r[0])
                    expected.append(i.seq);
            }
            QList<qint64> got = seqsIn(items, lane, r[0], r[1], now);
            std::sort(expected.begin(), expected.end());
            std::sort(got.begin(), got.end());
            QCOMPARE(got, expected);
        }
    }
}

void tst_timeline::viewPaintsAndClicks()
{
    const QList<ActivityEntry> all = synthetic(10000);
    TimelineItems items;
    items.apply(all);
    MetricsHistory metrics;
    metrics.setLimits(2, 512LL << 20);
    QList<MetricsHistory::Sample> samples;
    for (int i = 0; i < 900; ++i)
        samples.append({items.lastMs() - 900'000 + i * 1000, 30.0 + (i % 50), (100LL + i % 80) << 20, 5, -1, -1});
    metrics.append(samples);

    TimelineView view;
    view.resize(1200, 480);
    view.setItems(&items);
    view.setMetrics(&metrics);
    view.setNow(items.lastMs() + 1000);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.fit();
    QImage image(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    view.viewport()->render(&image);
    QVERIFY(image.pixelColor(view.plotRect().center()).alpha() == 255);

    // Zoomed in around a failing command with the view not following: a
    // click on its bar names it; a click between bars names nothing.
    const qint64 seq = 7001; // 7001 % 5 == 1: a command; 7001 % 7 == 1: exit 0
    const Item *target = items.find(seq);
    QVERIFY(target);
    QCOMPARE(target->lane, Lane::Commands);
    view.showRange(target->startMs - 3000, target->endMs + 3000);
    QVERIFY(!view.follow());
    const QRect r = view.itemRect(seq);
    QVERIFY2(r.width() >= 20, qPrintable(QStringLiteral("%1×%2").arg(r.width()).arg(r.height())));
    QSignalSpy activated(&view, &TimelineView::entryActivated);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toLongLong(), seq);
    QCOMPARE(view.itemAt(r.center())->seq, seq);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(r.left() - 40, r.center().y()));
    QCOMPARE(activated.size(), 1);
    // A file tick is not a command: no activation, but a tooltip.
    const Item *file = items.find(7003);
    QVERIFY(file && file->lane == Lane::Files);
    const QRect fr = view.itemRect(7003);
    QVERIFY(!fr.isEmpty());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, fr.center());
    QCOMPARE(activated.size(), 1);
    QVERIFY(view.toolTipFor(*file).contains(QLatin1String("/home/sandbox/out/7003.txt")));
    QVERIFY(view.toolTipFor(*target).contains(QLatin1String("exit 0")));
    QVERIFY(view.toolTipFor(*target).contains(QLatin1String("Took 400 ms")));
    view.viewport()->render(&image);
}

void tst_timeline::viewZoomAndFollow()
{
    TimelineItems items;
    items.apply(synthetic(500));
    TimelineView view;
    view.resize(900, 400);
    view.setItems(&items);
    view.setNow(items.lastMs() + 1000);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.follow());
    // Fit: the whole life in view.
    view.fit();
    QVERIFY(view.leftMs() <= items.firstMs());
    QVERIFY(view.rightMs() >= items.lastMs());
    // Zooming in while following keeps the newest time at the right edge.
    const double fitScale = view.msPerPixel();
    view.zoomIn();
    view.zoomIn();
    QVERIFY(view.msPerPixel() < fitScale / 2);
    QVERIFY(view.follow());
    QVERIFY(view.rightMs() >= view.now());
    QVERIFY(view.leftMs() > items.firstMs());
    // Time passes: the view moves with it.
    const qint64 left = view.leftMs();
    view.setNow(view.now() + 60000);
    QVERIFY(view.leftMs() > left);
    // The wheel moves back in time and stops following.
    QSignalSpy follow(&view, &TimelineView::followChanged);
    QWheelEvent back(QPointF(400, 100), view.viewport()->mapToGlobal(QPointF(400, 100)), QPoint(), QPoint(0, 120),
                     Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &back);
    QVERIFY(!view.follow());
    QCOMPARE(follow.size(), 1);
    const qint64 parked = view.leftMs();
    view.setNow(view.now() + 60000);
    QCOMPARE(view.leftMs(), parked);
    // Ctrl+wheel zooms around the pointer: the time under it stays.
    const double before = view.msPerPixel();
    QWheelEvent zoom(QPointF(500, 100), view.viewport()->mapToGlobal(QPointF(500, 100)), QPoint(), QPoint(0, 120),
                     Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    const double under = view.leftMs() + (500 - view.plotRect().left()) * before;
    QApplication::sendEvent(view.viewport(), &zoom);
    QVERIFY(view.msPerPixel() < before);
    QVERIFY(std::abs(view.leftMs() + (500 - view.plotRect().left()) * view.msPerPixel() - under) < 2 * before);
    // The scroll bar's end follows again.
    view.horizontalScrollBar()->setValue(view.horizontalScrollBar()->maximum());
    QVERIFY(view.follow());
    // End does too, after a move away.
    QTest::keyClick(&view, Qt::Key_Home);
    QVERIFY(!view.follow());
    QTest::keyClick(&view, Qt::Key_End);
    QVERIFY(view.follow());
}

QTEST_MAIN(tst_timeline)
#include "tst_timeline.moc"
