// SPDX-License-Identifier: GPL-3.0-or-later
#include "ActivityLog.h"

#include "ActivityFields.h"
#include "ActivityLogPage.h"
#include "AgentClient.h"
#include "Timestamps.h"
#include "TouchedFiles.h"
#include "store/ActivityStore.h"

#include <QDateTime>

#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcActivity, "ai2in.engine.activity")

using namespace ActivityFields;

namespace {

constexpr int kPollIntervalMs = 2000;
constexpr int kAgentTimeoutMs = 5000;
// A read refreshes at most this many running commands, so a sandbox with
// hundreds of them cannot make the log slow to read.
constexpr int kMaxRefreshPerRead = 16;
// Entries that fell off the end are deleted from the store every this many.
constexpr qint64 kTrimEvery = 64;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QJsonValue timeOf(qint64 ms)
{
    return Timestamps::toJson(Timestamps::fromMsecs(ms));
}

// The last `max` bytes of `text` as UTF-8, cut at a character boundary.
QString tail(const QString &text, bool *cut)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= ActivityLog::kMaxOutputBytes) {
        *cut = false;
        return text;
    }
    *cut = true;
    qsizetype from = utf8.size() - ActivityLog::kMaxOutputBytes;
    while (from < utf8.size() && (quint8(utf8.at(from)) & 0xC0) == 0x80)
        ++from;
    return QString::fromUtf8(utf8.mid(from));
}

// Why a command ended, when its exit code does not say ("killed: out of
// memory"); null otherwise.
QJsonValue commandError(const QJsonObject &answer)
{
    const QJsonValue e = answer.value(QStringLiteral("error"));
    return e.isString() && !e.toString().isEmpty() ? e : QJsonValue(QJsonValue::Null);
}

QString commandStatus(const QJsonValue &status)
{
    const QString s = status.toString();
    return s.isEmpty() ? QString(kStatusExited) : s;
}

} // namespace

