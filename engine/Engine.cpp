// SPDX-License-Identifier: GPL-3.0-or-later
#include "Engine.h"

#include "net/SandboxNetworks.h"

#include "TemplateBuilder.h"
#include "TemplateStore.h"
#include "api/ActivityRoutes.h"
#include "api/ApiServer.h"
#include "api/CodeRoutes.h"
#include "api/CommandRoutes.h"
#include "api/ChangeRoutes.h"
#include "api/FileRoutes.h"
#include "api/PreviewRoutes.h"
#include "api/PtyRoutes.h"
#include "api/SandboxRoutes.h"
#include "api/TemplateRoutes.h"
#include "api/WatchRoutes.h"
#include "runtime/ActivityLog.h"
#include "runtime/AgentClient.h"
#include "runtime/IdmappedMount.h"
#include "runtime/MetricsSampler.h"
#include "proxy/PortWatcher.h"
#include "proxy/PreviewLinks.h"
#include "proxy/PreviewServer.h"
#include "runtime/RuncDriver.h"
#include "runtime/SandboxManager.h"
#include "runtime/SandboxRuntime.h"
#include "runtime/SeccompProfile.h"
#include "store/ActivityStore.h"
#include "store/Database.h"
#include "store/KeyStore.h"
#include "store/SandboxStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>
#include <QWebSocket>

#include <cerrno>
#include <cstring>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

