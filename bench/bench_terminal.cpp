// SPDX-License-Identifier: GPL-3.0-or-later
// 50 MiB of terminal output through PTY → WebSocket → TerminalScreen and a
// shown TerminalView (offscreen), against the same bytes through the same
// WebSocket into nothing, measured in the same run. Also the UI thread's
// longest stall while the flood lasts, as the lateness of a 5 ms timer.

#include "ApiClient.h"
#include "BenchEngine.h"
#include "BenchReport.h"
#include "EngineClient.h"
#include "EngineProcess.h"
#include "PtySession.h"
#include "TerminalScreen.h"
#include "TerminalView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace BenchReport;

namespace {

constexpr qint64 kPayload = 50ll * 1024 * 1024;
constexpr int kRuns = 3;
constexpr int kTickMs = 5;

// Numbered lines, as a build log or `cat` of a big file looks: every line
// scrolls the screen and goes into the scrollback, the expensive case. The
// end is a marker, not the exit: the engine (at the time of writing) drops
// the last frames of a stream it had paused for a slow reader when the
// process exits meanwhile, the exit message included.
const QByteArray kEndMarker = QByteArrayLiteral("END-OF-FLOOD");
QString floodCommand()
{
    return QStringLiteral("bash -c 'sleep 0.3; seq -w 1 99999999 | head -c %1; printf END-OF-; printf FLOOD; sleep 600'")
        .arg(kPayload);
}

// The longest gap between ticks of a kTickMs timer beyond kTickMs.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const double now = msSince(m_clock);
            m_worst = std::max(m_worst, now - m_last - kTickMs);
            m_last = now;
        });
    }
    void start()
    {
        m_worst = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        return std::max(0.0, m_worst);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_last = 0;
    double m_worst = 0;
};

struct Run
{
    double seconds = 0;
    qint64 bytes = 0;
    double stallMs = 0;
    int frames = 0;
    double longestPaintMs = 0;
    double mibPerSecond() const { return seconds > 0 ? bytes / seconds / (1024.0 * 1024.0) : 0; }
};

// One flood; with `view` the bytes go into a terminal, without into nothing.
Run flood(EngineProcess &engine, const QString &sandbox, TerminalView *view, QList<QByteArray> *keep)
{
    EngineClient client;
    client.setEndpoint(engine.baseUrl(), engine.apiKey());
    PtySession session(&client, sandbox);
    TerminalScreen *screen = view ? view->screen() : nullptr;
    if (screen) {
        QObject::connect(&session, &PtySession::output, screen, &TerminalScreen::feed);
        QObject::connect(view, &TerminalView::sizeChanged, &session, &PtySession::resize);
    }
    if (keep)
        QObject::connect(&session, &PtySession::output, &session, [keep](const QByteArray &b) { keep->append(b); });
    StallMeter stall;
    QElapsedTimer clock;
    Run run;
    const int framesBefore = view ? view->framesPainted() : 0;
    if (view)
        view->resetPaintStats();
    QEventLoop loop;
    QObject::connect(&session, &PtySession::attached, &loop, [&] {
        clock.start();
        stall.start();
    });
    QByteArray tail;
    QObject::connect(&session, &PtySession::output, &loop, [&](const QByteArray &b) {
        tail = (tail + b.right(kEndMarker.size())).right(kEndMarker.size() * 2);
        if (tail.contains(kEndMarker))
            loop.exit(0);
    });
    QObject::connect(&session, &PtySession::ended, &loop, [&](PtySession::End, const QString &sentence) {
        std::fprintf(stderr, "bench_terminal: %s\n", qPrintable(sentence));
        loop.exit(1);
    });
    QTimer::singleShot(300000, &loop, [&] { loop.exit(2); });
    session.start(screen ? screen->cols() : 80, screen ? screen->rows() : 24, {floodCommand(), {}, {}, {}});
    if (loop.exec() != 0)
        die(QStringLiteral("the flood did not finish"));
    // Done when the terminal has shown the last byte, not when it arrived.
    while (screen && screen->backlog() > 0)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    run.seconds = msSince(clock) / 1000.0;
    run.stallMs = stall.stop();
    // The command's own sleep before the first byte is not output time.
    run.seconds -= 0.3;
    run.bytes = session.bytesReceived();
    session.close(true);
    if (view) {
        QTest::qWait(50); // the last frame
        run.frames = view->framesPainted() - framesBefore;
        run.longestPaintMs = view->longestPaintMs();
    }
    return run;
}

