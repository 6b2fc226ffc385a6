// SPDX-License-Identifier: GPL-3.0-or-later
// The Metrics tab's and the preview buttons' own logic, by table: the
// history endpoint's JSON (good, empty, malformed, oversized, fields
// missing), appending without repeats, trimming, the window; PreviewBar's
// incremental buttons (a kept port keeps its QToolButton), its hint, opener
// and clipboard; MetricsPane's sentences when there is no engine to read.
#include "EngineClient.h"
#include "MetricsHistory.h"
#include "MetricsHistoryPoller.h"
#include "MetricsPane.h"
#include "PreviewBar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

using Sample = MetricsHistory::Sample;
using Times = QList<qint64>;
using Ports = QList<int>;

namespace {
// 2026-11-22T10:00:00.000Z
constexpr qint64 kT0 = 1795341600000;

QByteArray sampleJson(const char *time, double cpu, qint64 memory, int pids)
{
    return QJsonDocument(QJsonObject{{"timestamp", time}, {"cpu_percent", cpu}, {"memory_bytes", memory}, {"pids", pids}})
        .toJson(QJsonDocument::Compact);
}

QByteArray page(const QByteArray &samples, const QByteArray &rest = R"("cpu_count": 2, "memory_limit_bytes": 536870912)")
{
    return R"({"samples": [)" + samples + "], " + rest + "}";
}

MetricsHistory historyAt(const Times &times)
{
    MetricsHistory h;
    QList<Sample> samples;
    for (qint64 t : times)
        samples.append(Sample{t, 1.0, 1024, 1});
    h.append(samples);
    return h;
}

Times timesOf(const QList<Sample> &samples)
{
    Times out;
    for (const Sample &s : samples)
        out.append(s.timeMs);
    return out;
}

QList<SandboxPort> portList(const Ports &ports, const QString &id = QStringLiteral("sbx_a"))
{
    QList<SandboxPort> out;
    for (int p : ports)
        out.append(SandboxPort{p, QStringLiteral("http://%1-%2.localhost:7301").arg(p).arg(id)});
    return out;
}

// The ports whose buttons the strip shows, in the order it shows them.
Ports shownOrder(PreviewBar &bar)
{
    Ports out;
    QLayout *layout = bar.layout();
    for (int i = 0; i < layout->count(); ++i) {
        auto *button = qobject_cast<QToolButton *>(layout->itemAt(i)->widget());
        if (button)
            out.append(button->text().mid(1).toInt());
    }
    return out;
}
} // namespace

class tst_metrics_units : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void parseSortsAndReadsValues();
    void parseRefusesOversized();
    void append_data();
    void append();
    void trim_data();
    void trim();
    void window_data();
    void window();
    void rateBetween_data();
    void rateBetween();
    void ratesFollowAppendAndTrim();

    void previewDiff_data();
    void previewDiff();
    void previewUrlChangeKeepsButton();
    void previewHint();
    void previewOpenAndCopy();
    void previewWithoutABrowser();
    void previewBarKeepsItsHeight();

    void paneSentences();
    void paneSaysUnreachableEngine();
    void hiddenPaneAsksNothing();
};

