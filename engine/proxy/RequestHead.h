// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

// The head of an HTTP/1.x request as far as the preview proxy needs it: is
// it complete, is it well formed, and which Host does it name. The head is
// forwarded as received; nothing here rewrites it. Pure.
struct RequestHead
{
    enum class Outcome { Incomplete, Ok, Malformed, MissingHost, TooLarge };

    static constexpr qsizetype kMaxBytes = 64 * 1024;

    Outcome outcome = Outcome::Incomplete;
    QByteArray method;
    // Every Host header, in order. Normally one; some clients (QWebSocket
    // given a Host of its own) send theirs after the URL's.
    QList<QByteArray> hosts;
    qsizetype size = 0; // bytes up to and including the blank line

    static RequestHead parse(const QByteArray &buffer);
};
