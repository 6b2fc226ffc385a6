// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestGate.h"

namespace {

ApiError headerFieldsTooLarge()
{
    return ApiError{QStringLiteral("too_large"),
                    QStringLiteral("The request head is larger than %1 bytes.").arg(RequestHead::kMaxBytes), 431, {}};
}

// The head with every Content-Length set to 0: its body goes elsewhere.
QByteArray withoutBody(const QByteArray &head)
{
    static constexpr QByteArrayView kName = "\r\ncontent-length:";
    QByteArray out = head;
    qsizetype at = 0;
    while ((at = out.toLower().indexOf(kName.toByteArray(), at)) >= 0) {
        const qsizetype value = at + kName.size();
        const qsizetype end = out.indexOf("\r\n", value);
        out.replace(value, end - value, " 0");
        at = value;
    }
    return out;
}

ApiError malformed(const QString &what)
{
    return ApiError::badRequest(QStringLiteral("The request is not valid HTTP/1.1: %1.").arg(what));
}

} // namespace

RequestGate::RequestGate(Policy policy)
    : m_policy(std::move(policy))
{
}

RequestGate::Output RequestGate::feed(QByteArrayView in)
{
    Output out;
    qsizetype pos = 0;
    while (pos < in.size()) {
        bool more = true;
        switch (m_state) {
        case State::Head:
            more = stepHead(out, in, pos);
            break;
        case State::Body:
            more = stepBody(out, in, pos);
            break;
        case State::Tunnel:
            out.pass.append(in.sliced(pos));
            pos = in.size();
            break;
        case State::Refused:
            return out;
        }
        if (!more)
            break;
    }
    return out;
}

void RequestGate::refuse(Output &out, ApiError error)
{
    m_state = State::Refused;
    m_head.clear();
    out.refusal = std::move(error);
}

bool RequestGate::stepHead(Output &out, QByteArrayView in, qsizetype &pos)
{
    // Blank lines between requests are allowed (RFC 9112 §2.2); drop them.
    while (m_head.isEmpty() && pos < in.size() && (in.at(pos) == '\r' || in.at(pos) == '\n'))
        ++pos;
    if (pos == in.size())
        return false;
    const qsizetype before = m_head.size();
    const qsizetype room = RequestHead::kMaxBytes + 1 - before;
    const QByteArrayView take = in.sliced(pos, std::min<qsizetype>(room, in.size() - pos));
    m_head.append(take);
    const qsizetype end = m_head.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
    if (end < 0) {
        pos += take.size();
        if (m_head.size() > RequestHead::kMaxBytes)
            refuse(out, headerFieldsTooLarge());
        return false;
    }
    const qsizetype headSize = end + 4;
    pos += headSize - before;
    m_head.truncate(headSize);
    return admitHead(out, headSize);
}

bool RequestGate::admitHead(Output &out, qsizetype headSize)
{
    const RequestHead h = RequestHead::parse(m_head);
    switch (h.outcome) {
    case RequestHead::Outcome::Ok:
        break;
    case RequestHead::Outcome::TooLarge:
        refuse(out, headerFieldsTooLarge());
        return false;
    case RequestHead::Outcome::Invalid:
        refuse(out, ApiError::badRequest(h.problem));
        return false;
    case RequestHead::Outcome::MissingHost:
        refuse(out, malformed(QStringLiteral("it has no Host header")));
        return false;
    case RequestHead::Outcome::Malformed:
    case RequestHead::Outcome::Incomplete:
        refuse(out, malformed(QStringLiteral("its request line or a header is malformed")));
        return false;
    }
    if (headSize > RequestHead::kMaxBytes) {
        refuse(out, headerFieldsTooLarge());
        return false;
    }
    const Verdict verdict = m_policy(h);
    if (const auto *error = std::get_if<ApiError>(&verdict)) {
        refuse(out, *error);
        return false;
    }
    m_maxBody = std::get<Admit>(verdict).maxBody;
    m_sink = h.body.kind() == BodyFraming::Kind::Length && h.body.declaredLength() > 0 ? std::get<Admit>(verdict).sink
                                                                                          : Sink();
    if (h.body.declaredLength() > m_maxBody) {
        refuse(out, ApiError::tooLarge(QStringLiteral("The request body is %1 bytes; this endpoint takes at most %2 bytes.")
                                           .arg(h.body.declaredLength())
                                           .arg(m_maxBody)));
        return false;
    }
    out.pass.append(m_sink ? withoutBody(m_head) : m_head);
    ++out.headsAdmitted;
    out.continueNow = !h.body.finished() && h.value("expect").trimmed().toLower() == "100-continue";
    m_head.clear();
    m_body = h.body;
    m_bodySoFar = 0;
    if (h.upgrade && h.method == "GET")
        m_state = State::Tunnel;
    else if (!m_body.finished())
        m_state = State::Body;
    else
        endMessage(out);
    return true;
}

bool RequestGate::stepBody(Output &out, QByteArrayView in, qsizetype &pos)
{
    const qsizetype n = m_body.feed(in.sliced(pos));
    if (n < 0) {
        refuse(out, ApiError::badRequest(m_body.error()));
        return false;
    }
    m_bodySoFar += n;
    if (m_bodySoFar > m_maxBody + (m_body.kind() == BodyFraming::Kind::Chunked ? framingAllowance(m_maxBody) : 0)) {
        refuse(out, ApiError::tooLarge(QStringLiteral("The request body is over %1 bytes; this endpoint takes at most %1 "
                                                      "bytes.")
                                           .arg(m_maxBody)));
        return false;
    }
    if (m_sink)
        m_sink(in.sliced(pos, n), m_body.finished());
    else
        out.pass.append(in.sliced(pos, n));
    pos += n;
    if (m_body.finished())
        endMessage(out);
    return true;
}

void RequestGate::endMessage(Output &out)
{
    m_sink = {};
    ++out.messagesEnded;
    m_state = State::Head;
}