void tst_metrics_units::parse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("errorPart");

    const QByteArray a = sampleJson("2026-11-22T10:00:00.000Z", 3.2, 1048576, 3);
    const QByteArray b = sampleJson("2026-11-22T10:00:01.000Z", 0, 2097152, 4);
    QTest::newRow("two readings") << page(a + ',' + b) << true << 2 << QString();
    QTest::newRow("no readings") << page({}) << true << 0 << QString();
    QTest::newRow("empty body") << QByteArray() << false << 0 << QStringLiteral("not a JSON object");
    QTest::newRow("bad JSON") << QByteArray(R"({"samples": [)") << false << 0 << QStringLiteral("not a JSON object");
    QTest::newRow("an array") << QByteArray("[]") << false << 0 << QStringLiteral("not a JSON object");
    QTest::newRow("an error page") << QByteArray("<html>502</html>") << false << 0 << QStringLiteral("not a JSON object");
    QTest::newRow("no samples") << QByteArray(R"({"cpu_count": 2, "memory_limit_bytes": 1})") << false << 0
                                << QStringLiteral("no list of readings");
    QTest::newRow("samples not a list") << QByteArray(R"({"samples": {}, "cpu_count": 2, "memory_limit_bytes": 1})")
                                        << false << 0 << QStringLiteral("no list of readings");
    QTest::newRow("no cpu_count") << page(a, R"("memory_limit_bytes": 1)") << false << 0
                                  << QStringLiteral("how many CPUs");
    QTest::newRow("cpu_count 0") << page(a, R"("cpu_count": 0, "memory_limit_bytes": 1)") << false << 0
                                 << QStringLiteral("how many CPUs");
    QTest::newRow("cpu_count a string") << page(a, R"("cpu_count": "2", "memory_limit_bytes": 1)") << false << 0
                                        << QStringLiteral("how many CPUs");
    QTest::newRow("no memory limit") << page(a, R"("cpu_count": 2)") << false << 0 << QStringLiteral("memory limit");
    QTest::newRow("negative memory limit") << page(a, R"("cpu_count": 2, "memory_limit_bytes": -5)") << false << 0
                                           << QStringLiteral("memory limit");
    QTest::newRow("reading without time")
        << page(a + R"(,{"cpu_percent": 1, "memory_bytes": 1, "pids": 1})") << false << 0
        << QStringLiteral("Reading 2 of the engine's metrics history has no valid timestamp");
    QTest::newRow("reading with a bad time") << page(sampleJson("yesterday", 1, 1, 1)) << false << 0
                                             << QStringLiteral("Reading 1 of the engine's metrics history has no valid timestamp");
    QTest::newRow("reading without cpu")
        << page(R"({"timestamp": "2026-11-22T10:00:00.000Z", "memory_bytes": 1, "pids": 1})") << false << 0
        << QStringLiteral("no CPU figure");
    QTest::newRow("negative cpu") << page(sampleJson("2026-11-22T10:00:00.000Z", -1, 1, 1)) << false << 0
                                  << QStringLiteral("no CPU figure");
    QTest::newRow("memory a string")
        << page(R"({"timestamp": "2026-11-22T10:00:00.000Z", "cpu_percent": 1, "memory_bytes": "1", "pids": 1})")
        << false << 0 << QStringLiteral("no memory figure");
    QTest::newRow("fractional pids")
        << page(R"({"timestamp": "2026-11-22T10:00:00.000Z", "cpu_percent": 1, "memory_bytes": 1, "pids": 1.5})")
        << false << 0 << QStringLiteral("no process count");
    QTest::newRow("reading not an object") << page("42") << false << 0 << QStringLiteral("no valid timestamp");
    const QByteArray net = R"({"timestamp": "2026-11-22T10:00:00.000Z", "cpu_percent": 1, "memory_bytes": 1, "pids": 1, )";
    QTest::newRow("network counters") << page(net + R"("net_in_bytes": 10, "net_out_bytes": 0})") << true << 1 << QString();
    QTest::newRow("negative network counter") << page(net + R"("net_in_bytes": -1, "net_out_bytes": 0})") << false << 0
                                              << QStringLiteral("no valid network counter");
    QTest::newRow("network counter a string") << page(net + R"("net_in_bytes": 1, "net_out_bytes": "2"})") << false << 0
                                              << QStringLiteral("no valid network counter");
    QTest::newRow("fractional network counter") << page(net + R"("net_in_bytes": 1.5, "net_out_bytes": 2})") << false
                                                << 0 << QStringLiteral("no valid network counter");
}

void tst_metrics_units::parse()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(int, count);
    QFETCH(QString, errorPart);

    const Result<MetricsHistory::Page> r = MetricsHistory::parse(body);
    QCOMPARE(r.ok(), ok);
    if (ok) {
        QCOMPARE(r->samples.size(), count);
        QCOMPARE(r->cpuCount, 2);
        QCOMPARE(r->memoryLimitBytes, 536870912);
    } else {
        QVERIFY2(r.error().message.contains(errorPart), qPrintable(r.error().message));
        QVERIFY(r.error().message.endsWith(QLatin1Char('.')));
    }
}

