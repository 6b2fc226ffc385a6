// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TimelineItems.h"

#include <QAbstractScrollArea>
#include <QColor>
#include <QPolygonF>
#include <QStringList>

#include <array>

class MetricsHistory;

// A sandbox's life on one horizontal time axis: a ruler on top, then one
// lane each for lifecycle events, commands (overlapping ones stacked in
// rows), code cells, file operations and terminals, and under them CPU and
// memory as sparklines on the same axis. Bars are coloured by outcome
// (green, red, blue while running); running ones reach to "now".
//
// Only what is in view is painted: the items of each row in the shown time
// range come from two binary searches (TimelineItems::forEachIn), points
// that fall on the same pixel column are drawn once, and nothing is
// allocated per item. Ctrl+wheel and +/- zoom around the pointer, the wheel
// and the scroll bar move along the axis (Shift+wheel up and down), a drag
// pans. Follow keeps the newest time at the right edge; moving away from it
// turns Follow off, coming back to the end turns it on again.
class TimelineView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    // What to draw; neither is owned. Call itemsChanged()/metricsChanged()
    // after changing them.
    void setItems(const TimelineItems *items);
    void setMetrics(const MetricsHistory *history);
    void itemsChanged();
    void metricsChanged();

    // "Now" in the engine's clock (unix ms): where running items end.
    void setNow(qint64 ms);
    qint64 now() const { return m_now; }

    void setFollow(bool on);
    bool follow() const { return m_follow; }
    void zoomIn();
    void zoomOut();
    // Zooms by `factor` (> 1 zooms in) keeping the time under `anchorX`
    // (viewport coordinates) in place; -1 is the middle, or the right edge
    // while following.
    void zoomBy(double factor, int anchorX = -1);
    // The whole life in view, and kept so as it grows until the next zoom
    // or move.
    void fit();
    void showRange(qint64 fromMs, qint64 toMs);

    // The time shown: left edge, right edge, milliseconds per pixel.
    qint64 leftMs() const { return qint64(m_leftMs); }
    qint64 rightMs() const;
    double msPerPixel() const { return m_msPerPx; }
    // Where the time axis starts and ends in viewport coordinates.
    QRect plotRect() const;

    // Where an item is drawn in the viewport (clipped to the plot); empty
    // when it is not in view.
    QRect itemRect(qint64 seq) const;
    // The item drawn at a viewport point, or nullptr.
    const TimelineItems::Item *itemAt(const QPoint &pos) const;
    QString toolTipFor(const TimelineItems::Item &item) const;
    // The lanes' names as shown at the left ("Commands", "CPU", …).
    static QStringList laneNames();

Q_SIGNALS:
    // A command or code cell was clicked: its activity entry.
    void entryActivated(qint64 seq);
    void followChanged(bool on);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    bool viewportEvent(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    // Lanes from top to bottom; the last two are the sparklines.
    enum Band { LifecycleBand, CommandsBand, CodeBand, FilesBand, TerminalsBand, CpuBand, MemoryBand, BandCount };
    struct BandGeometry
    {
        int top = 0; // content coordinates (before the vertical scroll)
        int height = 0;
        int rows = 1;
        int rowHeight = 0;
    };

    void updateColours();
    void layOutBands();
    // The times the scroll bar reaches: the first thing to now, with a margin.
    qint64 rangeStart() const;
    qint64 rangeEnd() const;
    double fitMsPerPixel() const;
    void setView(double leftMs, double msPerPx, bool byUser);
    void clampView();
    void syncScrollBars();
    void setFollowInternal(bool on);
    double xOf(qint64 ms) const;
    double msAt(double x) const;
    // The band and row at viewport y; false outside the lanes.
    bool bandAt(int y, int *band, int *row) const;
    QRectF rectOf(const TimelineItems::Item &item, int band, int row) const;

    void paintRuler(QPainter &p, const QRect &plot, qint64 t0, qint64 t1);
    void paintBand(QPainter &p, int band, const QRect &plot, qint64 t0, qint64 t1);
    void paintSparkline(QPainter &p, int band, const QRect &plot, qint64 t0, qint64 t1);
    QString sparklineText(int band, qint64 ms) const;

    const TimelineItems *m_items = nullptr;
    const MetricsHistory *m_metrics = nullptr;
    TimelineItems m_none; // drawn when no items are set
    qint64 m_now = 0;
    double m_leftMs = 0;
    double m_msPerPx = 100;
    bool m_follow = true;
    bool m_fitted = false; // the first data fits the view once
    bool m_fitMode = false; // fit() until a zoom or a move: the whole life stays in view
    bool m_syncing = false;
    int m_scrollUnit = 1; // pixels per scroll bar step, for very long lives

    std::array<BandGeometry, BandCount> m_bands;
    QStringList m_laneNames;
    int m_labelWidth = 0;
    int m_rulerHeight = 0;
    int m_contentHeight = 0;

    qint64 m_hoverSeq = 0;
    QPoint m_pressPos;
    double m_pressLeftMs = 0;
    bool m_pressed = false;
    bool m_dragging = false;

    QPolygonF m_line; // reused by the sparklines

    struct Colours
    {
        QColor base, stripe, text, muted, grid, highlight, ok, failed, running, neutral, file, terminal, cpu, memory;
    } m_colours;
};
