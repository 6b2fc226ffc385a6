// SPDX-License-Identifier: GPL-3.0-or-later
// SandboxManager, part four: the warm pool. Warm sandboxes are made as any
// other, for no team, and kept in the state "creating": hidden from every
// list and lookup, counted against no quota, left alone by the reaper, and
// removed by a restart after a crash as any half-made sandbox is. A create
// that one can serve takes it and gives it the caller's settings — limits
// in its cgroup, network policy in the engine's rules, envs through its
// agent — so that it cannot be told from one made for that call.
#include "SandboxManager.h"

#include "AgentClient.h"
#include "OciSpec.h"
#include "RuncDriver.h"
#include "TemplateStore.h"

#include <QDateTime>

namespace {

// After a warm sandbox could not be made: the next try waits this long.
constexpr int kFillRetryMs = 30000;
// The agent of a warm sandbox answers its claim at once, or it is dropped.
constexpr int kClaimTimeoutMs = 5000;
// How often a clean shutdown looks again for warm sandboxes still being
// made, and how long it waits for them at most (a start gives up after 15 s).
constexpr int kDrainPollMs = 50;
constexpr int kDrainWaitMs = 20000;
// After a warm sandbox is handed out, its replacement waits this long: the
// caller's first commands come right after the create, and a refill (runc
// starting a container) would take the CPUs from them.
constexpr int kRefillAfterClaimMs = 500;

} // namespace

SandboxResources SandboxManager::poolResources() const
{
    SandboxResources r;
    r.cpus = m_options.defaultCpuCount;
    r.memoryMb = m_options.defaultMemoryMb;
    r.diskMb = m_options.defaultDiskMb;
    return r;
}

void SandboxManager::startPool()
{
    if (m_options.warmPoolSize <= 0 || m_poolStarted)
        return;
    m_poolStarted = true;
    if (m_templates->info(m_options.defaultTemplate) && !m_poolTemplates.contains(m_options.defaultTemplate))
        m_poolTemplates.prepend(m_options.defaultTemplate);
    schedulePoolFill();
}

QMap<QString, int> SandboxManager::warmCounts() const
{
    QMap<QString, int> counts;
    for (const auto &[id, e] : m_entries) {
        if (e.pool == Pool::Ready)
            ++counts[e.rec.info.templateName];
    }
    return counts;
}

void SandboxManager::schedulePoolFill(int delayMs)
{
    if (!m_poolStarted || m_poolDraining)
        return;
    // An earlier, longer wait (after a failure) is not cut short.
    if (m_poolTimer.isActive() && m_poolTimer.remainingTime() > delayMs)
        return;
    m_poolTimer.start(delayMs);
}

void SandboxManager::dropWarm(const QString &id, const QString &reason)
{
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    it->second.pool = Pool::Leaving;
    serialize(id, [this, id, reason](std::function<void()> finish) {
        doKill(id, reason, [finish](Status) { finish(); });
    });
}

void SandboxManager::fillPool()
{
    if (m_poolDraining)
        return;
    // Callers first: a warm sandbox is made only while none of theirs is.
    if (m_coldCreates > 0)
        return; // each cold create schedules a fill when it ends
    struct Count
    {
        int warm = 0;
        bool filling = false;
    };
    QMap<QString, Count> counts;
    QStringList stale;
    for (const auto &[id, e] : m_entries) {
        if (e.pool != Pool::Ready && e.pool != Pool::Filling)
            continue;
        const auto tmpl = m_templates->info(e.rec.info.templateName);
        // Its template was rebuilt or removed since: a create would get old files.
        if (e.pool == Pool::Ready && (!tmpl || tmpl->createdAt != e.poolTemplateBuilt)) {
            stale << id;
            continue;
        }
        Count &c = counts[e.rec.info.templateName];
        ++c.warm;
        c.filling = c.filling || e.pool == Pool::Filling;
    }
    for (const QString &id : std::as_const(stale))
        dropWarm(id, QStringLiteral("its template changed while it was warm"));
    for (const auto &[name, c] : counts.asKeyValueRange()) {
        if (c.filling)
            return; // one at a time; its end schedules the next
    }
    for (const QString &name : std::as_const(m_poolTemplates)) {
        if (counts.value(name).warm >= m_options.warmPoolSize)
            continue;
        const auto tmpl = m_templates->info(name);
        if (!tmpl)
            continue; // removed: nothing to warm
        const SandboxResources want = poolResources();
        // Warm sandboxes take no quota, but never the disk's last room.
        if (auto room = CapacityRules::diskRoom(hostCapacity(), want.diskMb); !room) {
            schedulePoolFill(kFillRetryMs);
            return;
        }
        CreateSandboxRequest req;
        req.templateName = name;
        // No team (an empty name, which the store keeps as such).
        createCold(QStringLiteral(""), req, want, *tmpl, true, [this, name](Result<SandboxInfo> made) {
            if (!made) {
                qCWarning(lcRuntime).noquote() << "could not warm a sandbox of template" << name << "-"
                                               << made.error().message;
                schedulePoolFill(kFillRetryMs);
                return;
            }
            qCInfo(lcRuntime) << "warm" << made->id << "of" << name;
            if (m_poolDraining) {
                dropWarm(made->id, QStringLiteral("the engine is stopping"));
                return;
            }
            schedulePoolFill();
        });
        return;
    }
}

