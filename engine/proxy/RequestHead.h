// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

// The head of an HTTP/1.x request as far as the preview proxy needs it: is
// it complete, is it well formed, and which Host does it name. The head is
// forwarded as received; nothing here rewrites it. Pure.
struct RequestHead
{
    enum class Outcome { Incomplete, Ok, Malformed, MissingHost, TooLarge };

    static constexpr qsizetype kMaxBytes = 64 * 1024;

    Outcome outcome = Outcome::Incomplete;
    QByteArray method;
    QByteArray target; // as sent: origin form (/path?query) or absolute form
    // Every header as sent (name as written, value trimmed), in order.
    QList<std::pair<QByteArray, QByteArray>> headers;
    // Every Host header, in order. Normally one; some clients (QWebSocket
    // given a Host of its own) send theirs after the URL's.
    QList<QByteArray> hosts;
    qsizetype size = 0; // bytes up to and including the blank line

    static RequestHead parse(const QByteArray &buffer);

    // Every value of the header `name` (any case), in order.
    QList<QByteArray> values(QByteArrayView name) const;
    // The one value of `name`, or empty when it is absent.
    QByteArray value(QByteArrayView name) const;
};
