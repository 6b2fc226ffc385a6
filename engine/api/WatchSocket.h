// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "FrameSocket.h"

// One WebSocket client of one file watch: each event as a text message
// `{"type": "create|modify|remove", "path": …, "is_dir": …}`; the socket
// closes when the watch stops.
class WatchSocket : public FrameSocket
{
    Q_OBJECT
public:
    WatchSocket(SandboxManager *sm, QString team, QString sandboxId, QString watchId, QWebSocket *ws, QObject *parent);

protected:
    void onFrame(const QJsonObject &header, const QByteArray &body) override;
};