void tst_metrics_units::parseSortsAndReadsValues()
{
    const QByteArray later = sampleJson("2026-11-22T10:00:02.500Z", 150.25, 3 * 1048576, 9);
    const QByteArray earlier = sampleJson("2026-11-22T10:00:00.000Z", 0.5, 1048576, 2);
    const auto r = MetricsHistory::parse(page(later + ',' + earlier));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->samples, (QList<Sample>{{kT0, 0.5, 1048576, 2}, {kT0 + 2500, 150.25, 3 * 1048576, 9}}));

    // The network counters, when the engine sends them; -1 when it does not.
    const auto n = MetricsHistory::parse(page(
        R"({"timestamp": "2026-11-22T10:00:00.000Z", "cpu_percent": 1, "memory_bytes": 1, "pids": 1,)"
        R"( "net_in_bytes": 123456789012, "net_out_bytes": 7, "net_in_packets": 3, "net_out_packets": 1})"));
    QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(n.error().message));
    QCOMPARE(n->samples.constFirst().netInBytes, 123456789012);
    QCOMPARE(n->samples.constFirst().netOutBytes, 7);
    QCOMPARE(r->samples.constFirst().netInBytes, -1);
}

void tst_metrics_units::parseRefusesOversized()
{
    QByteArray many;
    for (int i = 0; i < 9001; ++i)
        many += (i ? "," : "") + sampleJson("2026-11-22T10:00:00.000Z", 1, 1, 1);
    const auto r = MetricsHistory::parse(page(many));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("9001 readings")), qPrintable(r.error().message));
}

void tst_metrics_units::append_data()
{
    QTest::addColumn<Times>("held");
    QTest::addColumn<Times>("incoming");
    QTest::addColumn<int>("added");
    QTest::addColumn<Times>("after");

    QTest::newRow("into empty") << Times{} << Times{1000, 2000} << 2 << Times{1000, 2000};
    QTest::newRow("newer ones") << Times{1000} << Times{2000, 3000} << 2 << Times{1000, 2000, 3000};
    QTest::newRow("repeat of the newest") << Times{1000, 2000} << Times{2000} << 0 << Times{1000, 2000};
    QTest::newRow("overlapping answer") << Times{1000, 2000} << Times{1000, 2000, 3000} << 1 << Times{1000, 2000, 3000};
    QTest::newRow("older than held") << Times{5000} << Times{1000, 4999} << 0 << Times{5000};
    QTest::newRow("repeats within a batch") << Times{} << Times{1000, 1000, 2000, 2000} << 2 << Times{1000, 2000};
    QTest::newRow("nothing") << Times{1000} << Times{} << 0 << Times{1000};
}

void tst_metrics_units::append()
{
    QFETCH(Times, held);
    QFETCH(Times, incoming);
    QFETCH(int, added);
    QFETCH(Times, after);

    MetricsHistory h = historyAt(held);
    QList<Sample> samples;
    for (qint64 t : incoming)
        samples.append(Sample{t, 50.0, 2048, 2});
    QCOMPARE(h.append(samples), added);
    QCOMPARE(timesOf(h.samples()), after);
    QCOMPARE(h.newestMs(), after.isEmpty() ? 0 : after.last());
}

void tst_metrics_units::trim_data()
{
    QTest::addColumn<Times>("held");
    QTest::addColumn<qint64>("cutoff");
    QTest::addColumn<int>("dropped");
    QTest::addColumn<Times>("after");

    QTest::newRow("empty") << Times{} << qint64(5) << 0 << Times{};
    QTest::newRow("nothing old") << Times{10, 20} << qint64(10) << 0 << Times{10, 20};
    QTest::newRow("some old") << Times{10, 20, 30} << qint64(21) << 2 << Times{30};
    QTest::newRow("all old") << Times{10, 20} << qint64(100) << 2 << Times{};
}

void tst_metrics_units::trim()
{
    QFETCH(Times, held);
    QFETCH(qint64, cutoff);
    QFETCH(int, dropped);
    QFETCH(Times, after);

    MetricsHistory h = historyAt(held);
    QCOMPARE(h.trimBefore(cutoff), dropped);
    QCOMPARE(timesOf(h.samples()), after);
}

