// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxManager.h"

#include "ActivityFields.h"
#include "ActivityLog.h"
#include "AgentClient.h"
#include "CurrentMetrics.h"
#include "MetricsSampler.h"
#include "OciSpec.h"
#include "RandomId.h"
#include "RuncDriver.h"
#include "SandboxDisk.h"
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

void SandboxManager::takeRequest(SandboxRecord &r, const QString &team, const CreateSandboxRequest &req,
                                 const SandboxResources &want)
{
    r.team = team;
    r.info.createdAt = now();
    r.info.endAt = req.timeoutSeconds ? r.info.createdAt.addSecs(*req.timeoutSeconds) : QDateTime();
    r.info.metadata = req.metadata;
    r.info.cpuCount = want.cpus;
    r.info.memoryMb = int(want.memoryMb);
    r.envs = req.envs;
    r.info.previewToken = req.previewAuth ? RandomId::chars(32) : QString();
    r.info.network = req.network;
    r.lastActivityMs = nowMs();
}

ApiError SandboxManager::storeRefused(const QString &what, const ApiError &why)
{
    return ApiError::unavailable(QStringLiteral("The engine cannot write its state store, so it did not %1; nothing "
                                                "was changed. (%2)")
                                     .arg(what, why.message));
}

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
    m_poolTimer.setSingleShot(true);
    connect(&m_poolTimer, &QTimer::timeout, this, &SandboxManager::fillPool);
    m_watchdog = new SandboxWatchdog(m_runtime->runc(), this);
    connect(m_watchdog, &SandboxWatchdog::agentDied, this, &SandboxManager::agentDied);
}

Result<SandboxManager::Entry *> SandboxManager::find(const QString &team, const QString &id)
{
    auto it = m_entries.find(id);
    // Another team's sandbox is indistinguishable from one that does not
    // exist, and so is a warm one of the pool.
    if (it == m_entries.end() || it->second.rec.team != team || it->second.pool != Pool::None ||
        it->second.rec.info.state == SandboxState::Killing)
        return noSuchSandbox(id);
    return &it->second;
}

Result<const SandboxManager::Entry *> SandboxManager::find(const QString &team, const QString &id) const
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second.rec.team != team || it->second.pool != Pool::None ||
        it->second.rec.info.state == SandboxState::Killing)
        return noSuchSandbox(id);
    return &it->second;
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

Result<IdRange> SandboxManager::allocateIds(const TemplateInfo &tmpl) const
{
    const IdRange own{tmpl.uidBase, tmpl.uidCount};
    const UidRangeAllocator &pool = m_options.uidRanges;
    if (!pool.enabled())
        return own;
    if (own.count > pool.slotSize())
        return ApiError::badRequest(
            QStringLiteral("Template '%1' uses %2 host ids, more than the %3 a sandbox gets; rebuild it with at most "
                           "%3 ids.")
                .arg(tmpl.name)
                .arg(own.count)
                .arg(pool.slotSize()));
    // Kept clear: the ranges of the sandboxes this engine has (a killed one's
    // row goes only after its files), and of every template, whose files a
    // sandbox's root must never own.
    QList<IdRange> inUse;
    for (const auto &[id, e] : m_entries)
        inUse.append({e.rec.uidBase, e.rec.uidCount});
    QList<IdRange> templates{own};
    for (const QString &name : m_templates->names()) {
        if (const auto info = m_templates->info(name))
            templates.append({info->uidBase, info->uidCount});
    }
    const auto range = pool.allocate(inUse, templates);
    if (!range)
        return ApiError::unavailable(
            QStringLiteral("Every host id range of this engine's pool (%1 ranges of %2 ids from %3) is taken; kill a "
                           "sandbox or start ai2ind with a larger --uid-pool-size.")
                .arg(pool.pool().count / pool.slotSize())
                .arg(pool.slotSize())
                .arg(pool.pool().base));
    return *range;
}

