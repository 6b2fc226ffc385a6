// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RequestHead.h"

#include <QByteArray>

// The access check of a sandbox created with `preview_auth`: its previews
// answer only requests that bring the sandbox's token, as a header or as a
// cookie. A browser arrives once with `?ai2in_token=…` in the URL and is
// sent to the same URL without it, with the cookie set for that preview host
// alone. Pure: no I/O.
struct PreviewAuth
{
    enum class Verdict {
        Allowed,   // forward the request
        Denied,    // 401
        SetCookie, // redirect to `location` with the cookie
    };

    static constexpr const char *kHeader = "X-Ai2in-Preview-Token";
    static constexpr const char *kCookie = "ai2in_preview_token";
    static constexpr const char *kQueryItem = "ai2in_token";

    Verdict verdict = Verdict::Denied;
    QByteArray location; // for SetCookie: the target without the token item

    static PreviewAuth check(const RequestHead &head, const QByteArray &token);
    // `secure`: the preview URLs are https, so the cookie is never sent in clear.
    static QByteArray setCookie(const QByteArray &token, bool secure);
    // The head as the sandbox's server should see it: without the token
    // header and without the token cookie (the server has no use for them
    // and should not be able to log them).
    static QByteArray withoutCredentials(const QByteArray &head);
    // Compares in time independent of where the first difference is.
    static bool sameToken(QByteArrayView a, QByteArrayView b);
};