void tst_metrics_units::window_data()
{
    QTest::addColumn<Times>("held");
    QTest::addColumn<qint64>("span");
    QTest::addColumn<Times>("within");
    QTest::addColumn<Times>("keptAfterTrim");

    const qint64 min = 60 * 1000;
    QTest::newRow("empty") << Times{} << min << Times{} << Times{};
    QTest::newRow("one reading") << Times{kT0} << min << Times{kT0} << Times{kT0};
    QTest::newRow("last minute of three")
        << Times{kT0, kT0 + 2 * min, kT0 + 2 * min + 30000, kT0 + 3 * min}
        << min << Times{kT0 + 2 * min, kT0 + 2 * min + 30000, kT0 + 3 * min}
        << Times{kT0, kT0 + 2 * min, kT0 + 2 * min + 30000, kT0 + 3 * min};
    QTest::newRow("older than fifteen minutes go")
        << Times{kT0, kT0 + 5 * min, kT0 + 15 * min, kT0 + 20 * min}
        << 15 * min << Times{kT0 + 5 * min, kT0 + 15 * min, kT0 + 20 * min}
        << Times{kT0 + 5 * min, kT0 + 15 * min, kT0 + 20 * min};
    QTest::newRow("window wider than the history") << Times{kT0, kT0 + 1000} << 5 * min << Times{kT0, kT0 + 1000}
                                                   << Times{kT0, kT0 + 1000};
}

void tst_metrics_units::window()
{
    QFETCH(Times, held);
    QFETCH(qint64, span);
    QFETCH(Times, within);
    QFETCH(Times, keptAfterTrim);

    MetricsHistory h = historyAt(held);
    QCOMPARE(timesOf(h.within(span)), within);
    QCOMPARE(h.firstWithin(span), held.size() - within.size());
    h.trimToKept();
    QCOMPARE(timesOf(h.samples()), keptAfterTrim);
}

namespace {
Sample netSample(qint64 t, qint64 in, qint64 out)
{
    Sample s{t, 1.0, 1024, 1};
    s.netInBytes = in;
    s.netOutBytes = out;
    return s;
}
} // namespace

void tst_metrics_units::rateBetween_data()
{
    QTest::addColumn<Sample>("a");
    QTest::addColumn<Sample>("b");
    QTest::addColumn<bool>("has");
    QTest::addColumn<double>("in");
    QTest::addColumn<double>("out");

    QTest::newRow("one second") << netSample(1000, 100, 50) << netSample(2000, 1124, 50) << true << 1024.0 << 0.0;
    QTest::newRow("half a second") << netSample(1000, 0, 0) << netSample(1500, 500, 1000) << true << 1000.0 << 2000.0;
    QTest::newRow("idle") << netSample(1000, 7, 7) << netSample(3000, 7, 7) << true << 0.0 << 0.0;
    QTest::newRow("a long pause between") << netSample(0, 0, 0) << netSample(100000, 1000, 0) << true << 10.0 << 0.0;
    QTest::newRow("in went backwards (engine restart)") << netSample(1000, 5000000, 10) << netSample(2000, 100, 20) << false
                                                        << 0.0 << 0.0;
    QTest::newRow("out went backwards") << netSample(1000, 10, 5000) << netSample(2000, 20, 0) << false << 0.0 << 0.0;
    QTest::newRow("same time") << netSample(1000, 0, 0) << netSample(1000, 10, 10) << false << 0.0 << 0.0;
    QTest::newRow("time went backwards") << netSample(2000, 0, 0) << netSample(1000, 10, 10) << false << 0.0 << 0.0;
    QTest::newRow("earlier without counters") << Sample{1000, 1.0, 1, 1} << netSample(2000, 10, 10) << false << 0.0 << 0.0;
    QTest::newRow("later without counters") << netSample(1000, 10, 10) << Sample{2000, 1.0, 1, 1} << false << 0.0 << 0.0;
    QTest::newRow("huge counters") << netSample(0, qint64(1) << 50, qint64(1) << 50)
                                   << netSample(1000, (qint64(1) << 50) + 1, (qint64(1) << 50) + 2) << true << 1.0 << 2.0;
}

