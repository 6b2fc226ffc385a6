// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiError.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLocalSocket>
#include <QObject>
#include <QPointer>

// A long-lived connection to a sandbox's agent (agent/PROTOCOL.md,
// "Streams"): one request, the agent's answer, then either frames (PTY
// output, watch events, code events) or, in raw mode, a byte pipe (tunnels).
// Reading is paced by the consumer: call `take()` to get buffered raw bytes
// (raw mode) and `setPaused()` to stop pulling from the agent.
class AgentStream : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Frames, Raw };

    AgentStream(QString socketPath, QString sandboxId, Mode mode, QObject *parent = nullptr);
    ~AgentStream() override;

    // Sends the request; `opened` or `failed` follows.
    void open(const QJsonObject &header, const QByteArray &body = {});
    // Raw mode: bytes for the other end. Also, once connected (the first
    // bytesWritten), the body of a request opened with only its body_len.
    void write(const QByteArray &bytes);
    qint64 bytesToWrite() const;
    // Raw mode: what arrived since the last take().
    QByteArray take();
    qint64 bytesAvailable() const;
    // While paused, the stream reads nothing more from the agent, so the
    // agent's side of the pipe slows down instead of anything being lost.
    void setPaused(bool paused);
    // Ends the stream from our side (half-close is not available on
    // QLocalSocket, so this closes both directions).
    void close();
    bool isOpen() const { return m_state == State::Open; }

Q_SIGNALS:
    void opened(const QJsonObject &header);
    void failed(const ApiError &error);
    void frame(const QJsonObject &header, const QByteArray &body);
    void readyRead();
    void bytesWritten();
    void closed();

private:
    enum class State { Idle, WaitingForAnswer, Open, Closed };
    void onReadyRead();
    void consume();
    void fail(const ApiError &e);
    // Parses one message (header line + body) off the front of m_buffer.
    bool nextMessage(QJsonObject *header, QByteArray *body, bool *bad);

    QString m_path;
    QString m_sandboxId;
    Mode m_mode;
    QLocalSocket *m_socket = nullptr;
    State m_state = State::Idle;
    QByteArray m_buffer;
    bool m_paused = false;
    // The agent closed its end; frames still buffered are delivered first.
    bool m_peerGone = false;
};
