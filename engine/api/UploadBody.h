// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QObject>

#include <deque>

// The body of an upload on its way from the client to a route that streams
// it (RequestGate's sink): the connection appends what arrives, the route
// takes it out. The connection stops reading its client while more than
// kWindow bytes wait here, so a 32 MiB upload never sits in the engine.
class UploadBody : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kWindow = 1024 * 1024;

    explicit UploadBody(qint64 length, QObject *parent = nullptr);

    // The declared length (Content-Length).
    qint64 length() const { return m_length; }
    // Every declared byte has arrived (it may still wait to be taken).
    bool arrived() const { return m_arrived == m_length; }
    // The client went away (or the connection was refused) before the end.
    bool broken() const { return m_broken; }
    qint64 queued() const { return m_queued; }
    // The bytes waiting here, oldest first; at most `max` of them.
    QByteArray take(qint64 max = kWindow);
    // The route will not read this body: what arrives is dropped.
    void discard();

    // The connection's side.
    void append(QByteArrayView bytes);
    void append(const QByteArray &bytes); // shares them, no copy
    void breakOff();
    bool wantsMore() const { return m_discarding || m_queued < kWindow; }

Q_SIGNALS:
    // More bytes are waiting, or the last have arrived.
    void readyRead();
    // The body will not be whole: the client is gone.
    void broke();
    // The route took bytes out: the connection may read its client again.
    void drained();

private:
    qint64 m_length;
    qint64 m_arrived = 0;
    qint64 m_queued = 0;
    std::deque<QByteArray> m_pieces;
    bool m_discarding = false;
    bool m_broken = false;
};
