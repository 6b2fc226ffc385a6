// SPDX-License-Identifier: GPL-3.0-or-later
#include "LivePoll.h"

LivePoll::LivePoll(int intervalMs, std::function<void()> read, QObject *parent)
    : QObject(parent)
    , m_read(std::move(read))
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_read(); });
}

void LivePoll::setWanted(bool wanted)
{
    if (wanted && !m_timer.isActive()) {
        m_timer.start();
        m_read();
    } else if (!wanted) {
        m_timer.stop();
    }
}
