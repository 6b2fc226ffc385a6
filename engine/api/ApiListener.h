// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiConnection.h"

#include <QPointer>
#include <QTcpServer>

// Accepts the API's connections as ApiConnections and hands Qt's HTTP
// server, bound to this listener, the server's end of each one, so every
// request reaches it through the gate.
class ApiListener : public QTcpServer
{
    Q_OBJECT
public:
    explicit ApiListener(ApiConnection::Admission admit, QObject *parent = nullptr);

    // Every connection still open.
    QList<ApiConnection *> connections() const;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ApiConnection::Admission m_admit;
    mutable QList<QPointer<ApiConnection>> m_sockets;
};
