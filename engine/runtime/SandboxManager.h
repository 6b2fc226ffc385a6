// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AgentStream.h"
#include "CapacityRules.h"
#include "CgroupLimits.h"
#include "CgroupStats.h"
#include "CreateSandboxRequest.h"
#include "Result.h"
#include "SandboxNetworks.h"
#include "SandboxRecord.h"
#include "SandboxRuntime.h"
#include "UidRangeAllocator.h"

#include <QElapsedTimer>
#include <QMap>
#include <map>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

class ActivityLog;
class MetricsSampler;
class SandboxRuntime;
class SandboxWatchdog;
class SandboxStore;
class TemplateStore;
struct TemplateInfo;

// The sandboxes' state machine: creates, pauses, resumes and kills them,
// keeps the store in step, enforces quotas, lifetimes and the idle reaper,
// and brings everything back after a restart. Operations on one sandbox run
// one after another; different sandboxes proceed independently.
class SandboxManager : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString nodeId;
        int idleTimeoutSeconds = 1800;
        int maxRunningPerTeam = 20;
        int defaultCpuCount = 2;
        int defaultMemoryMb = 512;
        int defaultDiskMb = 10 * 1024;
        // Free space of the data dir's file system that sandboxes never get
        // (--disk-reserve-mb): below it, nothing is created or resumed.
        qint64 diskReserveMb = 2048;
        // Where the free space is measured.
        QString dataDir;
        // A team's budget (from the key store); null: no budgets.
        std::function<Result<TeamBudget>(const QString &team)> budgetOf;
        // Where each sandbox's own host id range comes from; a disabled pool
        // (no slots) gives every sandbox its template's range.
        UidRangeAllocator uidRanges;
        // Warm sandboxes kept ready per template (--warm-pool); 0: none.
        int warmPoolSize = 2;
        // The template kept warm from the start; others once asked for.
        QString defaultTemplate = QStringLiteral("base");
    };
    SandboxManager(Options options, SandboxStore *store, SandboxRuntime *runtime, TemplateStore *templates,
                   QObject *parent = nullptr);

    template <typename T>
    using Reply = std::function<void(Result<T>)>;

    // Loads the store and reconciles it with the runtime; `done` runs when
    // every sandbox is back to a steady state.
    void restore(std::function<void(Status)> done);
    // For a clean shutdown: no lifetime or idle kill starts any more.
    void stopReaper() { m_reaper.stop(); }

    // The warm pool (SandboxManagerPool.cpp): sandboxes started before anyone
    // asks, invisible and counted against nothing, handed to the next create
    // of their template as if made for it. Starts filling after restore();
    // drained (every warm sandbox killed) for a clean shutdown.
    void startPool();
    void drainPool(std::function<void()> done);
    // Warm sandboxes ready to be handed out, per template.
    QMap<QString, int> warmCounts() const;

    void create(const QString &team, const CreateSandboxRequest &req, Reply<SandboxInfo> done);
    void kill(const QString &team, const QString &id, Reply<Done> done);
    void pause(const QString &team, const QString &id, Reply<SandboxInfo> done);
    // `keepMemory`: freeze the processes (runc pause) instead of stopping them.
    void pause(const QString &team, const QString &id, bool keepMemory, Reply<SandboxInfo> done);
    void resume(const QString &team, const QString &id, Reply<SandboxInfo> done);
    void connectTo(const QString &team, const QString &id, bool autoResume, Reply<SandboxInfo> done);
    Result<SandboxInfo> setTimeout(const QString &team, const QString &id, qint64 seconds);
    // Applies a `POST …/network` body (NetworkPolicy::apply) to the policy
    // in force, live.
    Result<SandboxInfo> setNetwork(const QString &team, const QString &id, const QJsonObject &body);
    // Sandbox networks; null or disabled: loopback only.
    void setNetworks(SandboxNetworks *networks) { m_networks = networks; }
    SandboxNetworks *networks() const { return m_networks; }
    // A sandbox's network counters (zeros without a network).
    SandboxNetworks::Counters networkCounters(const QString &id);
    // The sandbox's block of the network pool (nullopt without a network).
    std::optional<int> networkBlock(const SandboxRecord &r) const;
    Result<SandboxInfo> info(const QString &team, const QString &id) const;
    QList<SandboxInfo> list(const QString &team) const;
    void metrics(const QString &team, const QString &id, Reply<QJsonObject> done);

    // A stream to the agent of a running sandbox (not yet opened); counts as
    // activity. The caller owns it (through `parent`).
    Result<AgentStream *> stream(const QString &team, const QString &id, AgentStream::Mode mode, QObject *parent);
    // Preview URLs carry no key: a running sandbox is reachable by its id
    // alone, or, when it was created with preview_auth, by its id and its
    // preview token. The token ("" without preview_auth) of a running
    // sandbox; 404 or 409 otherwise.
    Result<QString> previewAccess(const QString &id) const;
    // A tunnel stream to a running sandbox (not yet opened); not activity.
    Result<AgentStream *> previewStream(const QString &id, QObject *parent);
    // A preview request that was let through: counts as activity.
    void previewActivity(const QString &id);

    // The activity log and the metrics sampler, which the routes reach
    // through the manager; either may be null.
    void attach(ActivityLog *activity, MetricsSampler *sampler);
    ActivityLog *activity() const { return m_activity; }
    MetricsSampler *sampler() const { return m_sampler; }
    QStringList runningIds() const;
    // Like callAgent, for the engine's own questions: no team, no activity.
    void queryAgent(const QString &id, const QJsonObject &header, int timeoutMs, Reply<struct AgentReply> done);

    // Where the changes of a sandbox can be read on the host: its own layer
    // and its template's root. Only while its files are mounted (running,
    // or paused with its memory); `conflict` otherwise.
    struct Layers
    {
        QString upper;
        QString lower;
    };
    Result<Layers> layers(const QString &team, const QString &id) const;

    // Sends a request to the agent of a running sandbox; counts as activity.
    void callAgent(const QString &team, const QString &id, const QJsonObject &header, const QByteArray &body,
                   int timeoutMs, Reply<struct AgentReply> done);

    // Signals every process of `session` (a command's session, as the
    // sandbox numbers it) through the sandbox's cgroup (SessionKiller);
    // serialized with pause and resume, which use the same freezer.
    void killSession(const QString &team, const QString &id, qint64 session, int signal, Reply<Done> done);

