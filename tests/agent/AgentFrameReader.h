// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

// The client side of a stream (PROTOCOL.md, "Streams"): sends one request,
// then reads the answer and the frames that follow, as slowly as asked.
class AgentFrameReader {
public:
    struct Frame {
        QJsonObject header;
        QByteArray body;
    };

    AgentFrameReader() = default;
    ~AgentFrameReader() { close(); }
    AgentFrameReader(const AgentFrameReader&) = delete;
    AgentFrameReader& operator=(const AgentFrameReader&) = delete;

    // Connects, sends the request and reads its answer header.
    bool open(const QString& socketPath, const QJsonObject& header);
    const QJsonObject& answer() const { return m_answer; }
    // The next frame; nullopt on timeout or when the agent closed the stream.
    // `chunk` bounds each recv, to read slowly.
    std::optional<Frame> next(int timeoutMs = 20000, int chunk = 65536);
    // True once the agent closed the connection (after the last frame).
    bool atEnd(int timeoutMs = 5000);
    void close();
    QString error() const { return m_error; }

private:
    bool fill(int timeoutMs, int chunk);
    std::optional<Frame> parse();

    int m_fd = -1;
    QByteArray m_buffer;
    QJsonObject m_answer;
    QString m_error;
    bool m_eof = false;
};
