// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CodeEvent.h"
#include "NdjsonSplitter.h"

#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>

class EngineClient;

// Runs code cells in one sandbox's kernel, one at a time: `POST …/code`
// read line by line as the engine streams it, each event handed on the
// moment its line is complete. Interrupt and restart are separate requests
// that may go while a cell runs.
class CodeRunner : public QObject
{
    Q_OBJECT
public:
    CodeRunner(EngineClient *client, const QString &sandboxId, QObject *parent = nullptr);
    ~CodeRunner() override;

    QString sandboxId() const { return m_id; }
    bool isRunning() const { return m_reply != nullptr; }

    // Starts a cell with the engine's default timeout; false (and nothing
    // sent) while another one runs.
    bool run(const QString &code);
    // Stops reading the running cell; the kernel carries on with it. Emits
    // finished() with a sentence that says so.
    void cancel();
    // POST …/code/interrupt: the running cell ends with KeyboardInterrupt.
    void interrupt();
    // POST …/code/restart: a fresh kernel, every variable gone.
    void restart();

    // How long the stream may stay silent: the cell's default timeout (300 s)
    // and a margin for the engine to say it timed out.
    static constexpr int kStreamIdleMs = 330000;

Q_SIGNALS:
    void eventReceived(const CodeEvent &event);
    // The running cell's answer ended: `problem` is empty when the engine
    // sent the cell's end, else a sentence (HTTP error, broken stream, …).
    void finished(const QString &problem);
    void interruptAnswered(bool ok, const QString &problem);
    void restartAnswered(bool ok, const QString &problem);

private:
    void readAvailable();
    void readLines(const QList<QByteArray> &lines, QNetworkReply *reply);
    void replyFinished();
    void post(const QString &op, void (CodeRunner::*answered)(bool, const QString &));
    // The cell endpoint, or an operation on the kernel ("interrupt", "restart").
    QString path(const QString &op) const;

    EngineClient *m_client;
    QString m_id;
    // Guarded: the network manager may go first (it owns its replies).
    QPointer<QNetworkReply> m_reply;
    NdjsonSplitter m_splitter;
    QByteArray m_errorBody;
    bool m_sawEnd = false;
};
