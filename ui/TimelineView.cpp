// SPDX-License-Identifier: GPL-3.0-or-later
#include "TimelineView.h"

#include "ActivityItemDelegate.h"
#include "Formatting.h"
#include "MetricsHistory.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <iterator>

namespace {

// The closest zoom: a millisecond over 20 pixels.
constexpr double kMinMsPerPx = 0.05;
// A life shorter than this still fills the view only this far.
constexpr double kMinSpanMs = 10000;
// Room left and right of the life, in pixels.
constexpr int kMarginPx = 24;
// Lanes with more rows than this share this many rows' height.
constexpr int kMaxFullRows = 6;
constexpr int kSparkHeight = 40;
constexpr int kBandGap = 3;
// Scroll bar values stay far below INT_MAX.
constexpr double kMaxScrollSteps = 1.0e9;
// A point (a file, an event) is hit this close, in pixels.
constexpr int kHitPx = 4;

QString clockText(qint64 ms, bool withMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    const QString time = t.toString(withMs ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("HH:mm:ss"));
    if (t.date() == QDate::currentDate())
        return time;
    return t.toString(QStringLiteral("yyyy-MM-dd ")) + time;
}

// The ruler's steps: from 1 ms to a week.
constexpr qint64 kSteps[] = {1,       2,       5,        10,       20,        50,        100,       200,
                             500,     1000,    2000,     5000,     10000,     15000,     30000,     60000,
                             120000,  300000,  600000,   900000,   1800000,   3600000,   7200000,   10800000,
                             21600000, 43200000, 86400000, 172800000, 604800000};

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setAccessibleName(tr("Timeline"));
    setAccessibleDescription(tr("The sandbox's life on a time axis: lifecycle events, commands, code cells, file "
                                "operations, terminals, CPU and memory"));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    horizontalScrollBar()->setObjectName(QStringLiteral("timelineHorizontalScroll"));
    horizontalScrollBar()->setAccessibleName(tr("Scroll along the time axis"));
    verticalScrollBar()->setObjectName(QStringLiteral("timelineVerticalScroll"));
    verticalScrollBar()->setAccessibleName(tr("Scroll the lanes"));
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    m_now = QDateTime::currentMSecsSinceEpoch();
    updateColours();
    layOutBands();
    m_msPerPx = kMinSpanMs / 600.0;
    m_leftMs = double(m_now) - kMinSpanMs;
}

QStringList TimelineView::laneNames()
{
    return {tr("Lifecycle"), tr("Commands"), tr("Code"), tr("Files"), tr("Terminals"), tr("CPU"), tr("Memory")};
}

void TimelineView::setItems(const TimelineItems *items)
{
    m_items = items;
    m_hoverSeq = 0;
    m_fitted = false;
    itemsChanged();
}

void TimelineView::setMetrics(const MetricsHistory *history)
{
    m_metrics = history;
    metricsChanged();
}

void TimelineView::itemsChanged()
{
    const TimelineItems &items = m_items ? *m_items : m_none;
    if (m_hoverSeq && !items.find(m_hoverSeq))
        m_hoverSeq = 0;
    layOutBands();
    if (!m_fitted && !items.isEmpty()) {
        m_fitted = true;
        fit();
        return;
    }
    clampView();
    syncScrollBars();
    viewport()->update();
}

void TimelineView::metricsChanged()
{
    clampView();
    syncScrollBars();
    viewport()->update();
}

void TimelineView::setNow(qint64 ms)
{
    if (ms == m_now)
        return;
    m_now = ms;
    clampView();
    syncScrollBars();
    viewport()->update();
}

void TimelineView::updateColours()
{
    const QPalette pal = palette();
    m_colours.base = pal.color(QPalette::Base);
    m_colours.stripe = pal.color(QPalette::AlternateBase);
    if (m_colours.stripe == m_colours.base)
        m_colours.stripe = m_colours.base.lightness() > 128 ? m_colours.base.darker(104) : m_colours.base.lighter(115);
    m_colours.text = pal.color(QPalette::Text);
    m_colours.muted = pal.color(QPalette::PlaceholderText);
    m_colours.grid = m_colours.text;
    m_colours.grid.setAlpha(30);
    m_colours.highlight = pal.color(QPalette::Highlight);
    m_colours.ok = ActivityItemDelegate::okColor();
    m_colours.failed = ActivityItemDelegate::failedColor();
    m_colours.running = ActivityItemDelegate::runningColor();
    m_colours.neutral = QColor(0x86, 0x8e, 0x96);
    m_colours.file = QColor(0xc0, 0x7a, 0x12);
    m_colours.terminal = QColor(0x7a, 0x5c, 0xb0);
    m_colours.cpu = m_colours.running;
    m_colours.memory = QColor(0x8e, 0x44, 0xad);
}

