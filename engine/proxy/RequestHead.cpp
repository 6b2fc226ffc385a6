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

bool named(QByteArrayView field, const char *name)
{
    return field.compare(QByteArrayView(name), Qt::CaseInsensitive) == 0;
}

// The comma-separated members of a list header, trimmed and lower-cased.
QList<QByteArray> listMembers(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &m : value.split(',')) {
        const QByteArray t = m.trimmed().toLower();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}

// The authority of an absolute-form target (`http://host:port/path`), or
// nullopt-like empty with `absolute` false for origin-form.
QByteArray absoluteAuthority(const QByteArray &target, bool *absolute)
{
    *absolute = false;
    const QByteArray lower = target.left(8).toLower();
    qsizetype start = -1;
    if (lower.startsWith("http://"))
        start = 7;
    else if (lower.startsWith("https://"))
        start = 8;
    if (start < 0)
        return {};
    *absolute = true;
    qsizetype end = start;
    while (end < target.size() && target.at(end) != '/' && target.at(end) != '?' && target.at(end) != '#')
        ++end;
    return target.mid(start, end - start);
}

RequestHead invalid(RequestHead r, const QString &why)
{
    r.outcome = RequestHead::Outcome::Invalid;
    r.problem = why;
    return r;
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
    r.version = parts.at(2);
    QList<QByteArray> lengths;
    QList<QByteArray> codings;
    QList<QByteArray> connection;
    bool upgradeHeader = false;
    for (qsizetype i = 1; i < clean.size(); ++i) {
        const QByteArrayView l = clean.at(i);
        const qsizetype colon = l.indexOf(':');
        // A folded line (leading space) is obsolete and a smuggling vector.
        if (colon <= 0 || !isToken(l.first(colon)) || hasControlChars(l.sliced(colon + 1)))
            return r;
        const QByteArrayView name = l.first(colon);
        const QByteArray value = l.sliced(colon + 1).trimmed().toByteArray();
        r.headers.append({name.toByteArray(), value});
        if (named(name, "host")) {
            r.hosts.append(value);
        } else if (named(name, "content-length")) {
            lengths.append(value);
        } else if (named(name, "transfer-encoding")) {
            codings += listMembers(value);
        } else if (named(name, "connection")) {
            connection += listMembers(value);
        } else if (named(name, "upgrade")) {
            upgradeHeader = upgradeHeader || !value.isEmpty();
        } else if (named(name, "x-ai2in-preview-token")) {
            r.tokenHeaders.append(value);
        } else if (named(name, "cookie")) {
            r.cookies.append(value);
        }
    }

    // One Host, which an absolute-form target must agree with (RFC 9112
    // §3.2): a request that names two places is refused rather than guessed.
    if (r.hosts.size() > 1)
        return invalid(r, QStringLiteral("The request has %1 Host headers; send exactly one.").arg(r.hosts.size()));
    if (r.hosts.isEmpty() || r.hosts.first().isEmpty()) {
        r.hosts.clear();
        r.outcome = Outcome::MissingHost;
        return r;
    }
    bool absolute = false;
    const QByteArray authority = absoluteAuthority(r.target, &absolute);
    if (absolute && authority.compare(r.hosts.first(), Qt::CaseInsensitive) != 0)
        return invalid(r, QStringLiteral("The request's target names host %1 but its Host header names %2.")
                              .arg(QString::fromLatin1(authority.left(120)), QString::fromLatin1(r.hosts.first().left(120))));
    if (!absolute && r.target != "*" && !r.target.startsWith('/'))
        return invalid(r, QStringLiteral("The request target must be a path starting with '/' (CONNECT is not "
                                         "supported by previews)."));

    // The body's framing (RFC 9112 §6.1–6.3). Both headers at once, or a
    // coding other than a final `chunked`, are how requests are smuggled
    // past proxies: refused, never guessed.
    if (!codings.isEmpty()) {
        if (!lengths.isEmpty())
            return invalid(r, QStringLiteral("The request has both Transfer-Encoding and Content-Length."));
        if (r.version == "HTTP/1.0")
            return invalid(r, QStringLiteral("HTTP/1.0 requests cannot use Transfer-Encoding."));
        if (codings.size() != 1 || codings.first() != "chunked")
            return invalid(r, QStringLiteral("Transfer-Encoding must be exactly 'chunked'."));
        r.body = BodyFraming::chunked();
    } else if (!lengths.isEmpty()) {
        qint64 length = -1;
        for (const QByteArray &v : lengths) {
            // Also `Content-Length: 5, 5`, which some clients send.
            for (const QByteArray &m : v.split(',')) {
                const QByteArray t = m.trimmed();
                bool digits = !t.isEmpty() && t.size() <= 18;
                for (char c : t)
                    digits = digits && c >= '0' && c <= '9';
                if (!digits)
                    return invalid(r, QStringLiteral("Content-Length '%1' is not a number of bytes.")
                                          .arg(QString::fromLatin1(v.left(40))));
                const qint64 n = t.toLongLong();
                if (length >= 0 && n != length)
                    return invalid(r, QStringLiteral("The request has Content-Length headers that disagree."));
                length = n;
            }
        }
        r.body = BodyFraming::length(length);
    }
    const bool connectionUpgrade = connection.contains("upgrade");
    r.upgrade = upgradeHeader && connectionUpgrade;
    r.lastOnConnection = connection.contains("close") || (r.version == "HTTP/1.0" && !connection.contains("keep-alive"));
    r.outcome = Outcome::Ok;
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
