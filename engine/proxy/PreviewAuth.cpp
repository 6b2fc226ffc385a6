// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewAuth.h"

#include <QList>

namespace {

bool isCookiePair(QByteArrayView pair, QByteArrayView name, QByteArray *value)
{
    const qsizetype eq = pair.indexOf('=');
    if (eq < 0 || pair.first(eq).trimmed() != name)
        return false;
    QByteArray v = pair.sliced(eq + 1).trimmed().toByteArray();
    if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"'))
        v = v.mid(1, v.size() - 2);
    *value = v;
    return true;
}

} // namespace

bool PreviewAuth::sameToken(QByteArrayView a, QByteArrayView b)
{
    if (a.isEmpty() || a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

PreviewAuth PreviewAuth::check(const RequestHead &head, const QByteArray &token)
{
    PreviewAuth r;
    // The URL form, for a browser's first visit; only GET and HEAD are
    // redirected (a redirected POST would lose its body).
    const qsizetype q = head.target.indexOf('?');
    if (q >= 0 && (head.method == "GET" || head.method == "HEAD")) {
        const QByteArray path = head.target.left(q);
        QList<QByteArray> kept;
        bool found = false;
        bool good = false;
        for (const QByteArray &item : head.target.mid(q + 1).split('&')) {
            const qsizetype eq = item.indexOf('=');
            if (item.left(eq < 0 ? item.size() : eq) == kQueryItem) {
                found = true;
                good = eq >= 0 && sameToken(item.mid(eq + 1), token);
            } else if (!item.isEmpty()) {
                kept.append(item);
            }
        }
        if (found) {
            if (!good)
                return r;
            r.verdict = Verdict::SetCookie;
            r.location = kept.isEmpty() ? path : path + '?' + kept.join('&');
            if (r.location.isEmpty())
                r.location = "/";
            return r;
        }
    }
    for (const QByteArray &h : head.tokenHeaders) {
        if (sameToken(h, token)) {
            r.verdict = Verdict::Allowed;
            return r;
        }
    }
    for (const QByteArray &line : head.cookies) {
        for (const QByteArray &pair : line.split(';')) {
            QByteArray value;
            if (isCookiePair(pair, kCookie, &value) && sameToken(value, token)) {
                r.verdict = Verdict::Allowed;
                return r;
            }
        }
    }
    return r;
}

QByteArray PreviewAuth::setCookie(const QByteArray &token, bool secure)
{
    // No Domain attribute: a host-only cookie, sent back to this one
    // preview host (`<port>-<id>.<domain>`) and to no other sandbox.
    QByteArray c = QByteArray(kCookie) + '=' + token + "; Path=/; HttpOnly; SameSite=Lax";
    if (secure)
        c += "; Secure";
    return c;
}

QByteArray PreviewAuth::withoutCredentials(const QByteArray &head)
{
    const QByteArray lower = head.toLower();
    if (!lower.contains("x-ai2in-preview-token") && !lower.contains(kCookie))
        return head;
    // The head ends with an empty line; every line ends in CRLF.
    QList<QByteArray> lines = head.left(head.size() - 4).split('\n');
    QByteArray out;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray l = lines.at(i);
        if (l.endsWith('\r'))
            l.chop(1);
        const qsizetype colon = l.indexOf(':');
        const QByteArray name = i == 0 || colon < 0 ? QByteArray() : l.left(colon).toLower();
        if (name == "x-ai2in-preview-token")
            continue;
        if (name == "cookie") {
            QList<QByteArray> kept;
            for (const QByteArray &pair : l.mid(colon + 1).split(';')) {
                QByteArray value;
                if (!isCookiePair(pair, kCookie, &value) && !pair.trimmed().isEmpty())
                    kept.append(pair.trimmed());
            }
            if (kept.isEmpty())
                continue;
            l = "Cookie: " + kept.join("; ");
        }
        out += l + "\r\n";
    }
    out += "\r\n";
    return out;
}