ActivityLog::ActivityLog(ActivityStore *store, int limit, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_limit(qMax(1, limit))
{
    m_poll.setInterval(kPollIntervalMs);
    connect(&m_poll, &QTimer::timeout, this, &ActivityLog::poll);
}

Status ActivityLog::load()
{
    const auto rows = m_store->openRows();
    if (!rows)
        return rows.error();
    for (const ActivityRow &r : *rows)
        m_running[r.sandboxId].insert(r.fields.value(kCommandId).toString(), r.seq);
    m_poll.start();
    return Done{};
}

QJsonValue ActivityLog::touchedField(const QJsonObject &from)
{
    // The agent runs inside the sandbox: what it says is checked, not copied.
    return TouchedFiles::checked(from.value(QStringLiteral("touched")));
}

qint64 ActivityLog::lastSeq(const QString &id)
{
    auto it = m_lastSeq.find(id);
    if (it != m_lastSeq.end())
        return *it;
    const auto last = m_store->lastSeq(id);
    if (!last) {
        qCWarning(lcActivity) << last.error().message;
        return 0;
    }
    m_lastSeq.insert(id, *last);
    return *last;
}

bool ActivityLog::kept(const QString &id, qint64 seq)
{
    return seq > lastSeq(id) - m_limit;
}

qint64 ActivityLog::record(const QString &id, const QString &kind, const QJsonObject &fields, bool open)
{
    const qint64 seq = lastSeq(id) + 1;
    ActivityRow row{id, seq, nowMs(), kind, open, fields};
    if (auto s = m_store->put(row); !s) {
        qCWarning(lcActivity) << s.error().message;
        return 0;
    }
    m_lastSeq.insert(id, seq);
    // Entries past the limit are gone for readers at once (see `read` and
    // `kept`); the rows themselves go in batches, not one DELETE per entry
    // on every command's path.
    if (seq > m_limit && (seq - m_limit) % kTrimEvery == 0) {
        if (auto s = m_store->dropUpTo(id, seq - m_limit); !s)
            qCWarning(lcActivity) << s.error().message;
        // A running command whose entry fell off the end is no longer followed.
        QMap<QString, qint64> &running = m_running[id];
        for (auto it = running.begin(); it != running.end();)
            it = it.value() <= seq - m_limit ? running.erase(it) : std::next(it);
    }
    return seq;
}

void ActivityLog::amend(const QString &id, qint64 seq, const QJsonObject &changes, bool open)
{
    if (!kept(id, seq))
        return;
    auto row = m_store->one(id, seq);
    if (!row) {
        qCWarning(lcActivity) << row.error().message;
        return;
    }
    ActivityRow r = *row;
    for (auto it = changes.begin(); it != changes.end(); ++it)
        r.fields.insert(it.key(), it.value());
    r.open = open;
    if (auto s = m_store->put(r); !s)
        qCWarning(lcActivity) << s.error().message;
}

void ActivityLog::lifecycle(const QString &id, const QString &event, const QJsonObject &extra)
{
    QJsonObject f = extra;
    f.insert(kEvent, event);
    record(id, kKindLifecycle, f);
    // A stopped sandbox's processes are gone: their commands will never end.
    if ((event == QLatin1String("paused") &&
         extra.value(kPauseKind).toString() != QLatin1String("freeze")) ||
        event == QLatin1String("error"))
        markLost(id);
}

void ActivityLog::file(const QString &id, const QString &op, const QJsonValue &path, const QJsonObject &extra)
{
    QJsonObject f = extra;
    f.insert(kOp, op);
    f.insert(kPath, path);
    record(id, kKindFile, f);
}

void ActivityLog::putOutput(QJsonObject &fields, const QJsonObject &logs)
{
    if (logs.value(QStringLiteral("output_dropped")).toBool(false)) {
        // The agent threw this command's output away to stay within its
        // budget: keep the tail the log already has, and say it is cut.
        fields.insert(kTruncated, true);
        return;
    }
    bool cutOut = false;
    bool cutErr = false;
    fields.insert(kStdout, tail(logs.value(QStringLiteral("stdout")).toString(), &cutOut));
    fields.insert(kStderr, tail(logs.value(QStringLiteral("stderr")).toString(), &cutErr));
    fields.insert(kTruncated,
                  cutOut || cutErr || logs.value(QStringLiteral("truncated")).toBool(false));
}

void ActivityLog::command(const QString &id, const QJsonObject &request, qint64 startedMs,
                          const Result<AgentReply> &reply)
{
    const bool background = request.value(QStringLiteral("op")).toString() == QLatin1String("start");
    // A failed request that never became a process (an unknown user, a bad
    // directory) did nothing inside the sandbox.
    const QJsonObject answer = reply ? reply->header : reply.error().details;
    const QString commandId = answer.value(QStringLiteral("command_id")).toString();
    if (commandId.isEmpty())
        return;
    QJsonObject f{
        {kCommandId, commandId},
        {kCmd, request.value(QStringLiteral("cmd"))},
        {kCwd, request.value(QStringLiteral("cwd")).isString() ? request.value(QStringLiteral("cwd")) : QJsonValue::Null},
        {kUser, request.value(QStringLiteral("user")).toString(QStringLiteral("sandbox"))},
        {kBackground, background},
        {kPid, answer.contains(QStringLiteral("pid")) ? answer.value(QStringLiteral("pid")) : QJsonValue::Null},
        {kStartedAt, timeOf(startedMs)},
    };
    putOutput(f, answer);
    if (background) {
        f.insert(kStatus, kStatusRunning);
        f.insert(kEndedAt, QJsonValue::Null);
        f.insert(kExitCode, QJsonValue::Null);
        f.insert(kError, QJsonValue::Null);
        if (const qint64 seq = record(id, kKindCommand, f, true))
            m_running[id].insert(commandId, seq);
        return;
    }
    f.insert(kStatus, reply ? kStatusExited : kStatusTimeout);
    f.insert(kEndedAt, timeOf(nowMs()));
    f.insert(kExitCode, reply ? answer.value(QStringLiteral("exit_code")) : QJsonValue::Null);
    f.insert(kError, commandError(answer));
    f.insert(kTouched, touchedField(answer));
    record(id, kKindCommand, f);
}

void ActivityLog::commandsListed(const QString &id, const QJsonArray &commands)
{
    auto running = m_running.constFind(id);
    if (running == m_running.cend() || running->isEmpty())
        return;
    QHash<QString, QJsonObject> seen;
    for (const QJsonValue &v : commands)
        seen.insert(v.toObject().value(QStringLiteral("command_id")).toString(), v.toObject());
    const QStringList ids = running->keys();
    for (const QString &cmd : ids) {
        auto it = seen.constFind(cmd);
        if (it == seen.cend()) {
            // The agent no longer knows it: the sandbox was restarted under it.
            settle(id, cmd, QJsonObject{{QStringLiteral("status"), kStatusLost}}, QJsonObject(), [] {});
        } else if (it->value(QStringLiteral("status")).toString() != QLatin1String("running")) {
            settle(id, cmd, *it, std::nullopt, [] {});
        }
    }
}

void ActivityLog::commandLogs(const QString &id, const QString &commandId, const QJsonObject &logs)
{
    const qint64 seq = m_running.value(id).value(commandId);
    if (seq == 0)
        return;
    if (logs.value(QStringLiteral("status")).toString() == QLatin1String("running")) {
        QJsonObject f;
        putOutput(f, logs);
        amend(id, seq, f, true);
        return;
    }
    settle(id, commandId, std::nullopt, logs, [] {});
}

void ActivityLog::settle(const QString &id, const QString &commandId, std::optional<QJsonObject> item,
                         std::optional<QJsonObject> logs, std::function<void()> done)
{
    if (!m_query) {
        item = item.value_or(QJsonObject());
        logs = logs.value_or(QJsonObject());
    }
    if (!item) {
        m_query(id, QJsonObject{{QStringLiteral("op"), QStringLiteral("list")}}, kAgentTimeoutMs,
                [this, id, commandId, logs, done](Result<AgentReply> r) {
                    QJsonObject found;
                    if (r) {
                        for (const QJsonValue &v : r->header.value(QStringLiteral("commands")).toArray()) {
                            if (v.toObject().value(QStringLiteral("command_id")).toString() == commandId)
                                found = v.toObject();
                        }
                    }
                    settle(id, commandId, found, logs, done);
                });
        return;
    }
    if (!logs) {
        m_query(id, QJsonObject{{QStringLiteral("op"), QStringLiteral("logs")}, {QStringLiteral("command_id"), commandId}},
                kAgentTimeoutMs, [this, id, commandId, item, done](Result<AgentReply> r) {
                    settle(id, commandId, item, r ? r->header : QJsonObject(), done);
                });
        return;
    }
    const qint64 seq = m_running.value(id).value(commandId);
    if (seq == 0) {
        done();
        return;
    }
    m_running[id].remove(commandId);
    QJsonObject f;
    if (!logs->isEmpty())
        putOutput(f, *logs);
    const QJsonValue endedMs = item->value(QStringLiteral("ended_at_ms"));
    f.insert(kEndedAt, endedMs.isDouble() ? timeOf(qint64(endedMs.toDouble())) : timeOf(nowMs()));
    const QJsonValue code = item->contains(QStringLiteral("exit_code")) ? item->value(QStringLiteral("exit_code"))
                                                                        : logs->value(QStringLiteral("exit_code"));
    f.insert(kExitCode, code.isDouble() ? code : QJsonValue::Null);
    f.insert(kStatus, commandStatus(item->contains(QStringLiteral("status")) ? item->value(QStringLiteral("status"))
                                                                             : logs->value(QStringLiteral("status"))));
    f.insert(kError, item->contains(QStringLiteral("error")) ? commandError(*item) : commandError(*logs));
    f.insert(kTouched, touchedField(item->contains(QStringLiteral("touched")) ? *item : *logs));
    amend(id, seq, f, false);
    done();
}

void ActivityLog::markLost(const QString &id)
{
    const QStringList ids = m_running.value(id).keys();
    for (const QString &cmd : ids)
        settle(id, cmd, QJsonObject{{QStringLiteral("status"), kStatusLost}}, QJsonObject(), [] {});
}

void ActivityLog::forget(const QString &id)
{
    m_running.remove(id);
    m_lastSeq.remove(id);
    m_polling.remove(id);
    if (auto s = m_store->removeAll(id); !s)
        qCWarning(lcActivity) << s.error().message;
}

void ActivityLog::poll()
{
    if (!m_query)
        return;
    const QStringList ids = m_running.keys();
    for (const QString &id : ids) {
        if (m_running.value(id).isEmpty()) {
            m_running.remove(id);
            continue;
        }
        if (m_polling.contains(id))
            continue;
        m_polling.insert(id);
        m_query(id, QJsonObject{{QStringLiteral("op"), QStringLiteral("list")}}, kAgentTimeoutMs,
                [this, id](Result<AgentReply> r) {
                    m_polling.remove(id);
                    // A paused sandbox cannot answer; its commands wait.
                    if (r)
                        commandsListed(id, r->header.value(QStringLiteral("commands")).toArray());
                });
    }
}

void ActivityLog::read(const QString &id, qint64 after, int limit, std::function<void(Result<QJsonObject>)> done)
{
    auto answer = [this, id, after, limit, done] {
        // Rows past the limit may still wait for their batch to be dropped.
        const auto rows = m_store->after(id, std::max(after, lastSeq(id) - m_limit), limit);
        if (!rows) {
            done(rows.error());
            return;
        }
        ActivityLogPage page;
        page.nextAfter = after;
        for (const ActivityRow &r : *rows) {
            page.entries.append(ActivityRecord{r.seq, Timestamps::fromMsecs(r.timeMs), r.kind, r.fields});
            page.nextAfter = r.seq;
        }
        // Entries that may still change: a client following the log re-reads
        // from before the first of them.
        page.running = m_running.value(id).values();
        std::sort(page.running.begin(), page.running.end());
        done(page.toJson());
    };
    const QMap<QString, qint64> running = m_running.value(id);
    if (running.isEmpty() || !m_query) {
        answer();
        return;
    }
    auto left = std::make_shared<int>(0);
    QStringList refresh;
    for (auto it = running.begin(); it != running.end() && refresh.size() < kMaxRefreshPerRead; ++it) {
        if (it.value() > after)
            refresh.append(it.key());
    }
    if (refresh.isEmpty()) {
        answer();
        return;
    }
    *left = int(refresh.size());
    for (const QString &cmd : refresh) {
        m_query(id, QJsonObject{{QStringLiteral("op"), QStringLiteral("logs")}, {QStringLiteral("command_id"), cmd}},
                kAgentTimeoutMs, [this, id, cmd, left, answer](Result<AgentReply> r) {
                    auto one = [left, answer] {
                        if (--*left == 0)
                            answer();
                    };
                    if (!r) {
                        one();
                        return;
                    }
                    const QJsonObject logs = r->header;
                    const qint64 seq = m_running.value(id).value(cmd);
                    if (seq == 0) {
                        one();
                        return;
                    }
                    if (logs.value(QStringLiteral("status")).toString() == QLatin1String("running")) {
                        QJsonObject f;
                        putOutput(f, logs);
                        amend(id, seq, f, true);
                        one();
                        return;
                    }
                    settle(id, cmd, std::nullopt, logs, one);
                });
    }
}
