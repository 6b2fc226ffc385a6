// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// The certificate authorities a sandbox trusts: its template's bundle and the
// ones the host's administrator added to the host (Debian's place for them
// is /usr/local/share/ca-certificates), so TLS through a proxy the host
// trusts (a company's, an egress filter's) works in sandboxes as it does on
// the host. The engine mounts the result at /etc/ssl/certs/ca-certificates.crt.
namespace CaBundle {

inline constexpr char kHostLocalDir[] = "/usr/local/share/ca-certificates";
inline constexpr char kBundleInRootfs[] = "/etc/ssl/certs/ca-certificates.crt";

// Pure: the template's bundle, then every PEM certificate block of `extra`
// not already in it, each ending in a newline.
QByteArray compose(const QByteArray &templateBundle, const QList<QByteArray> &extra);
// The PEM certificate blocks of one file's text.
QList<QByteArray> certificates(const QByteArray &pemText);
// Every certificate of the *.crt files under `dir` (sorted by path).
QList<QByteArray> fromDirectory(const QString &dir);

} // namespace CaBundle
