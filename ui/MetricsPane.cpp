// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsPane.h"

#include "EngineClient.h"
#include "Formatting.h"
#include "MetricsHistory.h"
#include "MetricsHistoryPoller.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLoggingCategory>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

Q_LOGGING_CATEGORY(lcUiMetrics, "ai2in.ui.metrics", QtInfoMsg)

namespace {
using Sample = MetricsHistory::Sample;
using Value = double (*)(const Sample &);

constexpr double kMiB = 1024.0 * 1024.0;
constexpr int kDefaultWindowMinutes = 5;

double cpuOf(const Sample &s)
{
    return s.cpuPercent;
}

double memoryOf(const Sample &s)
{
    return double(s.memoryBytes) / kMiB;
}

double pidsOf(const Sample &s)
{
    return s.pids;
}

using Rate = MetricsHistory::Rate;

QList<QPointF> ratePoints(const QList<Rate> &rates, qsizetype from, bool in, double divisor)
{
    QList<QPointF> out;
    out.reserve(rates.size() - from);
    for (qsizetype i = from; i < rates.size(); ++i) {
        const Rate &r = rates.at(i);
        out.append(QPointF(double(r.timeMs), (in ? r.inBytesPerSecond : r.outBytesPerSecond) / divisor));
    }
    return out;
}

QString rateText(double bytesPerSecond)
{
    return Formatting::bytes(qint64(std::llround(bytesPerSecond))) + QStringLiteral("/s");
}

QList<QPointF> pointsOf(const QList<Sample> &samples, qsizetype from, Value value)
{
    QList<QPointF> out;
    out.reserve(samples.size() - from);
    for (qsizetype i = from; i < samples.size(); ++i)
        out.append(QPointF(double(samples.at(i).timeMs), value(samples.at(i))));
    return out;
}

QString mibText(qint64 bytes)
{
    const double mib = double(bytes) / kMiB;
    return QStringLiteral("%1 MiB").arg(mib, 0, 'f', mib < 10 ? 1 : 0);
}

// A tick step of 1, 2 (2.5) or 5 × 10^n that cuts `top` into about `ticks`
// parts; whole numbers only when `whole`.
double niceStep(double top, int ticks, bool whole)
{
    const double raw = qMax(top / ticks, whole ? 1.0 : 1e-3);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude;
    double step = 10;
    if (f <= 1)
        step = 1;
    else if (f <= 2)
        step = 2;
    else if (f <= 2.5 && !(whole && magnitude < 10))
        step = 2.5;
    else if (f <= 5)
        step = 5;
    return step * magnitude;
}

// Sets a 0-based value axis to reach at least `top`, on a whole tick.
void setValueRange(QValueAxis *axis, double top, bool whole = false)
{
    const double step = niceStep(top, 4, whole);
    const double max = std::ceil(top / step - 1e-9) * step;
    if (axis->tickInterval() != step)
        axis->setTickInterval(step);
    if (axis->min() != 0 || axis->max() != max)
        axis->setRange(0, max);
}
} // namespace

MetricsPane::MetricsPane(EngineClient *client, QWidget *parent)
    : QWidget(parent)
    , m_history(std::make_unique<MetricsHistory>())
    , m_poller(new MetricsHistoryPoller(client, m_history.get(), this))
{
    m_window = new QComboBox(this);
    m_window->setObjectName(QStringLiteral("metricsWindow"));
    m_window->addItem(tr("Last minute"), 1);
    m_window->addItem(tr("Last 5 minutes"), 5);
    m_window->addItem(tr("Last 15 minutes"), 15);
    m_window->setCurrentIndex(m_window->findData(kDefaultWindowMinutes));
    connect(m_window, &QComboBox::currentIndexChanged, this, &MetricsPane::updateAxes);

    m_current = new QLabel(this);
    m_current->setObjectName(QStringLiteral("metricsCurrent"));
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("metricsNotice"));
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);

    m_cpu = makeChart(tr("CPU (% of one CPU)"), QStringLiteral("metricsCpuChart"), tr("CPU"));
    m_cpu.values->setLabelFormat(QStringLiteral("%.0f"));
    m_memory = makeChart(tr("Memory (MiB)"), QStringLiteral("metricsMemoryChart"), tr("Used"));
    m_memory.values->setLabelFormat(QStringLiteral("%.0f"));
    m_limit = addSecondLine(m_memory, tr("Limit"));
    m_pids = makeChart(tr("Processes"), QStringLiteral("metricsPidsChart"), tr("Processes"));
    m_pids.values->setLabelFormat(QStringLiteral("%d"));
    m_net = makeChart(tr("Network (B/s)"), QStringLiteral("metricsNetChart"), tr("In"));
    m_net.values->setLabelFormat(QStringLiteral("%.0f"));
    m_netOut = addSecondLine(m_net, tr("Out"));

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_window);
    bar->addSpacing(12);
    bar->addWidget(m_current, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    // Two by two: four charts stacked would each be too low to read in a
    // window of 720 pixels.
    auto *charts = new QGridLayout;
    charts->addWidget(m_cpu.view, 0, 0);
    charts->addWidget(m_memory.view, 0, 1);
    charts->addWidget(m_pids.view, 1, 0);
    charts->addWidget(m_net.view, 1, 1);
    layout->addLayout(charts, 1);

    connect(m_poller, &MetricsHistoryPoller::changed, this, &MetricsPane::takeChange);
    connect(m_poller, &MetricsHistoryPoller::cleared, this, &MetricsPane::refill);
    connect(m_poller, &MetricsHistoryPoller::stateChanged, this,
            [this](MetricsHistoryPoller::State state, const QString &problem) {
                if (!problem.isEmpty())
                    qCInfo(lcUiMetrics) << m_id << state << problem;
                updateTexts();
            });

    applyColours();
    updateAxes();
    updateTexts();
}