void tst_metrics_units::rateBetween()
{
    QFETCH(Sample, a);
    QFETCH(Sample, b);
    QFETCH(bool, has);
    QFETCH(double, in);
    QFETCH(double, out);

    const auto rate = MetricsHistory::rateBetween(a, b);
    QCOMPARE(rate.has_value(), has);
    if (has) {
        QCOMPARE(rate->timeMs, b.timeMs);
        QCOMPARE(rate->inBytesPerSecond, in);
        QCOMPARE(rate->outBytesPerSecond, out);
    }
}

void tst_metrics_units::ratesFollowAppendAndTrim()
{
    MetricsHistory h;
    // The first reading has nothing before it: no rate yet.
    QCOMPARE(h.append({netSample(1000, 0, 0)}), 1);
    QVERIFY(h.rates().isEmpty());
    QCOMPARE(h.append({netSample(2000, 2048, 1024), netSample(3000, 4096, 1024)}), 2);
    QCOMPARE(h.rates(), (QList<MetricsHistory::Rate>{{2000, 2048, 1024}, {3000, 2048, 0}}));
    // A repeat adds neither a reading nor a rate.
    QCOMPARE(h.append({netSample(3000, 9999, 9999)}), 0);
    QCOMPARE(h.rates().size(), 2);
    // The engine restarted and counts from zero: the reading is kept, the
    // pair across the restart makes no rate (no spike, no negative), the
    // next pair does.
    QCOMPARE(h.append({netSample(4000, 10, 5), netSample(5000, 1034, 5)}), 2);
    QCOMPARE(h.rates(), (QList<MetricsHistory::Rate>{{2000, 2048, 1024}, {3000, 2048, 0}, {5000, 1024, 0}}));
    // Trimming drops the rates with their readings.
    QCOMPARE(h.trimBefore(3000), 2);
    QCOMPARE(h.rates(), (QList<MetricsHistory::Rate>{{3000, 2048, 0}, {5000, 1024, 0}}));
    h.clear();
    QVERIFY(h.rates().isEmpty());
}

void tst_metrics_units::previewDiff_data()
{
    QTest::addColumn<Ports>("before");
    QTest::addColumn<Ports>("after");

    QTest::newRow("none to some") << Ports{} << Ports{3000, 8000};
    QTest::newRow("one added in the middle") << Ports{3000, 8000} << Ports{3000, 5173, 8000};
    QTest::newRow("one removed") << Ports{3000, 5173, 8000} << Ports{3000, 8000};
    QTest::newRow("added and removed") << Ports{80, 3000} << Ports{3000, 9000};
    QTest::newRow("unchanged") << Ports{3000} << Ports{3000};
    QTest::newRow("all gone") << Ports{3000, 8000} << Ports{};
    QTest::newRow("unsorted input") << Ports{8000} << Ports{9000, 22, 8000};
}

