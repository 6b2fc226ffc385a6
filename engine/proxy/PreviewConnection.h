// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "BodyFraming.h"
#include "PreviewLinks.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>

class AgentStream;
class QTcpSocket;
class SandboxManager;
struct ApiError;

// One client connection to the preview listener. Every request on it is
// routed by its own Host: its head is parsed, its body followed (length or
// chunked) to find the next head, and each response from the sandbox is
// followed to its end as well. When a request names another sandbox port
// than the one before, the connection waits until the earlier responses
// are out, then opens a tunnel to the new port through that sandbox's agent:
// responses stay in the order of the requests, and no request ever reaches a
// sandbox it does not name (a front proxy such as Caddy or nginx reuses one
// upstream connection for many sandboxes). After a `101 Switching Protocols`
// the connection relays raw bytes both ways. Answers of the proxy itself
// (errors, the preview token's redirect) are small pages that close the
// connection. Both directions are paced: neither side may have more than a
// window of unsent bytes before the other side is no longer read. Deletes
// itself.
class PreviewConnection : public QObject
{
    Q_OBJECT
public:
    PreviewConnection(QTcpSocket *client, SandboxManager *sandboxes, const PreviewLinks &links,
                      QObject *parent = nullptr);
    ~PreviewConnection() override;

private:
    // What the client's bytes are read as.
    enum class ClientState {
        Head, // the next request head
        Body, // the current request's body
        Held, // not read: a switch of sandbox or an Upgrade waits for earlier responses
        Raw,  // after a 101: bytes for the tunnel
        Done, // an answer is on its way or the connection is ending: discarded
    };
    // What the sandbox's bytes are read as.
    enum class ServerState { Head, Body, UntilClose, Raw };
    struct Pending
    {
        QByteArray method;
        bool upgrade = false;
        bool last = false; // the client closes after its answer
    };

    void pumpClient();
    bool takeRequest();
    bool canSendUpstream() const;
    void sendUpstream(const QByteArray &bytes);
    void openUpstream(const QString &sandboxId, quint16 port);
    void dropUpstream();
    void onUpstreamOpened();
    void onTunnelFailed(const ApiError &error);
    void pumpServer(bool drain = false);
    void onUpstreamClosed();
    void continueWithClient();
    void responseDone();
    void noMoreRequests();
    void armHeadTimer();
    // The proxy's own answer: sent once the responses before it are out,
    // then the connection closes.
    void answer(int status, const QString &sentence, const QByteArray &extraHeaders = {});
    // Like answer(), but now, dropping whatever is still owed.
    void abortWith(int status, const QString &sentence);
    void sendAnswer();
    void finish();
    void onClientGone();
    void queuePumpClient();

    QTcpSocket *m_client;
    SandboxManager *m_sandboxes;
    PreviewLinks m_links;

    ClientState m_clientState = ClientState::Head;
    QByteArray m_clientBuf; // read from the client, not yet forwarded
    qsizetype m_headScanned = 0; // of m_clientBuf, searched for a head's end
    BodyFraming m_requestBody;
    bool m_awaitingUpgrade = false;
    bool m_lastRequest = false; // the client asked to close after this request
    qint64 m_requests = 0;

    QPointer<AgentStream> m_stream;
    bool m_streamOpen = false;
    QString m_sandboxId;
    quint16 m_port = 0;
    QByteArray m_outbox; // for the tunnel while it opens

    ServerState m_serverState = ServerState::Head;
    QByteArray m_serverBuf;
    BodyFraming m_responseBody;
    bool m_responseStarted = false; // bytes of the oldest pending response went out
    std::deque<Pending> m_pending; // forwarded requests without a complete response

    QByteArray m_answer;
    bool m_answered = false;
    QTimer m_headTimer;
    bool m_idleTimer = false; // the timer waits for a next request, not a head's end
    bool m_pumpQueued = false;
};
