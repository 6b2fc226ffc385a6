// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "TimelineItems.h"

#include <QTimer>
#include <QWidget>

#include <memory>

class ActivityModel;
class ActivityPoller;
class EngineClient;
class MetricsHistory;
class MetricsHistoryPoller;
class QLabel;
class QToolButton;
class TimelineView;

// The Timeline tab: the selected sandbox's life on one zoomable time axis
// (TimelineView) with a bar of zoom in, zoom out, Fit and Follow. It reads
// the activity log and the metrics history as the Command log and Metrics
// tabs do — incrementally, only new and changed entries — and only while it
// is visible with a sandbox selected; hidden, it asks the engine nothing and
// carries on from where it was when shown again.
class TimelinePane : public QWidget
{
    Q_OBJECT
public:
    explicit TimelinePane(EngineClient *client, QWidget *parent = nullptr);
    ~TimelinePane() override;

    // The sandbox to show ("" for none) and whether it runs (metrics are
    // read only from a running one). Another id starts afresh.
    void setSandbox(const QString &id, bool running = true);
    QString sandbox() const { return m_id; }

    void setPollInterval(int ms);

    TimelineView *view() const { return m_view; }
    const TimelineItems &items() const { return m_items; }
    const MetricsHistory &metrics() const { return *m_history; }
    ActivityPoller *poller() const { return m_poller; }
    MetricsHistoryPoller *metricsPoller() const { return m_metricsPoller; }
    QToolButton *followButton() const { return m_follow; }
    // The sentence under the bar: nothing selected, a problem ("" otherwise).
    QString notice() const;

Q_SIGNALS:
    // A command or code cell was clicked: its activity entry's seq.
    void entryActivated(qint64 seq);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildUi();
    void startReading();
    void stopReading();
    void takeEntries(int first, int last);
    void tick();
    void updateNotice();

    EngineClient *m_client;
    ActivityModel *m_model;
    ActivityPoller *m_poller;
    std::unique_ptr<MetricsHistory> m_history;
    MetricsHistoryPoller *m_metricsPoller;
    TimelineItems m_items;
    QString m_id;
    bool m_running = false;
    // The engine's clock minus ours, from the newest reading: running bars
    // end at the engine's "now" even when a remote engine's clock differs.
    qint64 m_skewMs = 0;
    QTimer m_ticker;

    QToolButton *m_zoomIn = nullptr;
    QToolButton *m_zoomOut = nullptr;
    QToolButton *m_fit = nullptr;
    QToolButton *m_follow = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_notice = nullptr;
    TimelineView *m_view = nullptr;
};
