// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxRuntime.h"

#include "AgentClient.h"
#include "CaBundle.h"
#include "HostMounts.h"
#include "IdmappedMount.h"
#include "OciSpec.h"
#include "RuncDriver.h"
#include "SandboxDisk.h"
#include "SandboxNetworks.h"
#include "UploadLeftovers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>

#include <cerrno>
#include <cstring>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr int kAgentStartTimeoutMs = 15000;

QStringList envList(const StringMap &envs)
{
    QStringList l;
    for (auto it = envs.cbegin(); it != envs.cend(); ++it)
        l.append(it.key() + QLatin1Char('=') + it.value());
    return l;
}

} // namespace

SandboxRuntime::SandboxRuntime(Options options, RuncDriver *runc, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_runc(runc)
    , m_disk(new SandboxDisk(m_options.dataDir + QStringLiteral("/disks"), this))
{
}

void SandboxRuntime::prepare(const SandboxRecord &r, Callback done)
{
    const SandboxPaths p = paths(r.info.id);
    for (const QString &d : {p.dir, p.rootfs()}) {
        if (!QDir().mkpath(d)) {
            done(ApiError::internal(QStringLiteral("Cannot create the directory %1 for sandbox %2.").arg(d, r.info.id)));
            return;
        }
    }
    if (auto s = closeDir(r); !s) {
        done(s);
        return;
    }
    m_disk->create(p, r.info.diskMb, r.uidBase, std::move(done));
}

Status SandboxRuntime::closeDir(const SandboxRecord &r) const
{
    // Only the sandbox's own root user (whose host group is uidBase) may pass
    // through, as runc does when it mounts rootfs/ from inside the user
    // namespace; no other local user can reach the sandbox's files, config or
    // socket, even knowing their names.
    const QByteArray dir = QFile::encodeName(paths(r.info.id).dir);
    if (::chown(dir.constData(), 0, r.uidBase) != 0 || ::chmod(dir.constData(), 0710) != 0)
        return ApiError::internal(QStringLiteral("Cannot close the directory of sandbox %1 to other users: %2.")
                                      .arg(r.info.id, QString::fromLocal8Bit(strerror(errno))));
    return Done{};
}

void SandboxRuntime::closeDirsLeftOpen() const
{
    // An older engine left sandbox directories passable and their
    // config.json and agent.log readable by everyone; running sandboxes are
    // re-adopted without a new start, so repair them here. The sandbox's
    // root is the owner of its upper layer.
    const QDir sandboxes(m_options.dataDir + QStringLiteral("/sandboxes"));
    for (const QString &id : sandboxes.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const SandboxPaths p = paths(id);
        struct stat dir{}, upper{};
        if (::stat(QFile::encodeName(p.dir).constData(), &dir) != 0 || (dir.st_mode & 07) == 0
            || ::stat(QFile::encodeName(p.upper()).constData(), &upper) != 0 || upper.st_uid == 0)
            continue;
        SandboxRecord r;
        r.info.id = id;
        r.uidBase = upper.st_uid;
        if (auto s = closeDir(r); !s)
            qCWarning(lcRuntime, "%s", qPrintable(s.error().message));
        for (const QString &f : {p.config(), p.log()})
            ::chmod(QFile::encodeName(f).constData(), 0600);
    }
}

Status SandboxRuntime::mountRootfs(const SandboxRecord &r, const Lower &lower, const QString &upper,
                                   const QString &work)
{
    const SandboxPaths p = paths(r.info.id);
    const IdRange own{r.uidBase, r.uidCount};
    if (own == lower.ids)
        return HostMounts::mountOverlay(lower.rootfs, upper, work, p.rootfs());
    return IdmappedMount::mountOverlay(lower.rootfs, {lower.ids, own}, upper, work, p.rootfs(),
                                       lowerAttachPoint(r.info.id));
}

QString SandboxRuntime::lowerAttachPoint(const QString &id) const
{
    return paths(id).dir + QStringLiteral("/lower");
}

void SandboxRuntime::start(const SandboxRecord &r, const Lower &lower, Callback done)
{
    const QString id = r.info.id;
    const SandboxPaths p = paths(id);

    OciSpecParams spec;
    spec.sandboxId = id;
    spec.agentDir = m_options.agentDir;
    spec.env = envList(r.envs);
    spec.uidBase = r.uidBase;
    spec.uidCount = r.uidCount;
    spec.cpuCount = r.info.cpuCount;
    spec.memoryBytes = qint64(r.info.memoryMb) * 1024 * 1024;
    spec.pidsLimit = m_options.pidsLimit;
    spec.seccomp = m_options.seccomp;
    if (const auto block = networkBlock(r)) {
        if (auto s = writeNetworkFiles(r, *block); !s) {
            done(s);
            return;
        }
        spec.resolvConf = p.resolvConf();
        spec.hosts = p.hosts();
    }
    // The host's own CAs, when its administrator added any.
    if (const QList<QByteArray> hostCas = CaBundle::fromDirectory(QString::fromLatin1(CaBundle::kHostLocalDir));
        !hostCas.isEmpty()) {
        QFile templateBundle(lower.rootfs + QString::fromLatin1(CaBundle::kBundleInRootfs));
        const QByteArray base = templateBundle.open(QIODevice::ReadOnly) ? templateBundle.readAll() : QByteArray();
        if (auto s = writeOwnedBySandbox(r, p.caBundle(), CaBundle::compose(base, hostCas)); !s) {
            done(s);
            return;
        }
        spec.caBundle = p.caBundle();
    }
    // Sandboxes made by an older engine had an open directory: close it.
    if (auto s = closeDir(r); !s) {
        done(s);
        return;
    }
    QSaveFile config(p.config());
    // The envs are in it: the owner's alone (also when an older, readable
    // file is replaced, whose mode QSaveFile would otherwise keep).
    if (!config.open(QIODevice::WriteOnly) || !config.setPermissions(QFile::ReadOwner | QFile::WriteOwner) ||
        config.write(QJsonDocument(OciSpec::build(spec)).toJson(QJsonDocument::Indented)) < 0 || !config.commit()) {
        done(ApiError::internal(QStringLiteral("Cannot write the container configuration of sandbox %1.").arg(id)));
        return;
    }
    QDir().mkpath(p.rootfs());
    // Sandboxes from before per-sandbox disks keep their layers in DIR.
    const bool ownDisk = r.info.diskMb > 0;
    if (ownDisk) {
        if (auto s = SandboxDisk::mount(p); !s) {
            done(s);
            return;
        }
    }
    // Nothing runs on the files yet: uploads an engine or host crash cut
    // short (after the container went, before its stop could sweep) go now.
    UploadLeftovers::sweep(ownDisk ? p.upper() : p.legacyUpper(), this,
                           [this, r, lower, done] { startOnFiles(r, lower, done); });
}

void SandboxRuntime::startOnFiles(const SandboxRecord &r, const Lower &lower, Callback done)
{
    const QString id = r.info.id;
    const SandboxPaths p = paths(id);
    const bool ownDisk = r.info.diskMb > 0;
    if (!HostMounts::isMounted(p.rootfs())) {
        if (auto s = mountRootfs(r, lower, ownDisk ? p.upper() : p.legacyUpper(), ownDisk ? p.work() : p.legacyWork());
            !s) {
            SandboxDisk::unmount(p);
            done(s);
            return;
        }
    }
    const auto fd = HostMounts::listenUnix(p.socket());
    if (!fd) {
        HostMounts::unmount(p.rootfs());
        SandboxDisk::unmount(p);
        done(fd.error());
        return;
    }
    const int listenFd = *fd;
    const std::optional<int> block = networkBlock(r);
    m_runc->run(id, p.dir, listenFd, p.log(), p.pidFile(), [this, id, listenFd, block, done](Status s) {
        // The container holds its own copy now; ours must go, or a dead agent
        // would leave connections waiting in the backlog instead of refused.
        HostMounts::closeFd(listenFd);
        if (!s) {
            stop(id, [done, s](Status) { done(s); });
            return;
        }
        // The link is made while the agent starts; the sandbox is ready when
        // both are, and the first failure is the one reported.
        struct Join
        {
            int pending = 1;
            Status result = Done{};
        };
        auto join = std::make_shared<Join>();
        auto finish = [this, id, join, done](Status part) {
            if (join->result && !part)
                join->result = part;
            if (--join->pending > 0)
                return;
            if (!join->result) {
                stop(id, [done, failed = join->result](Status) { done(failed); });
                return;
            }
            done(Done{});
        };
        if (block) {
            ++join->pending;
            attachNetwork(id, *block, finish);
        }
        waitForAgent(id, kAgentStartTimeoutMs, finish);
    });
}

std::optional<int> SandboxRuntime::networkBlock(const SandboxRecord &r) const
{
    if (!m_networks || !m_networks->enabled())
        return std::nullopt;
    return m_networks->blockOf(r.info.netAddress);
}

Status SandboxRuntime::writeOwnedBySandbox(const SandboxRecord &r, const QString &path, const QByteArray &content)
{
    // Written anew at every start, so nothing is lost if a crash cuts this
    // short: a rename keeps it whole, and no fsync (a QSaveFile's, some
    // milliseconds per file) waits for the disk on the way to a ready sandbox.
    const QString fresh = path + QStringLiteral(".new");
    QFile f(fresh);
    const QByteArray name = QFile::encodeName(fresh);
    bool ok = f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
    f.close();
    // The sandbox's root owns it, as root owns such files on any machine.
    ok = ok && ::chown(name.constData(), r.uidBase, r.uidBase) == 0 && ::chmod(name.constData(), 0644) == 0 &&
         ::rename(name.constData(), QFile::encodeName(path).constData()) == 0;
    if (!ok) {
        QFile::remove(fresh);
        return ApiError::internal(QStringLiteral("Cannot write %1 for sandbox %2.").arg(path, r.info.id));
    }
    return Done{};
}

Status SandboxRuntime::writeNetworkFiles(const SandboxRecord &r, int block) const
{
    const SandboxPaths p = paths(r.info.id);
    if (auto s = writeOwnedBySandbox(r, p.resolvConf(), m_networks->resolvConf(block)); !s)
        return s;
    return writeOwnedBySandbox(r, p.hosts(), m_networks->hosts(block));
}

std::optional<qint64> SandboxRuntime::initPid(const QString &id) const
{
    QFile f(paths(id).pidFile());
    bool ok = false;
    const qint64 pid = f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong(&ok) : 0;
    if (!ok || pid <= 0)
        return std::nullopt;
    return pid;
}

void SandboxRuntime::attachNetwork(const QString &id, int block, Callback done)
{
    const auto pid = initPid(id);
    if (!pid) {
        done(ApiError::internal(QStringLiteral("The container runtime did not say which process sandbox %1 runs.").arg(id)));
        return;
    }
    m_networks->attach(block, *pid, std::move(done));
}

void SandboxRuntime::waitForAgent(const QString &id, int timeoutMs, Callback done)
{
    AgentClient::request(paths(id).socket(), id, QJsonObject{{QStringLiteral("op"), QStringLiteral("ping")}}, {},
                         timeoutMs, [id, done](Result<AgentReply> r) {
                             if (!r) {
                                 done(ApiError::internal(
                                     QStringLiteral("Sandbox %1 started but its agent did not answer: %2")
                                         .arg(id, r.error().message)));
                                 return;
                             }
                             done(Done{});
                         }, this);
}

QString SandboxRuntime::upperOf(const QString &id) const
{
    const SandboxPaths p = paths(id);
    // Sandboxes from before per-sandbox disks keep their layers in DIR.
    return QFileInfo::exists(p.legacyUpper()) ? p.legacyUpper() : p.upper();
}

void SandboxRuntime::stop(const QString &id, Callback done)
{
    removeContainer(id, [this, id, done](Status s) {
        if (!s) {
            done(s);
            return;
        }
        // Nothing runs on the files now, and the disk is still mounted:
        // uploads cut short can go.
        UploadLeftovers::sweep(upperOf(id), this, [this, id, done] { done(SandboxDisk::unmount(paths(id))); });
    });
}

void SandboxRuntime::removeContainer(const QString &id, Callback done)
{
    m_runc->remove(id, [this, id, done](Status s) {
        if (!s) {
            done(s);
            return;
        }
        const SandboxPaths p = paths(id);
        QFile::remove(p.socket());
        IdmappedMount::detachStale(lowerAttachPoint(id));
        done(HostMounts::unmount(p.rootfs()));
    });
}

void SandboxRuntime::destroy(const QString &id, Callback done)
{
    removeContainer(id, [this, id, done](Status s) {
        if (s)
            s = SandboxDisk::unmount(paths(id));
        if (!s) {
            done(s);
            return;
        }
        const QString dir = paths(id).dir;
        if (!QFileInfo::exists(dir)) {
            done(Done{});
            return;
        }
        // A big upper layer can take a while to delete; never on the event loop.
        auto *rm = new QProcess(this);
        connect(rm, &QProcess::finished, this, [rm, dir, done](int code, QProcess::ExitStatus) {
            rm->deleteLater();
            if (code != 0)
                done(ApiError::internal(QStringLiteral("Cannot delete %1: %2")
                                            .arg(dir, QString::fromLocal8Bit(rm->readAllStandardError()).trimmed())));
            else
                done(Done{});
        });
        connect(rm, &QProcess::errorOccurred, this, [rm, dir, done](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart)
                return;
            rm->deleteLater();
            done(ApiError::internal(QStringLiteral("Cannot delete %1: rm could not start.").arg(dir)));
        });
        rm->start(QStringLiteral("rm"), {QStringLiteral("-rf"), QStringLiteral("--one-file-system"), dir});
    });
}

void SandboxRuntime::isRunning(const QString &id, std::function<void(Result<bool>)> done)
{
    m_runc->state(id, [done](Result<QString> s) {
        if (!s) {
            done(s.error());
            return;
        }
        done(*s == QLatin1String("running"));
    });
}
