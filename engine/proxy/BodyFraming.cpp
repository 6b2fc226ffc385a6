// SPDX-License-Identifier: GPL-3.0-or-later
#include "BodyFraming.h"

namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

BodyFraming BodyFraming::length(qint64 bytes)
{
    BodyFraming f;
    f.m_kind = bytes > 0 ? Kind::Length : Kind::None;
    f.m_remaining = qMax<qint64>(bytes, 0);
    return f;
}

BodyFraming BodyFraming::chunked()
{
    BodyFraming f;
    f.m_kind = Kind::Chunked;
    return f;
}

BodyFraming BodyFraming::untilClose()
{
    BodyFraming f;
    f.m_kind = Kind::UntilClose;
    return f;
}

bool BodyFraming::finished() const
{
    switch (m_kind) {
    case Kind::None: return true;
    case Kind::Length: return m_remaining == 0;
    case Kind::Chunked: return m_chunk == Chunk::Done;
    case Kind::UntilClose: return false;
    }
    return true;
}

qsizetype BodyFraming::fail(const QString &why)
{
    m_error = why;
    return -1;
}

bool BodyFraming::sizeLine(QByteArrayView line)
{
    // chunk-size [ BWS ; chunk-ext ]; sizes beyond 2^60 are refused, not wrapped.
    qsizetype i = 0;
    qint64 size = 0;
    while (i < line.size() && hexValue(line.at(i)) >= 0) {
        if (i >= 15) {
            fail(QStringLiteral("A chunk size has more than 15 hex digits."));
            return false;
        }
        size = size * 16 + hexValue(line.at(i));
        ++i;
    }
    if (i == 0) {
        fail(QStringLiteral("A chunk does not start with its size in hex."));
        return false;
    }
    while (i < line.size() && (line.at(i) == ' ' || line.at(i) == '\t'))
        ++i;
    if (i < line.size() && line.at(i) != ';') {
        fail(QStringLiteral("A chunk size is followed by something other than an extension."));
        return false;
    }
    m_remaining = size;
    m_chunk = size == 0 ? Chunk::Trailer : Chunk::Data;
    return true;
}

qsizetype BodyFraming::feed(QByteArrayView data)
{
    if (failed())
        return -1;
    switch (m_kind) {
    case Kind::None:
        return 0;
    case Kind::UntilClose:
        m_seen += data.size();
        return data.size();
    case Kind::Length: {
        const qsizetype n = qsizetype(qMin<qint64>(m_remaining, data.size()));
        m_remaining -= n;
        m_seen += n;
        return n;
    }
    case Kind::Chunked:
        break;
    }
    qsizetype used = 0;
    while (used < data.size() && m_chunk != Chunk::Done) {
        const char c = data.at(used);
        switch (m_chunk) {
        case Chunk::Data: {
            const qsizetype n = qsizetype(qMin<qint64>(m_remaining, data.size() - used));
            m_remaining -= n;
            used += n;
            if (m_remaining == 0)
                m_chunk = Chunk::DataCr;
            continue;
        }
        case Chunk::DataCr:
            if (c != '\r')
                return fail(QStringLiteral("A chunk is longer than its size says."));
            m_chunk = Chunk::DataLf;
            ++used;
            continue;
        case Chunk::DataLf:
            if (c != '\n')
                return fail(QStringLiteral("A chunk's data does not end with CRLF."));
            m_chunk = Chunk::SizeLine;
            ++used;
            continue;
        case Chunk::SizeLine:
        case Chunk::Trailer: {
            ++used;
            if (m_chunk == Chunk::Trailer && ++m_trailerBytes > kMaxTrailerBytes)
                return fail(QStringLiteral("The trailer section is larger than %1 KiB.").arg(kMaxTrailerBytes / 1024));
            if (c != '\n') {
                if (m_line.size() >= kMaxLineBytes)
                    return fail(QStringLiteral("A chunk line is longer than %1 bytes.").arg(kMaxLineBytes));
                m_line.append(c);
                continue;
            }
            if (!m_line.endsWith('\r'))
                return fail(QStringLiteral("A chunk line does not end with CRLF."));
            m_line.chop(1);
            if (m_line.contains('\r'))
                return fail(QStringLiteral("A chunk line holds a bare CR."));
            if (m_chunk == Chunk::SizeLine) {
                if (!sizeLine(m_line))
                    return -1;
            } else if (m_line.isEmpty()) {
                m_chunk = Chunk::Done;
            }
            m_line.clear();
            continue;
        }
        case Chunk::Done:
            break;
        }
    }
    m_seen += used;
    return used;
}