MetricsPane::~MetricsPane() = default;

MetricsPane::Chart MetricsPane::makeChart(const QString &title, const QString &objectName, const QString &seriesName)
{
    Chart c;
    c.chart = new QChart;
    c.chart->setTitle(title);
    c.chart->legend()->setVisible(false);
    c.chart->setAnimationOptions(QChart::NoAnimation);
    c.chart->setBackgroundRoundness(0);
    c.chart->setMargins(QMargins(4, 2, 4, 2));
    c.line = new QLineSeries(c.chart);
    c.line->setName(seriesName);
    c.chart->addSeries(c.line);
    c.time = new QDateTimeAxis(c.chart);
    c.time->setTickCount(4); // half the pane's width: room for four times
    c.values = new QValueAxis(c.chart);
    c.values->setTickType(QValueAxis::TicksDynamic);
    c.values->setTickAnchor(0);
    c.chart->addAxis(c.time, Qt::AlignBottom);
    c.chart->addAxis(c.values, Qt::AlignLeft);
    c.line->attachAxis(c.time);
    c.line->attachAxis(c.values);
    c.view = new QChartView(c.chart, this);
    c.view->setObjectName(objectName);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setFrameShape(QFrame::NoFrame);
    c.view->setMinimumHeight(110);
    return c;
}

QLineSeries *MetricsPane::addSecondLine(const Chart &c, const QString &name)
{
    auto *line = new QLineSeries(c.chart);
    line->setName(name);
    c.chart->addSeries(line);
    line->attachAxis(c.time);
    line->attachAxis(c.values);
    // Two lines need their names shown.
    c.chart->legend()->setVisible(true);
    c.chart->legend()->setAlignment(Qt::AlignTop);
    return line;
}

void MetricsPane::setSandbox(const QString &id, bool running)
{
    if (id == m_id && running == m_running)
        return;
    const bool other = id != m_id;
    m_id = id;
    m_running = running;
    // The poller empties the history for another sandbox (cleared → refill).
    if (other)
        m_poller->setSandbox(id);
    follow();
    updateTexts();
}

void MetricsPane::follow()
{
    if (m_id.isEmpty() || !isVisible()) {
        m_poller->stop();
        return;
    }
    if (m_running) {
        m_poller->start();
        return;
    }
    // Paused: no new readings will come, but what the engine kept from
    // before is worth a single read when nothing is shown yet.
    m_poller->stop();
    if (m_history->isEmpty())
        m_poller->readOnce();
}

void MetricsPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    follow();
}

void MetricsPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_poller->stop();
}

void MetricsPane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyColours();
}

void MetricsPane::setWindowMinutes(int minutes)
{
    const int i = m_window->findData(minutes);
    if (i >= 0)
        m_window->setCurrentIndex(i);
}

int MetricsPane::windowMinutes() const
{
    return m_window->currentData().toInt();
}

void MetricsPane::setPollInterval(int ms)
{
    m_poller->setInterval(ms);
}

