// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiListener.h"

ApiListener::ApiListener(ApiConnection::Admission admit, QObject *parent)
    : QTcpServer(parent)
    , m_admit(std::move(admit))
{
}

void ApiListener::incomingConnection(qintptr descriptor)
{
    auto *connection = new ApiConnection(m_admit, this);
    QTcpSocket *inner = connection->open(descriptor);
    if (!inner) {
        delete connection;
        return;
    }
    m_sockets.removeAll(nullptr);
    m_sockets.append(connection);
    addPendingConnection(inner);
}

QList<ApiConnection *> ApiListener::connections() const
{
    m_sockets.removeAll(nullptr);
    QList<ApiConnection *> out;
    for (const auto &s : m_sockets)
        out.append(s.data());
    return out;
}
