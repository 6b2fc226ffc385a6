// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxManager.h"

#include "ActivityLog.h"
#include "AgentClient.h"
#include "MetricsSampler.h"
#include "OciSpec.h"
#include "RandomId.h"
#include "RuncDriver.h"
#include "SandboxRuntime.h"
#include "SandboxWatchdog.h"
#include "SessionKiller.h"
#include "Timestamps.h"
#include "TemplateStore.h"
#include "store/SandboxStore.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>

#include <algorithm>
#include <memory>

namespace {

constexpr int kReapIntervalMs = 1000;
constexpr int kCpuSampleGapMs = 250;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

ApiError noSuchSandbox(const QString &id)
{
    return ApiError::notFound(QStringLiteral("No sandbox %1.").arg(id));
}

QString busyVerb(SandboxState s)
{
    switch (s) {
    case SandboxState::Creating: return QStringLiteral("still being created");
    case SandboxState::Pausing: return QStringLiteral("being paused");
    case SandboxState::Paused: return QStringLiteral("paused; resume it first");
    case SandboxState::Resuming: return QStringLiteral("being resumed");
    case SandboxState::Killing: return QStringLiteral("being killed");
    case SandboxState::Running: return QStringLiteral("running");
    case SandboxState::Error: return QStringLiteral("in error (its agent died); kill it");
    }
    return {};
}

} // namespace

SandboxManager::SandboxManager(Options options, SandboxStore *store, SandboxRuntime *runtime,
                               TemplateStore *templates, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_store(store)
    , m_runtime(runtime)
    , m_templates(templates)
{
    m_reaper.setInterval(kReapIntervalMs);
    connect(&m_reaper, &QTimer::timeout, this, &SandboxManager::reap);
    m_watchdog = new SandboxWatchdog(m_runtime->runc(), this);
    connect(m_watchdog, &SandboxWatchdog::agentDied, this, &SandboxManager::agentDied);
}

Result<SandboxManager::Entry *> SandboxManager::find(const QString &team, const QString &id)
{
    auto it = m_entries.find(id);
    // Another team's sandbox is indistinguishable from one that does not exist.
    if (it == m_entries.end() || it->second.rec.team != team || it->second.rec.info.state == SandboxState::Killing)
        return noSuchSandbox(id);
    return &it->second;
}

Result<const SandboxManager::Entry *> SandboxManager::find(const QString &team, const QString &id) const
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second.rec.team != team || it->second.rec.info.state == SandboxState::Killing)
        return noSuchSandbox(id);
    return &it->second;
}

int SandboxManager::runningCount(const QString &team) const
{
    int n = 0;
    for (const auto &[id, e] : m_entries) {
        const SandboxState s = e.rec.info.state;
        if (e.rec.team == team &&
            (s == SandboxState::Creating || s == SandboxState::Running || s == SandboxState::Resuming))
            ++n;
    }
    return n;
}

Status SandboxManager::save(const SandboxRecord &r)
{
    const Status s = m_store->upsert(r);
    if (!s)
        qCWarning(lcRuntime) << s.error().message;
    return s;
}

QString SandboxManager::templateRootfs(const QString &name) const
{
    return m_templates->rootfsPath(name);
}

template <typename T>
SandboxRecord *SandboxManager::recordInOperation(const QString &team, const QString &id,
                                                 const std::function<void()> &finish, const Reply<T> &done)
{
    auto e = find(team, id);
    if (e)
        return &(*e)->rec;
    // Gone while the operation waited its turn (killed, say): end it and say so.
    finish();
    done(e.error());
    return nullptr;
}

void SandboxManager::serialize(const QString &id, std::function<void(std::function<void()>)> op)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end()) {
        op([] {});
        return;
    }
    auto finish = [this, id] {
        auto e = m_entries.find(id);
        if (e == m_entries.end())
            return;
        if (e->second.pending.empty()) {
            e->second.busy = false;
            return;
        }
        auto next = std::move(e->second.pending.front());
        e->second.pending.pop_front();
        next();
    };
    auto run = [op, finish] { op(finish); };
    if (it->second.busy) {
        it->second.pending.push_back(run);
        return;
    }
    it->second.busy = true;
    run();
}

// ---- lifecycle -------------------------------------------------------------