void MetricsPane::takeChange(int added, int dropped)
{
    const QList<Sample> &all = m_history->samples();
    const QList<QPair<QLineSeries *, Value>> lines{{m_cpu.line, cpuOf}, {m_memory.line, memoryOf}, {m_pids.line, pidsOf}};
    for (const auto &[line, value] : lines) {
        const qsizetype held = line->count();
        if (dropped > held || held - dropped + added != all.size()) {
            // Out of step (cannot happen unless the history was changed
            // behind the poller's back): draw it all again.
            line->replace(pointsOf(all, 0, value));
            continue;
        }
        if (dropped > 0)
            line->removePoints(0, dropped);
        if (added > 0)
            line->append(pointsOf(all, all.size() - added, value));
    }
    syncRates();
    updateAxes();
    updateTexts();
    Q_EMIT updated();
}

void MetricsPane::refill()
{
    const QList<Sample> &all = m_history->samples();
    m_cpu.line->replace(pointsOf(all, 0, cpuOf));
    m_memory.line->replace(pointsOf(all, 0, memoryOf));
    m_pids.line->replace(pointsOf(all, 0, pidsOf));
    refillRates();
    updateAxes();
    updateTexts();
}

void MetricsPane::syncRates()
{
    // Rates come and go at the ends only, so the series follows by time:
    // drop the points older than the oldest rate, append those newer than
    // the newest point.
    const QList<Rate> &rates = m_history->rates();
    qsizetype drop = 0;
    while (drop < m_net.line->count() && (rates.isEmpty() || m_net.line->at(int(drop)).x() < double(rates.constFirst().timeMs)))
        ++drop;
    if (drop > 0) {
        m_net.line->removePoints(0, int(drop));
        m_netOut->removePoints(0, int(drop));
    }
    const double newest = m_net.line->count() > 0 ? m_net.line->at(m_net.line->count() - 1).x() : -1;
    const auto from = std::partition_point(rates.cbegin(), rates.cend(), [newest](const Rate &r) { return double(r.timeMs) <= newest; });
    const qsizetype first = from - rates.cbegin();
    if (first < rates.size()) {
        m_net.line->append(ratePoints(rates, first, true, m_netDivisor));
        m_netOut->append(ratePoints(rates, first, false, m_netDivisor));
    }
    if (m_net.line->count() != rates.size() || m_netOut->count() != rates.size())
        refillRates(); // out of step: cannot happen unless the history changed behind the poller's back
}

void MetricsPane::refillRates()
{
    const QList<Rate> &rates = m_history->rates();
    m_net.line->replace(ratePoints(rates, 0, true, m_netDivisor));
    m_netOut->replace(ratePoints(rates, 0, false, m_netDivisor));
}

void MetricsPane::updateAxes()
{
    const qint64 span = qint64(windowMinutes()) * 60 * 1000;
    // The engine's clock: the newest reading is the right edge.
    const qint64 end = m_history->isEmpty() ? QDateTime::currentMSecsSinceEpoch() : m_history->newestMs();
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(end - span);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(end);
    const QString format = span > 5 * 60 * 1000 ? QStringLiteral("HH:mm") : QStringLiteral("HH:mm:ss");
    for (const Chart *c : {&m_cpu, &m_memory, &m_pids, &m_net}) {
        c->time->setRange(from, to);
        c->time->setFormat(format);
    }

    qint64 maxMemory = 0;
    int maxPids = 0;
    const QList<Sample> &all = m_history->samples();
    for (qsizetype i = m_history->firstWithin(span); i < all.size(); ++i) {
        maxMemory = qMax(maxMemory, all.at(i).memoryBytes);
        maxPids = qMax(maxPids, all.at(i).pids);
    }
    // CPU: exactly all the sandbox's CPUs, a quarter per tick.
    const double cpuTop = 100.0 * qMax(1, m_history->cpuCount());
    if (m_cpu.values->max() != cpuTop) {
        m_cpu.values->setTickInterval(cpuTop / 4);
        m_cpu.values->setRange(0, cpuTop);
    }
    const qint64 limit = m_history->memoryLimitBytes();
    // Whole MiB per tick, at least 4 MiB: an empty chart (no readings yet)
    // reads 0 1 2 3 4, not the 0 0 1 1 1 that quarter-MiB ticks printed as.
    setValueRange(m_memory.values, qMax(4.0, double(qMax(limit, maxMemory)) / kMiB * 1.1), true);
    setValueRange(m_pids.values, qMax(4.0, maxPids * 1.25), true);

    // Network: the unit that keeps the window's top below four digits;
    // another unit redraws the series in it.
    double maxRate = 0;
    for (const Rate &r : m_history->rates()) {
        if (r.timeMs >= end - span)
            maxRate = qMax(maxRate, qMax(r.inBytesPerSecond, r.outBytesPerSecond));
    }
    const double divisor = maxRate >= 1024.0 * 1024.0 ? 1024.0 * 1024.0 : maxRate >= 1024.0 ? 1024.0 : 1.0;
    if (divisor != m_netDivisor) {
        m_netDivisor = divisor;
        refillRates();
    }
    const QString title = divisor > 1024.0 ? tr("Network (MiB/s)") : divisor > 1.0 ? tr("Network (KiB/s)") : tr("Network (B/s)");
    if (m_net.chart->title() != title)
        m_net.chart->setTitle(title);
    setValueRange(m_net.values, qMax(4.0, maxRate / divisor * 1.1), true);

    if (limit > 0) {
        const double y = double(limit) / kMiB;
        m_limit->replace(QList<QPointF>{QPointF(double(end - span), y), QPointF(double(end), y)});
    } else if (m_limit->count() > 0) {
        m_limit->clear();
    }
}

