// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "proxy/BodyFraming.h"

#include <QByteArray>
#include <QByteArrayView>

#include <deque>

// Counts the answers Qt's HTTP server sends back on one API connection, so
// that what a request holds (a download's transfer slot) is given back when
// its answer has passed to the client, not when the route handed it over.
// Answers come in the order of their requests; each is framed by its head
// (ResponseHead) and body (BodyFraming). Pure: no sockets.
class ResponseMeter
{
public:
    // A request of `method` went to the server; its answer comes after
    // those of the requests before it.
    void expect(const QByteArray &method);
    // Bytes the server sent, in order: how many answers ended in them.
    int feed(QByteArrayView bytes);
    // True once the bytes are no longer answers that can be counted (an
    // upgrade to a WebSocket, an unreadable head): nothing ends any more.
    bool stopped() const { return m_state == State::Stopped; }
    // The declared length of the answer whose body is passing now, or -1
    // (between answers, a chunked body, stopped).
    qint64 bodyLength() const
    {
        return m_state == State::Body && m_body.kind() == BodyFraming::Kind::Length ? m_body.declaredLength() : -1;
    }

private:
    enum class State { Head, Body, Stopped };

    State m_state = State::Head;
    std::deque<QByteArray> m_methods; // of requests not yet answered
    QByteArray m_head;
    BodyFraming m_body;
};
