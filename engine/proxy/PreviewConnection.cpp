// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewConnection.h"

#include "PreviewAuth.h"
#include "PreviewHost.h"
#include "ProxyLog.h"
#include "RequestHead.h"
#include "ResponseHead.h"
#include "runtime/SandboxManager.h"

#include <QTcpSocket>

namespace {

// How much either direction may hold in memory before its source is paused.
constexpr qint64 kWindowBytes = 1024 * 1024;
// A request head must be complete this long after the connection opened, or
// after its first byte (slow-loris).
constexpr int kHeadTimeoutMs = 30000;
// A kept-alive connection waits this long for its next request. Longer than
// the time front proxies keep idle upstream connections (nginx 60 s, Go's
// transport 90 s, Caddy 2 min), so they close first and never send a request
// into a connection this side is closing.
constexpr int kKeepAliveIdleMs = 300000;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
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

QByteArray page(int status, const QString &sentence, const QByteArray &extraHeaders)
{
    const QString title = QStringLiteral("%1 %2").arg(status).arg(QLatin1String(reasonPhrase(status)));
    const QByteArray body = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title></head>\n"
                                           "<body><h1>%1</h1>\n<p>%2</p>\n<hr><p><small>ai2in preview</small></p></body></html>\n")
                                .arg(title, sentence.toHtmlEscaped())
                                .toUtf8();
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += extraHeaders;
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
    connect(m_client, &QTcpSocket::readyRead, this, &PreviewConnection::pumpClient);
    connect(m_client, &QTcpSocket::bytesWritten, this, [this] { pumpServer(); });
    connect(m_client, &QTcpSocket::disconnected, this, &PreviewConnection::onClientGone);
    connect(m_client, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            onClientGone();
    });
    m_headTimer.setSingleShot(true);
    connect(&m_headTimer, &QTimer::timeout, this, [this] {
        if (m_clientState != ClientState::Head || !m_pending.empty())
            return;
        if (m_idleTimer && m_clientBuf.isEmpty()) {
            finish(); // a kept-alive connection nobody uses any more
            return;
        }
        answer(408, QStringLiteral("The request head did not arrive in time."));
    });
    armHeadTimer();
    if (m_client->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &PreviewConnection::onClientGone, Qt::QueuedConnection);
    else if (m_client->bytesAvailable() > 0)
        queuePumpClient();
}

PreviewConnection::~PreviewConnection()
{
    dropUpstream();
}

void PreviewConnection::queuePumpClient()
{
    // Queued, so that a state change deep in a pump (a response finishing)
    // never re-enters the other pump.
    if (m_pumpQueued)
        return;
    m_pumpQueued = true;
    QMetaObject::invokeMethod(this, [this] {
        m_pumpQueued = false;
        pumpClient();
    }, Qt::QueuedConnection);
}

void PreviewConnection::armHeadTimer()
{
    if (m_clientState != ClientState::Head || !m_pending.empty()) {
        m_headTimer.stop();
        return;
    }
    if (!m_headTimer.isActive()) {
        m_idleTimer = m_requests > 0 && m_clientBuf.isEmpty();
        m_headTimer.start(m_idleTimer ? kKeepAliveIdleMs : kHeadTimeoutMs);
    } else if (m_idleTimer && !m_clientBuf.isEmpty()) {
        // The next head started: from now on it has the head's time.
        m_idleTimer = false;
        m_headTimer.start(kHeadTimeoutMs);
    }
}

bool PreviewConnection::canSendUpstream() const
{
    if (!m_stream)
        return true; // nothing to wait for: the next request opens a tunnel
    return m_streamOpen ? m_stream->bytesToWrite() <= kWindowBytes : m_outbox.size() <= kWindowBytes;
}

void PreviewConnection::sendUpstream(const QByteArray &bytes)
{
    if (bytes.isEmpty() || !m_stream)
        return;
    if (m_streamOpen)
        m_stream->write(bytes);
    else
        m_outbox += bytes;
}

