// SPDX-License-Identifier: GPL-3.0-or-later
// The Metrics tab and the preview buttons against a real engine, with
// another client acting in the sandbox as an agent would: the charts fill
// from the engine's history at once and then grow every second; the memory
// limit line is the sandbox's memory_mb; a CPU-burning command shows; a
// hidden pane asks nothing; a server started in the sandbox gets a button
// whose URL answers, opens and is copied; a stopped server's button goes;
// a paused sandbox keeps its charts and says why nothing moves; traffic the
// sandbox sends shows in the network chart as bytes per second. One engine
// and one sandbox for the whole program.
#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineClient.h"
#include "EngineProcess.h"
#include "MetricsHistory.h"
#include "MetricsHistoryPoller.h"
#include "MetricsPane.h"
#include "PreviewBar.h"
#include "SandboxInfo.h"

#include <QAction>
#include <QChartView>
#include <QClipboard>
#include <QDateTimeAxis>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>
#include <QValueAxis>

#include <memory>

using namespace E2e;

namespace {
// Creating a sandbox and starting servers take real time on a loaded
// 2-core machine.
constexpr int kTryMs = 30000;
constexpr int kMemoryMb = 384;
constexpr int kCpus = 2;
constexpr int kPort = 8000;

double maxY(const QLineSeries *s, qsizetype from = 0)
{
    double m = 0;
    const QList<QPointF> points = s->points();
    for (qsizetype i = from; i < points.size(); ++i)
        m = qMax(m, points.at(i).y());
    return m;
}
} // namespace

class tst_metrics_preview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void fillsFromHistoryAtOnce();
    void gainsPointsEverySecond();
    void memoryLimitLineIsTheSandboxLimit();
    void windowSelectorSetsTheTimeAxis();
    void cpuBurnShows();
    void networkTrafficShows();
    void hiddenPaneStopsAsking();
    void anotherSandboxStartsAfresh();

    void previewButtonOpensAnAnsweringUrl();
    void copyUrlPutsItOnTheClipboard();
    void stoppedServerLosesItsButton();
    void tokenSandboxOpensWithItsToken();

    void pausedSandboxKeepsItsChartsAndSaysSo();

private:
    // The sandbox's ports as the engine reports them.
    QList<SandboxPort> ports()
    {
        const ApiResponse r = m_api->sandbox(m_id);
        const auto info = SandboxInfo::fromJson(r.json());
        return info ? info->ports : QList<SandboxPort>{};
    }
    bool hasPort(int port)
    {
        const QList<SandboxPort> list = ports();
        return std::any_of(list.cbegin(), list.cend(), [port](const SandboxPort &p) { return p.port == port; });
    }
    bool seriesMatchHistory() const
    {
        const QList<MetricsHistory::Sample> &samples = m_pane->history().samples();
        const QList<QPointF> cpu = m_pane->cpuSeries()->points();
        const QList<QPointF> memory = m_pane->memorySeries()->points();
        const QList<QPointF> pids = m_pane->pidsSeries()->points();
        if (cpu.size() != samples.size() || memory.size() != samples.size() || pids.size() != samples.size())
            return false;
        for (qsizetype i = 0; i < samples.size(); ++i) {
            const MetricsHistory::Sample &s = samples.at(i);
            if (cpu.at(i) != QPointF(double(s.timeMs), s.cpuPercent) || pids.at(i) != QPointF(double(s.timeMs), s.pids) ||
                !qFuzzyCompare(memory.at(i).y() + 1, double(s.memoryBytes) / (1024.0 * 1024.0) + 1))
                return false;
        }
        // The network chart: one point per rate, in the chart's unit.
        const QList<MetricsHistory::Rate> &rates = m_pane->history().rates();
        const QList<QPointF> in = m_pane->netInSeries()->points();
        const QList<QPointF> out = m_pane->netOutSeries()->points();
        if (in.size() != rates.size() || out.size() != rates.size())
            return false;
        const double unit = m_pane->netDivisor();
        for (qsizetype i = 0; i < rates.size(); ++i) {
            const MetricsHistory::Rate &r = rates.at(i);
            if (in.at(i).x() != double(r.timeMs) || !qFuzzyCompare(in.at(i).y() + 1, r.inBytesPerSecond / unit + 1)
                || !qFuzzyCompare(out.at(i).y() + 1, r.outBytesPerSecond / unit + 1))
                return false;
        }
        return true;
    }

    std::unique_ptr<EngineProcess> m_engine;
    std::unique_ptr<ApiClient> m_api;
    EngineClient *m_client = nullptr;
    MetricsPane *m_pane = nullptr;
    PreviewBar *m_bar = nullptr;
    QString m_id;
    QString m_serverCommand;
};

