// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <memory>

class EngineClient;
class MetricsHistory;
class MetricsHistoryPoller;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

// The Metrics tab: a sandbox's CPU, memory (with its limit as a dashed line),
// process count and network throughput (in and out, per second, from the
// engine's counters) over the last 1, 5 or 15 minutes, and the newest values
// as a sentence. The charts fill at once from what the engine kept, then
// follow it every second — only while the pane is visible and the sandbox
// runs; a paused sandbox keeps the charts it had and says why nothing moves.
class MetricsPane : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsPane(EngineClient *client, QWidget *parent = nullptr);
    ~MetricsPane() override;

    // The sandbox to show ("" for none) and whether it runs. The same id and
    // flag again change nothing; another id starts from an empty history.
    void setSandbox(const QString &id, bool running);
    QString sandbox() const { return m_id; }
    bool isRunning() const { return m_running; }

    // How far back the charts reach: 1, 5 or 15 minutes.
    void setWindowMinutes(int minutes);
    int windowMinutes() const;
    void setPollInterval(int ms);

    const MetricsHistory &history() const { return *m_history; }
    MetricsHistoryPoller *poller() const { return m_poller; }
    QLineSeries *cpuSeries() const { return m_cpu.line; }
    QLineSeries *memorySeries() const { return m_memory.line; }
    QLineSeries *memoryLimitSeries() const { return m_limit; }
    QLineSeries *pidsSeries() const { return m_pids.line; }
    // Bytes per second divided by netDivisor() (1, 1024 or 1048576: the
    // unit the chart's title names).
    QLineSeries *netInSeries() const { return m_net.line; }
    QLineSeries *netOutSeries() const { return m_netOut; }
    double netDivisor() const { return m_netDivisor; }
    // The charts' time axes show the same range; this is the CPU's.
    QDateTimeAxis *timeAxis() const { return m_cpu.time; }
    QValueAxis *cpuAxis() const { return m_cpu.values; }
    QValueAxis *memoryAxis() const { return m_memory.values; }
    QValueAxis *pidsAxis() const { return m_pids.values; }
    QValueAxis *netAxis() const { return m_net.values; }
    // "CPU 12.5 % of 2 CPUs · 48 MiB of 512 MiB · 7 processes", then
    // " · in 1.2 KiB/s, out 300 B/s" once there is a rate ("" without
    // readings).
    QString currentText() const;
    // The sentence over the charts: nothing selected, paused, a problem
    // ("" when the charts speak for themselves).
    QString notice() const;

Q_SIGNALS:
    // The charts took an answer of the engine in.
    void updated();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Chart
    {
        QChart *chart = nullptr;
        QChartView *view = nullptr;
        QDateTimeAxis *time = nullptr;
        QValueAxis *values = nullptr;
        QLineSeries *line = nullptr;
    };
    Chart makeChart(const QString &title, const QString &objectName, const QString &seriesName);
    QLineSeries *addSecondLine(const Chart &c, const QString &name);
    void follow();
    void takeChange(int added, int dropped);
    void refill();
    void syncRates();
    void refillRates();
    void updateAxes();
    void updateTexts();
    void applyColours();

    std::unique_ptr<MetricsHistory> m_history;
    MetricsHistoryPoller *m_poller;
    QString m_id;
    bool m_running = false;

    QComboBox *m_window = nullptr;
    QLabel *m_current = nullptr;
    QLabel *m_notice = nullptr;
    Chart m_cpu;
    Chart m_memory;
    Chart m_pids;
    Chart m_net; // its line is "In"
    QLineSeries *m_limit = nullptr;
    QLineSeries *m_netOut = nullptr;
    double m_netDivisor = 1;
};