void TimelineView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        updateColours();
        viewport()->update();
    } else if (event->type() == QEvent::FontChange) {
        layOutBands();
        syncScrollBars();
        viewport()->update();
    }
}

void TimelineView::layOutBands()
{
    const QFontMetrics fm(font());
    const int rowHeight = fm.height() + 6;
    m_rulerHeight = fm.height() + 10;
    m_labelWidth = 0;
    m_laneNames = laneNames();
    for (const QString &name : std::as_const(m_laneNames))
        m_labelWidth = qMax(m_labelWidth, fm.horizontalAdvance(name));
    m_labelWidth = qMax(m_labelWidth, fm.horizontalAdvance(QStringLiteral("1023.9 MiB")));
    m_labelWidth += 16;
    const TimelineItems &items = m_items ? *m_items : m_none;
    // The sparklines take the room the lanes leave, within bounds.
    int lanesHeight = 0;
    for (int b = 0; b < CpuBand; ++b) {
        const int rows = qMax(1, items.rowCount(TimelineItems::Lane(b)));
        lanesHeight += (rows <= kMaxFullRows ? rows * rowHeight : kMaxFullRows * rowHeight) + 2 + kBandGap;
    }
    const int room = viewport()->height() - m_rulerHeight - lanesHeight - 2 * (2 + kBandGap);
    const int sparkHeight = qBound(kSparkHeight, room / 2, 4 * kSparkHeight);
    int y = 0;
    for (int b = 0; b < BandCount; ++b) {
        BandGeometry &g = m_bands[size_t(b)];
        g.top = y;
        if (b >= CpuBand) {
            g.rows = 1;
            g.rowHeight = sparkHeight;
        } else {
            g.rows = qMax(1, items.rowCount(TimelineItems::Lane(b)));
            // Many stacked rows share the room of a few: thinner bars.
            g.rowHeight = g.rows <= kMaxFullRows ? rowHeight : qMax(4, rowHeight * kMaxFullRows / g.rows);
            if (b == FilesBand)
                g.rowHeight = rowHeight - 4;
        }
        g.height = g.rows * g.rowHeight + 2;
        y += g.height + kBandGap;
    }
    m_contentHeight = y;
}

QRect TimelineView::plotRect() const
{
    const QRect r = viewport()->rect();
    return QRect(m_labelWidth, m_rulerHeight, qMax(1, r.width() - m_labelWidth), qMax(1, r.height() - m_rulerHeight));
}

qint64 TimelineView::rangeStart() const
{
    const TimelineItems &items = m_items ? *m_items : m_none;
    qint64 first = items.isEmpty() ? m_now : items.firstMs();
    if (m_metrics && !m_metrics->isEmpty())
        first = qMin(first, m_metrics->samples().constFirst().timeMs);
    return first;
}

qint64 TimelineView::rangeEnd() const
{
    const TimelineItems &items = m_items ? *m_items : m_none;
    qint64 last = qMax(m_now, items.lastMs());
    if (m_metrics && !m_metrics->isEmpty())
        last = qMax(last, m_metrics->newestMs());
    return last;
}

double TimelineView::fitMsPerPixel() const
{
    const int usable = qMax(10, plotRect().width() - 2 * kMarginPx);
    return qMax(double(rangeEnd() - rangeStart()), kMinSpanMs) / usable;
}

qint64 TimelineView::rightMs() const
{
    return qint64(m_leftMs + plotRect().width() * m_msPerPx);
}

void TimelineView::clampView()
{
    // Fitted, the whole life stays in view as it grows, until a zoom.
    if (m_fitMode)
        m_msPerPx = fitMsPerPixel();
    m_msPerPx = qBound(kMinMsPerPx, m_msPerPx, qMax(kMinMsPerPx, fitMsPerPixel()));
    const double margin = kMarginPx * m_msPerPx;
    const double lo = double(rangeStart()) - margin;
    const double hi = double(rangeEnd()) + margin - plotRect().width() * m_msPerPx;
    if (m_follow)
        m_leftMs = hi;
    else
        m_leftMs = qBound(qMin(lo, hi), m_leftMs, hi);
}