void tst_metrics_preview::initTestCase()
{
    E2E_START_ENGINE(m_engine, m_api);
    E2E_CREATE(id, *m_api, obj({{QStringLiteral("memory_mb"), kMemoryMb}, {QStringLiteral("cpu_count"), kCpus}}));
    m_id = id;
    // Let the sandbox live a few seconds, so the engine has kept readings.
    QTRY_VERIFY_WITH_TIMEOUT(m_api->get(sbx(m_id, QStringLiteral("/metrics?since=0")))
                                     .json()
                                     .value(QStringLiteral("samples"))
                                     .toArray()
                                     .size() >= 3,
                             kTryMs);

    m_client = new EngineClient(this);
    m_client->setEndpoint(m_engine->baseUrl(), m_engine->apiKey());
    m_pane = new MetricsPane(m_client);
    m_pane->resize(900, 700);
    m_bar = new PreviewBar;
    m_bar->resize(600, 40);
}

void tst_metrics_preview::cleanupTestCase()
{
    delete m_pane;
    delete m_bar;
    if (m_api)
        m_api->killAllSandboxes();
}

void tst_metrics_preview::fillsFromHistoryAtOnce()
{
    int pointsAtFirstAnswer = -1;
    connect(m_pane, &MetricsPane::updated, this, [&] {
        if (pointsAtFirstAnswer < 0)
            pointsAtFirstAnswer = int(m_pane->cpuSeries()->count());
    });
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane));
    QCOMPARE(m_pane->poller()->requestCount(), 0); // nothing selected yet
    m_pane->setSandbox(m_id, true);
    QTRY_VERIFY_WITH_TIMEOUT(pointsAtFirstAnswer >= 0, kTryMs);
    disconnect(m_pane, &MetricsPane::updated, this, nullptr);
    QVERIFY2(pointsAtFirstAnswer >= 3, qPrintable(QStringLiteral("%1 points after the first answer").arg(pointsAtFirstAnswer)));
    QCOMPARE(m_pane->poller()->state(), MetricsHistoryPoller::State::Live);
    QVERIFY(seriesMatchHistory());
    QCOMPARE(m_pane->notice(), QString());
    QCOMPARE(m_pane->history().cpuCount(), kCpus);

    static const QRegularExpression current(
        QStringLiteral(R"(^CPU \d+\.\d % of 2 CPUs · [\d.]+ MiB of 384 MiB · \d+ process(es)?( · in [\d.]+ (B|KiB|MiB|GiB)/s, out [\d.]+ (B|KiB|MiB|GiB)/s)?$)"));
    QVERIFY2(current.match(m_pane->currentText()).hasMatch(), qPrintable(m_pane->currentText()));
    QCOMPARE(m_pane->findChild<QLabel *>(QStringLiteral("metricsCurrent"))->text(), m_pane->currentText());
    // The init process and the agent at least.
    QVERIFY(m_pane->history().samples().constLast().pids >= 1);
    QVERIFY(m_pane->history().samples().constLast().memoryBytes > 0);
}

void tst_metrics_preview::gainsPointsEverySecond()
{
    const qsizetype before = m_pane->cpuSeries()->count();
    const qint64 newestBefore = m_pane->history().newestMs();
    QTest::qWait(4500);
    const qsizetype after = m_pane->cpuSeries()->count();
    QVERIFY2(after - before >= 3, qPrintable(QStringLiteral("%1 → %2 points in 4.5 s").arg(before).arg(after)));
    QVERIFY(m_pane->history().newestMs() > newestBefore);
    QVERIFY(seriesMatchHistory());
    // No repeated times: strictly ascending.
    const QList<QPointF> points = m_pane->cpuSeries()->points();
    for (qsizetype i = 1; i < points.size(); ++i)
        QVERIFY(points.at(i).x() > points.at(i - 1).x());
    // The right edge follows the newest reading.
    QCOMPARE(m_pane->timeAxis()->max().toMSecsSinceEpoch(), m_pane->history().newestMs());
}

void tst_metrics_preview::memoryLimitLineIsTheSandboxLimit()
{
    const QList<QPointF> limit = m_pane->memoryLimitSeries()->points();
    QCOMPARE(limit.size(), 2);
    QCOMPARE(limit.at(0).y(), double(kMemoryMb));
    QCOMPARE(limit.at(1).y(), double(kMemoryMb));
    QCOMPARE(qint64(limit.at(1).x()), m_pane->history().newestMs());
    QVERIFY(m_pane->memoryAxis()->max() >= kMemoryMb);
    QCOMPARE(m_pane->memoryAxis()->min(), 0.0);
    QCOMPARE(m_pane->cpuAxis()->max(), 100.0 * kCpus);
    QCOMPARE(m_pane->cpuAxis()->min(), 0.0);
    QVERIFY(m_pane->pidsAxis()->max() >= maxY(m_pane->pidsSeries()));
}

