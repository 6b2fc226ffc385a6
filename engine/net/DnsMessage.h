// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// The little of a DNS message (RFC 1035) the engine's forwarder reads:
// the id, the first question, and the IPv4 addresses of an answer. Pure,
// and safe on any bytes (names are followed through at most a bounded
// number of compression pointers; nothing is read past the end).
struct DnsMessage
{
    struct Address
    {
        quint32 address = 0;
        quint32 ttl = 0;
    };

    quint16 id = 0;
    bool isResponse = false;
    int rcode = 0;
    QString questionName; // lowercase, without a final dot
    quint16 questionType = 0;
    QList<Address> addresses; // A records of the answer section

    static std::optional<DnsMessage> parse(const QByteArray &bytes);
    // The same message with another id.
    static QByteArray withId(const QByteArray &bytes, quint16 id);
    // A SERVFAIL answer to a query, for when no upstream answers.
    static QByteArray serverFailure(const QByteArray &query);
};