void TimelineView::syncScrollBars()
{
    m_syncing = true;
    const QRect plot = plotRect();
    const double margin = kMarginPx * m_msPerPx;
    const double lo = double(rangeStart()) - margin;
    const double hi = double(rangeEnd()) + margin - plot.width() * m_msPerPx;
    const double spanPx = qMax(0.0, (hi - qMin(lo, hi)) / m_msPerPx);
    m_scrollUnit = qMax(1, int(std::ceil(spanPx / kMaxScrollSteps)));
    QScrollBar *h = horizontalScrollBar();
    h->setRange(0, int(spanPx / m_scrollUnit));
    h->setPageStep(qMax(1, plot.width() / m_scrollUnit));
    h->setSingleStep(qMax(1, 40 / m_scrollUnit));
    h->setValue(int(std::lround((m_leftMs - qMin(lo, hi)) / m_msPerPx / m_scrollUnit)));
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, qMax(0, m_contentHeight - plot.height()));
    v->setPageStep(plot.height());
    v->setSingleStep(20);
    m_syncing = false;
}

void TimelineView::setFollowInternal(bool on)
{
    if (on == m_follow)
        return;
    m_follow = on;
    Q_EMIT followChanged(on);
}

void TimelineView::setFollow(bool on)
{
    setFollowInternal(on);
    clampView();
    syncScrollBars();
    viewport()->update();
}

void TimelineView::setView(double leftMs, double msPerPx, bool byUser)
{
    m_msPerPx = qBound(kMinMsPerPx, msPerPx, qMax(kMinMsPerPx, fitMsPerPixel()));
    m_leftMs = leftMs;
    if (byUser) {
        m_fitMode = false;
        // At the end it follows; anywhere else it stays where it was put.
        const double hi = double(rangeEnd()) + (kMarginPx - plotRect().width()) * m_msPerPx;
        setFollowInternal(m_leftMs >= hi - 0.5 * m_msPerPx);
    }
    clampView();
    syncScrollBars();
    viewport()->update();
}

void TimelineView::zoomBy(double factor, int anchorX)
{
    const QRect plot = plotRect();
    if (anchorX < 0)
        anchorX = m_follow ? plot.right() : plot.center().x();
    const double anchorMs = msAt(anchorX);
    const double msPerPx = qBound(kMinMsPerPx, m_msPerPx / factor, qMax(kMinMsPerPx, fitMsPerPixel()));
    const double left = anchorMs - (anchorX - plot.left()) * msPerPx;
    m_fitMode = false;
    if (m_follow) {
        // Zooming while following keeps following.
        m_msPerPx = msPerPx;
        clampView();
        syncScrollBars();
        viewport()->update();
        return;
    }
    setView(left, msPerPx, true);
}

void TimelineView::zoomIn()
{
    zoomBy(1.5);
}

void TimelineView::zoomOut()
{
    zoomBy(1 / 1.5);
}

void TimelineView::fit()
{
    const double msPerPx = fitMsPerPixel();
    m_fitMode = true;
    setView(double(rangeStart()) - kMarginPx * msPerPx, msPerPx, false);
}

void TimelineView::showRange(qint64 fromMs, qint64 toMs)
{
    const double msPerPx = qMax(kMinMsPerPx, double(qMax<qint64>(1, toMs - fromMs)) / plotRect().width());
    setFollowInternal(false);
    setView(double(fromMs), msPerPx, true);
}

double TimelineView::xOf(qint64 ms) const
{
    return m_labelWidth + (double(ms) - m_leftMs) / m_msPerPx;
}

double TimelineView::msAt(double x) const
{
    return m_leftMs + (x - m_labelWidth) * m_msPerPx;
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    layOutBands();
    if (!m_fitted && m_items && !m_items->isEmpty()) {
        m_fitted = true;
        fit();
        return;
    }
    clampView();
    syncScrollBars();
}