void tst_metrics_preview::windowSelectorSetsTheTimeAxis()
{
    for (int minutes : {1, 15, 5}) {
        m_pane->setWindowMinutes(minutes);
        const QDateTimeAxis *axis = m_pane->timeAxis();
        QCOMPARE(axis->min().msecsTo(axis->max()), qint64(minutes) * 60 * 1000);
        QCOMPARE(axis->max().toMSecsSinceEpoch(), m_pane->history().newestMs());
    }
}

void tst_metrics_preview::cpuBurnShows()
{
    const qsizetype from = m_pane->cpuSeries()->count();
    QVERIFY2(maxY(m_pane->cpuSeries(), qMax<qsizetype>(0, from - 2)) < 50, "the sandbox is busy before the burn");
    // Two burners, one per CPU of the sandbox: on a machine whose cores are
    // shared with compilers one busy loop alone may get less than half a CPU.
    const QString burn = QStringLiteral("timeout 3 sh -c 'while :; do :; done'");
    const QJsonObject background{{QStringLiteral("background"), true}};
    E2E_EXPECT(first, m_api->run(m_id, burn, background), 201);
    E2E_EXPECT(second, m_api->run(m_id, burn, background), 201);
    QTRY_VERIFY_WITH_TIMEOUT(maxY(m_pane->cpuSeries(), from) > 50, kTryMs);
    QVERIFY(maxY(m_pane->cpuSeries(), from) <= 100.0 * kCpus + 5);
}

void tst_metrics_preview::networkTrafficShows()
{
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->netOutSeries()->count() >= 2, kTryMs);
    const qsizetype from = m_pane->netOutSeries()->count();
    const double before = maxY(m_pane->netOutSeries(), qMax<qsizetype>(0, from - 2)) * m_pane->netDivisor();
    // Connections to the sandbox's own gateway (its resolver): every policy
    // closes the host, so each is refused at once and nothing leaves this
    // machine; the packets still count. Three seconds of them.
    const QString probe = QStringLiteral(
        "python3 -c \"import socket, time\n"
        "gw = [l.split()[1] for l in open('/etc/resolv.conf') if l.startswith('nameserver')][0]\n"
        "end = time.monotonic() + 3\n"
        "while time.monotonic() < end:\n"
        "    s = socket.socket(); s.settimeout(1); s.connect_ex((gw, 9)); s.close(); time.sleep(0.005)\n\"");
    E2E_RUN(out, *m_api, m_id, probe, QJsonObject(), 0);
    Q_UNUSED(out);
    // Each attempt is a SYN of 60 bytes at least; a few hundred of them a second.
    QTRY_VERIFY_WITH_TIMEOUT(maxY(m_pane->netOutSeries(), from) * m_pane->netDivisor() > qMax(before * 2, 1000.0), kTryMs);
    QVERIFY(seriesMatchHistory());
    static const QRegularExpression current(QStringLiteral(R"( · in [\d.]+ (B|KiB|MiB)/s, out [\d.]+ (B|KiB|MiB)/s$)"));
    QVERIFY2(current.match(m_pane->currentText()).hasMatch(), qPrintable(m_pane->currentText()));
    // The chart's title names the unit its values are in.
    const QString unit = m_pane->netDivisor() == 1 ? QStringLiteral("B/s") : m_pane->netDivisor() == 1024 ? QStringLiteral("KiB/s")
                                                                                                            : QStringLiteral("MiB/s");
    QVERIFY(m_pane->findChild<QChartView *>(QStringLiteral("metricsNetChart"))->chart()->title().contains(unit));
    QVERIFY(m_pane->netAxis()->max() >= maxY(m_pane->netOutSeries(), from));
}

void tst_metrics_preview::hiddenPaneStopsAsking()
{
    m_pane->hide();
    QTest::qWait(1500); // an answer in flight is dropped
    const int requests = m_pane->poller()->requestCount();
    const qsizetype points = m_pane->cpuSeries()->count();
    QTest::qWait(3000);
    QCOMPARE(m_pane->poller()->requestCount(), requests);
    QCOMPARE(m_pane->cpuSeries()->count(), points);

    // Shown again: it carries on from the newest reading, the gap filled.
    const qint64 newest = m_pane->history().newestMs();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane));
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->cpuSeries()->count() >= points + 4, kTryMs);
    QVERIFY(m_pane->poller()->requestCount() > requests);
    QVERIFY(m_pane->history().newestMs() > newest);
    QVERIFY(seriesMatchHistory());
}