Engine::Engine(EngineConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

Engine::~Engine()
{
    // The parts made as children (manager, routes, activity log) use the
    // stores held below; after a clean shutdown they must go first, in the
    // order they were made.
    while (!children().isEmpty())
        delete children().constFirst();
}

Status Engine::prepareDataDir()
{
    for (const QString &d : {m_config.dataDir, m_config.dataDir + QStringLiteral("/sandboxes"),
                             m_config.dataDir + QStringLiteral("/runc"), m_config.dataDir + QStringLiteral("/agent")}) {
        if (!QDir().mkpath(d))
            return ApiError::internal(QStringLiteral("Cannot create the directory %1.").arg(d));
    }
    // The runtime mounts a sandbox's rootfs and the agent as the sandbox's
    // own (unprivileged) root user, which must be able to pass through these
    // directories; it cannot list them.
    const auto traverseOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
    QFile::setPermissions(m_config.dataDir, traverseOnly);
    QFile::setPermissions(m_config.dataDir + QStringLiteral("/sandboxes"), traverseOnly);
    QFile::setPermissions(m_config.dataDir + QStringLiteral("/runc"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // Its files are public program bytes, run and read by name.
    QFile::setPermissions(m_config.dataDir + QStringLiteral("/agent"), traverseOnly);
    // The same goes for every directory above the data dir; say so now rather
    // than with a runtime error at the first create.
    for (QDir d(m_config.dataDir); d.cdUp();) {
        if (!(QFileInfo(d.absolutePath()).permissions() & QFile::ExeOther))
            return ApiError::internal(
                QStringLiteral("Sandboxes could not reach the data directory %1: its parent %2 is not searchable by "
                               "other users. Run 'chmod o+x %2' or choose another --data-dir.")
                    .arg(m_config.dataDir, d.absolutePath()));
        if (d.isRoot())
            break;
    }
    return Done{};
}

Status Engine::installAgent()
{
    // Sandboxes see a private copy of the agent and its kernel driver,
    // replaced atomically: running agents keep the files they started from.
    const QString dir = QFileInfo(m_config.agentPath).absolutePath();
    const QList<QPair<QString, QString>> files = {
        {m_config.agentPath, QStringLiteral("ai2in-agent")},
        {dir + QStringLiteral("/kernel_driver.py"), QStringLiteral("kernel_driver.py")},
    };
    for (const auto &[from, name] : files) {
        QFile src(from);
        if (!src.open(QIODevice::ReadOnly)) {
            if (name == QLatin1String("ai2in-agent"))
                return ApiError::internal(
                    QStringLiteral("Cannot read the sandbox agent %1; pass its path with --agent.").arg(from));
            // Without the driver only run_code is unavailable; say so once.
            qWarning("ai2ind: %s is missing; run_code will not work in sandboxes.", qPrintable(from));
            continue;
        }
        const QByteArray bytes = src.readAll();
        const QString dst = m_config.dataDir + QStringLiteral("/agent/") + name;
        QFile current(dst);
        if (current.open(QIODevice::ReadOnly) && current.readAll() == bytes)
            continue;
        current.close();
        QSaveFile out(dst);
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
            return ApiError::internal(QStringLiteral("Cannot copy %1 to %2.").arg(from, dst));
        out.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup |
                           QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        if (!out.commit())
            return ApiError::internal(QStringLiteral("Cannot copy %1 to %2.").arg(from, dst));
    }
    return Done{};
}

Status Engine::writeCredentials()
{
    const QString path = m_config.dataDir + QStringLiteral("/credentials.json");
    QString key;
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly)) {
        const QString old = QJsonDocument::fromJson(existing.readAll()).object().value(QStringLiteral("api_key")).toString();
        const auto team = m_keys->teamOf(old);
        if (team && team->has_value())
            key = old;
    }
    if (key.isEmpty()) {
        const auto created = m_keys->create(QStringLiteral("default"));
        if (!created)
            return created.error();
        key = *created;
    }
    QSaveFile out(path);
    out.setDirectWriteFallback(false);
    if (!out.open(QIODevice::WriteOnly))
        return ApiError::internal(QStringLiteral("Cannot write %1.").arg(path));
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(QJsonDocument(QJsonObject{{QStringLiteral("api_key"), key},
                                        {QStringLiteral("base_url"), m_config.baseUrl()}})
                  .toJson(QJsonDocument::Indented));
    if (!out.commit())
        return ApiError::internal(QStringLiteral("Cannot write %1.").arg(path));
    if (auto shared = shareCredentials(path); !shared)
        return shared;
    fprintf(stderr, "ai2ind: API key for team 'default' is in %s\n", qPrintable(path));
    return Done{};
}

Status Engine::shareCredentials(const QString &path) const
{
    // Like the docker group: its members may use the local engine without
    // root, which also means they can do anything any sandbox user can.
    if (m_config.credentialsGroup.isEmpty())
        return Done{};
    const QByteArray name = m_config.credentialsGroup.toLocal8Bit();
    const struct group *g = ::getgrnam(name.constData());
    if (!g)
        return Done{}; // no such group on this machine: the file stays the owner's alone
    const QByteArray file = QFile::encodeName(path);
    if (::chown(file.constData(), uid_t(-1), g->gr_gid) != 0 || ::chmod(file.constData(), 0640) != 0)
        return ApiError::internal(QStringLiteral("Cannot give the group %1 read access to %2: %3.")
                                      .arg(m_config.credentialsGroup, path, QString::fromLocal8Bit(std::strerror(errno))));
    return Done{};
}

Result<UidRangeAllocator> Engine::uidRanges() const
{
    UidRangeAllocator pool(m_config.uidPoolBase, m_config.uidPoolRanges);
    if (const QString bad = pool.checkPool(); !bad.isEmpty())
        return ApiError::internal(bad);
    if (!pool.enabled()) {
        fprintf(stderr, "ai2ind: --uid-pool-size 0: sandboxes of one template share its host ids.\n");
        return pool;
    }
    // Ids another tool hands out (rootless podman, systemd-nspawn users) and
    // the templates' own ranges are never a sandbox's.
    QList<IdRange> reserved = UidRangeAllocator::hostSubordinateIds();
    for (const QString &name : m_templates->names()) {
        if (const auto info = m_templates->info(name))
            reserved.append({info->uidBase, info->uidCount});
    }
    pool.setReserved(reserved);
    // Say now, not at the first create, when this kernel or the templates'
    // file system cannot give sandboxes ranges of their own.
    if (QFileInfo(m_config.templatesDir).isDir()) {
        if (auto s = IdmappedMount::probe(m_config.templatesDir, m_config.dataDir + QStringLiteral("/.idmap-probe")); !s)
            return ApiError::internal(
                QStringLiteral("Sandboxes cannot have host ids of their own here: %1 Use Linux 5.19 or newer with the "
                               "templates on a file system with idmapped mounts (ext4, xfs, btrfs), or start ai2ind "
                               "with --uid-pool-size 0 to let the sandboxes of a template share its ids.")
                    .arg(s.error().message));
    }
    const int lost = pool.reservedSlots();
    if (lost >= int(m_config.uidPoolRanges))
        return ApiError::internal(
            QStringLiteral("Every id range of the sandbox pool (%1 ranges from %2) overlaps /etc/subuid, /etc/subgid "
                           "or a template's ids; choose another --uid-pool-base.")
                .arg(m_config.uidPoolRanges)
                .arg(m_config.uidPoolBase));
    if (lost > 0)
        fprintf(stderr, "ai2ind: %d of the %u sandbox id ranges overlap /etc/subuid, /etc/subgid or a template's ids "
                        "and stay unused.\n",
                lost, m_config.uidPoolRanges);
    return pool;
}

Status Engine::startActivityAndMetrics()
{
    m_activityStore = std::make_unique<ActivityStore>(m_db->db());
    m_activity = new ActivityLog(m_activityStore.get(), m_config.activityLimit, this);
    SandboxManager *sm = m_sandboxes;
    m_activity->setAgentQuery([sm](const QString &id, const QJsonObject &header, int timeoutMs,
                                   std::function<void(Result<AgentReply>)> done) {
        sm->queryAgent(id, header, timeoutMs, std::move(done));
    });
    if (auto s = m_activity->load(); !s)
        return s;
    m_sampler = new MetricsSampler([sm] { return sm->runningIds(); }, this);
    m_sampler->setNetworkCounters([sm](const QString &id) { return sm->networkCounters(id); });
    m_sampler->start();
    m_sandboxes->attach(m_activity, m_sampler);
    return Done{};
}

Status Engine::startNetworks()
{
    SandboxNetworks::Options o;
    o.enabled = m_config.network;
    o.pool = m_config.networkPool;
    o.name = m_config.networkName;
    o.allowPrivate = m_config.allowPrivateOut;
    o.dns = m_config.networkDns;
    m_networks = new SandboxNetworks(o, this);
    if (!o.enabled)
        return Done{};
    const auto records = m_store->loadAll();
    if (!records)
        return records.error();
    QList<SandboxNetworks::Member> members;
    for (const SandboxRecord &r : *records)
        members.append({r.info.netAddress, r.info.network});
    if (auto s = m_networks->start(members); !s) {
        ApiError e = s.error();
        e.message += QStringLiteral(" (Start the engine with --network none to run sandboxes with loopback only.)");
        return e;
    }
    m_runtime->setNetworks(m_networks);
    m_sandboxes->setNetworks(m_networks);
    return Done{};
}

void Engine::start(std::function<void(Status)> ready)
{
    if (auto s = prepareDataDir(); !s)
        return ready(s);
    if (auto s = installAgent(); !s)
        return ready(s);
    m_db = std::make_unique<Database>(QStringLiteral("engine"));
    if (auto s = m_db->open(m_config.dataDir + QStringLiteral("/state.db")); !s)
        return ready(s);
    // The umask keeps new files private; these repair a store, WAL and shared
    // memory file left readable by an older engine.
    for (const char *suffix : {"", "-wal", "-shm"}) {
        const QString f = m_config.dataDir + QStringLiteral("/state.db") + QLatin1String(suffix);
        if (QFileInfo::exists(f))
            QFile::setPermissions(f, QFile::ReadOwner | QFile::WriteOwner);
    }
    m_keys = std::make_unique<KeyStore>(m_db->db());
    m_store = std::make_unique<SandboxStore>(m_db->db());
    m_templates = std::make_unique<TemplateStore>(m_config.templatesDir);
    if (QFileInfo::exists(m_config.templatesDir) && !TemplateStore::closeToOthers(m_config.templatesDir))
        qWarning("ai2ind: cannot make %s private to root.", qPrintable(m_config.templatesDir));
    for (const QString &name : TemplateRecipe::names()) {
        QString why;
        if (m_templates->exists(name) && !TemplateBuilder::isCurrent(*m_templates, name, &why))
            fprintf(stderr, "ai2ind: %s Its sandboxes lack what the recipe has since gained; rebuild it with "
                            "\"ai2ind template build %s\".\n",
                    qPrintable(why), qPrintable(name));
    }
    if (auto s = writeCredentials(); !s)
        return ready(s);

    // No sandbox ever starts without its runtime's seccomp filter: a missing
    // or malformed profile stops the engine here, with the reason.
    const auto seccomp = SeccompProfile::forRuntime(m_config.runtimePath);
    if (!seccomp)
        return ready(seccomp.error());
    m_runc = new RuncDriver(m_config.runtimePath, m_config.dataDir + QStringLiteral("/runc"), this);
    m_runtime = new SandboxRuntime({m_config.dataDir, m_config.dataDir + QStringLiteral("/agent"), m_config.pidsLimit,
                                    *seccomp},
                                   m_runc, this);
    m_runtime->closeDirsLeftOpen();
    SandboxManager::Options opts;
    opts.nodeId = m_config.nodeId;
    opts.idleTimeoutSeconds = m_config.idleTimeoutSeconds;
    opts.maxRunningPerTeam = m_config.maxRunningPerTeam;
    opts.warmPoolSize = m_config.warmPoolSize;
    opts.defaultCpuCount = m_config.defaultCpuCount;
    opts.defaultMemoryMb = m_config.defaultMemoryMb;
    opts.defaultDiskMb = m_config.defaultDiskMb;
    opts.diskReserveMb = m_config.diskReserveMb;
    opts.dataDir = m_config.dataDir;
    KeyStore *keys = m_keys.get();
    opts.budgetOf = [keys](const QString &team) { return keys->budget(team); };
    if (auto ranges = uidRanges(); !ranges)
        return ready(ranges.error());
    else
        opts.uidRanges = *ranges;
    m_sandboxes = new SandboxManager(opts, m_store.get(), m_runtime, m_templates.get(), this);
    if (auto s = startNetworks(); !s)
        return ready(s);
    if (auto s = startActivityAndMetrics(); !s)
        return ready(s);

    m_sandboxes->restore([this, ready](Status s) {
        if (!s)
            return ready(s);
        m_api = new ApiServer(m_keys.get(), m_config.nodeId, m_config.maxConnections, this);
        const PreviewLinks links(m_config.previewScheme, m_config.previewDomain,
                                 m_config.previewPublicPort ? m_config.previewPublicPort : m_config.previewPort);
        m_portWatcher = new PortWatcher(m_sandboxes, this);
        PortWatcher *ports = m_portWatcher;
        SandboxRoutes::install(*m_api, *m_sandboxes, [ports, links](SandboxInfo &info) {
            if (info.state != SandboxState::Running)
                return;
            for (quint16 p : ports->ports(info.id))
                info.ports.append({p, links.url(info.id, p)});
        });
        PreviewRoutes::install(*m_api, *m_sandboxes, links);
        CommandRoutes::install(*m_api, *m_sandboxes);
        FileRoutes::install(*m_api, *m_sandboxes);
        ChangeRoutes::install(*m_api, *m_sandboxes);
        ActivityRoutes::install(*m_api, *m_sandboxes);
        PtyRoutes::install(*m_api, *m_sandboxes);
        WatchRoutes::install(*m_api, *m_sandboxes);
        CodeRoutes::install(*m_api, *m_sandboxes);
        TemplateRoutes::install(*m_api, *m_templates, *m_sandboxes);
        if (m_api->listen(m_config.listenAddress, m_config.listenPort) == 0)
            return ready(ApiError::internal(QStringLiteral("Cannot listen on %1:%2; is another engine running there?")
                                                .arg(m_config.listenAddress.toString())
                                                .arg(m_config.listenPort)));
        for (const QHostAddress &address : m_config.previewAddresses) {
            auto *server = new PreviewServer(m_sandboxes, links, this);
            if (server->listen(address, m_config.previewPort)) {
                m_previews.append(server);
                continue;
            }
            // A host without IPv6 still serves previews on 127.0.0.1, where
            // clients fall back to.
            const bool noIpv6 = address == QHostAddress::LocalHostIPv6 && m_config.previewAddresses.size() > 1
                && (server->serverError() == QAbstractSocket::UnsupportedSocketOperationError
                    || server->serverError() == QAbstractSocket::SocketAddressNotAvailableError);
            const QString why = server->errorString();
            delete server;
            if (noIpv6) {
                fprintf(stderr, "ai2ind: no IPv6 loopback here (%s); previews are served on 127.0.0.1 only.\n",
                        qPrintable(why));
                continue;
            }
            return ready(ApiError::internal(QStringLiteral("Cannot listen for previews on %1 port %2 (%3); choose "
                                                           "another --preview-listen.")
                                                .arg(address.toString())
                                                .arg(m_config.previewPort)
                                                .arg(why)));
        }
        m_portWatcher->start();
        m_sandboxes->startPool();
        fprintf(stderr, "ai2ind: listening on %s\n", qPrintable(m_config.baseUrl()));
        ready(Done{});
    });
}

// ---- clean shutdown --------------------------------------------------------

void Engine::shutdown(std::function<void()> done)
{
    if (m_stopping) {
        // Asked again (a second ^C): stop waiting for requests.
        m_shutdownDeadline = QDeadlineTimer(0);
        return;
    }
    m_stopping = true;
    m_shutdownDone = std::move(done);
    m_shutdownDeadline = QDeadlineTimer(kShutdownWaitMs);
    fprintf(stderr, "ai2ind: stopping; running sandboxes keep running and are adopted at the next start (warm ones go)\n");
    if (m_api)
        m_api->stopListening();
    for (PreviewServer *server : std::as_const(m_previews))
        server->close();
    // Terminals and watches have no answer to wait for: tell them now.
    for (QWebSocket *ws : findChildren<QWebSocket *>())
        ws->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("The engine is shutting down."));
    if (!m_sandboxes) {
        waitForRequests();
        return;
    }
    m_sandboxes->stopReaper();
    // Warm sandboxes are nobody's: they go, and the next start makes new ones.
    m_sandboxes->drainPool([this] { waitForRequests(); });
}

void Engine::waitForRequests()
{
    const int open = m_api ? m_api->inFlight() : 0;
    if (open > 0 && !m_shutdownDeadline.hasExpired()) {
        QTimer::singleShot(50, this, &Engine::waitForRequests);
        return;
    }
    if (open == 0) {
        finishShutdown();
        return;
    }
    qWarning("ai2ind: %d request(s) still in flight after %d s; answering them 503", open, kShutdownWaitMs / 1000);
    m_api->failInFlight(ApiError::unavailable(
        QStringLiteral("The engine is shutting down and could not finish this request in time; what runs inside the "
                       "sandbox goes on. Ask again once the engine is back.")));
    // The answers leave through the event loop; give it a moment.
    QTimer::singleShot(200, this, &Engine::finishShutdown);
}

void Engine::finishShutdown()
{
    if (m_db) {
        if (auto s = m_db->checkpoint(); !s)
            qWarning("ai2ind: %s", qPrintable(s.error().message));
    }
    fprintf(stderr, "ai2ind: stopped\n");
    if (auto done = std::exchange(m_shutdownDone, nullptr))
        done();
}
