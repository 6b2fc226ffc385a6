// SPDX-License-Identifier: GPL-3.0-or-later
#include "PtySession.h"

#include "EngineClient.h"
#include "EngineSocket.h"
#include "ApiPaths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcModelTerminal, "ai2in.model.terminal", QtInfoMsg)

PtySession::PtySession(EngineClient *client, const QString &sandboxId, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_sandbox(sandboxId)
{
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(kConnectTimeoutMs);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        dropSocket();
        finish(End::Failed, tr("The engine did not answer within %1 seconds.").arg(kConnectTimeoutMs / 1000));
    });
    if (client) {
        connect(client, &EngineClient::endpointChanged, this, &PtySession::endpointGone);
        connect(client, &QObject::destroyed, this, &PtySession::endpointGone);
    }
}

PtySession::~PtySession()
{
    dropSocket();
}

EngineClient *PtySession::client() const
{
    return m_client;
}

QString PtySession::ptyPath(const QString &suffix) const
{
    return ApiPaths::ptyPath(m_sandbox, suffix);
}

void PtySession::endpointGone()
{
    // The terminal belongs to the engine the client spoke to: a request in
    // flight is never answered now, and "try again" must not reach another
    // engine's sandbox of the same name with the old terminal's id.
    if (m_state != State::Idle && m_state != State::Ended)
        endWithoutEngine();
}

void PtySession::endWithoutEngine()
{
    dropSocket();
    m_ptyId.clear();
    m_hadTerminal = false;
    finish(End::Failed, tr("The app no longer speaks to the engine of this terminal."));
}

void PtySession::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

QString PtySession::errorSentence(const ApiError &error)
{
    const QString message = error.message.trimmed();
    // The engine's sentence already says what to do ("… paused; resume it
    // first"): said once, with what the terminal does about it.
    if (error.httpStatus == 409 && error.code == QLatin1String("conflict"))
        return message.isEmpty() ? tr("The sandbox is not running. Resume it and the terminal reconnects.")
                                 : tr("%1 The terminal reconnects when it runs again.").arg(message);
    return message;
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
    if (!m_client)
        return endWithoutEngine();
    m_client->call("POST", ptyPath({}), QJsonDocument(body).toJson(QJsonDocument::Compact), kConnectTimeoutMs, this,
                   [this](Result<QByteArray> r) {
                       if (m_state != State::Starting)
                           return; // closed meanwhile
                       const QString id = r ? QJsonDocument::fromJson(*r).object().value(QStringLiteral("pty_id")).toString()
                                            : QString();
                       if (id.isEmpty()) {
                           m_reconnecting = false;
                           finish(End::Failed, tr("Could not start a terminal: %1")
                                                   .arg(r ? tr("the engine's answer names no terminal.")
                                                          : errorSentence(r.error())));
                           return;
                       }
                       qCInfo(lcModelTerminal) << "started" << id << "in" << m_sandbox;
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
    if (kill && m_client && !m_ptyId.isEmpty() && !m_exited) {
        // Nobody waits for the answer: the tab is gone already.
        m_client->call("DELETE", ptyPath(QStringLiteral("/") + m_ptyId), {}, kConnectTimeoutMs, nullptr,
                       [](Result<QByteArray>) {});
    }
    setState(State::Ended);
}

void PtySession::openSocket(qint64 from)
{
    dropSocket();
    if (!m_client)
        return endWithoutEngine();
    setState(State::Connecting);
    QString path = ptyPath(QStringLiteral("/") + m_ptyId + QStringLiteral("/ws"));
    if (from >= 0)
        path += QStringLiteral("?from=%1").arg(from);
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
    EngineSocket::open(ws, *m_client, path);
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
        qCWarning(lcModelTerminal) << "engine:" << o.value(QStringLiteral("message")).toString();
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
        qCInfo(lcModelTerminal) << "terminal" << m_ptyId << "is gone:" << why << "- starting a new one";
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
    qCInfo(lcModelTerminal) << m_ptyId << "ended:" << sentence;
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
