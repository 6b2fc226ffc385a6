// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// Where an HTTP/1.1 message body ends (RFC 9112 §6): nothing, a
// Content-Length, chunked transfer coding, or the end of the connection.
// The proxy forwards bodies as they are; this only follows them, byte by
// byte through chunk sizes and trailers, so the next message on the same
// connection is found. Pure: no I/O.
class BodyFraming
{
public:
    enum class Kind { None, Length, Chunked, UntilClose };

    // Chunk-size lines (with extensions) and the trailer section are bounded.
    static constexpr qsizetype kMaxLineBytes = 4096;
    static constexpr qsizetype kMaxTrailerBytes = 64 * 1024;

    BodyFraming() = default;
    static BodyFraming none() { return BodyFraming(); }
    static BodyFraming length(qint64 bytes);
    static BodyFraming chunked();
    static BodyFraming untilClose();

    Kind kind() const { return m_kind; }
    qint64 declaredLength() const { return m_kind == Kind::Length ? m_remaining + m_seen : 0; }

    // Of `data`, the next bytes of the connection, how many still belong to
    // this body (at most data.size()); -1 when chunked framing is broken
    // (then error() says how). A finished body takes nothing more.
    qsizetype feed(QByteArrayView data);
    bool finished() const;
    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }

private:
    enum class Chunk { SizeLine, Data, DataCr, DataLf, Trailer, Done };
    bool sizeLine(QByteArrayView line);
    qsizetype fail(const QString &why);

    Kind m_kind = Kind::None;
    qint64 m_remaining = 0; // of the declared length, or of the current chunk
    qint64 m_seen = 0;
    Chunk m_chunk = Chunk::SizeLine;
    QByteArray m_line;
    qsizetype m_trailerBytes = 0;
    QString m_error;
};
