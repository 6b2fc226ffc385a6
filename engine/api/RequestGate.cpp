// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestGate.h"

namespace {

ApiError headerFieldsTooLarge()
{
    return ApiError{QStringLiteral("too_large"),
                    QStringLiteral("The request head is larger than %1 bytes.").arg(RequestHead::kMaxBytes), 431, {}};
}

ApiError malformed(const QString &what)
{
    return ApiError::badRequest(QStringLiteral("The request is not valid HTTP/1.1: %1.").arg(what));
}

bool allDigits(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 18)
        return false;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

// A chunk-size line without its CRLF: hex digits, then optional extensions.
std::optional<qint64> chunkSize(QByteArrayView line)
{
    const qsizetype semicolon = line.indexOf(';');
    QByteArrayView digits = semicolon < 0 ? line : line.first(semicolon);
    while (!digits.isEmpty() && (digits.back() == ' ' || digits.back() == '\t'))
        digits.chop(1);
    if (digits.isEmpty() || digits.size() > 15)
        return std::nullopt;
    qint64 size = 0;
    for (char c : digits) {
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return std::nullopt;
        size = size * 16 + v;
    }
    return size;
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
        case State::ChunkSize:
        case State::ChunkEnd:
        case State::Trailer:
            more = stepChunkLine(out, in, pos);
            break;
        case State::ChunkData:
            more = stepChunkData(out, in, pos);
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
    m_line.clear();
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
    if (h.outcome == RequestHead::Outcome::TooLarge || headSize > RequestHead::kMaxBytes) {
        refuse(out, headerFieldsTooLarge());
        return false;
    }
    if (h.outcome == RequestHead::Outcome::Malformed || h.outcome == RequestHead::Outcome::Incomplete) {
        refuse(out, malformed(QStringLiteral("its request line or a header is malformed")));
        return false;
    }
    const QList<QByteArray> encodings = h.values("Transfer-Encoding");
    const QList<QByteArray> lengths = h.values("Content-Length");
    bool chunked = false;
    if (!encodings.isEmpty()) {
        if (encodings.size() != 1 || encodings.first().compare("chunked", Qt::CaseInsensitive) != 0) {
            refuse(out, ApiError{QStringLiteral("not_implemented"),
                                 QStringLiteral("Only 'Transfer-Encoding: chunked' is accepted in requests."), 501, {}});
            return false;
        }
        if (!lengths.isEmpty()) {
            refuse(out, malformed(QStringLiteral("it has both Content-Length and Transfer-Encoding")));
            return false;
        }
        chunked = true;
    }
    qint64 length = 0;
    for (const QByteArray &l : lengths) {
        if (!allDigits(l) || (l != lengths.first())) {
            refuse(out, malformed(QStringLiteral("its Content-Length is not one whole number")));
            return false;
        }
        length = l.toLongLong();
    }
    const Verdict verdict = m_policy(h);
    if (const auto *error = std::get_if<ApiError>(&verdict)) {
        refuse(out, *error);
        return false;
    }
    m_maxBody = std::get<Admit>(verdict).maxBody;
    if (length > m_maxBody) {
        refuse(out, ApiError::tooLarge(QStringLiteral("The request body is %1 bytes; this endpoint takes at most %2 bytes.")
                                           .arg(length)
                                           .arg(m_maxBody)));
        return false;
    }
    out.pass.append(m_head);
    ++out.headsAdmitted;
    m_head.clear();
    const bool upgrade = h.method == "GET" && !h.value("Upgrade").isEmpty();
    if (upgrade) {
        m_state = State::Tunnel;
    } else if (chunked) {
        m_bodySoFar = 0;
        m_state = State::ChunkSize;
    } else if (length > 0) {
        m_remaining = length;
        m_state = State::Body;
    } else {
        endMessage(out);
    }
    return true;
}

bool RequestGate::stepBody(Output &out, QByteArrayView in, qsizetype &pos)
{
    const qsizetype n = qsizetype(std::min<qint64>(m_remaining, in.size() - pos));
    out.pass.append(in.sliced(pos, n));
    pos += n;
    m_remaining -= n;
    if (m_remaining == 0)
        endMessage(out);
    return true;
}

bool RequestGate::stepChunkData(Output &out, QByteArrayView in, qsizetype &pos)
{
    const qsizetype n = qsizetype(std::min<qint64>(m_remaining, in.size() - pos));
    out.pass.append(in.sliced(pos, n));
    pos += n;
    m_remaining -= n;
    if (m_remaining == 0)
        m_state = State::ChunkEnd;
    return true;
}

bool RequestGate::stepChunkLine(Output &out, QByteArrayView in, qsizetype &pos)
{
    const qsizetype nl = in.indexOf('\n', pos);
    const qsizetype take = (nl < 0 ? in.size() : nl + 1) - pos;
    if (m_line.size() + take > kMaxChunkLine) {
        refuse(out, malformed(QStringLiteral("a chunk line is longer than %1 bytes").arg(kMaxChunkLine)));
        return false;
    }
    m_line.append(in.sliced(pos, take));
    out.pass.append(in.sliced(pos, take));
    pos += take;
    if (nl < 0)
        return false;
    if (!m_line.endsWith("\r\n")) {
        refuse(out, malformed(QStringLiteral("a chunk line does not end in CRLF")));
        return false;
    }
    const QByteArrayView line = QByteArrayView(m_line).chopped(2);
    switch (m_state) {
    case State::ChunkSize: {
        const auto size = chunkSize(line);
        if (!size) {
            refuse(out, malformed(QStringLiteral("a chunk size is not a hexadecimal number")));
            return false;
        }
        m_bodySoFar += *size;
        if (m_bodySoFar > m_maxBody) {
            refuse(out, ApiError::tooLarge(QStringLiteral("The request body is over %1 bytes; this endpoint takes at most %1 bytes.")
                                               .arg(m_maxBody)));
            return false;
        }
        m_remaining = *size;
        m_state = *size == 0 ? State::Trailer : State::ChunkData;
        break;
    }
    case State::ChunkEnd:
        if (!line.isEmpty()) {
            refuse(out, malformed(QStringLiteral("a chunk is longer than its size says")));
            return false;
        }
        m_state = State::ChunkSize;
        break;
    case State::Trailer:
        if (line.isEmpty()) {
            endMessage(out);
        } else {
            // Trailer fields count toward the body so they cannot grow without end.
            m_bodySoFar += m_line.size();
            if (m_bodySoFar > m_maxBody + RequestHead::kMaxBytes) {
                refuse(out, headerFieldsTooLarge());
                return false;
            }
        }
        break;
    default:
        break;
    }
    m_line.clear();
    return true;
}

void RequestGate::endMessage(Output &out)
{
    ++out.messagesEnded;
    m_state = State::Head;
}