void PreviewConnection::pumpClient()
{
    for (;;) {
        switch (m_clientState) {
        case ClientState::Done:
            m_client->readAll(); // an answer is on its way; the rest is not wanted
            return;
        case ClientState::Held:
            return; // left in the (bounded) socket buffer: TCP slows the client
        case ClientState::Raw: {
            if (!m_stream || !m_streamOpen || m_stream->bytesToWrite() > kWindowBytes)
                return;
            QByteArray bytes;
            bytes.swap(m_clientBuf);
            bytes += m_client->read(kWindowBytes);
            if (bytes.isEmpty())
                return;
            m_stream->write(bytes);
            continue;
        }
        case ClientState::Head: {
            const qsizetype room = RequestHead::kMaxBytes + 4 - m_clientBuf.size();
            if (room > 0)
                m_clientBuf += m_client->read(room);
            armHeadTimer();
            if (m_clientBuf.isEmpty() || !canSendUpstream())
                return;
            // Parsed only once the blank line is there, and searched only in
            // what is new: a head sent a byte at a time costs no more than
            // one sent at once.
            if (m_clientBuf.indexOf("\r\n\r\n", qMax<qsizetype>(0, m_headScanned - 3)) < 0) {
                m_headScanned = m_clientBuf.size();
                if (m_clientBuf.size() > RequestHead::kMaxBytes)
                    answer(431, QStringLiteral("The request head is larger than %1 KiB.").arg(RequestHead::kMaxBytes / 1024));
                return;
            }
            if (!takeRequest())
                return;
            continue;
        }
        case ClientState::Body: {
            if (!canSendUpstream())
                return;
            if (m_clientBuf.isEmpty())
                m_clientBuf = m_client->read(kWindowBytes);
            if (m_clientBuf.isEmpty())
                return;
            const qsizetype n = m_requestBody.feed(m_clientBuf);
            if (n < 0) {
                abortWith(400, QStringLiteral("The request body is not valid chunked coding: %1").arg(m_requestBody.error()));
                return;
            }
            if (n == m_clientBuf.size()) { // the common case: no copy
                sendUpstream(m_clientBuf);
                m_clientBuf.clear();
            } else {
                sendUpstream(m_clientBuf.left(n));
                m_clientBuf.remove(0, n);
            }
            if (m_requestBody.finished())
                m_clientState = m_awaitingUpgrade ? ClientState::Held
                                : m_lastRequest   ? ClientState::Done
                                                  : ClientState::Head;
            continue;
        }
        }
    }
}

bool PreviewConnection::takeRequest()
{
    const RequestHead head = RequestHead::parse(m_clientBuf);
    switch (head.outcome) {
    case RequestHead::Outcome::Incomplete:
        return false;
    case RequestHead::Outcome::TooLarge:
        answer(431, QStringLiteral("The request head is larger than %1 KiB.").arg(RequestHead::kMaxBytes / 1024));
        return false;
    case RequestHead::Outcome::Malformed:
        answer(400, QStringLiteral("The request is not a well-formed HTTP/1.1 request."));
        return false;
    case RequestHead::Outcome::MissingHost:
        answer(400, QStringLiteral("The request has no Host header; preview URLs are found by their host name, "
                                   "like 3000-sbx_….%1.")
                        .arg(m_links.domain()));
        return false;
    case RequestHead::Outcome::Invalid:
        answer(400, head.problem);
        return false;
    case RequestHead::Outcome::Ok:
        break;
    }

    const QByteArray hostHeader = head.host();
    const PreviewHost host = PreviewHost::parse(hostHeader, m_links.domain());
    if (host.outcome == PreviewHost::Outcome::NotOurs) {
        answer(404, QStringLiteral("No sandbox matches host %1; preview hosts look like <port>-<sandbox id>.%2.")
                        .arg(shown(hostHeader), m_links.domain()));
        return false;
    }
    if (host.outcome == PreviewHost::Outcome::BadPort) {
        answer(400, QStringLiteral("Host %1 does not start with a port from 1 to 65535.").arg(shown(hostHeader)));
        return false;
    }
    const auto access = m_sandboxes->previewAccess(host.sandboxId);
    if (!access) {
        const ApiError &e = access.error();
        if (e.httpStatus == 404)
            answer(404, QStringLiteral("No sandbox matches host %1: there is no sandbox %2.")
                            .arg(shown(hostHeader), host.sandboxId));
        else if (e.httpStatus == 409)
            answer(409, QStringLiteral("Sandbox %1 is paused; resume it to reach port %2.").arg(host.sandboxId).arg(host.port));
        else
            answer(503, e.message);
        return false;
    }
    const QByteArray token = access->toLatin1();
    if (!token.isEmpty()) {
        const PreviewAuth auth = PreviewAuth::check(head, token);
        if (auth.verdict == PreviewAuth::Verdict::Denied) {
            answer(401, QStringLiteral("Sandbox %1 was created with preview_auth: its previews need the sandbox's "
                                       "preview token, in the %2 header or from a link with ?%3=… (the desktop's "
                                       "preview buttons and the SDK's get_host(port, with_token=True) give one).")
                            .arg(host.sandboxId, QLatin1String(PreviewAuth::kHeader), QLatin1String(PreviewAuth::kQueryItem)));
            return false;
        }
        if (auth.verdict == PreviewAuth::Verdict::SetCookie) {
            answer(302, QStringLiteral("The preview token is now a cookie of this preview host; continue to %1.")
                            .arg(shown(auth.location)),
                   "Location: " + auth.location + "\r\nSet-Cookie: " +
                       PreviewAuth::setCookie(token, m_links.secure()) + "\r\nReferrer-Policy: no-referrer\r\n");
            return false;
        }
    }

    if (!m_stream || m_sandboxId != host.sandboxId || m_port != host.port) {
        if (!m_pending.empty()) {
            // Another sandbox port: its answer must not overtake the ones
            // still coming from the current port. This head is read again
            // once they are out.
            m_clientState = ClientState::Held;
            return false;
        }
        openUpstream(host.sandboxId, host.port);
        if (!m_stream)
            return false;
    }

    sendUpstream(PreviewAuth::withoutCredentials(m_clientBuf.left(head.size)));
    m_clientBuf.remove(0, head.size);
    m_headScanned = 0;
    m_pending.push_back(Pending{head.method, head.upgrade, head.lastOnConnection});
    ++m_requests;
    m_headTimer.stop();
    // Only requests that may reach the sandbox count as its activity: for a
    // sandbox with preview_auth that means requests with its token.
    m_sandboxes->previewActivity(host.sandboxId);
    m_requestBody = head.body;
    m_awaitingUpgrade = head.upgrade;
    m_lastRequest = head.lastOnConnection && !head.upgrade;
    if (!m_requestBody.finished())
        m_clientState = ClientState::Body;
    else
        m_clientState = head.upgrade ? ClientState::Held : (m_lastRequest ? ClientState::Done : ClientState::Head);
    return true;
}

