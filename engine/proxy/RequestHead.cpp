// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestHead.h"

#include <QList>

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool hasControlChars(QByteArrayView s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return true;
    }
    return false;
}

} // namespace

RequestHead RequestHead::parse(const QByteArray &buffer)
{
    RequestHead r;
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        r.outcome = buffer.size() > kMaxBytes ? Outcome::TooLarge : Outcome::Incomplete;
        return r;
    }
    r.size = end + 4;
    if (r.size > kMaxBytes) {
        r.outcome = Outcome::TooLarge;
        return r;
    }
    r.outcome = Outcome::Malformed;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    // Every line ends in CRLF; the split leaves the CR on all but the last.
    QList<QByteArrayView> clean;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArrayView l(lines.at(i));
        if (i + 1 < lines.size()) {
            if (!l.endsWith('\r'))
                return r;
            l.chop(1);
        }
        if (l.contains('\r'))
            return r;
        clean.append(l);
    }
    const QList<QByteArray> parts = clean.first().toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts.at(0)) || parts.at(1).isEmpty() || hasControlChars(parts.at(1)) ||
        !(parts.at(2) == "HTTP/1.1" || parts.at(2) == "HTTP/1.0"))
        return r;
    r.method = parts.at(0);
    r.target = parts.at(1);
    for (qsizetype i = 1; i < clean.size(); ++i) {
        const QByteArrayView l = clean.at(i);
        const qsizetype colon = l.indexOf(':');
        // A folded line (leading space) is obsolete and a smuggling vector.
        if (colon <= 0 || !isToken(l.first(colon)) || hasControlChars(l.sliced(colon + 1)))
            return r;
        const QByteArray value = l.sliced(colon + 1).trimmed().toByteArray();
        r.headers.append({l.first(colon).toByteArray(), value});
        if (l.first(colon).compare("host", Qt::CaseInsensitive) == 0 && !value.isEmpty())
            r.hosts.append(value);
    }
    r.outcome = r.hosts.isEmpty() ? Outcome::MissingHost : Outcome::Ok;
    return r;
}

QList<QByteArray> RequestHead::values(QByteArrayView name) const
{
    QList<QByteArray> out;
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            out.append(value);
    }
    return out;
}

QByteArray RequestHead::value(QByteArrayView name) const
{
    const QList<QByteArray> all = values(name);
    return all.isEmpty() ? QByteArray() : all.first();
}