double median(QList<double> v)
{
    return percentile(std::move(v), 0.5);
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const bool write = !app.arguments().contains(QStringLiteral("--no-write"));
    EngineProcess engine;
    BenchEngine::start(engine);
    ApiClient api(engine.baseUrl(), engine.apiKey());
    const QString id = BenchEngine::createSandbox(api);

    TerminalScreen screen(24, 80);
    TerminalView view(&screen);
    view.resize(1000, 700);
    view.show();
    QCoreApplication::processEvents();

    QList<double> wsRate, termRate, wsStall, termStall, fps, paint;
    QList<QByteArray> recorded;
    qint64 bytes = 0;
    for (int i = 0; i < kRuns; ++i) {
        // Alternated so both see the same machine load.
        const Run base = flood(engine, id, nullptr, i == 0 ? &recorded : nullptr);
        const Run term = flood(engine, id, &view, nullptr);
        std::printf("run %d: websocket %.1f MiB/s (stall %.1f ms), terminal %.1f MiB/s (stall %.1f ms, %d frames, "
                    "longest paint %.1f ms)\n", i + 1, base.mibPerSecond(), base.stallMs, term.mibPerSecond(),
                    term.stallMs, term.frames, term.longestPaintMs);
        std::fflush(stdout);
        wsRate << base.mibPerSecond();
        termRate << term.mibPerSecond();
        wsStall << base.stallMs;
        termStall << term.stallMs;
        fps << term.frames / term.seconds;
        paint << term.longestPaintMs;
        bytes = term.bytes;
    }
    api.del(QStringLiteral("/v1/sandboxes/") + id);

    // The emulator alone, fed the recorded messages from memory the way the
    // terminal tab feeds it (feed(), drained in slices).
    TerminalScreen offline(screen.rows(), screen.cols());
    qint64 fed = 0;
    for (const QByteArray &chunk : recorded) {
        offline.feed(chunk);
        fed += chunk.size();
    }
    QElapsedTimer t;
    t.start();
    while (offline.backlog() > 0)
        QCoreApplication::processEvents();
    const double offlineRate = fed / (msSince(t) / 1000.0) / (1024.0 * 1024.0);
    const qint64 meanMessage = recorded.isEmpty() ? 0 : fed / recorded.size();

    const double rate = median(termRate);
    const double stall = percentile(termStall, 1.0);
    const double framesPerSecond = percentile(fps, 1.0);
    const QList<Row> rows = {
        {QStringLiteral("PTY → WebSocket → TerminalScreen + TerminalView, throughput (MiB/s)"), fmt(rate, 1),
         QStringLiteral("%1 (same WebSocket, bytes dropped)").arg(fmt(median(wsRate), 1)), QStringLiteral("≥ 10 MiB/s"),
         rate >= 10 ? 1 : 0},
        {QStringLiteral("terminal throughput as a share of the baseline, median"),
         QStringLiteral("%1 %").arg(fmt(100.0 * rate / std::max(0.01, median(wsRate)), 0)), QString(),
         QStringLiteral("—"), -1},
        {QStringLiteral("longest UI-thread stall during the flood, worst of %1 (ms)").arg(kRuns), fmt(stall, 1),
         fmt(percentile(wsStall, 1.0), 1), QStringLiteral("≤ 50 ms"), stall <= 50 ? 1 : 0},
        {QStringLiteral("repaints per second during the flood, highest run"), fmt(framesPerSecond, 0), QString(),
         QStringLiteral("≤ 62 (one per frame)"), framesPerSecond <= 62 ? 1 : 0},
        {QStringLiteral("longest single repaint of the %1×%2 view (ms)").arg(screen.cols()).arg(screen.rows()),
         fmt(percentile(paint, 1.0), 1), QString(), QStringLiteral("—"), -1},
        {QStringLiteral("TerminalScreen alone, recorded messages from memory (MiB/s)"), fmt(offlineRate, 1),
         QString(), QStringLiteral("—"), -1},
    };
    const QString section =
        QStringLiteral("## Terminal widget (`bench/bench_terminal`)\n\n%1\n"
                       "%2 runs of `seq -w` output, %3 MiB from the PTY (%4 MiB on the wire after the PTY's "
                       "CRLF, in WebSocket messages of %9 bytes on average), view %5×%6 cells with %7 lines of "
                       "scrollback, offscreen platform. Stall: lateness of a %8 ms timer on the UI thread. Median "
                       "throughput; worst stall. The baseline receives the same stream and drops it.\n\n")
            .arg(machineLine())
            .arg(kRuns)
            .arg(kPayload / (1024 * 1024))
            .arg(fmt(bytes / (1024.0 * 1024.0), 1))
            .arg(screen.cols())
            .arg(screen.rows())
            .arg(screen.scrollbackLimit())
            .arg(kTickMs)
            .arg(meanMessage)
        + markdownTable(rows) + QLatin1Char('\n');
    std::printf("%s", qPrintable(section));
    if (write) {
        QString error;
        if (!writeSection(QStringLiteral(AI2IN_PERFORMANCE_MD), QStringLiteral("bench_terminal"), section, &error))
            die(error);
    }
    return 0;
}
