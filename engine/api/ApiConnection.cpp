// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiConnection.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>

#include <sys/socket.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace {

constexpr qint64 kPiece = 256 * 1024;
// What Qt may read ahead of us from either socket.
constexpr qint64 kReadAhead = 256 * 1024;
constexpr int kLingerTickMs = 50;
// An answer this small does not hold a transfer slot while it passes.
constexpr qint64 kSmallAnswer = 1024 * 1024;
// The property of a server-side socket that names its connection.
constexpr char kConnectionProperty[] = "ai2in_api_connection";

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

} // namespace

ApiConnection::ApiConnection(const Admission &admit, QObject *parent)
    : QObject(parent)
    , m_gate([this, admit](const RequestHead &head) {
        RequestGate::Verdict v = admit(*this, head);
        if (std::holds_alternative<RequestGate::Admit>(v)) {
            m_answers.expect(head.method);
            ++m_requests;
        }
        return v;
    })
{
    m_headTimer.setSingleShot(true);
    m_headTimer.setInterval(kHeadTimeoutMs);
    m_headTimer.callOnTimeout(this, [this] {
        refuse(ApiError{QStringLiteral("timeout"),
                        QStringLiteral("The request did not arrive within %1 seconds.").arg(kHeadTimeoutMs / 1000),
                        408, {}});
    });
    m_lingerTimer.setInterval(kLingerTickMs);
    m_lingerTimer.callOnTimeout(this, &ApiConnection::lingerTick);
}

ApiConnection::~ApiConnection()
{
    if (m_inner)
        m_inner->setProperty(kConnectionProperty, QVariant());
    breakBodies();
}

QTcpSocket *ApiConnection::open(qintptr descriptor)
{
    if (!m_client.setSocketDescriptor(descriptor)) {
        ::close(int(descriptor));
        return nullptr;
    }
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        qCWarning(lcApi) << "cannot make a socket pair for a connection:" << strerror(errno);
        return nullptr;
    }
    auto *inner = new QTcpSocket;
    if (!inner->setSocketDescriptor(pair[0]) || !m_pipe.setSocketDescriptor(pair[1])) {
        qCWarning(lcApi) << "cannot open a socket pair for a connection";
        delete inner;
        ::close(pair[1]);
        return nullptr;
    }
    m_inner = inner;
    inner->setProperty(kConnectionProperty, QVariant::fromValue(static_cast<QObject *>(this)));
    // Answers are written whole; Nagle's algorithm would only delay them.
    m_client.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_client.setReadBufferSize(kReadAhead);
    m_pipe.setReadBufferSize(kReadAhead);
    connect(&m_client, &QIODevice::readyRead, this, &ApiConnection::fromClient);
    connect(&m_pipe, &QIODevice::bytesWritten, this, &ApiConnection::fromClient);
    connect(&m_pipe, &QIODevice::readyRead, this, &ApiConnection::toClient);
    connect(&m_client, &QIODevice::bytesWritten, this, &ApiConnection::toClient);
    connect(&m_client, &QAbstractSocket::disconnected, this, [this] {
        breakBodies();
        m_pipe.disconnectFromHost();
        finish();
    });
    connect(&m_pipe, &QAbstractSocket::disconnected, this, [this] {
        // The server closed its end: what it wrote still goes out first.
        toClient();
        if (!m_refused)
            m_client.disconnectFromHost();
        finish();
    });
    m_headTimer.start(); // a connection that never speaks is closed too
    return inner;
}

void ApiConnection::fromClient()
{
    if (m_refused) {
        m_client.readAll(); // read only to be dropped, during the linger
        return;
    }
    while (m_client.bytesAvailable() > 0 && m_pipe.bytesToWrite() < kWindow &&
           (!m_arriving || m_arriving->wantsMore())) {
        const QByteArray piece = m_client.read(kPiece);
        m_piece = &piece;
        const RequestGate::Output out = m_gate.feed(piece);
        m_piece = nullptr;
        if (!m_gate.inBody())
            m_transfer.reset();
        if (!out.pass.isEmpty())
            m_pipe.write(out.pass);
        // Only between answers: a 100 inside an earlier answer would break it
        // (a pipelining client then waits its second, as without it).
        if (out.continueNow && m_answered == m_requests - 1)
            m_client.write("HTTP/1.1 100 Continue\r\n\r\n");
        if (out.refusal) {
            refuse(*out.refusal);
            return;
        }
    }
    watchHead();
}

