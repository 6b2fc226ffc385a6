// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// How the world reaches a sandbox's port: `scheme://<port>-<id>.<domain>[:<public port>]/`.
// The public port is left out when it is the scheme's default.
class PreviewLinks
{
public:
    PreviewLinks() = default;
    PreviewLinks(QString scheme, QString domain, quint16 publicPort);

    QString url(const QString &sandboxId, quint16 port) const;
    const QString &domain() const { return m_domain; }
    // The preview URLs are https (cookies for them get `Secure`).
    bool secure() const { return m_scheme == QLatin1String("https"); }

private:
    QString m_scheme = QStringLiteral("http");
    QString m_domain = QStringLiteral("localhost");
    quint16 m_publicPort = 7301;
};