Result<SandboxRuntime::Lower> SandboxManager::lowerOf(const SandboxRecord &r) const
{
    QString why;
    const auto tmpl = m_templates->info(r.info.templateName, &why);
    if (!tmpl)
        return ApiError::internal(QStringLiteral("Sandbox %1 cannot start: its template '%2' %3")
                                      .arg(r.info.id, r.info.templateName,
                                           why.isEmpty() ? QStringLiteral("is gone.") : QStringLiteral("is broken: ") + why));
    return SandboxRuntime::Lower{templateRootfs(r.info.templateName), IdRange{tmpl->uidBase, tmpl->uidCount}};
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
    SandboxResources want;
    want.cpus = req.cpuCount > 0 ? req.cpuCount : m_options.defaultCpuCount;
    want.memoryMb = req.memoryMb > 0 ? req.memoryMb : m_options.defaultMemoryMb;
    want.diskMb = req.diskMb > 0 ? req.diskMb : m_options.defaultDiskMb;
    if (auto s = admit(team, want, QString(), QStringLiteral("creating another")); !s) {
        done(s.error());
        return;
    }
    if (const auto warm = takeWarm(req, want, *tmpl)) {
        claim(*warm, team, req, want, *tmpl, std::move(done));
        return;
    }
    // A template asked for is kept warm from now on.
    if (m_options.warmPoolSize > 0 && !m_poolTemplates.contains(req.templateName)) {
        m_poolTemplates.append(req.templateName);
        schedulePoolFill();
    }
    createCold(team, req, want, *tmpl, false, std::move(done));
}

void SandboxManager::createCold(const QString &team, const CreateSandboxRequest &req, const SandboxResources &want,
                                const TemplateInfo &tmpl, bool forPool, Reply<SandboxInfo> done)
{
    SandboxRecord r;
    r.info.id = RandomId::sandboxId();
    r.info.templateName = req.templateName;
    r.info.state = SandboxState::Creating;
    r.info.nodeId = m_options.nodeId;
    r.info.diskMb = int(want.diskMb);
    takeRequest(r, team, req, want);
    const auto ids = allocateIds(tmpl);
    if (!ids) {
        done(ids.error());
        return;
    }
    r.uidBase = ids->base;
    r.uidCount = ids->count;

    // The row exists before anything is made on the host, so a restart after
    // a crash knows what to clean up.
    if (auto s = save(r); !s) {
        done(storeRefused(QStringLiteral("create a sandbox"), s.error()));
        return;
    }
    const QString id = r.info.id;
    Entry &entry = m_entries[id];
    entry.rec = r;
    if (forPool) {
        entry.pool = Pool::Filling;
        entry.poolTemplateBuilt = tmpl.createdAt;
    } else {
        ++m_coldCreates;
        done = [this, done](Result<SandboxInfo> made) {
            --m_coldCreates;
            done(std::move(made));
            schedulePoolFill();
        };
    }
    serialize(id, [this, id, forPool, done](std::function<void()> finish) {
        // Its block of the network pool is recorded with its first start.
        const SandboxRecord r = m_entries.at(id).rec;
        m_runtime->prepare(r, [this, id, forPool, done, finish](Status prepared) {
            if (!prepared) {
                finish();
                doKill(id, QStringLiteral("creation failed"), [done, prepared](Status) { done(prepared.error()); });
                return;
            }
            doStart(id, [this, id, forPool, done, finish](Status s) {
                finish();
                if (!s) {
                    doKill(id, QStringLiteral("creation failed"), [done, s](Status) { done(s.error()); });
                    return;
                }
                if (forPool) {
                    // Warm, not anyone's: hidden as a half-made sandbox is,
                    // and so also undone by a restart after a crash.
                    Entry &e = m_entries.at(id);
                    e.rec.info.state = SandboxState::Creating;
                    e.pool = Pool::Ready;
                    done(e.rec.info);
                    return;
                }
                // Started but not recorded as running: the row still says
                // "creating", which a restart undoes, so undo it now too.
                SandboxRecord &rec = m_entries.at(id).rec;
                if (auto saved = save(rec); !saved) {
                    rec.info.state = SandboxState::Creating;
                    doKill(id, QStringLiteral("its creation could not be recorded"), [done, saved](Status) {
                        done(storeRefused(QStringLiteral("create a sandbox"), saved.error()));
                    });
                    return;
                }
                qCInfo(lcRuntime) << "created" << id;
                note(id, QStringLiteral("created"));
                done(rec.info);
            });
        });
    });
}

