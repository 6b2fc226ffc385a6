// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameSocket.h"

// One WebSocket client of one PTY: output as binary messages, input from
// binary messages, `{"type":"resize","cols","rows"}` text messages; the PTY's
// exit as `{"type":"exit","exit_code":N}` before the close. The first text
// message is `{"type":"attached","offset":N}`: a client that reconnects with
// `?from=<offset of the next byte it lacks>` misses nothing.
class PtySocket : public FrameSocket
{
    Q_OBJECT
public:
    PtySocket(SandboxManager *sm, QString team, QString sandboxId, QString ptyId, QWebSocket *ws, qint64 from,
              QObject *parent);

protected:
    void onOpened(const QJsonObject &header) override;
    void onFrame(const QJsonObject &header, const QByteArray &body) override;
    // Keys sent just before a detach still reach the terminal.
    bool hasPendingWork() const override { return m_asking || !m_queue.isEmpty(); }

private:
    void onBinary(const QByteArray &bytes);
    void onText(const QString &text);
    void ask(const QJsonObject &header, const QByteArray &body);
    // Input and resizes go to the agent one call at a time, in the order
    // they came, so a large paste arrives whole and in order.
    void enqueue(const QJsonObject &header, const QByteArray &body);
    void sendNext();

    struct Pending
    {
        QJsonObject header;
        QByteArray body;
    };
    QList<Pending> m_queue;
    qint64 m_queuedBytes = 0;
    bool m_asking = false;
    QString m_pty;
};
