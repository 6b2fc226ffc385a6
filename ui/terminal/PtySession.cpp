// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtySession.h"

#include "EngineSocket.h"

#include "TerminalLogging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>

PtySession::PtySession(const QUrl &engineUrl, const QString &apiKey, const QString &sandboxId, QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_engine(engineUrl)
    , m_key(apiKey)
    , m_sandbox(sandboxId)
{
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(kConnectTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        dropSocket();
        finish(End::Failed, tr("The engine did not answer within %1 seconds.").arg(kConnectTimeoutMs / 1000));
    });
}

PtySession::~PtySession()
{
    dropSocket();
}

QUrl PtySession::apiUrl(const QString &suffix) const
{
    QUrl u = m_engine;
    QString base = u.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    u.setPath(base + QStringLiteral("/v1/sandboxes/") + m_sandbox + suffix);
    return u;
}

void PtySession::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

QString PtySession::errorSentence(QNetworkReply *reply, const QByteArray &body)
{
    const QJsonObject err = QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toObject();
    const QString message = err.value(QStringLiteral("message")).toString().trimmed();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // The engine's sentence already says what to do ("… paused; resume it
    // first"): said once, with what the terminal does about it.
    if (status == 409 && err.value(QStringLiteral("code")).toString() == QLatin1String("conflict"))
        return message.isEmpty() ? tr("The sandbox is not running. Resume it and the terminal reconnects.")
                                 : tr("%1 The terminal reconnects when it runs again.").arg(message);
    if (!message.isEmpty())
        return message;
    if (status > 0)
        return tr("The engine answered HTTP %1.").arg(status);
    return tr("The engine could not be reached: %1.").arg(reply->errorString());
}

void PtySession::start(int cols, int rows, const Options &options)
{
    dropSocket();
    m_cols = qBound(1, cols, 1000);
    m_rows = qBound(1, rows, 1000);
    m_options = options;
    m_exited = false;
    setState(State::Starting);
    QJsonObject body{{QStringLiteral("cols"), m_cols}, {QStringLiteral("rows"), m_rows}};
    if (!options.cmd.isEmpty())
        body.insert(QStringLiteral("cmd"), options.cmd);
    if (!options.cwd.isEmpty())
        body.insert(QStringLiteral("cwd"), options.cwd);
    if (!options.user.isEmpty())
        body.insert(QStringLiteral("user"), options.user);
    if (!options.env.isEmpty()) {
        QJsonObject env;
        for (auto it = options.env.cbegin(); it != options.env.cend(); ++it)
            env.insert(it.key(), it.value());
        body.insert(QStringLiteral("env"), env);
    }
    QNetworkRequest req(apiUrl(QStringLiteral("/pty")));
    req.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setTransferTimeout(kConnectTimeoutMs);
    QNetworkReply *reply = m_nam->post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_state != State::Starting)
            return; // closed meanwhile
        const QByteArray bytes = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString id = QJsonDocument::fromJson(bytes).object().value(QStringLiteral("pty_id")).toString();
        if (status != 201 || id.isEmpty()) {
            m_reconnecting = false;
            finish(End::Failed, tr("Could not start a terminal: %1").arg(errorSentence(reply, bytes)));
            return;
        }
        qCInfo(lcTerminal) << "started" << id << "in" << m_sandbox;
        m_ptyId = id;
        m_hadTerminal = true;
        m_offset = -1;
        openSocket(0);
    });
}

void PtySession::attach(const QString &ptyId, qint64 from)
{
    dropSocket();
    m_ptyId = ptyId;
    m_hadTerminal = true;
    m_exited = false;
    openSocket(from);
}

void PtySession::reconnect()
{
    if (m_state == State::Attached || m_state == State::Connecting || m_state == State::Starting)
        return;
    m_reconnecting = true;
    if (m_ptyId.isEmpty() || m_exited) {
        m_reconnecting = false;
        // "The previous terminal had ended" only when there was one.
        m_fresh = m_hadTerminal;
        start(m_cols, m_rows, m_options);
        return;
    }
    openSocket(m_offset);
}