void TimelineView::scrollContentsBy(int dx, int dy)
{
    Q_UNUSED(dy)
    if (m_syncing)
        return;
    if (dx != 0) {
        const double margin = kMarginPx * m_msPerPx;
        const double lo = double(rangeStart()) - margin;
        const double hi = double(rangeEnd()) + margin - plotRect().width() * m_msPerPx;
        QScrollBar *h = horizontalScrollBar();
        m_fitMode = false;
        m_leftMs = qMin(lo, hi) + double(h->value()) * m_scrollUnit * m_msPerPx;
        setFollowInternal(h->value() >= h->maximum());
        clampView();
    }
    viewport()->update();
}

bool TimelineView::bandAt(int y, int *band, int *row) const
{
    const int contentY = y - m_rulerHeight + verticalScrollBar()->value();
    if (y < m_rulerHeight)
        return false;
    for (int b = 0; b < BandCount; ++b) {
        const BandGeometry &g = m_bands[size_t(b)];
        if (contentY >= g.top && contentY < g.top + g.height) {
            *band = b;
            *row = qBound(0, (contentY - g.top - 1) / qMax(1, g.rowHeight), g.rows - 1);
            return true;
        }
    }
    return false;
}

QRectF TimelineView::rectOf(const TimelineItems::Item &item, int band, int row) const
{
    const BandGeometry &g = m_bands[size_t(band)];
    const double top = m_rulerHeight - verticalScrollBar()->value() + g.top + 1 + row * g.rowHeight;
    const double inset = g.rowHeight >= 10 ? 2 : 0.5;
    const double x0 = xOf(item.startMs);
    const double x1 = xOf(item.endAt(m_now));
    if (item.startMs == item.endMs) // a point
        return QRectF(x0 - 1.5, top + inset, 3, g.rowHeight - 2 * inset);
    return QRectF(x0, top + inset, qMax(2.0, x1 - x0), g.rowHeight - 2 * inset);
}

QRect TimelineView::itemRect(qint64 seq) const
{
    const TimelineItems &items = m_items ? *m_items : m_none;
    const TimelineItems::Item *item = items.find(seq);
    if (!item)
        return {};
    const QRectF r = rectOf(*item, int(item->lane), items.rowOf(seq));
    // Clipped in doubles: a bar far out of view has huge coordinates.
    const QRectF plot = QRectF(plotRect());
    return r.intersected(plot).toAlignedRect().intersected(plotRect());
}

const TimelineItems::Item *TimelineView::itemAt(const QPoint &pos) const
{
    int band = 0;
    int row = 0;
    if (pos.x() < m_labelWidth || !bandAt(pos.y(), &band, &row) || band >= CpuBand)
        return nullptr;
    const TimelineItems &items = m_items ? *m_items : m_none;
    const qint64 tolerance = qint64(std::ceil(kHitPx * m_msPerPx));
    return items.itemNear(TimelineItems::Lane(band), row, qint64(msAt(pos.x())), tolerance, m_now);
}

QString TimelineView::toolTipFor(const TimelineItems::Item &item) const
{
    QString kind;
    switch (item.lane) {
    case TimelineItems::Lane::Lifecycle: kind = tr("Sandbox %1").arg(item.label); break;
    case TimelineItems::Lane::Commands: kind = tr("Command"); break;
    case TimelineItems::Lane::Code: kind = tr("Code cell"); break;
    case TimelineItems::Lane::Files: kind = tr("File"); break;
    case TimelineItems::Lane::Terminals: kind = tr("Terminal"); break;
    }
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(kind.toHtmlEscaped());
    if (item.lane != TimelineItems::Lane::Lifecycle) {
        QString what = item.label.isEmpty() && item.lane == TimelineItems::Lane::Terminals ? tr("a shell") : item.label;
        if (what.size() > 200)
            what = what.left(199) + QChar(0x2026);
        lines << QStringLiteral("<tt>%1</tt>").arg(what.toHtmlEscaped());
    }
    const bool point = item.startMs == item.endMs;
    lines << (point ? tr("At %1") : tr("Started %1")).arg(clockText(item.startMs, true));
    if (item.isOpen())
        lines << tr("Running for %1").arg(Formatting::elapsed(qMax<qint64>(0, m_now - item.startMs)));
    else if (!point || item.lane == TimelineItems::Lane::Commands || item.lane == TimelineItems::Lane::Code)
        lines << tr("Took %1").arg(Formatting::elapsed(item.endMs - item.startMs));
    QString status = item.statusText;
    if (item.lane == TimelineItems::Lane::Terminals)
        status = item.isOpen() ? tr("open") : tr("closed");
    if (!status.isEmpty())
        lines << tr("Status: %1").arg(status.toHtmlEscaped());
    if (item.lane == TimelineItems::Lane::Commands || item.lane == TimelineItems::Lane::Code)
        lines << QStringLiteral("<i>%1</i>").arg(tr("Click to show it in the command log").toHtmlEscaped());
    return lines.join(QStringLiteral("<br>"));
}

