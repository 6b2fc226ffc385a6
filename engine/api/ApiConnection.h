// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RequestGate.h"
#include "ResponseMeter.h"
#include "UploadBody.h"

#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

// One client connection of the API, relayed to Qt's HTTP server through a
// socket pair. Qt 6.4's server keeps a whole request in memory before a
// route sees it and never times a connection out, and a socket accepted by
// a QTcpServer cannot be made to hand its bytes to anyone first. So the
// client's socket is ours: its bytes pass a RequestGate, and only admitted
// ones go on to the server's end of the pair. A refused request is answered
// from here, from its head alone; answers flow back unchanged. Both
// directions are paced: a side that does not read stops the other.
class ApiConnection : public QObject
{
    Q_OBJECT
public:
    // How long a head may take from its first byte, and how long a new
    // connection may stay silent: longer only serves slow-loris attacks.
    static constexpr int kHeadTimeoutMs = 15000;
    // How long a refused client is read from (and ignored) after its
    // answer, so that it reads the answer rather than a reset.
    static constexpr int kLingerMs = 2000;
    // Bytes one direction may hold in the engine before it stops reading.
    static constexpr qint64 kWindow = 1024 * 1024;

    // Decides on each complete head; may note the key and hold a transfer.
    using Admission = std::function<RequestGate::Verdict(ApiConnection &, const RequestHead &)>;

    explicit ApiConnection(const Admission &admit, QObject *parent = nullptr);
    ~ApiConnection() override;

    // Takes the accepted descriptor; the socket for the HTTP server, or
    // nullptr (and the descriptor closed) when it cannot be set up.
    QTcpSocket *open(qintptr descriptor);

    // The key of the last request admitted on this connection (empty if
    // none needed one), so revoking a key can close what it opened.
    QString key() const { return m_key; }
    void setKey(const QString &key) { m_key = key; }
    // Held while a large body is in flight; dropped when it ends.
    void holdTransfer(std::shared_ptr<void> slot) { m_transfer = std::move(slot); }
    // Held until the answer to the request being admitted has passed to
    // the client (a download's bytes sit in the engine until then).
    void holdUntilAnswered(std::shared_ptr<void> slot);
    QHostAddress peerAddress() const { return m_client.peerAddress(); }
    // Admits the request being admitted with its body streamed: the route
    // gets it from takeBody() instead of reading it from the request.
    void streamBody(RequestGate::Admit &admit, qint64 length);
    // The oldest streamed body no route has taken yet, on the connection
    // whose server end is `inner` (a route's HttpReply::socket()); null if
    // none.
    static std::shared_ptr<UploadBody> takeBody(QTcpSocket *inner);

    // Answers with `error` and closes (after the linger).
    void refuse(const ApiError &error);
    // Closes at once; a WebSocket on it gets a close frame with `reason` first.
    void terminate(const QString &reason);

private:
    void fromClient();
    void toClient();
    void watchHead();
    void lingerTick();
    void finish();
    void breakBodies();

    RequestGate m_gate;
    QTcpSocket m_client;
    QTcpSocket m_pipe;               // our end of the pair
    QPointer<QTcpSocket> m_inner;    // the server's end (the server owns it)
    bool m_refused = false;
    bool m_finished = false;
    bool m_shutDown = false;
    int m_lingerTicks = 0;
    QString m_key;
    std::shared_ptr<void> m_transfer;
    ResponseMeter m_answers;
    qint64 m_requests = 0; // admitted so far
    qint64 m_answered = 0; // whose answer has passed to the client
    // Slots held until the answer to request number `first` has passed.
    std::deque<std::pair<qint64, std::shared_ptr<void>>> m_untilAnswered;
    // Streamed bodies: the one arriving, and those not yet taken by a route.
    std::shared_ptr<UploadBody> m_arriving;
    std::deque<std::shared_ptr<UploadBody>> m_untaken;
    const QByteArray *m_piece = nullptr; // what fromClient feeds the gate now
    QTimer m_headTimer;
    QTimer m_lingerTimer;
};
