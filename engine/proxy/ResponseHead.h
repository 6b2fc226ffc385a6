// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BodyFraming.h"

#include <QByteArray>

// The head of an HTTP/1.x response from a server inside a sandbox, read only
// to find where the response ends (RFC 9112 §6.3), so that the next request
// on a kept-alive connection may go to another sandbox. The head is passed on
// as received. Pure.
struct ResponseHead
{
    enum class Outcome { Incomplete, Ok, Malformed, TooLarge };

    static constexpr qsizetype kMaxBytes = 64 * 1024;

    Outcome outcome = Outcome::Incomplete;
    int status = 0;
    qsizetype size = 0; // bytes up to and including the blank line
    // Where the body ends; `UntilClose` when the server gives no length.
    BodyFraming body;

    bool informational() const { return status >= 100 && status < 200; }

    // `requestMethod`: the method of the request this answers (a HEAD's
    // answer has no body, whatever its headers say).
    static ResponseHead parse(const QByteArray &buffer, const QByteArray &requestMethod);
};
