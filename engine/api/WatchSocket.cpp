// SPDX-License-Identifier: GPL-3.0-or-later
#include "WatchSocket.h"

WatchSocket::WatchSocket(SandboxManager *sm, QString team, QString sandboxId, QString watchId, QWebSocket *ws,
                         QObject *parent)
    : FrameSocket(sm, std::move(team), std::move(sandboxId), ws, parent)
{
    start({{QStringLiteral("op"), QStringLiteral("watch_stream")}, {QStringLiteral("watch_id"), watchId}});
}

void WatchSocket::onFrame(const QJsonObject &header, const QByteArray &)
{
    const QString type = header.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("event"))
        sendJson(header.value(QStringLiteral("event")).toObject());
    else if (type == QLatin1String("stopped"))
        finish(QStringLiteral("The watch stopped."));
}