void SandboxManager::doStart(const QString &id, std::function<void(Status)> done)
{
    if (auto s = ensureNetwork(m_entries.at(id).rec); !s) {
        done(s);
        return;
    }
    const SandboxRecord r = m_entries.at(id).rec;
    const auto lower = lowerOf(r);
    if (!lower) {
        done(lower.error());
        return;
    }
    m_runtime->start(r, *lower, [this, id, done](Status s) {
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
        // The caller records it: what a failed record means depends on the
        // operation.
        m_watchdog->watch(id, m_runtime->initPid(id));
        done(Done{});
    });
}

void SandboxManager::doKill(const QString &id, const QString &reason, std::function<void(Status)> done)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end()) {
        done(Done{});
        return;
    }
    const SandboxState before = it->second.rec.info.state;
    it->second.rec.info.state = SandboxState::Killing;
    if (auto s = save(it->second.rec); !s && before != SandboxState::Creating && before != SandboxState::Killing) {
        // Not recorded, not done: the store still says what is true.
        it->second.rec.info.state = before;
        done(storeRefused(QStringLiteral("kill sandbox %1").arg(id), s.error()));
        return;
    }
    m_watchdog->forget(id);
    qCInfo(lcRuntime) << "killing" << id << "-" << reason;
    note(id, QStringLiteral("killed"), QJsonObject{{ActivityFields::kReason, reason}});
    const std::optional<int> block = networkBlock(it->second.rec);
    m_runtime->destroy(id, [this, id, block, done](Status s) {
        if (block)
            m_networks->remove(*block);
        if (!s) {
            // Leave the row in "killing": the next reap or restart tries again.
            qCWarning(lcRuntime) << s.error().message;
            done(s);
            return;
        }
        if (auto removed = m_store->remove(id); !removed) {
            // Gone from the host, still a "killing" row: hidden from clients,
            // and the reaper deletes the row once the store takes writes.
            qCWarning(lcRuntime) << removed.error().message;
            done(Done{});
            return;
        }
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
        // The pause is recorded before it is done: if the record fails the
        // sandbox just keeps running; if the engine dies halfway, a restart
        // finds "paused" and finishes the job (a frozen one whose freeze
        // never happened is stopped, its files kept).
        SandboxRecord target = rec;
        target.info.state = SandboxState::Paused;
        target.info.pausedAt = now();
        target.info.pauseKind = keepMemory ? QStringLiteral("freeze") : QStringLiteral("stop");
        if (auto saved = save(target); !saved) {
            finish();
            done(storeRefused(QStringLiteral("pause sandbox %1").arg(id), saved.error()));
            return;
        }
        rec.info.state = SandboxState::Pausing;
        if (keepMemory) {
            freeze(id, finish, done);
            return;
        }
        m_watchdog->forget(id);
        detachNetwork(rec);
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
            save(r); // recorded as paused already; this refreshes the time
            finish();
            qCInfo(lcRuntime) << "paused" << id;
            note(id, QStringLiteral("paused"), QJsonObject{{ActivityFields::kPauseKind, r.info.pauseKind}});
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
        SandboxResources want;
        want.cpus = rec.info.cpuCount;
        want.memoryMb = rec.info.memoryMb;
        // Its disk exists already and counts in the team's usage; of the
        // disk, only the data dir's reserve is checked.
        if (auto s = admit(team, want, id, QStringLiteral("resuming %1").arg(id)); !s) {
            finish();
            done(s.error());
            return;
        }
        // Recorded as running before it starts: a failed record leaves it
        // paused; a start that fails records the pause again (a stopped
        // one); an engine that dies halfway starts it on restart, as the
        // client asked.
        SandboxRecord target = rec;
        target.info.state = SandboxState::Running;
        target.info.startedAt = now();
        target.info.pausedAt = QDateTime();
        target.info.pauseKind.clear();
        if (auto saved = save(target); !saved) {
            finish();
            done(storeRefused(QStringLiteral("resume sandbox %1").arg(id), saved.error()));
            return;
        }
        rec.info.state = SandboxState::Resuming;
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
        save(it->second.rec); // recorded as running already; this refreshes the times
        finish();
        qCInfo(lcRuntime) << "resumed" << id;
        note(id, QStringLiteral("resumed"), QJsonObject{{ActivityFields::kPauseKind, QStringLiteral("stop")}});
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
        return storeRefused(QStringLiteral("change the timeout of sandbox %1").arg(id), s.error());
    }
    note(id, QStringLiteral("timeout_changed"), QJsonObject{{ActivityFields::kEndAt, Timestamps::toJson(rec.info.endAt)}});
    return rec.info;
}

