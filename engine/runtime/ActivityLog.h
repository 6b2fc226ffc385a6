// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcActivity)

class ActivityStore;
struct AgentReply;

// Every sandbox's bounded log of what was done to it through the API:
// commands with their output, file changes and lifecycle events. Each entry
// has a per-sandbox `seq` that only grows, so clients follow the log with a
// cursor. Background commands are recorded when they start and the same
// entry is updated while they run and when they end. `kind` is open-ended:
// `record` takes any kind with any fields.
class ActivityLog : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultLimit = 2000;
    static constexpr int kMaxOutputBytes = 64 * 1024;

    // How the log asks a sandbox's agent about its commands; such questions
    // must not count as activity of the sandbox.
    using AgentQuery = std::function<void(const QString &id, const QJsonObject &header, int timeoutMs,
                                          std::function<void(Result<AgentReply>)>)>;

    ActivityLog(ActivityStore *store, int limit, QObject *parent = nullptr);

    void setAgentQuery(AgentQuery query) { m_query = std::move(query); }
    // Picks up background commands that ran when the engine stopped and
    // starts watching them.
    Status load();

    // A new entry; answers its seq (0 if it could not be saved).
    qint64 record(const QString &id, const QString &kind, const QJsonObject &fields, bool open = false);
    void lifecycle(const QString &id, const QString &event, const QJsonObject &extra = {});
    void file(const QString &id, const QString &op, const QJsonValue &path, const QJsonObject &extra = {});
    // A command request (the agent's run/start header) and the agent's answer;
    // `startedMs` is when the request came.
    void command(const QString &id, const QJsonObject &request, qint64 startedMs, const Result<AgentReply> &reply);
    // What `list` and `logs` of commands said: finished commands are settled.
    void commandsListed(const QString &id, const QJsonArray &commands);
    void commandLogs(const QString &id, const QString &commandId, const QJsonObject &logs);
    // The sandbox and its log are gone.
    void forget(const QString &id);

    // Refreshes the output of the sandbox's running commands, then answers
    // the ActivityLogPage of the entries after `after`, as JSON.
    void read(const QString &id, qint64 after, int limit, std::function<void(Result<QJsonObject>)> done);

    // The agent's `touched` of an ended command or cell (in `from`), as the
    // log keeps it; null when the agent did not say (an older agent).
    static QJsonValue touchedField(const QJsonObject &from);

private:
    qint64 lastSeq(const QString &id);
    bool kept(const QString &id, qint64 seq);
    // Rewrites an entry's fields (keeping its seq and time).
    void amend(const QString &id, qint64 seq, const QJsonObject &changes, bool open);
    static void putOutput(QJsonObject &fields, const QJsonObject &logs);
    // Finishes a background command's entry; fetches what `item` (from
    // `list`) or `logs` lack first.
    void settle(const QString &id, const QString &commandId, std::optional<QJsonObject> item,
                std::optional<QJsonObject> logs, std::function<void()> done);
    void markLost(const QString &id);
    void poll();

    ActivityStore *m_store;
    int m_limit;
    AgentQuery m_query;
    QHash<QString, qint64> m_lastSeq;
    QHash<QString, QMap<QString, qint64>> m_running; // sandbox → command id → seq
    QSet<QString> m_settling;                        // command ids
    QSet<QString> m_polling;                         // sandbox ids
    QTimer m_poll;
};