QString TimelineView::sparklineText(int band, qint64 ms) const
{
    if (!m_metrics || m_metrics->isEmpty())
        return {};
    const QList<MetricsHistory::Sample> &s = m_metrics->samples();
    auto it = std::lower_bound(s.cbegin(), s.cend(), ms,
                               [](const MetricsHistory::Sample &a, qint64 t) { return a.timeMs < t; });
    if (it == s.cend())
        --it;
    if (it != s.cbegin() && std::llabs(std::prev(it)->timeMs - ms) < std::llabs(it->timeMs - ms))
        --it;
    if (std::llabs(it->timeMs - ms) > 3000)
        return {};
    const QString at = clockText(it->timeMs, false);
    if (band == CpuBand)
        return tr("CPU %1 of one CPU at %2").arg(Formatting::percent(it->cpuPercent), at);
    return tr("Memory %1 at %2").arg(Formatting::bytes(it->memoryBytes), at);
}

bool TimelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const TimelineItems::Item *item = itemAt(help->pos())) {
            QToolTip::showText(help->globalPos(), toolTipFor(*item), viewport(), itemRect(item->seq));
            return true;
        }
        int band = 0;
        int row = 0;
        if (help->pos().x() >= m_labelWidth && bandAt(help->pos().y(), &band, &row) && band >= CpuBand) {
            const QString text = sparklineText(band, qint64(msAt(help->pos().x())));
            if (!text.isEmpty()) {
                QToolTip::showText(help->globalPos(), text, viewport());
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    if (event->type() == QEvent::Leave && m_hoverSeq) {
        m_hoverSeq = 0;
        viewport()->update();
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        if (delta.y() != 0)
            zoomBy(std::pow(1.25, delta.y() / 120.0), int(event->position().x()));
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        QScrollBar *v = verticalScrollBar();
        v->setValue(v->value() - (delta.y() != 0 ? delta.y() : delta.x()) / 4);
        event->accept();
        return;
    }
    // Along the time axis: 60 pixels per notch, either wheel.
    const int d = delta.x() != 0 ? delta.x() : delta.y();
    if (d != 0)
        setView(m_leftMs - d / 120.0 * 60.0 * m_msPerPx, m_msPerPx, true);
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_pressed = true;
    m_dragging = false;
    m_pressPos = event->position().toPoint();
    m_pressLeftMs = m_leftMs;
    event->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_pressed) {
        const int dx = pos.x() - m_pressPos.x();
        if (!m_dragging && std::abs(dx) > 4) {
            m_dragging = true;
            viewport()->setCursor(Qt::ClosedHandCursor);
        }
        if (m_dragging)
            setView(m_pressLeftMs - dx * m_msPerPx, m_msPerPx, true);
        event->accept();
        return;
    }
    const TimelineItems::Item *item = itemAt(pos);
    const qint64 seq = item ? item->seq : 0;
    const bool clickable =
        item && (item->lane == TimelineItems::Lane::Commands || item->lane == TimelineItems::Lane::Code);
    viewport()->setCursor(clickable ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (seq != m_hoverSeq) {
        m_hoverSeq = seq;
        viewport()->update();
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_pressed) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    m_pressed = false;
    if (m_dragging) {
        m_dragging = false;
        viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    const TimelineItems::Item *item = itemAt(event->position().toPoint());
    if (item && (item->lane == TimelineItems::Lane::Commands || item->lane == TimelineItems::Lane::Code))
        Q_EMIT entryActivated(item->seq);
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const double page = plotRect().width() * m_msPerPx;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_Left:
        setView(m_leftMs - page / 10, m_msPerPx, true);
        break;
    case Qt::Key_Right:
        setView(m_leftMs + page / 10, m_msPerPx, true);
        break;
    case Qt::Key_PageUp:
        setView(m_leftMs - page * 0.9, m_msPerPx, true);
        break;
    case Qt::Key_PageDown:
        setView(m_leftMs + page * 0.9, m_msPerPx, true);
        break;
    case Qt::Key_Home:
        setView(double(rangeStart()) - kMarginPx * m_msPerPx, m_msPerPx, true);
        break;
    case Qt::Key_End:
        setFollow(true);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QRect all = viewport()->rect();
    const QRect plot = plotRect();
    p.fillRect(all, m_colours.base);
    const qint64 t0 = qint64(std::floor(m_leftMs));
    const qint64 t1 = qint64(std::ceil(m_leftMs + plot.width() * m_msPerPx));

    p.save();
    p.setClipRect(QRect(0, plot.top(), all.width(), plot.height()));
    for (int b = 0; b < BandCount; ++b) {
        const BandGeometry &g = m_bands[size_t(b)];
        const int top = plot.top() - verticalScrollBar()->value() + g.top;
        if (top > all.bottom() || top + g.height < plot.top())
            continue;
        if (b % 2 == 0)
            p.fillRect(QRect(0, top, all.width(), g.height), m_colours.stripe);
        if (b >= CpuBand)
            paintSparkline(p, b, plot, t0, t1);
        else
            paintBand(p, b, plot, t0, t1);
        // The lane's name over a plain strip, so bars never run under it.
        p.fillRect(QRect(0, top, m_labelWidth - 4, g.height), b % 2 == 0 ? m_colours.stripe : m_colours.base);
        p.setPen(m_colours.text);
        p.drawText(QRect(8, top, m_labelWidth - 12, qMin(g.height, fontMetrics().height() + 6)),
                   Qt::AlignLeft | Qt::AlignVCenter, m_laneNames.at(b));
        if (b >= CpuBand && m_metrics && !m_metrics->isEmpty()) {
            const MetricsHistory::Sample &last = m_metrics->samples().constLast();
            const QString value = b == CpuBand ? Formatting::percent(last.cpuPercent) : Formatting::bytes(last.memoryBytes);
            p.setPen(m_colours.muted);
            p.drawText(QRect(8, top + fontMetrics().height() + 2, m_labelWidth - 12, fontMetrics().height()),
                       Qt::AlignLeft | Qt::AlignVCenter, value);
        }
    }
    // Now, as a thin line across the lanes.
    const double nowX = xOf(m_now);
    if (nowX >= plot.left() && nowX <= plot.right() + 1) {
        QColor c = m_colours.highlight;
        c.setAlpha(160);
        p.fillRect(QRectF(nowX - 0.5, plot.top(), 1, plot.height()), c);
    }
    p.restore();
    paintRuler(p, plot, t0, t1);
}

void TimelineView::paintRuler(QPainter &p, const QRect &plot, qint64 t0, qint64 t1)
{
    const QRect ruler(0, 0, viewport()->width(), m_rulerHeight);
    p.fillRect(ruler, m_colours.base);
    p.fillRect(QRect(0, m_rulerHeight - 1, ruler.width(), 1), m_colours.muted);
    const QFontMetrics fm = fontMetrics();
    // The smallest step whose labels do not touch.
    qint64 step = kSteps[std::size(kSteps) - 1];
    bool withMs = false;
    for (qint64 s : kSteps) {
        const bool ms = s < 1000;
        const int labelWidth = fm.horizontalAdvance(ms ? QStringLiteral("00:00:00.000") : QStringLiteral("00:00:00")) + 24;
        if (s / m_msPerPx >= labelWidth) {
            step = s;
            withMs = ms;
            break;
        }
    }
    // Ticks on whole local minutes and hours, not UTC ones.
    const qint64 offset = qint64(QDateTime::fromMSecsSinceEpoch(t0).offsetFromUtc()) * 1000;
    qint64 t = ((t0 + offset) / step) * step - offset;
    if (t < t0)
        t += step;
    p.setPen(m_colours.text);
    for (; t <= t1; t += step) {
        const int x = int(std::lround(xOf(t)));
        if (x < plot.left())
            continue;
        p.fillRect(QRect(x, m_rulerHeight - 5, 1, 5), m_colours.muted);
        p.fillRect(QRect(x, plot.top(), 1, plot.height()), m_colours.grid);
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(t).toLocalTime();
        const QString label = local.toString(withMs ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("HH:mm:ss"));
        const int w = fm.horizontalAdvance(label);
        if (x - w / 2 >= plot.left() && x + w / 2 <= plot.right())
            p.drawText(QRect(x - w / 2 - 2, 2, w + 4, m_rulerHeight - 7), Qt::AlignCenter, label);
    }
    // The day, when the view does not show today.
    const QDate day = QDateTime::fromMSecsSinceEpoch(t0).toLocalTime().date();
    if (day != QDate::currentDate()) {
        p.setPen(m_colours.muted);
        p.drawText(QRect(4, 2, m_labelWidth - 8, m_rulerHeight - 7), Qt::AlignLeft | Qt::AlignVCenter,
                   day.toString(QStringLiteral("MM-dd")));
    }
}

void TimelineView::paintBand(QPainter &p, int band, const QRect &plot, qint64 t0, qint64 t1)
{
    const TimelineItems &items = m_items ? *m_items : m_none;
    const BandGeometry &g = m_bands[size_t(band)];
    const auto lane = TimelineItems::Lane(band);
    const QFontMetrics fm = fontMetrics();
    const bool labels = g.rowHeight >= fm.height() + 2;
    // Reach a little past both edges: a point or a thin bar is drawn wider than its time.
    const qint64 pad = qint64(std::ceil(4 * m_msPerPx));
    const int bandTop = plot.top() - verticalScrollBar()->value() + g.top;
    p.save();
    p.setClipRect(plot.intersected(QRect(plot.left(), bandTop, plot.width(), g.height)));
    for (int row = 0; row < g.rows; ++row) {
        const int rowTop = bandTop + 1 + row * g.rowHeight;
        if (rowTop > plot.bottom() || rowTop + g.rowHeight < plot.top())
            continue;
        int lastX = INT_MIN;
        TimelineItems::Status lastStatus = TimelineItems::Status::Neutral;
        double textEnd = -1e9; // lifecycle labels must not overlap
        items.forEachIn(lane, row, t0 - pad, t1 + pad, m_now, [&](const TimelineItems::Item &item) {
            const QRectF r = rectOf(item, band, row);
            // Many items on one pixel column: the first of each colour is enough.
            const int x = int(r.left());
            if (r.width() <= 3 && x == lastX && item.status == lastStatus && item.seq != m_hoverSeq)
                return;
            lastX = x;
            lastStatus = item.status;
            QColor colour;
            switch (item.status) {
            case TimelineItems::Status::Ok: colour = m_colours.ok; break;
            case TimelineItems::Status::Failed: colour = m_colours.failed; break;
            case TimelineItems::Status::Running: colour = m_colours.running; break;
            case TimelineItems::Status::Neutral:
                colour = lane == TimelineItems::Lane::Files       ? m_colours.file
                         : lane == TimelineItems::Lane::Terminals ? m_colours.terminal
                                                                  : m_colours.neutral;
                break;
            }
            // Clipped by hand: an open bar far off screen has huge coordinates.
            const QRectF shown(QPointF(qMax(r.left(), plot.left() - 8.0), r.top()),
                               QPointF(qMin(r.right(), plot.right() + 8.0), r.bottom()));
            if (lane == TimelineItems::Lane::Lifecycle) {
                // A diamond on the event, its name beside it when there is room.
                const double cx = r.center().x();
                const double cy = r.center().y();
                const double h = qMin(6.0, r.height() / 2);
                const QPointF diamond[4] = {{cx, cy - h}, {cx + h, cy}, {cx, cy + h}, {cx - h, cy}};
                p.setRenderHint(QPainter::Antialiasing, true);
                p.setPen(Qt::NoPen);
                p.setBrush(colour);
                p.drawPolygon(diamond, 4);
                p.setRenderHint(QPainter::Antialiasing, false);
                if (labels && cx - h > textEnd) {
                    const int w = fm.horizontalAdvance(item.label);
                    p.setPen(m_colours.text);
                    p.drawText(QRectF(cx + h + 3, r.top(), w + 2, r.height()), Qt::AlignLeft | Qt::AlignVCenter, item.label);
                    textEnd = cx + h + 3 + w + 6;
                }
            } else {
                p.fillRect(shown, colour);
                // The label from the view's edge when the bar starts before it.
                const QRectF textRect(QPointF(qMax(shown.left(), double(plot.left())) + 4, shown.top()),
                                      QPointF(qMin(shown.right(), double(plot.right())) - 4, shown.bottom()));
                if (labels && textRect.width() > 32 && !item.label.isEmpty()) {
                    p.setPen(Qt::white);
                    const QString text = fm.elidedText(item.label, Qt::ElideRight, int(textRect.width()));
                    if (!text.isEmpty() && text != QStringLiteral("\u2026"))
                        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, text);
                }
            }
            if (item.seq == m_hoverSeq) {
                p.setPen(QPen(m_colours.text, 2));
                p.setBrush(Qt::NoBrush);
                p.drawRect(shown.adjusted(-1, -1, 1, 1));
            }
        });
    }
    p.restore();
}

void TimelineView::paintSparkline(QPainter &p, int band, const QRect &plot, qint64 t0, qint64 t1)
{
    if (!m_metrics || m_metrics->isEmpty())
        return;
    const BandGeometry &g = m_bands[size_t(band)];
    const int top = plot.top() - verticalScrollBar()->value() + g.top + 3;
    const int height = g.height - 6;
    const QList<MetricsHistory::Sample> &s = m_metrics->samples();
    // The scale: CPU up to all the sandbox's CPUs, memory up to its limit.
    double maxValue = band == CpuBand ? 100.0 * qMax(1, m_metrics->cpuCount()) : double(m_metrics->memoryLimitBytes());
    auto first = std::lower_bound(s.cbegin(), s.cend(), t0 - 2000,
                                  [](const MetricsHistory::Sample &a, qint64 t) { return a.timeMs < t; });
    auto last = std::upper_bound(first, s.cend(), t1 + 2000,
                                 [](qint64 t, const MetricsHistory::Sample &a) { return t < a.timeMs; });
    if (first == last)
        return;
    for (auto it = first; it != last; ++it)
        maxValue = qMax(maxValue, band == CpuBand ? it->cpuPercent : double(it->memoryBytes));
    if (maxValue <= 0)
        maxValue = 1;
    QColor line = band == CpuBand ? m_colours.cpu : m_colours.memory;
    QColor fill = line;
    fill.setAlpha(60);
    p.save();
    p.setClipRect(plot.intersected(QRect(plot.left(), top - 2, plot.width(), height + 4)));
    const double bottom = top + height;
    auto flush = [&] {
        if (m_line.size() >= 2) {
            const QPointF firstPoint = m_line.constFirst();
            const QPointF lastPoint = m_line.constLast();
            m_line.append(QPointF(lastPoint.x(), bottom));
            m_line.append(QPointF(firstPoint.x(), bottom));
            // The fill needs no smoothing (and is far cheaper without); the
            // line is a cosmetic one-pixel pen, the raster engine's fast path.
            p.setRenderHint(QPainter::Antialiasing, false);
            p.setPen(Qt::NoPen);
            p.setBrush(fill);
            p.drawPolygon(m_line.constData(), int(m_line.size()));
            p.setRenderHint(QPainter::Antialiasing, true);
            QPen pen(line, 1);
            pen.setCosmetic(true);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            p.drawPolyline(m_line.constData(), int(m_line.size()) - 2);
        }
        m_line.clear();
    };
    // One point per pixel column at most: the column's highest reading, so
    // a peak stays visible however far out the view is zoomed.
    qint64 previous = 0;
    int column = INT_MIN;
    double columnValue = 0;
    auto point = [&] {
        if (column != INT_MIN)
            m_line.append(QPointF(column + 0.5, bottom - columnValue / maxValue * height));
    };
    for (auto it = first; it != last; ++it) {
        const double value = band == CpuBand ? it->cpuPercent : double(it->memoryBytes);
        // A gap of readings (paused, the engine away) is a gap in the line.
        if (previous && it->timeMs - previous > 5000) {
            point();
            column = INT_MIN;
            flush();
        }
        previous = it->timeMs;
        const int x = int(std::floor(qBound(-1.0e6, xOf(it->timeMs), 1.0e6)));
        if (x != column) {
            point();
            column = x;
            columnValue = value;
        } else {
            columnValue = qMax(columnValue, value);
        }
    }
    point();
    flush();
    p.restore();
}