Result<SandboxInfo> SandboxManager::setNetwork(const QString &team, const QString &id, const QJsonObject &body)
{
    auto e = find(team, id);
    if (!e)
        return e.error();
    SandboxRecord &rec = (*e)->rec;
    const auto policy = NetworkPolicy::apply(rec.info.network, body);
    if (!policy)
        return policy.error();
    const NetworkPolicy old = rec.info.network;
    rec.info.network = *policy;
    if (auto s = save(rec); !s) {
        rec.info.network = old;
        return storeRefused(QStringLiteral("change the network policy of sandbox %1").arg(id), s.error());
    }
    // A sandbox that never started on this pool gets its rules at its start.
    if (const auto block = networkBlock(rec)) {
        if (auto s = m_networks->setPolicy(*block, *policy); !s) {
            rec.info.network = old;
            save(rec);
            return s.error();
        }
    }
    rec.lastActivityMs = nowMs();
    note(id, QStringLiteral("network_changed"), QJsonObject{{ActivityFields::kNetwork, rec.info.networkJson()}});
    return rec.info;
}

std::optional<int> SandboxManager::networkBlock(const SandboxRecord &r) const
{
    if (!m_networks || !m_networks->enabled())
        return std::nullopt;
    return m_networks->blockOf(r.info.netAddress);
}

Status SandboxManager::ensureNetwork(SandboxRecord &r)
{
    if (!m_networks || !m_networks->enabled() || networkBlock(r))
        return Done{};
    QSet<int> inUse;
    for (const auto &[other, e] : m_entries) {
        if (const auto b = networkBlock(e.rec))
            inUse.insert(*b);
    }
    const auto block = m_networks->allocate(inUse);
    if (!block)
        return ApiError::unavailable(QStringLiteral("Every address of the engine's sandbox network pool is taken; "
                                                    "kill a sandbox, or start the engine with a larger "
                                                    "--network-pool."));
    if (auto s = m_networks->add(*block, r.info.network); !s)
        return s;
    // Recorded by the operation that starts it.
    r.info.netAddress = m_networks->addressOf(*block);
    return Done{};
}

SandboxNetworks::Counters SandboxManager::networkCounters(const QString &id)
{
    const auto it = m_entries.find(id);
    const auto block = it == m_entries.end() ? std::nullopt : networkBlock(it->second.rec);
    return block ? m_networks->counters(*block) : SandboxNetworks::Counters{};
}