void PtySession::close(bool kill)
{
    dropSocket();
    if (kill && !m_ptyId.isEmpty() && !m_exited) {
        QNetworkRequest req(apiUrl(QStringLiteral("/pty/") + m_ptyId));
        req.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
        QNetworkReply *reply = m_nam->deleteResource(req);
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    setState(State::Ended);
}

void PtySession::openSocket(qint64 from)
{
    dropSocket();
    setState(State::Connecting);
    QUrl url = apiUrl(QStringLiteral("/pty/") + m_ptyId + QStringLiteral("/ws"));
    url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    if (from >= 0)
        url.setQuery(QStringLiteral("from=%1").arg(from));
    QWebSocket *ws = EngineSocket::make(this, [this](QWebSocket *closing) {
        if (m_ws == closing)
            onSocketClosed();
    });
    m_ws = ws;
    connect(ws, &QWebSocket::connected, this, [ws] {
        // Keystrokes are tiny: send them at once instead of batching.
        if (auto *tcp = ws->findChild<QTcpSocket *>())
            tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    });
    connect(ws, &QWebSocket::textMessageReceived, this, &PtySession::onText);
    connect(ws, &QWebSocket::binaryMessageReceived, this, &PtySession::onBinary);
    m_connectTimer.start();
    EngineSocket::open(ws, url, m_key);
}

void PtySession::dropSocket()
{
    m_connectTimer.stop();
    EngineSocket::drop(m_ws, this);
}

void PtySession::onText(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("attached")) {
        m_connectTimer.stop();
        m_offset = o.value(QStringLiteral("offset")).toInteger(m_offset);
        const bool wasReconnecting = std::exchange(m_reconnecting, false);
        const bool fresh = std::exchange(m_fresh, false);
        setState(State::Attached);
        sendResize();
        if (!m_queued.isEmpty() && m_ws)
            m_ws->sendBinaryMessage(std::exchange(m_queued, {}));
        Q_EMIT attached(m_ptyId);
        if (fresh || wasReconnecting)
            Q_EMIT reconnected(fresh);
    } else if (type == QLatin1String("exit")) {
        m_exited = true;
        m_exitCode = o.value(QStringLiteral("exit_code")).toInt();
    } else if (type == QLatin1String("error")) {
        qCWarning(lcTerminal) << "engine:" << o.value(QStringLiteral("message")).toString();
    }
}

void PtySession::onBinary(const QByteArray &bytes)
{
    if (m_offset >= 0)
        m_offset += bytes.size();
    m_received += bytes.size();
    Q_EMIT output(bytes);
}

void PtySession::onSocketClosed()
{
    QWebSocket *ws = m_ws;
    if (!ws)
        return;
    const QString reason = ws->closeReason().trimmed();
    const QString error = ws->error() == QAbstractSocket::UnknownSocketError ? QString() : ws->errorString();
    const State was = m_state;
    dropSocket();
    if (m_exited) {
        finish(End::Exited, tr("The shell exited with code %1.").arg(m_exitCode));
        return;
    }
    const QString why = !reason.isEmpty() ? reason : !error.isEmpty() ? error : tr("no reason given");
    if (was == State::Connecting && m_reconnecting) {
        // The terminal we knew is gone (pause and resume end every process):
        // start a new one in its place.
        qCInfo(lcTerminal) << "terminal" << m_ptyId << "is gone:" << why << "- starting a new one";
        m_ptyId.clear();
        m_reconnecting = false;
        m_fresh = true;
        start(m_cols, m_rows, m_options);
        return;
    }
    if (was == State::Connecting) {
        finish(End::Failed, tr("Could not connect to the terminal: %1").arg(why));
        return;
    }
    finish(End::Disconnected, tr("The connection to the terminal closed (%1). The sandbox may have been paused.").arg(why));
}

void PtySession::finish(End why, const QString &sentence)
{
    m_reconnecting = false;
    m_fresh = false;
    m_queued.clear();
    setState(State::Ended);
    qCInfo(lcTerminal) << m_ptyId << "ended:" << sentence;
    Q_EMIT ended(why, sentence);
}

void PtySession::sendInput(const QByteArray &bytes)
{
    if (m_state == State::Attached && m_ws) {
        m_ws->sendBinaryMessage(bytes);
    } else if ((m_state == State::Starting || m_state == State::Connecting)
               && m_queued.size() + bytes.size() <= kMaxQueuedInput) {
        m_queued += bytes; // typed while connecting: delivered once attached
    }
}

void PtySession::resize(int cols, int rows)
{
    cols = qBound(1, cols, 1000);
    rows = qBound(1, rows, 1000);
    if (cols == m_cols && rows == m_rows)
        return;
    m_cols = cols;
    m_rows = rows;
    if (m_state == State::Attached)
        sendResize();
}

void PtySession::sendResize()
{
    if (!m_ws)
        return;
    const QJsonObject o{{QStringLiteral("type"), QStringLiteral("resize")},
                        {QStringLiteral("cols"), m_cols},
                        {QStringLiteral("rows"), m_rows}};
    m_ws->sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}