void SandboxManager::create(const QString &team, const CreateSandboxRequest &req, Reply<SandboxInfo> done)
{
    const auto tmpl = m_templates->info(req.templateName);
    if (!tmpl) {
        const QStringList names = m_templates->names();
        done(ApiError::badRequest(
            QStringLiteral("Unknown template '%1'. Built templates: %2. Build one with 'ai2ind template build %1'.")
                .arg(req.templateName, names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", ")))));
        return;
    }
    if (runningCount(team) >= m_options.maxRunningPerTeam) {
        done(ApiError::quotaExceeded(
            QStringLiteral("This team already runs %1 sandboxes, the most this engine allows; kill or pause one first.")
                .arg(m_options.maxRunningPerTeam)));
        return;
    }

    SandboxRecord r;
    r.team = team;
    r.info.id = RandomId::sandboxId();
    r.info.templateName = req.templateName;
    r.info.state = SandboxState::Creating;
    r.info.createdAt = now();
    if (req.timeoutSeconds)
        r.info.endAt = r.info.createdAt.addSecs(*req.timeoutSeconds);
    r.info.nodeId = m_options.nodeId;
    r.info.metadata = req.metadata;
    r.info.cpuCount = req.cpuCount > 0 ? req.cpuCount : m_options.defaultCpuCount;
    r.info.memoryMb = req.memoryMb > 0 ? req.memoryMb : m_options.defaultMemoryMb;
    r.envs = req.envs;
    r.lastActivityMs = nowMs();
    r.uidBase = tmpl->uidBase;
    r.uidCount = tmpl->uidCount;

    // The row exists before anything is made on the host, so a restart after
    // a crash knows what to clean up.
    if (auto s = save(r); !s) {
        done(s.error());
        return;
    }
    const QString id = r.info.id;
    m_entries[id].rec = r;
    if (auto s = m_runtime->prepare(r); !s) {
        doKill(id, QStringLiteral("creation failed"), [done, s](Status) { done(s.error()); });
        return;
    }
    serialize(id, [this, id, done](std::function<void()> finish) {
        doStart(id, [this, id, done, finish](Status s) {
            finish();
            if (!s) {
                doKill(id, QStringLiteral("creation failed"), [done, s](Status) { done(s.error()); });
                return;
            }
            qCInfo(lcRuntime) << "created" << id;
            note(id, QStringLiteral("created"));
            done(m_entries.at(id).rec.info);
        });
    });
}

void SandboxManager::doStart(const QString &id, std::function<void(Status)> done)
{
    const SandboxRecord r = m_entries.at(id).rec;
    m_runtime->start(r, templateRootfs(r.info.templateName), [this, id, done](Status s) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            done(noSuchSandbox(id));
            return;
        }
        if (!s) {
            done(s);
            return;
        }
        SandboxRecord &rec = it->second.rec;
        rec.info.state = SandboxState::Running;
        rec.info.startedAt = now();
        rec.info.pausedAt = QDateTime();
        rec.info.pauseKind.clear();
        rec.lastActivityMs = nowMs();
        it->second.lastSample.reset();
        m_watchdog->watch(id);
        done(save(rec));
    });
}

void SandboxManager::doKill(const QString &id, const QString &reason, std::function<void(Status)> done)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end()) {
        done(Done{});
        return;
    }
    it->second.rec.info.state = SandboxState::Killing;
    m_watchdog->forget(id);
    save(it->second.rec);
    qCInfo(lcRuntime) << "killing" << id << "-" << reason;
    note(id, QStringLiteral("killed"), QJsonObject{{QStringLiteral("reason"), reason}});
    m_runtime->destroy(id, [this, id, done](Status s) {
        if (!s) {
            // Leave the row in "killing": the next reap or restart tries again.
            qCWarning(lcRuntime) << s.error().message;
            done(s);
            return;
        }
        m_store->remove(id);
        if (m_activity)
            m_activity->forget(id);
        if (m_sampler)
            m_sampler->forget(id);
        // Operations queued behind the kill must still answer: they will find
        // the sandbox gone.
        std::deque<std::function<void()>> pending;
        if (auto it = m_entries.find(id); it != m_entries.end())
            pending = std::move(it->second.pending);
        m_entries.erase(id);
        done(Done{});
        for (auto &op : pending)
            op();
    });
}

