// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineConfig.h"
#include "Result.h"
#include "runtime/UidRangeAllocator.h"

#include <QDeadlineTimer>
#include <QObject>

#include <functional>
#include <memory>

class ActivityLog;
class ActivityStore;
class ApiServer;
class MetricsSampler;
class Database;
class KeyStore;
class PortWatcher;
class PreviewServer;
class RuncDriver;
class SandboxManager;
class SandboxNetworks;
class SandboxRuntime;
class SandboxStore;
class TemplateStore;

// The running engine: owns every part and starts them in order.
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(EngineConfig config, QObject *parent = nullptr);
    ~Engine() override;

    // Prepares the data dir, restores the sandboxes, then listens. `ready`
    // gets the outcome; on failure the sentence says what to fix.
    void start(std::function<void(Status)> ready);

    // A clean stop (SIGTERM): stops accepting, lets requests in flight finish
    // for at most kShutdownWaitMs then answers the rest 503, checkpoints the
    // state database, then calls `done`. Sandboxes keep running; the next
    // start adopts them. A second call stops waiting at once.
    void shutdown(std::function<void()> done);
    static constexpr int kShutdownWaitMs = 10000;

private:
    void waitForRequests();
    void finishShutdown();
    Status prepareDataDir();
    Status installAgent();
    Status writeCredentials();
    Status shareCredentials(const QString &path) const;
    Status startActivityAndMetrics();
    // The sandboxes' networks, with the rules of every sandbox in the store.
    Status startNetworks();
    // The sandboxes' id pool from the configuration, kept clear of
    // /etc/subuid, /etc/subgid and the templates' ranges.
    Result<UidRangeAllocator> uidRanges() const;

    EngineConfig m_config;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<SandboxStore> m_store;
    std::unique_ptr<TemplateStore> m_templates;
    std::unique_ptr<ActivityStore> m_activityStore;
    ActivityLog *m_activity = nullptr;
    MetricsSampler *m_sampler = nullptr;
    RuncDriver *m_runc = nullptr;
    SandboxRuntime *m_runtime = nullptr;
    SandboxManager *m_sandboxes = nullptr;
    SandboxNetworks *m_networks = nullptr;
    ApiServer *m_api = nullptr;
    PortWatcher *m_portWatcher = nullptr;
    QList<PreviewServer *> m_previews; // one per listening address
    bool m_stopping = false;
    QDeadlineTimer m_shutdownDeadline;
    std::function<void()> m_shutdownDone;
};