QString MetricsPane::currentText() const
{
    if (m_history->isEmpty())
        return {};
    const Sample &s = m_history->samples().constLast();
    const int cpus = m_history->cpuCount();
    QString cpu = tr("CPU %1 %").arg(s.cpuPercent, 0, 'f', 1);
    if (cpus == 1)
        cpu += QLatin1Char(' ') + tr("of 1 CPU");
    else if (cpus > 1)
        cpu += QLatin1Char(' ') + tr("of %1 CPUs").arg(cpus);
    QString memory = mibText(s.memoryBytes);
    if (m_history->memoryLimitBytes() > 0)
        memory += QLatin1Char(' ') + tr("of %1").arg(mibText(m_history->memoryLimitBytes()));
    const QString pids = s.pids == 1 ? tr("1 process") : tr("%1 processes").arg(s.pids);
    QString text = cpu + QStringLiteral(" · ") + memory + QStringLiteral(" · ") + pids;
    const QList<Rate> &rates = m_history->rates();
    // Only a rate of the newest reading is "current".
    if (!rates.isEmpty() && rates.constLast().timeMs == s.timeMs)
        text += QStringLiteral(" · ") + tr("in %1, out %2").arg(rateText(rates.constLast().inBytesPerSecond),
                                                               rateText(rates.constLast().outBytesPerSecond));
    return text;
}

QString MetricsPane::notice() const
{
    if (m_id.isEmpty())
        return tr("No sandbox selected — choose one to see its CPU, memory, processes and network.");
    const MetricsHistoryPoller::State state = m_poller->state();
    if (state == MetricsHistoryPoller::State::Gone)
        return m_poller->problem();
    if (!m_running)
        return tr("Paused — no readings while paused.");
    if (state == MetricsHistoryPoller::State::Failing)
        return m_poller->problem();
    if (state == MetricsHistoryPoller::State::Live && m_history->isEmpty())
        return tr("No readings yet — the engine reads a running sandbox once a second.");
    return {};
}

void MetricsPane::updateTexts()
{
    m_current->setText(currentText());
    const QString sentence = notice();
    m_notice->setText(sentence);
    m_notice->setVisible(!sentence.isEmpty());
}

void MetricsPane::applyColours()
{
    // Charts have their own themes; the app's palette (light or dark) wins.
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor accent = pal.color(QPalette::Highlight);
    QColor grid = text;
    grid.setAlpha(40);
    QColor axisLine = text;
    axisLine.setAlpha(110);
    for (const Chart *c : {&m_cpu, &m_memory, &m_pids, &m_net}) {
        c->chart->setBackgroundBrush(base);
        c->chart->setBackgroundPen(Qt::NoPen);
        c->chart->setTitleBrush(text);
        c->chart->legend()->setLabelColor(text);
        c->view->setBackgroundBrush(base);
        for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(c->time), static_cast<QAbstractAxis *>(c->values)}) {
            axis->setLabelsColor(text);
            axis->setGridLineColor(grid);
            axis->setLinePenColor(axisLine);
            axis->setTitleBrush(text);
        }
        c->line->setPen(QPen(accent, 2));
    }
    QColor limit = text;
    limit.setAlpha(170);
    m_limit->setPen(QPen(limit, 1.5, Qt::DashLine));
    // Out in the accent's opposite hue, so the two lines tell apart in
    // either palette.
    QColor out = QColor::fromHsv((qMax(0, accent.hsvHue()) + 180) % 360, qMax(120, accent.hsvSaturation()), accent.value());
    m_netOut->setPen(QPen(out, 2));
}