void SandboxManager::kill(const QString &team, const QString &id, Reply<Done> done)
{
    if (auto e = find(team, id); !e) {
        done(e.error());
        return;
    }
    serialize(id, [this, id, done](std::function<void()> finish) {
        doKill(id, QStringLiteral("killed through the API"), [done, finish](Status s) {
            finish();
            done(s);
        });
    });
}

void SandboxManager::pause(const QString &team, const QString &id, Reply<SandboxInfo> done)
{
    pause(team, id, false, std::move(done));
}

void SandboxManager::pause(const QString &team, const QString &id, bool keepMemory, Reply<SandboxInfo> done)
{
    if (auto e = find(team, id); !e) {
        done(e.error());
        return;
    }
    serialize(id, [this, team, id, keepMemory, done](std::function<void()> finish) {
        SandboxRecord *found = recordInOperation(team, id, finish, done);
        if (!found)
            return;
        SandboxRecord &rec = *found;
        if (rec.info.state != SandboxState::Running) {
            finish();
            done(ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(rec.info.state))));
            return;
        }
        rec.info.state = SandboxState::Pausing;
        save(rec);
        if (keepMemory) {
            freeze(id, finish, done);
            return;
        }
        m_watchdog->forget(id);
        m_runtime->stop(id, [this, id, done, finish](Status s) {
            auto it = m_entries.find(id);
            if (it == m_entries.end()) {
                finish();
                done(noSuchSandbox(id));
                return;
            }
            SandboxRecord &r = it->second.rec;
            if (!s) {
                // The container may be half-stopped; it is safest to call it
                // paused (its files are kept) and let resume start it afresh.
                qCWarning(lcRuntime) << s.error().message;
            }
            r.info.state = SandboxState::Paused;
            r.info.pausedAt = now();
            r.info.pauseKind = QStringLiteral("stop");
            save(r);
            finish();
            qCInfo(lcRuntime) << "paused" << id;
            note(id, QStringLiteral("paused"), QJsonObject{{QStringLiteral("pause_kind"), r.info.pauseKind}});
            if (!s)
                done(s.error());
            else
                done(r.info);
        });
    });
}

void SandboxManager::resume(const QString &team, const QString &id, Reply<SandboxInfo> done)
{
    if (auto e = find(team, id); !e) {
        done(e.error());
        return;
    }
    serialize(id, [this, team, id, done](std::function<void()> finish) {
        SandboxRecord *found = recordInOperation(team, id, finish, done);
        if (!found)
            return;
        SandboxRecord &rec = *found;
        if (rec.info.state != SandboxState::Paused) {
            finish();
            done(ApiError::conflict(QStringLiteral("Sandbox %1 is not paused; it is %2.")
                                        .arg(id, busyVerb(rec.info.state))));
            return;
        }
        if (runningCount(team) >= m_options.maxRunningPerTeam) {
            finish();
            done(ApiError::quotaExceeded(
                QStringLiteral("This team already runs %1 sandboxes, the most this engine allows; kill or pause one "
                               "before resuming %2.")
                    .arg(m_options.maxRunningPerTeam)
                    .arg(id)));
            return;
        }
        rec.info.state = SandboxState::Resuming;
        save(rec);
        if (rec.info.pauseKind == QLatin1String("freeze")) {
            thaw(id, finish, done);
            return;
        }
        restartOnKeptFiles(id, finish, done);
    });
}

void SandboxManager::restartOnKeptFiles(const QString &id, std::function<void()> finish, Reply<SandboxInfo> done)
{
    doStart(id, [this, id, finish, done](Status s) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            finish();
            done(noSuchSandbox(id));
            return;
        }
        if (!s) {
            // Still paused, now as a stopped pause: its files are all it has.
            it->second.rec.info.state = SandboxState::Paused;
            it->second.rec.info.pauseKind = QStringLiteral("stop");
            save(it->second.rec);
            finish();
            done(s.error());
            return;
        }
        finish();
        qCInfo(lcRuntime) << "resumed" << id;
        note(id, QStringLiteral("resumed"), QJsonObject{{QStringLiteral("pause_kind"), QStringLiteral("stop")}});
        done(it->second.rec.info);
    });
}