void ApiConnection::streamBody(RequestGate::Admit &admit, qint64 length)
{
    auto body = std::make_shared<UploadBody>(length);
    connect(body.get(), &UploadBody::drained, this, &ApiConnection::fromClient, Qt::QueuedConnection);
    m_untaken.push_back(body);
    m_arriving = body;
    admit.sink = [this, body](QByteArrayView bytes, bool last) {
        // A piece that is all body is shared rather than copied.
        if (m_piece && bytes.data() == m_piece->constData() && bytes.size() == m_piece->size())
            body->append(*m_piece);
        else
            body->append(bytes);
        if (last && m_arriving == body)
            m_arriving.reset();
    };
}

std::shared_ptr<UploadBody> ApiConnection::takeBody(QTcpSocket *inner)
{
    auto *self = inner ? qobject_cast<ApiConnection *>(inner->property(kConnectionProperty).value<QObject *>()) : nullptr;
    if (!self || self->m_untaken.empty())
        return nullptr;
    std::shared_ptr<UploadBody> body = std::move(self->m_untaken.front());
    self->m_untaken.pop_front();
    return body;
}

void ApiConnection::breakBodies()
{
    if (m_arriving)
        m_arriving->breakOff();
    m_arriving.reset();
    for (const auto &body : m_untaken)
        body->breakOff();
    m_untaken.clear();
}

void ApiConnection::holdUntilAnswered(std::shared_ptr<void> slot)
{
    // Called while the request is admitted: it is number m_requests.
    m_untilAnswered.emplace_back(m_requests, std::move(slot));
}

void ApiConnection::toClient()
{
    if (m_refused) {
        m_pipe.readAll(); // the client gets the refusal, nothing after it
        return;
    }
    while (m_pipe.bytesAvailable() > 0 && m_client.bytesToWrite() < kWindow) {
        const QByteArray piece = m_pipe.read(kPiece);
        m_client.write(piece);
        m_answered += m_answers.feed(piece);
        // A small answer is let go at its head: only large ones are held.
        const qint64 length = m_answers.bodyLength();
        const qint64 through = length >= 0 && length <= kSmallAnswer ? m_answered + 1 : m_answered;
        while (!m_untilAnswered.empty() && m_untilAnswered.front().first < through)
            m_untilAnswered.pop_front();
    }
}

void ApiConnection::watchHead()
{
    if (m_gate.inHead()) {
        if (!m_headTimer.isActive())
            m_headTimer.start();
    } else {
        m_headTimer.stop();
    }
}

void ApiConnection::refuse(const ApiError &error)
{
    if (m_refused)
        return;
    m_refused = true;
    m_headTimer.stop();
    m_transfer.reset();
    breakBodies();
    m_untilAnswered.clear();
    qCInfo(lcApi) << "refused a request from" << m_client.peerAddress().toString() << "with" << error.httpStatus
                  << error.message;
    const QByteArray body = QJsonDocument(error.toJson()).toJson(QJsonDocument::Compact);
    const QByteArray head = "HTTP/1.1 " + QByteArray::number(error.httpStatus) + ' ' +
                            reasonPhrase(error.httpStatus) +
                            "\r\nContent-Type: application/json\r\nContent-Length: " +
                            QByteArray::number(body.size()) + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    m_client.write(head + body);
    // The server has only whole admitted requests; let it go.
    m_pipe.abort();
    m_lingerTimer.start();
}

void ApiConnection::lingerTick()
{
    ++m_lingerTicks;
    if (m_client.state() != QAbstractSocket::ConnectedState) {
        m_lingerTimer.stop();
        finish();
        return;
    }
    if (m_client.bytesToWrite() == 0 && !m_shutDown) {
        m_shutDown = true;
        // The answer is out: say nothing more comes, and keep reading what
        // the client still sends, so its kernel does not get a reset before
        // it has read the answer.
        ::shutdown(int(m_client.socketDescriptor()), SHUT_WR);
    }
    m_client.readAll();
    if (m_lingerTicks * kLingerTickMs >= kLingerMs) {
        m_lingerTimer.stop();
        m_client.abort();
        finish();
    }
}

void ApiConnection::terminate(const QString &reason)
{
    m_headTimer.stop();
    if (auto *ws = m_inner ? qobject_cast<QWebSocket *>(m_inner->parent()) : nullptr) {
        ws->close(QWebSocketProtocol::CloseCodePolicyViolated, reason);
        // Time for the close frame to pass through; then both ends go.
        QTimer::singleShot(300, this, [this] {
            m_client.abort();
            m_pipe.abort();
        });
        return;
    }
    breakBodies();
    m_client.abort();
    m_pipe.abort();
}

void ApiConnection::finish()
{
    if (m_finished || m_client.state() != QAbstractSocket::UnconnectedState ||
        m_pipe.state() != QAbstractSocket::UnconnectedState)
        return;
    m_finished = true;
    breakBodies();
    m_transfer.reset();
    m_untilAnswered.clear();
    m_headTimer.stop();
    m_lingerTimer.stop();
    deleteLater();
}
