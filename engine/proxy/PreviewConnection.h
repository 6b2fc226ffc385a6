// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PreviewLinks.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

class AgentStream;
class QTcpSocket;
class SandboxManager;
struct ApiError;

// One client connection to the preview listener: reads the request head,
// finds the sandbox port its Host names, opens a tunnel through the agent and
// then relays bytes both ways until either side ends. Failures before the
// tunnel is up are answered with a small HTML page. Deletes itself.
class PreviewConnection : public QObject
{
    Q_OBJECT
public:
    PreviewConnection(QTcpSocket *client, SandboxManager *sandboxes, const PreviewLinks &links,
                      QObject *parent = nullptr);
    ~PreviewConnection() override;

private:
    enum class State { ReadingHead, Opening, Relaying, Done };

    void onClientReadyRead();
    void readHead();
    void route(const QList<QByteArray> &hosts);
    void onTunnelFailed(const ApiError &error);
    void pumpClientToAgent();
    void pumpAgentToClient();
    void answer(int status, const QString &sentence);
    void finish();
    void onClientGone();

    QTcpSocket *m_client;
    SandboxManager *m_sandboxes;
    PreviewLinks m_links;
    QPointer<AgentStream> m_stream;
    State m_state = State::ReadingHead;
    QByteArray m_head; // what the client sent before the tunnel opened
    QString m_sandboxId;
    quint16 m_port = 0;
    QTimer m_headTimer;
};
