// SPDX-License-Identifier: GPL-3.0-or-later
#include "ResponseHead.h"

#include <QList>

ResponseHead ResponseHead::parse(const QByteArray &buffer, const QByteArray &requestMethod)
{
    ResponseHead r;
    // Servers may end lines with a bare LF (RFC 9112 §2.2 lets a recipient
    // accept that); either blank line ends the head.
    qsizetype end = buffer.indexOf("\r\n\r\n");
    qsizetype sep = 4;
    const qsizetype lfEnd = buffer.indexOf("\n\n");
    if (lfEnd >= 0 && (end < 0 || lfEnd < end)) {
        end = lfEnd;
        sep = 2;
    }
    if (end < 0) {
        r.outcome = buffer.size() > kMaxBytes ? Outcome::TooLarge : Outcome::Incomplete;
        return r;
    }
    r.size = end + sep;
    if (r.size > kMaxBytes) {
        r.outcome = Outcome::TooLarge;
        return r;
    }
    r.outcome = Outcome::Malformed;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QByteArray statusLine = lines.first().trimmed();
    if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || statusLine.at(8) != ' ')
        return r;
    const QByteArray code = statusLine.mid(9, 3);
    for (char c : code) {
        if (c < '0' || c > '9')
            return r;
    }
    if (statusLine.size() > 12 && statusLine.at(12) != ' ')
        return r;
    r.status = code.toInt();
    if (r.status < 100)
        return r;

    QByteArray finalCoding; // of Transfer-Encoding, if any
    qint64 length = -1;
    bool badLength = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray l = lines.at(i).trimmed();
        const qsizetype colon = l.indexOf(':');
        if (colon <= 0)
            return r;
        const QByteArray name = l.left(colon).trimmed().toLower();
        const QByteArray value = l.mid(colon + 1).trimmed();
        if (name == "transfer-encoding") {
            for (const QByteArray &m : value.split(',')) {
                const QByteArray t = m.trimmed().toLower();
                if (t.isEmpty())
                    continue;
                finalCoding = t;
            }
        } else if (name == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < 0 || (length >= 0 && n != length))
                badLength = true;
            else
                length = n;
        }
    }
    r.outcome = Outcome::Ok;
    if (r.informational() || r.status == 204 || r.status == 304 || requestMethod == "HEAD")
        r.body = BodyFraming::none();
    else if (finalCoding == "chunked")
        r.body = BodyFraming::chunked();
    else if (!finalCoding.isEmpty() || badLength || length < 0)
        r.body = BodyFraming::untilClose();
    else
        r.body = BodyFraming::length(length);
    return r;
}