void tst_metrics_units::previewDiff()
{
    QFETCH(Ports, before);
    QFETCH(Ports, after);

    PreviewBar bar;
    bar.setPorts(QStringLiteral("sbx_a"), portList(before));
    QMap<int, QPointer<QToolButton>> old;
    for (int p : before)
        old.insert(p, bar.buttonFor(p));

    bar.setPorts(QStringLiteral("sbx_a"), portList(after));
    Ports sorted = after;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(bar.ports(), sorted);
    QCOMPARE(shownOrder(bar), sorted);
    for (int p : after) {
        QToolButton *button = bar.buttonFor(p);
        QVERIFY(button);
        QCOMPARE(button->text(), QStringLiteral(":%1").arg(p));
        QCOMPARE(button->toolTip(), QStringLiteral("http://%1-sbx_a.localhost:7301").arg(p));
        QCOMPARE(bar.urlFor(p), QUrl(button->toolTip()));
        if (before.contains(p))
            QCOMPARE(button, old.value(p).data()); // kept, not rebuilt
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    for (int p : before) {
        if (!after.contains(p)) {
            QVERIFY(!bar.buttonFor(p));
            QVERIFY(bar.urlFor(p).isEmpty());
            QVERIFY2(old.value(p).isNull(), "a removed port's button still exists");
        }
    }
}

void tst_metrics_units::previewUrlChangeKeepsButton()
{
    PreviewBar bar;
    bar.setPorts(QStringLiteral("sbx_a"), portList({3000}));
    QPointer<QToolButton> button = bar.buttonFor(3000);
    bar.setPorts(QStringLiteral("sbx_b"), portList({3000}, QStringLiteral("sbx_b")));
    QCOMPARE(bar.buttonFor(3000), button.data());
    QCOMPARE(bar.sandbox(), QStringLiteral("sbx_b"));
    QCOMPARE(button->toolTip(), QStringLiteral("http://3000-sbx_b.localhost:7301"));
    QCOMPARE(bar.urlFor(3000), QUrl(QStringLiteral("http://3000-sbx_b.localhost:7301")));
}

void tst_metrics_units::previewHint()
{
    PreviewBar bar;
    QCOMPARE(bar.hint(), QString()); // nothing selected: nothing to say
    bar.setPorts(QStringLiteral("sbx_a"), {});
    QCOMPARE(bar.hint(), QStringLiteral("No ports open — start a server in the sandbox to get a preview URL."));
    bar.setPorts(QStringLiteral("sbx_a"), portList({3000}));
    QCOMPARE(bar.hint(), QString());
    bar.setPorts(QString(), portList({3000}));
    QVERIFY(bar.ports().isEmpty());
    QCOMPARE(bar.hint(), QString());
}

void tst_metrics_units::previewOpenAndCopy()
{
    PreviewBar bar;
    QList<QUrl> opened;
    bar.setUrlOpener([&opened](const QUrl &url) { opened.append(url); return true; });
    bar.setPorts(QStringLiteral("sbx_a"), portList({3000, 8000}));
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));

    QToolButton *button = bar.buttonFor(8000);
    QCOMPARE(button->popupMode(), QToolButton::MenuButtonPopup);
    // The button's own part, not its menu arrow.
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(4, button->height() / 2));
    QCOMPARE(opened, QList<QUrl>{QUrl(QStringLiteral("http://8000-sbx_a.localhost:7301"))});

    QMenu *menu = button->menu();
    QVERIFY(menu);
    QAction *open = menu->findChild<QAction *>(QStringLiteral("previewOpen"));
    QAction *copy = menu->findChild<QAction *>(QStringLiteral("previewCopy"));
    QVERIFY(open && copy);
    QCOMPARE(open->text(), QStringLiteral("Open in browser"));
    QCOMPARE(copy->text(), QStringLiteral("Copy URL"));
    open->trigger();
    QCOMPARE(opened.size(), 2);
    QCOMPARE(opened.last(), QUrl(QStringLiteral("http://8000-sbx_a.localhost:7301")));

    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    QSignalSpy copied(&bar, &PreviewBar::copied);
    bar.buttonFor(3000)->menu()->findChild<QAction *>(QStringLiteral("previewCopy"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("http://3000-sbx_a.localhost:7301"));
    QCOMPARE(opened.size(), 2); // copying opens nothing
    // Copying says so (the window shows it in its status bar).
    QCOMPARE(copied.size(), 1);
    QCOMPARE(copied.first().first().toString(), QStringLiteral("Copied the preview URL of port 3000."));
}

void tst_metrics_units::previewWithoutABrowser()
{
    // Where no browser opens, a click shows the URL with a Copy button.
    PreviewBar bar;
    bar.setUrlOpener([](const QUrl &) { return false; });
    QSignalSpy opened(&bar, &PreviewBar::opened);
    bar.setPorts(QStringLiteral("sbx_a"), portList({3000}));
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    bar.open(3000);
    QVERIFY(opened.isEmpty());
    QMessageBox *box = bar.noBrowserMessage();
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QCOMPARE(box->informativeText(), QStringLiteral("http://3000-sbx_a.localhost:7301"));
    QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
    QSignalSpy copied(&bar, &PreviewBar::copied);
    auto *copy = box->findChild<QPushButton *>(QStringLiteral("previewNoBrowserCopy"));
    QVERIFY(copy);
    copy->click();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("http://3000-sbx_a.localhost:7301"));
    QCOMPARE(copied.size(), 1);
    QTRY_VERIFY(!bar.noBrowserMessage());
}

