// SPDX-License-Identifier: GPL-3.0-or-later
#include "TimelinePane.h"

#include "ActivityModel.h"
#include "ActivityPoller.h"
#include "MetricsHistory.h"
#include "MetricsHistoryPoller.h"
#include "TimelineView.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLoggingCategory>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcUiTimeline, "ai2in.ui.timeline", QtInfoMsg)

namespace {
// How often "now" moves: running bars grow and the view follows.
constexpr int kTickMs = 500;
} // namespace

TimelinePane::TimelinePane(EngineClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new ActivityModel(this))
    , m_poller(new ActivityPoller(client, m_model, this))
    , m_history(std::make_unique<MetricsHistory>())
    , m_metricsPoller(new MetricsHistoryPoller(client, m_history.get(), this))
{
    buildUi();

    // Only what the poller brings in: new rows and rows that changed.
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { takeEntries(first, last); });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                takeEntries(topLeft.row(), bottomRight.row());
            });
    // A reset is another sandbox (ActivityPoller::setSandbox).
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_items.clear();
        m_view->setItems(&m_items);
        updateNotice();
    });
    connect(m_poller, &ActivityPoller::stateChanged, this, [this](ActivityPoller::State state, const QString &problem) {
        if (!problem.isEmpty())
            qCInfo(lcUiTimeline) << m_id << state << problem;
        updateNotice();
    });
    connect(m_metricsPoller, &MetricsHistoryPoller::changed, this, [this](int added, int) {
        if (added > 0)
            m_skewMs = m_history->newestMs() - QDateTime::currentMSecsSinceEpoch();
        m_view->metricsChanged();
        tick();
    });
    connect(m_metricsPoller, &MetricsHistoryPoller::cleared, m_view, &TimelineView::metricsChanged);
    connect(m_metricsPoller, &MetricsHistoryPoller::stateChanged, this, &TimelinePane::updateNotice);

    m_ticker.setInterval(kTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &TimelinePane::tick);
    updateNotice();
}

TimelinePane::~TimelinePane() = default;

void TimelinePane::buildUi()
{
    auto makeButton = [this](const char *objectName, const QString &text, const QString &name, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setObjectName(QLatin1String(objectName));
        b->setText(text);
        b->setAccessibleName(name);
        b->setToolTip(tip);
        b->setAutoRaise(false);
        return b;
    };
    m_zoomOut = makeButton("timelineZoomOut", QStringLiteral("\u2212"), tr("Zoom out"), tr("Zoom out (−, Ctrl+wheel)"));
    m_zoomIn = makeButton("timelineZoomIn", QStringLiteral("+"), tr("Zoom in"), tr("Zoom in (+, Ctrl+wheel)"));
    m_fit = makeButton("timelineFit", tr("Fit"), tr("Fit the whole life in view"),
                       tr("Show the sandbox's whole life at once"));
    m_follow = makeButton("timelineFollow", tr("Follow"), tr("Follow the newest time"),
                          tr("Keep the newest time in view as things happen"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("timelineSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("timelineNotice"));
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);

    m_view = new TimelineView(this);
    m_view->setObjectName(QStringLiteral("timelineView"));
    m_view->setItems(&m_items);
    m_view->setMetrics(m_history.get());

    connect(m_zoomIn, &QToolButton::clicked, m_view, &TimelineView::zoomIn);
    connect(m_zoomOut, &QToolButton::clicked, m_view, &TimelineView::zoomOut);
    connect(m_fit, &QToolButton::clicked, m_view, &TimelineView::fit);
    connect(m_follow, &QToolButton::toggled, m_view, &TimelineView::setFollow);
    connect(m_view, &TimelineView::followChanged, this, [this](bool on) {
        const QSignalBlocker block(m_follow);
        m_follow->setChecked(on);
    });
    connect(m_view, &TimelineView::entryActivated, this, &TimelinePane::entryActivated);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_zoomOut);
    bar->addWidget(m_zoomIn);
    bar->addWidget(m_fit);
    bar->addWidget(m_follow);
    bar->addSpacing(8);
    bar->addWidget(m_summary, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    layout->addWidget(m_view, 1);
}

void TimelinePane::setSandbox(const QString &id, bool running)
{
    if (id == m_id && running == m_running)
        return;
    const bool other = id != m_id;
    m_id = id;
    m_running = running;
    if (other) {
        m_skewMs = 0;
        // Both pollers empty their data for another sandbox (or none).
        m_poller->setSandbox(QString());
        m_metricsPoller->setSandbox(id);
        m_items.clear();
        m_view->setItems(&m_items);
        m_view->setFollow(true);
    }
    stopReading();
    startReading();
    updateNotice();
}

void TimelinePane::setPollInterval(int ms)
{
    m_poller->setInterval(ms);
    m_metricsPoller->setInterval(ms);
}

void TimelinePane::startReading()
{
    if (m_id.isEmpty() || !isVisible())
        return;
    // The same sandbox again carries on from the poller's cursor.
    m_poller->setSandbox(m_id);
    if (m_running)
        m_metricsPoller->start();
    else if (m_history->isEmpty())
        m_metricsPoller->readOnce(); // what the engine kept from before the pause
    tick();
    m_ticker.start();
}

void TimelinePane::stopReading()
{
    if (m_poller->state() != ActivityPoller::State::Gone)
        m_poller->stop();
    m_metricsPoller->stop();
    m_ticker.stop();
}

void TimelinePane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    startReading();
}

void TimelinePane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    stopReading();
}

void TimelinePane::takeEntries(int first, int last)
{
    const QList<ActivityEntry> &entries = m_model->entries();
    if (first < 0 || last < first || last >= entries.size())
        return;
    if (!m_items.apply(entries.cbegin() + first, entries.cbegin() + last + 1))
        return;
    m_view->itemsChanged();
    using Lane = TimelineItems::Lane;
    const int commands = m_items.count(Lane::Commands);
    const int cells = m_items.count(Lane::Code);
    const int files = m_items.count(Lane::Files);
    const int terminals = m_items.count(Lane::Terminals);
    m_summary->setText(QStringList{commands == 1 ? tr("1 command") : tr("%1 commands").arg(commands),
                                   cells == 1 ? tr("1 code cell") : tr("%1 code cells").arg(cells),
                                   files == 1 ? tr("1 file operation") : tr("%1 file operations").arg(files),
                                   terminals == 1 ? tr("1 terminal") : tr("%1 terminals").arg(terminals)}
                           .join(QStringLiteral(" · ")));
}

void TimelinePane::tick()
{
    // Never before the newest thing known: a clock behind the engine's would
    // otherwise cut running bars short.
    m_view->setNow(qMax(QDateTime::currentMSecsSinceEpoch() + m_skewMs, m_items.lastMs()));
}

QString TimelinePane::notice() const
{
    if (m_id.isEmpty())
        return tr("Select one sandbox to see its timeline.");
    if (!m_poller->problem().isEmpty())
        return m_poller->problem();
    if (m_metricsPoller->state() == MetricsHistoryPoller::State::Failing)
        return m_metricsPoller->problem();
    return {};
}

void TimelinePane::updateNotice()
{
    const QString text = notice();
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
    if (m_id.isEmpty())
        m_summary->clear();
}
