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
    // `maxConnections`: past it a new connection is answered 503 and closed
    // at once (each connection holds three descriptors in the engine).
    ApiListener(ApiConnection::Admission admit, int maxConnections, QObject *parent = nullptr);

    // What the descriptors this process may open allow, less a reserve for
    // the store, sandboxes' sockets and runc (at least 64).
    static int defaultMaxConnections();

    // Every connection still open.
    QList<ApiConnection *> connections() const;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void turnAway(qintptr descriptor, int open);

    ApiConnection::Admission m_admit;
    int m_maxConnections;
    mutable QList<QPointer<ApiConnection>> m_sockets;
};
