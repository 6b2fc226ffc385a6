// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewConnection.h"

#include "PreviewHost.h"
#include "ProxyLog.h"
#include "RequestHead.h"
#include "runtime/SandboxManager.h"

#include <QTcpSocket>

namespace {

// How much either direction may hold in memory before its source is paused.
constexpr qint64 kWindowBytes = 1024 * 1024;
// A client that has not finished its request head by then is dropped.
constexpr int kHeadTimeoutMs = 30000;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 431: return "Request Header Fields Too Large";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

// For sentences: what a client sent, short and printable.
QString shown(const QByteArray &raw)
{
    QString s = QString::fromLatin1(raw.left(120));
    if (raw.size() > 120)
        s += QStringLiteral("…");
    return s;
}

QByteArray errorPage(int status, const QString &sentence)
{
    const QString title = QStringLiteral("%1 %2").arg(status).arg(QLatin1String(reasonPhrase(status)));
    const QByteArray body = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title></head>\n"
                                           "<body><h1>%1</h1>\n<p>%2</p>\n<hr><p><small>ai2in preview</small></p></body></html>\n")
                                .arg(title, sentence.toHtmlEscaped())
                                .toUtf8();
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: text/html; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    out += body;
    return out;
}

} // namespace

PreviewConnection::PreviewConnection(QTcpSocket *client, SandboxManager *sandboxes, const PreviewLinks &links,
                                     QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_sandboxes(sandboxes)
    , m_links(links)
{
    m_client->setParent(this);
    // Bounded: a client that sends faster than the sandbox takes is slowed
    // by TCP, not buffered here.
    m_client->setReadBufferSize(kWindowBytes);
    connect(m_client, &QTcpSocket::readyRead, this, &PreviewConnection::onClientReadyRead);
    connect(m_client, &QTcpSocket::bytesWritten, this, &PreviewConnection::pumpAgentToClient);
    connect(m_client, &QTcpSocket::disconnected, this, &PreviewConnection::onClientGone);
    connect(m_client, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            onClientGone();
    });
    m_headTimer.setSingleShot(true);
    connect(&m_headTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::ReadingHead)
            answer(408, QStringLiteral("The request head did not arrive in time."));
    });
    m_headTimer.start(kHeadTimeoutMs);
    if (m_client->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &PreviewConnection::onClientGone, Qt::QueuedConnection);
    else if (m_client->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &PreviewConnection::onClientReadyRead, Qt::QueuedConnection);
}

PreviewConnection::~PreviewConnection()
{
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->close();
    }
}

void PreviewConnection::onClientReadyRead()
{
    switch (m_state) {
    case State::ReadingHead:
        readHead();
        break;
    case State::Opening:
        break; // kept in the socket until the tunnel is up
    case State::Relaying:
        pumpClientToAgent();
        break;
    case State::Done:
        m_client->readAll(); // an answer is on its way; the rest is not wanted
        break;
    }
}

void PreviewConnection::readHead()
{
    m_head += m_client->read(RequestHead::kMaxBytes + 4 - m_head.size() + 1);
    const RequestHead head = RequestHead::parse(m_head);
    switch (head.outcome) {
    case RequestHead::Outcome::Incomplete:
        return;
    case RequestHead::Outcome::TooLarge:
        answer(431, QStringLiteral("The request head is larger than %1 KiB.").arg(RequestHead::kMaxBytes / 1024));
        return;
    case RequestHead::Outcome::Malformed:
        answer(400, QStringLiteral("The request is not a well-formed HTTP/1.1 request."));
        return;
    case RequestHead::Outcome::MissingHost:
        answer(400, QStringLiteral("The request has no Host header; preview URLs are found by their host name, "
                                   "like 3000-sbx_….%1.")
                        .arg(m_links.domain()));
        return;
    case RequestHead::Outcome::Ok:
        m_headTimer.stop();
        route(head.hosts);
        return;
    }
}