void tst_metrics_units::previewBarKeepsItsHeight()
{
    // The tabs under the bar must not move when a sandbox is selected or a
    // port opens: the bar is as tall with nothing, a hint or buttons.
    QWidget host;
    auto *layout = new QVBoxLayout(&host);
    auto *bar = new PreviewBar(&host);
    layout->addWidget(bar);
    layout->addStretch(1);
    host.resize(600, 300);
    host.show();
    QVERIFY(QTest::qWaitForWindowExposed(&host));
    const int empty = bar->height();
    bar->setPorts(QStringLiteral("sbx_a"), {});
    QTRY_COMPARE(bar->height(), empty);
    bar->setPorts(QStringLiteral("sbx_a"), portList({3000, 8000}));
    QTRY_COMPARE(bar->height(), empty);
    bar->setPorts(QString(), {});
    QTRY_COMPARE(bar->height(), empty);
}

void tst_metrics_units::paneSentences()
{
    EngineClient client;
    MetricsPane pane(&client);
    QVERIFY2(pane.notice().startsWith(QStringLiteral("No sandbox selected")), qPrintable(pane.notice()));
    QCOMPARE(pane.currentText(), QString());
    QCOMPARE(pane.cpuSeries()->count(), 0);
    // Hidden and paused: no request, the sentence says why nothing moves.
    pane.setSandbox(QStringLiteral("sbx_a"), false);
    QCOMPARE(pane.notice(), QStringLiteral("Paused — no readings while paused."));
    QCOMPARE(pane.poller()->requestCount(), 0);
    pane.setWindowMinutes(1);
    QCOMPARE(pane.windowMinutes(), 1);
    pane.setWindowMinutes(7); // not offered: unchanged
    QCOMPARE(pane.windowMinutes(), 1);
    // With no readings yet the axes still count in whole steps, never
    // the same label twice.
    for (QValueAxis *axis : {pane.memoryAxis(), pane.pidsAxis(), pane.netAxis()}) {
        QVERIFY2(axis->tickInterval() >= 1.0, qPrintable(QString::number(axis->tickInterval())));
        QCOMPARE(axis->min(), 0.0);
        QVERIFY(axis->max() >= 4.0);
    }
}

void tst_metrics_units::paneSaysUnreachableEngine()
{
    // A port nothing listens on: the engine is unreachable.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    EngineClient client;
    client.setEndpoint(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), QStringLiteral("key"));
    MetricsPane pane(&client);
    pane.setPollInterval(200);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    pane.setSandbox(QStringLiteral("sbx_a"), true);
    QTRY_COMPARE(pane.poller()->state(), MetricsHistoryPoller::State::Failing);
    QVERIFY2(pane.notice().startsWith(QStringLiteral("The metrics of sbx_a cannot be read: ")), qPrintable(pane.notice()));
    QVERIFY(pane.notice().size() > 40);
    QCOMPARE(pane.notice(), pane.findChild<QLabel *>(QStringLiteral("metricsNotice"))->text());

    // The same id and flag again: nothing changes, no extra request.
    const int requests = pane.poller()->requestCount();
    pane.setSandbox(QStringLiteral("sbx_a"), true);
    QCOMPARE(pane.poller()->requestCount(), requests);
    QCOMPARE(pane.poller()->state(), MetricsHistoryPoller::State::Failing);

    // Nothing selected: the sentence, and the reads stop.
    pane.setSandbox(QString(), false);
    QVERIFY(pane.notice().startsWith(QStringLiteral("No sandbox selected")));
    QCOMPARE(pane.poller()->state(), MetricsHistoryPoller::State::Stopped);
    const int stopped = pane.poller()->requestCount();
    QTest::qWait(700);
    QCOMPARE(pane.poller()->requestCount(), stopped);
}

void tst_metrics_units::hiddenPaneAsksNothing()
{
    EngineClient client;
    client.setEndpoint(QUrl(QStringLiteral("http://127.0.0.1:9")), QStringLiteral("key"));
    MetricsPane pane(&client);
    pane.setPollInterval(100);
    pane.setSandbox(QStringLiteral("sbx_a"), true);
    QTest::qWait(400);
    QCOMPARE(pane.poller()->requestCount(), 0);
    QCOMPARE(pane.poller()->isPolling(), false);
}

QTEST_MAIN(tst_metrics_units)
#include "tst_metrics_units.moc"