void SandboxManager::connectTo(const QString &team, const QString &id, bool autoResume, Reply<SandboxInfo> done)
{
    auto e = find(team, id);
    if (!e) {
        done(e.error());
        return;
    }
    (*e)->rec.lastActivityMs = nowMs();
    if (autoResume && (*e)->rec.info.state == SandboxState::Paused) {
        resume(team, id, done);
        return;
    }
    done((*e)->rec.info);
}

Result<SandboxInfo> SandboxManager::setTimeout(const QString &team, const QString &id, qint64 seconds)
{
    auto e = find(team, id);
    if (!e)
        return e.error();
    SandboxRecord &rec = (*e)->rec;
    const QDateTime old = rec.info.endAt;
    rec.info.endAt = now().addSecs(seconds);
    rec.lastActivityMs = nowMs();
    if (auto s = save(rec); !s) {
        rec.info.endAt = old;
        return s.error();
    }
    note(id, QStringLiteral("timeout_changed"), QJsonObject{{QStringLiteral("end_at"), Timestamps::toJson(rec.info.endAt)}});
    return rec.info;
}

Result<SandboxInfo> SandboxManager::info(const QString &team, const QString &id) const
{
    auto e = find(team, id);
    if (!e)
        return e.error();
    return (*e)->rec.info;
}

QList<SandboxInfo> SandboxManager::list(const QString &team) const
{
    QList<SandboxInfo> out;
    for (const auto &[id, e] : m_entries) {
        const SandboxState s = e.rec.info.state;
        // Half-made sandboxes are not shown: a client would get 404s for them.
        if (e.rec.team == team && s != SandboxState::Creating && s != SandboxState::Killing)
            out.append(e.rec.info);
    }
    std::sort(out.begin(), out.end(), [](const SandboxInfo &a, const SandboxInfo &b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
    });
    return out;
}

void SandboxManager::metrics(const QString &team, const QString &id, Reply<QJsonObject> done)
{
    auto e = find(team, id);
    if (!e) {
        done(e.error());
        return;
    }
    const SandboxRecord &rec = (*e)->rec;
    auto answer = [this, id, done](const std::optional<CgroupSample> &before, qint64 gapMs,
                                   const std::optional<CgroupSample> &after) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            done(noSuchSandbox(id));
            return;
        }
        const SandboxRecord &r = it->second.rec;
        double cpu = 0;
        if (before && after && gapMs > 0)
            cpu = qMax(0.0, double(after->cpuUsageNs - before->cpuUsageNs) / (double(gapMs) * 1e6) * 100.0);
        const bool running = r.info.state == SandboxState::Running && after.has_value();
        const qint64 limit = after && after->memoryLimitBytes > 0 &&
                                     after->memoryLimitBytes < std::numeric_limits<qint64>::max()
                                 ? after->memoryLimitBytes
                                 : qint64(r.info.memoryMb) * 1024 * 1024;
        done(QJsonObject{
            {QStringLiteral("timestamp"), Timestamps::toJson(now())},
            {QStringLiteral("cpu_percent"), running ? std::round(cpu * 10) / 10 : 0.0},
            {QStringLiteral("cpu_count"), r.info.cpuCount},
            {QStringLiteral("memory_bytes"), running ? after->memoryBytes : 0},
            {QStringLiteral("memory_limit_bytes"), limit},
            {QStringLiteral("pids"), running ? after->pids : 0},
            {QStringLiteral("uptime_seconds"),
             running ? double(nowMs() - r.info.startedAt.toMSecsSinceEpoch()) / 1000.0 : 0.0},
        });
    };
    const QString cg = OciSpec::cgroupsPathFor(id);
    const auto sample = rec.info.state == SandboxState::Running ? m_cgroups.read(cg) : std::nullopt;
    Entry *entry = *e;
    if (!sample) {
        answer(std::nullopt, 0, std::nullopt);
        return;
    }
    // CPU use is a rate: it needs two readings. Reuse the last one when it is
    // recent enough, else take a second reading a moment later.
    if (entry->lastSample && entry->lastSampleAge.isValid() && entry->lastSampleAge.elapsed() >= kCpuSampleGapMs &&
        entry->lastSampleAge.elapsed() <= 30000) {
        const auto before = entry->lastSample;
        const qint64 gap = entry->lastSampleAge.elapsed();
        entry->lastSample = sample;
        entry->lastSampleAge.start();
        answer(before, gap, sample);
        return;
    }
    QTimer::singleShot(kCpuSampleGapMs, this, [this, id, cg, sample, answer] {
        const auto after = m_cgroups.read(cg);
        auto it = m_entries.find(id);
        if (it != m_entries.end() && after) {
            it->second.lastSample = after;
            it->second.lastSampleAge.start();
        }
        answer(sample, kCpuSampleGapMs, after);
    });
}