void PreviewConnection::route(const QList<QByteArray> &hosts)
{
    // With several Host headers the one that names a sandbox port counts:
    // the others are a client's defaults (the address it connected to).
    QByteArray hostHeader = hosts.first();
    PreviewHost host = PreviewHost::parse(hostHeader, m_links.domain());
    for (qsizetype i = 1; i < hosts.size() && host.outcome == PreviewHost::Outcome::NotOurs; ++i) {
        hostHeader = hosts.at(i);
        host = PreviewHost::parse(hostHeader, m_links.domain());
    }
    if (host.outcome == PreviewHost::Outcome::NotOurs) {
        answer(404, QStringLiteral("No sandbox matches host %1; preview hosts look like <port>-<sandbox id>.%2.")
                        .arg(shown(hostHeader), m_links.domain()));
        return;
    }
    if (host.outcome == PreviewHost::Outcome::BadPort) {
        answer(400, QStringLiteral("Host %1 does not start with a port from 1 to 65535.").arg(shown(hostHeader)));
        return;
    }
    m_sandboxId = host.sandboxId;
    m_port = host.port;
    const auto stream = m_sandboxes->previewStream(host.sandboxId, this);
    if (!stream) {
        const ApiError &e = stream.error();
        if (e.httpStatus == 404)
            answer(404, QStringLiteral("No sandbox matches host %1: there is no sandbox %2.")
                            .arg(shown(hostHeader), m_sandboxId));
        else if (e.httpStatus == 409)
            answer(409, QStringLiteral("Sandbox %1 is paused; resume it to reach port %2.").arg(m_sandboxId).arg(m_port));
        else
            answer(503, e.message);
        return;
    }
    m_stream = *stream;
    m_state = State::Opening;
    connect(m_stream, &AgentStream::opened, this, [this] {
        m_state = State::Relaying;
        qCDebug(lcProxy) << "tunnel to" << m_sandboxId << "port" << m_port << "open";
        m_stream->write(m_head);
        m_head.clear();
        pumpClientToAgent();
    });
    connect(m_stream, &AgentStream::failed, this, &PreviewConnection::onTunnelFailed);
    connect(m_stream, &AgentStream::readyRead, this, &PreviewConnection::pumpAgentToClient);
    connect(m_stream, &AgentStream::bytesWritten, this, &PreviewConnection::pumpClientToAgent);
    connect(m_stream, &AgentStream::closed, this, [this] {
        pumpAgentToClient();
        finish();
    });
    m_stream->open(QJsonObject{{QStringLiteral("op"), QStringLiteral("tunnel")}, {QStringLiteral("port"), m_port}});
}

void PreviewConnection::onTunnelFailed(const ApiError &error)
{
    m_stream = nullptr;
    qCDebug(lcProxy) << "tunnel to" << m_sandboxId << "port" << m_port << "failed:" << error.message;
    if (error.httpStatus == 503 || error.httpStatus == 500)
        answer(502, QStringLiteral("The agent of sandbox %1 did not open port %2: %3")
                        .arg(m_sandboxId)
                        .arg(m_port)
                        .arg(error.message));
    else if (error.httpStatus == 409)
        answer(409, QStringLiteral("Sandbox %1 is paused; resume it to reach port %2.").arg(m_sandboxId).arg(m_port));
    else
        answer(502, QStringLiteral("Nothing listens on port %1 in sandbox %2.").arg(m_port).arg(m_sandboxId));
}

void PreviewConnection::pumpClientToAgent()
{
    if (m_state != State::Relaying || !m_stream)
        return;
    // Leaving bytes in the client socket (whose buffer is bounded) makes TCP
    // slow the client down while the sandbox side is behind.
    if (m_stream->bytesToWrite() > kWindowBytes)
        return;
    const QByteArray bytes = m_client->read(kWindowBytes);
    if (!bytes.isEmpty())
        m_stream->write(bytes);
}

void PreviewConnection::pumpAgentToClient()
{
    if (!m_stream || (m_state != State::Relaying && m_state != State::Done))
        return;
    const QByteArray bytes = m_stream->take();
    if (!bytes.isEmpty())
        m_client->write(bytes);
    m_stream->setPaused(m_client->bytesToWrite() > kWindowBytes);
}

void PreviewConnection::answer(int status, const QString &sentence)
{
    if (m_state == State::Done)
        return;
    qCDebug(lcProxy) << "answering" << status << sentence;
    m_state = State::Done;
    m_headTimer.stop();
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->close();
        m_stream->deleteLater();
        m_stream = nullptr;
    }
    m_client->write(errorPage(status, sentence));
    m_client->disconnectFromHost();
}

void PreviewConnection::finish()
{
    // The sandbox side ended: hand the client what is left, then close.
    m_state = State::Done;
    m_client->disconnectFromHost();
}

void PreviewConnection::onClientGone()
{
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->close();
    }
    m_state = State::Done;
    deleteLater();
}
