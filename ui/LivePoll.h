// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

// A pane's periodic read of the engine: a timer that runs only while the
// pane wants it (shown, with a sandbox, …), and a read at once when it
// starts, so a pane that appears is current without waiting a period.
class LivePoll : public QObject
{
    Q_OBJECT
public:
    LivePoll(int intervalMs, std::function<void()> read, QObject *parent = nullptr);

    // Starts (reading now) or stops; the same again changes nothing.
    void setWanted(bool wanted);
    void setInterval(int ms) { m_timer.setInterval(ms); }
    bool isActive() const { return m_timer.isActive(); }

private:
    QTimer m_timer;
    std::function<void()> m_read;
};