Result<AgentStream *> SandboxManager::stream(const QString &team, const QString &id, AgentStream::Mode mode,
                                             QObject *parent)
{
    auto e = find(team, id);
    if (!e)
        return e.error();
    SandboxRecord &rec = (*e)->rec;
    if (rec.info.state != SandboxState::Running)
        return ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(rec.info.state)));
    rec.lastActivityMs = nowMs();
    return new AgentStream(m_runtime->paths(id).socket(), id, mode, parent);
}

Result<AgentStream *> SandboxManager::previewStream(const QString &id, QObject *parent)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second.rec.info.state == SandboxState::Killing ||
        it->second.rec.info.state == SandboxState::Creating)
        return noSuchSandbox(id);
    return stream(it->second.rec.team, id, AgentStream::Mode::Raw, parent);
}

void SandboxManager::freeze(const QString &id, std::function<void()> finish, Reply<SandboxInfo> done)
{
    m_runtime->runc()->pause(id, [this, id, finish, done](Status s) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            finish();
            done(noSuchSandbox(id));
            return;
        }
        SandboxRecord &r = it->second.rec;
        if (!s) {
            // The freezer refused: nothing was frozen, the sandbox still runs.
            r.info.state = SandboxState::Running;
            save(r);
            finish();
            done(s.error());
            return;
        }
        r.info.state = SandboxState::Paused;
        r.info.pausedAt = now();
        r.info.pauseKind = QStringLiteral("freeze");
        save(r);
        finish();
        qCInfo(lcRuntime) << "froze" << id;
        note(id, QStringLiteral("paused"), QJsonObject{{QStringLiteral("pause_kind"), r.info.pauseKind}});
        done(r.info);
    });
}

void SandboxManager::thaw(const QString &id, std::function<void()> finish, Reply<SandboxInfo> done)
{
    m_runtime->runc()->resume(id, [this, id, finish, done](Status s) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            finish();
            done(noSuchSandbox(id));
            return;
        }
        if (s) {
            SandboxRecord &r = it->second.rec;
            r.info.state = SandboxState::Running;
            r.info.startedAt = now();
            r.info.pausedAt = QDateTime();
            r.info.pauseKind.clear();
            r.lastActivityMs = nowMs();
            it->second.lastSample.reset();
            save(r);
            finish();
            qCInfo(lcRuntime) << "thawed" << id;
            note(id, QStringLiteral("resumed"), QJsonObject{{QStringLiteral("pause_kind"), QStringLiteral("freeze")}});
            done(r.info);
            return;
        }
        // The frozen container is gone: start afresh on the kept files, as
        // after a stopped pause.
        qCWarning(lcRuntime) << s.error().message;
        m_runtime->stop(id, [this, id, finish, done](Status) { restartOnKeptFiles(id, finish, done); });
    });
}

void SandboxManager::attach(ActivityLog *activity, MetricsSampler *sampler)
{
    m_activity = activity;
    m_sampler = sampler;
}

void SandboxManager::note(const QString &id, const QString &event, const QJsonObject &extra)
{
    if (m_activity)
        m_activity->lifecycle(id, event, extra);
}

QStringList SandboxManager::runningIds() const
{
    QStringList ids;
    for (const auto &[id, e] : m_entries) {
        if (e.rec.info.state == SandboxState::Running)
            ids.append(id);
    }
    return ids;
}

