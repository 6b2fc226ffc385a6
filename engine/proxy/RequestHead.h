// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BodyFraming.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

// The head of an HTTP/1.x request as far as the preview proxy needs it: is
// it complete, is it well formed, which one Host does it name, how long is
// the body that follows (so the next request on the connection is found)
// and does it ask to leave HTTP (Upgrade). Pure.
struct RequestHead
{
    enum class Outcome {
        Incomplete,
        Ok,
        Malformed,   // not HTTP/1.x at all: 400
        MissingHost, // 400
        TooLarge,    // 431
        Invalid,     // well formed but refused, `problem` says why: 400
    };

    static constexpr qsizetype kMaxBytes = 64 * 1024;

    Outcome outcome = Outcome::Incomplete;
    QString problem; // for Invalid: one sentence
    QByteArray method;
    QByteArray target; // as sent: origin-form, absolute-form or `*`
    QByteArray version; // "HTTP/1.1" or "HTTP/1.0"
    // Every header as sent (name as written, value trimmed), in order.
    QList<std::pair<QByteArray, QByteArray>> headers;
    // Every Host header, in order; Ok means exactly one.
    QList<QByteArray> hosts;
    BodyFraming body;
    // The request asks to switch protocols (`Upgrade` with `Connection:
    // upgrade`): after a 101 answer the connection is no longer HTTP.
    bool upgrade = false;
    // The client ends the connection after this request's answer
    // (`Connection: close`, or HTTP/1.0 without `keep-alive`).
    bool lastOnConnection = false;
    // Values of every `X-Ai2in-Preview-Token` header and every `Cookie` header.
    QList<QByteArray> tokenHeaders;
    QList<QByteArray> cookies;
    qsizetype size = 0; // bytes up to and including the blank line

    QByteArray host() const { return hosts.value(0); }

    static RequestHead parse(const QByteArray &buffer);

    // Every value of the header `name` (any case), in order.
    QList<QByteArray> values(QByteArrayView name) const;
    // The one value of `name`, or empty when it is absent.
    QByteArray value(QByteArrayView name) const;
};
