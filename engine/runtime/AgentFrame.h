// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>

// The head of one message from a sandbox's agent (agent/PROTOCOL.md): a
// JSON object on one line, then `body_len` raw bytes. Read off the front of
// what has arrived so far. Pure: the bytes come from inside a sandbox and
// are hostile until this says otherwise.
struct AgentFrame
{
    enum class Outcome {
        Incomplete,    // no newline yet, and not too long for one
        Ok,            // header and bodyLen are set; the body may still be arriving
        TooLong,       // no newline within the header limit
        Unreadable,    // the line is not a JSON object
        BadBodyLength, // body_len is negative or over the body limit
    };

    static constexpr qint64 kMaxBodyBytes = 32 * 1024 * 1024;

    Outcome outcome = Outcome::Incomplete;
    QJsonObject header;
    qint64 bodyLen = 0;
    qsizetype headerSize = 0; // the header line with its newline

    bool ok() const { return outcome == Outcome::Ok; }
    bool bad() const { return outcome != Outcome::Ok && outcome != Outcome::Incomplete; }
    // Header and body are both in `buffer`.
    bool complete(const QByteArray &buffer) const { return ok() && buffer.size() - headerSize >= bodyLen; }

    static AgentFrame parse(const QByteArray &buffer, qint64 maxHeaderBytes);
};