void tst_metrics_preview::anotherSandboxStartsAfresh()
{
    m_pane->setSandbox(QString(), false);
    QVERIFY2(m_pane->notice().startsWith(QStringLiteral("No sandbox selected")), qPrintable(m_pane->notice()));
    QCOMPARE(m_pane->cpuSeries()->count(), 0);
    QVERIFY(m_pane->history().isEmpty());
    QCOMPARE(m_pane->currentText(), QString());

    E2E_CREATE(other, *m_api, QJsonObject());
    m_pane->setSandbox(other, true);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->cpuSeries()->count() >= 1, kTryMs);
    QCOMPARE(m_pane->history().memoryLimitBytes(), qint64(512) * 1024 * 1024); // the default
    E2E_EXPECT(killed, m_api->del(sbx(other)), 204);
    // Its end is said; the charts keep what was read.
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->poller()->state(), MetricsHistoryPoller::State::Gone, kTryMs);
    QVERIFY2(m_pane->notice().contains(QStringLiteral("is gone")), qPrintable(m_pane->notice()));
    QVERIFY(m_pane->cpuSeries()->count() >= 1);

    m_pane->setSandbox(m_id, true);
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->cpuSeries()->count() >= 10, kTryMs);
    QCOMPARE(m_pane->history().memoryLimitBytes(), qint64(kMemoryMb) * 1024 * 1024);
    QVERIFY(seriesMatchHistory());
}

void tst_metrics_preview::previewButtonOpensAnAnsweringUrl()
{
    m_bar->setPorts(m_id, ports());
    QVERIFY(!m_bar->buttonFor(kPort));
    E2E_EXPECT(started, m_api->run(m_id, QStringLiteral("python3 -m http.server %1").arg(kPort),
                                   QJsonObject{{QStringLiteral("background"), true}}),
               201);
    m_serverCommand = started.json().value(QStringLiteral("command_id")).toString();
    QVERIFY(!m_serverCommand.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(hasPort(kPort), kTryMs);

    QList<QUrl> opened;
    m_bar->setUrlOpener([&opened](const QUrl &url) { opened.append(url); return true; });
    m_bar->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_bar));
    m_bar->setPorts(m_id, ports());
    QToolButton *button = m_bar->buttonFor(kPort);
    QVERIFY(button);
    // A layout shows a widget added to a shown parent on the next turn of
    // the event loop.
    QTRY_VERIFY(button->isVisible());
    QCOMPARE(button->text(), QStringLiteral(":%1").arg(kPort));
    const QString expected = QStringLiteral("http://%1-%2.localhost:%3").arg(kPort).arg(m_id).arg(m_engine->previewPort());
    QCOMPARE(button->toolTip(), expected);
    QCOMPARE(m_bar->hint(), QString());

    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(4, button->height() / 2));
    QCOMPARE(opened, QList<QUrl>{QUrl(expected)});

    // The URL answers as it is: the system resolver (libnss-myhostname,
    // which dev.sh and the .deb install) gives *.localhost the loopback
    // addresses, and the engine serves previews on both.
    const QUrl url = opened.first();
    QNetworkRequest request(url);
    request.setTransferTimeout(kTryMs);
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(kTryMs));
    const QByteArray body = reply->readAll();
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY2(body.contains("Directory listing"), body.left(300).constData());
    reply->deleteLater();
}

void tst_metrics_preview::copyUrlPutsItOnTheClipboard()
{
    QToolButton *button = m_bar->buttonFor(kPort);
    QVERIFY(button && button->menu());
    QGuiApplication::clipboard()->setText(QStringLiteral("not the URL"));
    QAction *copy = button->menu()->findChild<QAction *>(QStringLiteral("previewCopy"));
    QVERIFY(copy);
    copy->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QStringLiteral("http://%1-%2.localhost:%3").arg(kPort).arg(m_id).arg(m_engine->previewPort()));
}

