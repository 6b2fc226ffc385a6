// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineConfig.h"

QString EngineConfig::baseUrl() const
{
    QHostAddress host = listenAddress;
    // A wildcard address is where the engine listens, not where a client on
    // this machine should connect.
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    const QString h = host.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(host.toString())
                                                                        : host.toString();
    return QStringLiteral("http://%1:%2").arg(h).arg(listenPort);
}

QString EngineConfig::defaultDataDir()
{
    return QStringLiteral("/var/lib/ai2in");
}