void PreviewConnection::openUpstream(const QString &sandboxId, quint16 port)
{
    dropUpstream();
    m_sandboxId = sandboxId;
    m_port = port;
    m_serverState = ServerState::Head;
    m_serverBuf.clear();
    m_responseStarted = false;
    const auto stream = m_sandboxes->previewStream(sandboxId, this);
    if (!stream) {
        answer(stream.error().httpStatus == 409 ? 409 : 503, stream.error().message);
        return;
    }
    m_stream = *stream;
    connect(m_stream, &AgentStream::opened, this, &PreviewConnection::onUpstreamOpened);
    connect(m_stream, &AgentStream::failed, this, &PreviewConnection::onTunnelFailed);
    connect(m_stream, &AgentStream::readyRead, this, [this] { pumpServer(); });
    connect(m_stream, &AgentStream::bytesWritten, this, &PreviewConnection::pumpClient);
    connect(m_stream, &AgentStream::closed, this, &PreviewConnection::onUpstreamClosed);
    m_stream->open(QJsonObject{{QStringLiteral("op"), QStringLiteral("tunnel")}, {QStringLiteral("port"), port}});
}

void PreviewConnection::dropUpstream()
{
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->close();
        m_stream->deleteLater();
    }
    m_stream = nullptr;
    m_streamOpen = false;
    m_outbox.clear();
}

void PreviewConnection::onUpstreamOpened()
{
    m_streamOpen = true;
    qCDebug(lcProxy) << "tunnel to" << m_sandboxId << "port" << m_port << "open";
    QByteArray bytes;
    bytes.swap(m_outbox);
    m_stream->write(bytes);
    pumpClient();
}