void tst_metrics_preview::stoppedServerLosesItsButton()
{
    QPointer<QToolButton> button = m_bar->buttonFor(kPort);
    QVERIFY(button);
    E2E_EXPECT(killed, m_api->post(sbx(m_id, QStringLiteral("/commands/") + m_serverCommand + QStringLiteral("/kill")),
                                   QJsonObject()),
               200);
    QTRY_VERIFY_WITH_TIMEOUT(!hasPort(kPort), kTryMs);
    m_bar->setPorts(m_id, ports());
    QVERIFY(!m_bar->buttonFor(kPort));
    QVERIFY(!m_bar->ports().contains(kPort));
    QTRY_VERIFY(button.isNull());
    if (m_bar->ports().isEmpty())
        QCOMPARE(m_bar->hint(), QStringLiteral("No ports open — start a server in the sandbox to get a preview URL."));
}

void tst_metrics_preview::tokenSandboxOpensWithItsToken()
{
    // A sandbox created with preview_auth: the button opens the URL with the
    // token, which the preview turns into a cookie of the browser.
    const QJsonObject body{{QStringLiteral("preview_auth"), true}};
    E2E_CREATE(secured, *m_api, body);
    const QString token = securedCreated.json().value(QStringLiteral("preview_token")).toString();
    QVERIFY2(!token.isEmpty(), securedCreated.describe().constData());
    constexpr int port = 8124;
    E2E_EXPECT(started, m_api->run(secured, QStringLiteral("python3 -m http.server %1").arg(port),
                                   QJsonObject{{QStringLiteral("background"), true}}),
               201);
    std::optional<SandboxInfo> info;
    QTRY_VERIFY_WITH_TIMEOUT((info = SandboxInfo::fromJson(m_api->sandbox(secured).json())) &&
                                 std::any_of(info->ports.cbegin(), info->ports.cend(),
                                             [](const SandboxPort &p) { return p.port == port; }),
                             kTryMs);
    QCOMPARE(info->previewToken, token);

    PreviewBar bar;
    QList<QUrl> opened;
    bar.setUrlOpener([&opened](const QUrl &url) { opened.append(url); return true; });
    bar.setPorts(secured, info->ports, info->previewToken);
    QVERIFY(bar.buttonFor(port));
    bar.open(port);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(QUrlQuery(opened.first()).queryItemValue(QStringLiteral("ai2in_token")), token);
    QCOMPARE(bar.copyUrl(port), bar.urlFor(port).toString());
    QCOMPARE(bar.copyUrlWithToken(port), opened.first().toString());

    // As a browser: the plain URL is refused, the opened one answers (after
    // the redirect that sets the cookie), and then the plain URL does too.
    QNetworkAccessManager nam; // follows redirects, keeps cookies
    const auto status = [&nam](const QUrl &url, QByteArray *bodyOut = nullptr) {
        QNetworkRequest request(url);
        request.setTransferTimeout(kTryMs);
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(kTryMs))
            return -1;
        if (bodyOut)
            *bodyOut = reply->readAll();
        reply->deleteLater();
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };
    QCOMPARE(status(bar.urlFor(port)), 401);
    QByteArray page;
    QCOMPARE(status(opened.first(), &page), 200);
    QVERIFY2(page.contains("Directory listing"), page.left(300).constData());
    QCOMPARE(status(bar.urlFor(port)), 200);
    E2E_EXPECT(killed, m_api->del(sbx(secured)), 204);
}

void tst_metrics_preview::pausedSandboxKeepsItsChartsAndSaysSo()
{
    E2E_EXPECT(paused, m_api->post(sbx(m_id, QStringLiteral("/pause")), QJsonObject()), 200);
    m_pane->setSandbox(m_id, false);
    QCOMPARE(m_pane->notice(), QStringLiteral("Paused — no readings while paused."));
    const QLabel *notice = m_pane->findChild<QLabel *>(QStringLiteral("metricsNotice"));
    QVERIFY(notice->isVisible());
    QCOMPARE(notice->text(), m_pane->notice());
    QTest::qWait(1500); // an answer in flight is dropped
    const int requests = m_pane->poller()->requestCount();
    const qsizetype points = m_pane->cpuSeries()->count();
    QVERIFY(points >= 10);
    QTest::qWait(3000);
    QCOMPARE(m_pane->poller()->requestCount(), requests);
    QCOMPARE(m_pane->cpuSeries()->count(), points);
    QVERIFY(!m_pane->currentText().isEmpty());

    // Resumed: readings come again.
    E2E_EXPECT(resumed, m_api->post(sbx(m_id, QStringLiteral("/resume")), QJsonObject()), 200);
    m_pane->setSandbox(m_id, true);
    QCOMPARE(m_pane->notice(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(m_pane->cpuSeries()->count() >= points + 2, kTryMs);
}

QTEST_MAIN(tst_metrics_preview)
#include "tst_metrics_preview.moc"
