// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>

class AgentStream;
class QWebSocket;
class SandboxManager;

// A WebSocket client fed by one agent stream (agent/PROTOCOL.md, "Streams"):
// opens the stream, paces it by what the client has not taken yet, and ends
// both sides together. Subclasses turn frames into messages.
class FrameSocket : public QObject
{
    Q_OBJECT
public:
    FrameSocket(SandboxManager *sm, QString team, QString sandboxId, QWebSocket *ws, QObject *parent);

protected:
    // Opens the stream with this request; call once from the subclass's constructor.
    void start(const QJsonObject &header);
    virtual void onOpened(const QJsonObject &header) { Q_UNUSED(header); }
    virtual void onFrame(const QJsonObject &header, const QByteArray &body) = 0;
    void sendJson(const QJsonObject &o);
    void sendBinary(const QByteArray &bytes);
    void finish(const QString &reason);
    // Work the client asked for that still has to be done after it left,
    // such as input it sent just before closing; the socket object stays
    // until there is none.
    virtual bool hasPendingWork() const { return false; }
    // Called when pending work is done: lets a finished socket go.
    void workDone();

    SandboxManager *m_sm;
    QString m_team;
    QString m_id;
    QPointer<QWebSocket> m_ws;

private:
    void pace();
    AgentStream *m_stream = nullptr;
    bool m_done = false;
};