void SandboxManager::queryAgent(const QString &id, const QJsonObject &header, int timeoutMs, Reply<AgentReply> done)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second.rec.info.state == SandboxState::Killing) {
        done(noSuchSandbox(id));
        return;
    }
    if (it->second.rec.info.state != SandboxState::Running) {
        done(ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(it->second.rec.info.state))));
        return;
    }
    AgentClient::request(m_runtime->paths(id).socket(), id, header, {}, timeoutMs,
                         [done](Result<AgentReply> r) {
                             if (r && !r->header.value(QStringLiteral("ok")).toBool()) {
                                 done(AgentClient::errorFromAgent(r->header));
                                 return;
                             }
                             done(std::move(r));
                         }, this);
}

void SandboxManager::callAgent(const QString &team, const QString &id, const QJsonObject &header,
                               const QByteArray &body, int timeoutMs, Reply<AgentReply> done)
{
    auto e = find(team, id);
    if (!e) {
        done(e.error());
        return;
    }
    SandboxRecord &rec = (*e)->rec;
    if (rec.info.state != SandboxState::Running) {
        done(ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(rec.info.state))));
        return;
    }
    rec.lastActivityMs = nowMs();
    AgentClient::request(m_runtime->paths(id).socket(), id, header, body, timeoutMs,
                         [done](Result<AgentReply> r) {
                             if (!r) {
                                 done(r.error());
                                 return;
                             }
                             if (!r->header.value(QStringLiteral("ok")).toBool()) {
                                 done(AgentClient::errorFromAgent(r->header));
                                 return;
                             }
                             done(std::move(r));
                         }, this);
}

// ---- lifetime --------------------------------------------------------------

void SandboxManager::reap()
{
    const qint64 t = nowMs();
    const qint64 idleMs = qint64(m_options.idleTimeoutSeconds) * 1000;
    QList<QPair<QString, QString>> doomed;
    for (const auto &[id, e] : m_entries) {
        const SandboxRecord &r = e.rec;
        if (e.busy || r.info.state == SandboxState::Creating)
            continue;
        if (r.info.state == SandboxState::Killing)
            doomed.append({id, QStringLiteral("finishing an earlier kill")});
        else if (r.info.endAt.isValid() && r.info.endAt.toMSecsSinceEpoch() <= t)
            doomed.append({id, QStringLiteral("its timeout passed")});
        else if ((r.info.state == SandboxState::Running || r.info.state == SandboxState::Error) && idleMs > 0 &&
                 t - r.lastActivityMs >= idleMs)
            doomed.append({id, QStringLiteral("idle for %1 s").arg(m_options.idleTimeoutSeconds)});
        else if (r.info.state == SandboxState::Running && !m_watchdog->isWatching(id))
            m_watchdog->watch(id); // adopted after a restart, or an earlier watch could not start
    }
    for (const auto &[id, reason] : doomed) {
        serialize(id, [this, id, reason](std::function<void()> finish) {
            doKill(id, reason, [finish](Status) { finish(); });
        });
    }
}

// ---- PID 1 and command sessions -------------------------------------------

void SandboxManager::agentDied(const QString &id, const QString &reason)
{
    auto it = m_entries.find(id);
    // Only a running sandbox can die under us; a pause or a kill stops its
    // PID 1 on purpose.
    if (it == m_entries.end() || it->second.rec.info.state != SandboxState::Running)
        return;
    SandboxRecord &r = it->second.rec;
    r.info.state = SandboxState::Error;
    r.info.errorReason = reason;
    r.lastActivityMs = nowMs();
    save(r);
    qCWarning(lcRuntime) << "sandbox" << id << "is in error:" << reason;
    note(id, QStringLiteral("error"), QJsonObject{{QStringLiteral("reason"), reason}});
}

void SandboxManager::killSession(const QString &team, const QString &id, qint64 session, int signal,
                                 Reply<Done> done)
{
    if (auto e = find(team, id); !e) {
        done(e.error());
        return;
    }
    serialize(id, [this, team, id, session, signal, done](std::function<void()> finish) {
        SandboxRecord *rec = recordInOperation(team, id, finish, done);
        if (!rec)
            return;
        if (rec->info.state != SandboxState::Running) {
            finish();
            done(ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(rec->info.state))));
            return;
        }
        auto *killer = new SessionKiller(OciSpec::cgroupsPathFor(id), session, signal, this);
        killer->start([finish, done](Result<SessionKiller::Outcome> r) {
            finish();
            if (!r)
                done(r.error());
            else
                done(Done{});
        });
    });
}
