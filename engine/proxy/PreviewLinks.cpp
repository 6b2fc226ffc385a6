// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewLinks.h"

PreviewLinks::PreviewLinks(QString scheme, QString domain, quint16 publicPort)
    : m_scheme(std::move(scheme))
    , m_domain(std::move(domain))
    , m_publicPort(publicPort)
{
}

QString PreviewLinks::url(const QString &sandboxId, quint16 port) const
{
    const bool defaultPort = (m_scheme == QLatin1String("http") && m_publicPort == 80) ||
                             (m_scheme == QLatin1String("https") && m_publicPort == 443);
    QString u = QStringLiteral("%1://%2-%3.%4").arg(m_scheme).arg(port).arg(sandboxId, m_domain);
    if (!defaultPort)
        u += QStringLiteral(":%1").arg(m_publicPort);
    return u;
}
