// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiError.h"

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

class EngineClient;
class QWebSocket;

// One terminal of a sandbox as the engine serves it: created with
// `POST …/pty`, then streamed over `GET …/pty/{id}/ws` (binary frames both
// ways, JSON text frames for resize, attach and exit), all through the
// EngineClient of the engine that owns the sandbox. Everything is
// asynchronous; the end of a session is reported once, as a sentence a
// person can read, together with what can be done about it. When that
// client's endpoint changes or it goes away, the session ends (the shell
// keeps running in its sandbox).
class PtySession : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Starting, Connecting, Attached, Ended };
    Q_ENUM(State)
    // Why a session ended, which decides what the UI offers.
    enum class End {
        Exited,       // the shell exited: a new terminal can be started
        Disconnected, // the stream closed while the terminal may live on: reconnect
        Failed,       // the terminal could not be started or reached: try again
    };
    Q_ENUM(End)

    struct Options
    {
        QString cmd;  // default: the user's login shell
        QString cwd;
        QString user;
        QMap<QString, QString> env;
    };

    PtySession(EngineClient *client, const QString &sandboxId, QObject *parent = nullptr);
    ~PtySession() override;

    // Creates a terminal of cols × rows and attaches to it.
    void start(int cols, int rows, const Options &options = {});
    // Attaches to an existing terminal; `from` < 0 means "from now on".
    void attach(const QString &ptyId, qint64 from = -1);
    // Attaches again to the same terminal from the first byte not yet seen;
    // when that terminal is gone (the sandbox was paused and resumed, or it
    // was killed) a new one is started and reconnected() says so.
    void reconnect();
    // Closes the stream; with `kill` the terminal's processes end too.
    void close(bool kill);

    void sendInput(const QByteArray &bytes);
    void resize(int cols, int rows);

    State state() const { return m_state; }
    EngineClient *client() const;
    QString sandboxId() const { return m_sandbox; }
    QString ptyId() const { return m_ptyId; }
    qint64 offset() const { return m_offset; } // of the next output byte
    int cols() const { return m_cols; }
    int rows() const { return m_rows; }
    // Bytes received over the WebSocket, for the benchmark.
    qint64 bytesReceived() const { return m_received; }

    static constexpr int kConnectTimeoutMs = 15000;
    static constexpr qsizetype kMaxQueuedInput = 64 * 1024;

Q_SIGNALS:
    void stateChanged(PtySession::State state);
    void output(const QByteArray &bytes);
    void attached(const QString &ptyId);
    // `fresh`: the old terminal was gone and this is a new one.
    void reconnected(bool fresh);
    void ended(PtySession::End why, const QString &sentence);

private:
    void setState(State s);
    void openSocket(qint64 from);
    void onText(const QString &text);
    void onBinary(const QByteArray &bytes);
    void onSocketClosed();
    void finish(End why, const QString &sentence);
    void sendResize();
    void dropSocket();
    void endpointGone();
    void endWithoutEngine();
    QString ptyPath(const QString &suffix) const;
    static QString errorSentence(const ApiError &error);

    QPointer<EngineClient> m_client;
    QString m_sandbox;
    QString m_ptyId;
    Options m_options;
    QPointer<QWebSocket> m_ws;
    QTimer m_connectTimer;
    State m_state = State::Idle;
    qint64 m_offset = -1;
    qint64 m_received = 0;
    int m_cols = 80;
    int m_rows = 24;
    bool m_reconnecting = false;
    bool m_fresh = false; // the next attach is to a terminal started in place of a gone one
    bool m_hadTerminal = false; // a terminal was started or attached to at least once
    bool m_exited = false;
    int m_exitCode = 0;
    QByteArray m_queued;
};