void SandboxManager::detachNetwork(const SandboxRecord &r)
{
    if (const auto block = networkBlock(r))
        m_networks->detach(*block);
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
        const SandboxNetworks::Counters net = networkCounters(id);
        // The disk counts while paused too: its files are kept.
        const auto disk = r.info.diskMb > 0 ? SandboxDisk::usage(m_runtime->paths(id), r.info.diskMb) : std::nullopt;
        CurrentMetrics m;
        m.sample = MetricsSample{nowMs(),
                                 running ? std::round(cpu * 10) / 10 : 0.0,
                                 running ? after->memoryBytes : 0,
                                 running ? int(after->pids) : 0,
                                 qint64(net.inBytes),
                                 qint64(net.outBytes),
                                 qint64(net.inPackets),
                                 qint64(net.outPackets)};
        m.cpuCount = r.info.cpuCount;
        m.memoryLimitBytes = limit;
        m.oomKills = running ? after->oomKills : 0;
        m.uptimeSeconds = running ? double(nowMs() - r.info.startedAt.toMSecsSinceEpoch()) / 1000.0 : 0.0;
        if (disk) {
            m.diskBytes = qint64(disk->usedBytes);
            m.diskLimitBytes = qint64(disk->limitBytes);
        }
        done(m.toJson());
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

Result<QString> SandboxManager::previewAccess(const QString &id) const
{
    auto it = m_entries.find(id);
    if (it == m_entries.end() || it->second.rec.info.state == SandboxState::Killing ||
        it->second.rec.info.state == SandboxState::Creating)
        return noSuchSandbox(id);
    const SandboxRecord &rec = it->second.rec;
    if (rec.info.state != SandboxState::Running)
        return ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(rec.info.state)));
    return rec.info.previewToken;
}

Result<AgentStream *> SandboxManager::previewStream(const QString &id, QObject *parent)
{
    if (auto access = previewAccess(id); !access)
        return access.error();
    return new AgentStream(m_runtime->paths(id).socket(), id, AgentStream::Mode::Raw, parent);
}

void SandboxManager::previewActivity(const QString &id)
{
    auto it = m_entries.find(id);
    if (it != m_entries.end() && it->second.rec.info.state == SandboxState::Running)
        it->second.rec.lastActivityMs = nowMs();
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
            // The freezer refused: nothing was frozen, the sandbox still runs,
            // and the pause recorded beforehand is taken back.
            r.info.state = SandboxState::Running;
            r.info.pauseKind.clear();
            if (auto saved = save(r); !saved)
                qCWarning(lcRuntime) << "sandbox" << id << "runs but stays recorded as paused:" << saved.error().message;
            finish();
            done(s.error());
            return;
        }
        r.info.state = SandboxState::Paused;
        r.info.pausedAt = now();
        r.info.pauseKind = QStringLiteral("freeze");
        save(r); // recorded as paused already; this refreshes the time
        finish();
        qCInfo(lcRuntime) << "froze" << id;
        note(id, QStringLiteral("paused"), QJsonObject{{ActivityFields::kPauseKind, r.info.pauseKind}});
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
            save(r); // recorded as running already; this refreshes the times
            finish();
            qCInfo(lcRuntime) << "thawed" << id;
            note(id, QStringLiteral("resumed"), QJsonObject{{ActivityFields::kPauseKind, QStringLiteral("freeze")}});
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
    // Nobody has seen a warm sandbox: nothing of its life is told.
    if (const auto it = m_entries.find(id); it != m_entries.end() && it->second.pool != Pool::None)
        return;
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

Result<SandboxManager::Layers> SandboxManager::layers(const QString &team, const QString &id) const
{
    auto e = find(team, id);
    if (!e)
        return e.error();
    const SandboxInfo &info = (*e)->rec.info;
    const bool frozen = info.state == SandboxState::Paused && info.pauseKind == QLatin1String("freeze");
    if (info.state != SandboxState::Running && !frozen)
        return ApiError::conflict(QStringLiteral("Sandbox %1 is %2.").arg(id, busyVerb(info.state)));
    return Layers{m_runtime->upperOf(id), templateRootfs(info.templateName)};
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
    note(id, QStringLiteral("error"), QJsonObject{{ActivityFields::kReason, reason}});
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