private:
    // Where a sandbox stands towards the warm pool.
    enum class Pool {
        None,    // someone's sandbox (or being made for someone)
        Filling, // being started for the pool
        Ready,   // warm, waiting for a create
        Leaving, // a warm one being killed (drained, stale or failed)
    };
    struct Entry
    {
        SandboxRecord rec;
        Pool pool = Pool::None;
        QDateTime poolTemplateBuilt; // the build of the template it was warmed from
        bool busy = false;
        std::deque<std::function<void()>> pending;
        std::optional<CgroupSample> lastSample;
        QElapsedTimer lastSampleAge;
    };

    // Makes a sandbox the slow way: its directory, disk and container. With
    // `forPool` it is a warm one, for no team, and never announced.
    void createCold(const QString &team, const CreateSandboxRequest &req, const SandboxResources &want,
                    const TemplateInfo &tmpl, bool forPool, Reply<SandboxInfo> done);
    // A warm sandbox that can serve `req` as it is, if any; taken from the pool.
    std::optional<QString> takeWarm(const CreateSandboxRequest &req, const SandboxResources &want,
                                    const TemplateInfo &tmpl);
    // Gives the warm sandbox `id` to the caller; a cold create if that fails.
    void claim(const QString &id, const QString &team, const CreateSandboxRequest &req, const SandboxResources &want,
               const TemplateInfo &tmpl, Reply<SandboxInfo> done);
    // Starts one warm sandbox where one is missing, one at a time, and only
    // while no create of a caller is under way.
    void fillPool();
    void schedulePoolFill(int delayMs = 0);
    void drainPool(std::function<void()> done, QElapsedTimer waited);
    // Kills a warm sandbox without a word in any activity log.
    void dropWarm(const QString &id, const QString &reason);
    SandboxResources poolResources() const;
    // What of a create request goes into a sandbox's record, as of now: its
    // team, times, metadata, limits but the disk, envs, preview token and
    // network policy.
    static void takeRequest(SandboxRecord &r, const QString &team, const CreateSandboxRequest &req,
                            const SandboxResources &want);

    Result<Entry *> find(const QString &team, const QString &id);
    Result<const Entry *> find(const QString &team, const QString &id) const;
    // Sandboxes of the team that hold CPUs and memory: starting, running,
    // being paused, or frozen in memory. Stopped pauses hold only disk.
    static bool holdsMemory(const SandboxRecord &r);
    int runningCount(const QString &team, const QString &except = {}) const;
    // What the team's sandboxes hold (CPU and memory of those that hold
    // memory, disk of all), leaving out `except`.
    SandboxResources teamUsage(const QString &team, const QString &except = {}) const;
    HostCapacity hostCapacity() const;
    // Whether `team` may start a sandbox asking for `want` (cap, budget and
    // disk room), `except` being the sandbox itself on a resume.
    Status admit(const QString &team, const SandboxResources &want, const QString &except, const QString &verb) const;
    Status save(const SandboxRecord &r);
    // The store refused a write that an operation needs before it changes
    // anything: the operation is not done.
    static ApiError storeRefused(const QString &what, const ApiError &why);
    // Runs `op` once no other operation on the sandbox is in flight; `op`
    // must call the finish function it is given exactly once.
    // Inside a serialized operation: the sandbox's record, or nullptr after
    // finishing the operation and answering `done` with the lookup's error.
    template <typename T>
    SandboxRecord *recordInOperation(const QString &team, const QString &id, const std::function<void()> &finish,
                                     const Reply<T> &done);
    void serialize(const QString &id, std::function<void(std::function<void()> finish)> op);
    // Records the kill first, then destroys. A kill whose record fails is
    // refused (nothing done), unless the row already says creating or
    // killing (both mean "to be removed"); a row that cannot be deleted
    // afterwards stays as "killing", hidden, for the reaper to finish.
    void doKill(const QString &id, const QString &reason, std::function<void(Status)> done);
    void doStart(const QString &id, std::function<void(Status)> done);
    void restoreRows(std::function<void(Status)> done);
    void restoreOne(const QString &id, std::function<void()> done);
    void sweepOrphans(std::function<void()> done);
    // Starts a sandbox again on its kept files; paused if that fails.
    void restartOnKeptFiles(const QString &id, std::function<void()> done);
    // Restore steps: a container found running is kept once its agent
    // answers; a sandbox without one becomes a stopped pause.
    void adoptRunning(const QString &id, std::function<void()> done);
    void stopPaused(const QString &id, std::function<void()> done);
    void reap();
    void note(const QString &id, const QString &event, const QJsonObject &extra = {});
    void freeze(const QString &id, std::function<void()> finish, Reply<SandboxInfo> done);
    void thaw(const QString &id, std::function<void()> finish, Reply<SandboxInfo> done);
    // Starts a paused sandbox's container again on its kept files (a plain
    // resume, or a frozen one whose container is gone); answers the resume.
    void restartOnKeptFiles(const QString &id, std::function<void()> finish, Reply<SandboxInfo> done);
    QString templateRootfs(const QString &name) const;
    // A new sandbox's host ids: a free slot of the pool, or the template's
    // own range when the pool is disabled.
    Result<IdRange> allocateIds(const TemplateInfo &tmpl) const;
    // The template under a sandbox and the ids that own it on disk.
    Result<SandboxRuntime::Lower> lowerOf(const SandboxRecord &r) const;
    // The agent (PID 1) of a running sandbox died: the sandbox is in error.
    void agentDied(const QString &id, const QString &reason);

    Options m_options;
    SandboxStore *m_store;
    SandboxRuntime *m_runtime;
    TemplateStore *m_templates;
    std::map<QString, Entry> m_entries; // node-based: an Entry* stays valid while others come and go
    QTimer m_reaper;
    CgroupStats m_cgroups;
    ActivityLog *m_activity = nullptr;
    MetricsSampler *m_sampler = nullptr;
    SandboxWatchdog *m_watchdog = nullptr;
    SandboxNetworks *m_networks = nullptr;
    CgroupLimits m_limits;
    QStringList m_poolTemplates; // kept warm, in the order first asked for
    QTimer m_poolTimer;
    bool m_poolStarted = false;
    bool m_poolDraining = false;
    int m_coldCreates = 0; // callers' creates under way: the pool waits for them

    // Gives a sandbox made before networks (or on another pool) a block
    // of the pool and its rules, before it starts.
    Status ensureNetwork(SandboxRecord &r);
    // Before its container stops: keeps its link's counters.
    void detachNetwork(const SandboxRecord &r);
};