std::optional<QString> SandboxManager::takeWarm(const CreateSandboxRequest &req, const SandboxResources &want,
                                                const TemplateInfo &tmpl)
{
    if (m_poolDraining)
        return std::nullopt;
    for (auto &[id, e] : m_entries) {
        // Its disk has the size it was made with; everything else can change.
        if (e.pool == Pool::Ready && !e.busy && e.rec.info.templateName == req.templateName &&
            e.poolTemplateBuilt == tmpl.createdAt && e.rec.info.diskMb == want.diskMb) {
            e.pool = Pool::None;
            return id;
        }
    }
    return std::nullopt;
}

void SandboxManager::claim(const QString &id, const QString &team, const CreateSandboxRequest &req,
                           const SandboxResources &want, const TemplateInfo &tmpl, Reply<SandboxInfo> done)
{
    SandboxRecord &r = m_entries.at(id).rec;
    const bool limitsChanged = r.info.cpuCount != want.cpus || r.info.memoryMb != want.memoryMb;
    // Everything of the caller's, as a cold create sets it.
    takeRequest(r, team, req, want);

    // Anything that fails hands the caller a cold sandbox instead, and the
    // warm one goes.
    auto coldInstead = [this, id, team, req, want, tmpl, done](const ApiError &why) {
        qCWarning(lcRuntime).noquote() << "warm sandbox" << id << "could not be handed out (" << why.message
                                       << "); making a new one";
        dropWarm(id, QStringLiteral("it could not be handed out"));
        createCold(team, req, want, tmpl, false, done);
    };
    serialize(id, [this, id, limitsChanged, coldInstead, done](std::function<void()> finish) {
        auto it = m_entries.find(id);
        if (it == m_entries.end()) {
            finish();
            coldInstead(ApiError::internal(QStringLiteral("it is gone")));
            return;
        }
        const SandboxRecord &r = it->second.rec;
        Status applied = Done{};
        if (limitsChanged)
            applied = m_limits.apply(OciSpec::cgroupsPathFor(id), r.info.cpuCount, qint64(r.info.memoryMb) << 20);
        if (const auto block = networkBlock(r); applied && block && !(r.info.network == NetworkPolicy()))
            applied = m_networks->setPolicy(*block, r.info.network);
        if (!applied) {
            finish();
            coldInstead(applied.error());
            return;
        }
        const QJsonObject header{{QStringLiteral("op"), QStringLiteral("claim")},
                                 {QStringLiteral("envs"), stringMapToJson(r.envs)}};
        AgentClient::request(
            m_runtime->paths(id).socket(), id, header, {}, kClaimTimeoutMs,
            [this, id, coldInstead, done, finish](Result<AgentReply> answer) {
                finish();
                auto it = m_entries.find(id);
                if (it == m_entries.end()) {
                    coldInstead(ApiError::internal(QStringLiteral("it is gone")));
                    return;
                }
                if (!answer || !answer->header.value(QStringLiteral("ok")).toBool()) {
                    coldInstead(answer ? AgentClient::errorFromAgent(answer->header) : answer.error());
                    return;
                }
                SandboxRecord &rec = it->second.rec;
                rec.info.state = SandboxState::Running;
                // Ready for the caller from now, as a cold one once its agent answers.
                rec.info.startedAt = QDateTime::currentDateTimeUtc();
                if (auto saved = save(rec); !saved) {
                    rec.info.state = SandboxState::Creating;
                    doKill(id, QStringLiteral("its creation could not be recorded"), [this, done, saved](Status) {
                        done(storeRefused(QStringLiteral("create a sandbox"), saved.error()));
                    });
                    return;
                }
                qCInfo(lcRuntime) << "created" << id << "(warm)";
                note(id, QStringLiteral("created"));
                done(rec.info);
                schedulePoolFill(kRefillAfterClaimMs);
            },
            this);
    });
}

void SandboxManager::drainPool(std::function<void()> done)
{
    QElapsedTimer waited;
    waited.start();
    drainPool(std::move(done), waited);
}

void SandboxManager::drainPool(std::function<void()> done, QElapsedTimer waited)
{
    m_poolDraining = true;
    m_poolTimer.stop();
    QStringList ready;
    bool pending = false;
    for (const auto &[id, e] : m_entries) {
        if (e.pool == Pool::Ready)
            ready << id;
        else if (e.pool == Pool::Filling || e.pool == Pool::Leaving)
            pending = true;
    }
    for (const QString &id : std::as_const(ready))
        dropWarm(id, QStringLiteral("the engine is stopping"));
    if (ready.isEmpty() && !pending) {
        done();
        return;
    }
    if (waited.hasExpired(kDrainWaitMs)) {
        // What is left is undone by the next start, as after a crash.
        qCWarning(lcRuntime) << "stopping with warm sandboxes still being made or killed";
        done();
        return;
    }
    // Kills end, and warm sandboxes still being made are dropped as they
    // come up (see fillPool): look again shortly.
    QTimer::singleShot(kDrainPollMs, this, [this, done, waited] { drainPool(done, waited); });
}
