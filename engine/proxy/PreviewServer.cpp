// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewServer.h"

#include "PreviewConnection.h"
#include "ProxyLog.h"

#include <QTcpSocket>

Q_LOGGING_CATEGORY(lcProxy, "ai2in.engine.proxy")

PreviewServer::PreviewServer(SandboxManager *sandboxes, PreviewLinks links, QObject *parent)
    : QTcpServer(parent)
    , m_sandboxes(sandboxes)
    , m_links(std::move(links))
{
    connect(this, &QTcpServer::newConnection, this, &PreviewServer::acceptAll);
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError) {
        // Out of file descriptors, typically: say so and keep serving.
        qCWarning(lcProxy) << "preview listener cannot accept:" << errorString();
    });
}

void PreviewServer::acceptAll()
{
    while (QTcpSocket *client = nextPendingConnection())
        new PreviewConnection(client, m_sandboxes, m_links, this);
}