void PreviewConnection::onTunnelFailed(const ApiError &error)
{
    qCDebug(lcProxy) << "tunnel to" << m_sandboxId << "port" << m_port << "failed:" << error.message;
    dropUpstream(); // it failed or closed: closing it again is harmless
    // Only requests for this tunnel are pending: a tunnel to another port
    // is opened once the earlier responses are out.
    m_pending.clear();
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

void PreviewConnection::noMoreRequests()
{
    // The connection can no longer carry requests (the sandbox's answer ends
    // only when it closes, or cannot be followed): what the client sends
    // next is dropped and the client is closed after that answer.
    if (m_clientState != ClientState::Raw)
        m_clientState = ClientState::Done;
    m_headTimer.stop();
}

void PreviewConnection::pumpServer(bool drain)
{
    if (!m_stream)
        return;
    if (!drain && m_client->bytesToWrite() > kWindowBytes) {
        m_stream->setPaused(true);
        return;
    }
    m_stream->setPaused(false);
    m_serverBuf += m_stream->take();
    while (!m_serverBuf.isEmpty()) {
        switch (m_serverState) {
        case ServerState::Raw:
        case ServerState::UntilClose:
            m_client->write(m_serverBuf);
            m_serverBuf.clear();
            break;
        case ServerState::Head: {
            if (m_pending.empty()) {
                // The server speaks out of turn: nothing it sends can be
                // matched to a request any more.
                qCDebug(lcProxy) << "unsolicited bytes from" << m_sandboxId << "port" << m_port;
                m_serverState = ServerState::UntilClose;
                noMoreRequests();
                break;
            }
            const ResponseHead rh = ResponseHead::parse(m_serverBuf, m_pending.front().method);
            if (rh.outcome == ResponseHead::Outcome::Incomplete)
                return;
            if (rh.outcome != ResponseHead::Outcome::Ok) {
                qCDebug(lcProxy) << "unreadable response head from" << m_sandboxId << "port" << m_port;
                m_serverState = ServerState::UntilClose;
                noMoreRequests();
                break;
            }
            m_client->write(m_serverBuf.left(rh.size));
            m_serverBuf.remove(0, rh.size);
            m_responseStarted = true;
            if (rh.status == 101) {
                m_serverState = ServerState::UntilClose;
                if (m_pending.front().upgrade) {
                    m_serverState = ServerState::Raw;
                    m_clientState = ClientState::Raw;
                    m_pending.clear();
                    m_awaitingUpgrade = false;
                    queuePumpClient();
                } else {
                    noMoreRequests();
                }
                break;
            }
            if (rh.informational())
                break; // 100 Continue, 103 Early Hints: the final answer follows
            m_responseBody = rh.body;
            if (m_responseBody.kind() == BodyFraming::Kind::UntilClose) {
                m_serverState = ServerState::UntilClose;
                noMoreRequests();
            } else if (m_responseBody.finished()) {
                responseDone();
            } else {
                m_serverState = ServerState::Body;
            }
            break;
        }
        case ServerState::Body: {
            const qsizetype n = m_responseBody.feed(m_serverBuf);
            if (n < 0) {
                qCDebug(lcProxy) << "broken chunking from" << m_sandboxId << "port" << m_port << ":"
                                 << m_responseBody.error();
                m_serverState = ServerState::UntilClose;
                noMoreRequests();
                break;
            }
            if (n == m_serverBuf.size()) { // the common case: no copy
                m_client->write(m_serverBuf);
                m_serverBuf.clear();
            } else {
                m_client->write(m_serverBuf.left(n));
                m_serverBuf.remove(0, n);
            }
            if (m_responseBody.finished()) {
                m_serverState = ServerState::Head;
                responseDone();
            }
            break;
        }
        }
        if (!m_stream)
            return;
    }
}

void PreviewConnection::responseDone()
{
    const Pending done = m_pending.front();
    m_pending.pop_front();
    m_responseStarted = false;
    if (done.upgrade)
        m_awaitingUpgrade = false; // refused: the connection stays HTTP
    if (done.last) {
        // The client said this was its last request: nothing after it is
        // read, and the connection ends once the answer is out.
        m_pending.clear();
        finish();
        return;
    }
    if (!m_pending.empty())
        return;
    continueWithClient();
}

void PreviewConnection::continueWithClient()
{
    // An answer of the engine's own waits its turn; otherwise the client's
    // next request is read.
    if (m_answered && !m_answer.isEmpty()) {
        sendAnswer();
        return;
    }
    if (m_clientState == ClientState::Held && !m_awaitingUpgrade)
        m_clientState = ClientState::Head;
    queuePumpClient();
}

void PreviewConnection::onUpstreamClosed()
{
    pumpServer(true);
    const bool raw = m_serverState == ServerState::Raw || m_serverState == ServerState::UntilClose;
    const bool unanswered = !m_pending.empty();
    const bool nothingSent = !m_responseStarted && m_serverBuf.isEmpty();
    dropUpstream();
    m_serverState = ServerState::Head;
    m_serverBuf.clear();
    if (raw) {
        finish();
        return;
    }
    if (unanswered) {
        m_pending.clear();
        if (nothingSent)
            abortWith(502, QStringLiteral("The server on port %1 in sandbox %2 closed the connection without answering.")
                               .arg(m_port)
                               .arg(m_sandboxId));
        else
            finish(); // cut short: the client sees the connection end
        return;
    }
    // The server closed an idle kept-alive connection: the next request
    // opens another tunnel.
    continueWithClient();
}

void PreviewConnection::answer(int status, const QString &sentence, const QByteArray &extraHeaders)
{
    if (m_answered)
        return;
    qCDebug(lcProxy) << "answering" << status << sentence;
    m_answered = true;
    m_answer = page(status, sentence, extraHeaders);
    m_clientState = ClientState::Done;
    m_headTimer.stop();
    if (m_pending.empty())
        sendAnswer();
}

void PreviewConnection::abortWith(int status, const QString &sentence)
{
    if (m_answered && m_answer.isEmpty())
        return; // an answer already went out
    m_pending.clear();
    dropUpstream();
    m_answered = false;
    answer(status, sentence);
}

void PreviewConnection::sendAnswer()
{
    dropUpstream();
    m_client->write(m_answer);
    m_answer.clear();
    finish();
}

void PreviewConnection::finish()
{
    // Hand the client what is left, then close.
    m_clientState = ClientState::Done;
    m_headTimer.stop();
    m_client->disconnectFromHost();
}

void PreviewConnection::onClientGone()
{
    dropUpstream();
    m_clientState = ClientState::Done;
    m_headTimer.stop();
    deleteLater();
}
