// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewHost.h"

namespace {

// Longer than any real host name (253) with room for a port; anything bigger
// is refused before it is looked at.
constexpr qsizetype kMaxHostBytes = 300;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Drops `:port` (digits only) and a trailing dot; nullopt-like empty result
// for shapes a host name never has.
QByteArray hostPart(QByteArray h)
{
    const qsizetype colon = h.lastIndexOf(':');
    if (colon >= 0) {
        const QByteArray port = h.mid(colon + 1);
        if (port.isEmpty() || port.size() > 5)
            return {};
        for (char c : port) {
            if (!isDigit(c))
                return {};
        }
        h.truncate(colon);
    }
    if (h.endsWith('.'))
        h.chop(1);
    return h;
}

} // namespace

bool PreviewHost::isSandboxId(QStringView id)
{
    if (id.size() != 20 || !id.startsWith(u"sbx_"))
        return false;
    for (QChar c : id.mid(4)) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')))
            return false;
    }
    return true;
}

PreviewHost PreviewHost::parse(const QByteArray &hostHeader, const QString &domain)
{
    PreviewHost r;
    const QByteArray raw = hostHeader.trimmed();
    if (raw.isEmpty() || raw.size() > kMaxHostBytes)
        return r;
    for (char c : raw) {
        // Only what a host name and port are made of; this also refuses IPv6
        // literals, which can never name a sandbox.
        const bool okChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-' ||
                            c == '_' || c == '.' || c == ':';
        if (!okChar)
            return r;
    }
    const QByteArray host = hostPart(raw.toLower());
    QByteArray dom = domain.trimmed().toLower().toLatin1();
    if (dom.endsWith('.'))
        dom.chop(1);
    if (host.isEmpty() || dom.isEmpty() || !host.endsWith('.' + dom))
        return r;
    const QByteArray label = host.left(host.size() - dom.size() - 1);
    // One label only: `a.3000-sbx_….localhost` is not a preview host.
    if (label.isEmpty() || label.contains('.'))
        return r;
    const qsizetype dash = label.indexOf('-');
    if (dash < 0)
        return r;
    const QString id = QString::fromLatin1(label.mid(dash + 1));
    if (!isSandboxId(id))
        return r;
    const QByteArray port = label.left(dash);
    bool numeric = !port.isEmpty() && port.size() <= 5;
    for (char c : port)
        numeric = numeric && isDigit(c);
    const int value = numeric ? port.toInt() : 0;
    if (value < 1 || value > 65535) {
        r.outcome = Outcome::BadPort;
        r.sandboxId = id;
        return r;
    }
    r.outcome = Outcome::Ok;
    r.port = quint16(value);
    r.sandboxId = id;
    return r;
}
