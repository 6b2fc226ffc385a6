// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGTERM and SIGINT into a Qt signal on the event loop. The handler
// only writes the signal's number to a pipe (the classic self-pipe): all
// real work happens in the slot, where any function may be called.
class ShutdownSignals : public QObject
{
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

    // False when the pipe or the handlers could not be set up.
    bool isActive() const { return m_notifier != nullptr; }

Q_SIGNALS:
    // Once per signal received; `signal` is SIGTERM or SIGINT.
    void received(int signal);

private:
    void drain();

    QSocketNotifier *m_notifier = nullptr;
};
