// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiError.h"
#include "proxy/RequestHead.h"

#include <QByteArray>

#include <functional>
#include <optional>
#include <variant>

// The API's requests as they arrive on one connection, before Qt's HTTP
// server reads them. Qt 6.4's server keeps a whole request in memory before
// a route sees it, so anything refused only there (a missing key, a 64 GiB
// body) has already cost its size. The gate frames each request itself —
// its head with RequestHead, its body with BodyFraming, the preview proxy's
// own parsers — asks a policy about every complete head, and lets bytes
// through only as far as the policy allows. Pure: no sockets, no clock; the
// caller owns both.
class RequestGate
{
public:
    // What the policy says of a complete head: let it through with a body of
    // at most this many bytes, or refuse the connection with this error.
    // With a `sink`, a body of declared length goes to it instead of the
    // server, which sees the head with `Content-Length: 0` (a route that
    // streams bytes reads them from the sink's other end); `last` is set
    // with its final bytes.
    using Sink = std::function<void(QByteArrayView bytes, bool last)>;
    struct Admit
    {
        qint64 maxBody = 0;
        Sink sink;
    };
    using Verdict = std::variant<Admit, ApiError>;
    using Policy = std::function<Verdict(const RequestHead &)>;

    // A chunked body may take this much more than its limit in framing
    // (chunk-size lines, trailers), counted on the raw bytes.
    static qint64 framingAllowance(qint64 maxBody) { return maxBody / 8 + 1024; }

    explicit RequestGate(Policy policy);

    struct Output
    {
        QByteArray pass;                 // bytes the server may read now
        std::optional<ApiError> refusal; // set once: the connection is refused
        int headsAdmitted = 0;           // complete heads let through by this feed
        int messagesEnded = 0;           // requests whose body ended in this feed
        // An admitted request whose client waits for `100 Continue` before
        // it sends the body (`Expect: 100-continue`, as curl does for large
        // bodies): the caller tells it to go on, or it waits a second.
        bool continueNow = false;
    };
    Output feed(QByteArrayView bytes);

    // A head has begun and is not complete: the time it takes is bounded
    // by the caller (slow heads hold a connection for nothing).
    bool inHead() const { return m_state == State::Head && !m_head.isEmpty(); }
    // After an upgrade, bytes are no longer HTTP: the gate passes them all.
    bool tunnelling() const { return m_state == State::Tunnel; }
    bool refused() const { return m_state == State::Refused; }
    // A body is on its way (its head was admitted, its end not yet seen).
    bool inBody() const { return m_state == State::Body; }

private:
    enum class State { Head, Body, Tunnel, Refused };

    void refuse(Output &out, ApiError error);
    bool admitHead(Output &out, qsizetype headSize);
    // Each consumes from `in` at `pos`; false when it needs more bytes.
    bool stepHead(Output &out, QByteArrayView in, qsizetype &pos);
    bool stepBody(Output &out, QByteArrayView in, qsizetype &pos);
    void endMessage(Output &out);

    Policy m_policy;
    State m_state = State::Head;
    QByteArray m_head; // the head so far (held back until admitted)
    BodyFraming m_body;
    qint64 m_maxBody = 0;
    qint64 m_bodySoFar = 0; // raw bytes of this request's body so far
    Sink m_sink;            // where this request's body goes, if not to the server
};
