// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxRuntime.h"

#include "AgentClient.h"
#include "HostMounts.h"
#include "IdmappedMount.h"
#include "OciSpec.h"
#include "RuncDriver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSaveFile>

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
{
}

Status SandboxRuntime::prepare(const SandboxRecord &r)
{
    const SandboxPaths p = paths(r.info.id);
    for (const QString &d : {p.dir, p.upper(), p.work(), p.rootfs()}) {
        if (!QDir().mkpath(d))
            return ApiError::internal(QStringLiteral("Cannot create the directory %1 for sandbox %2.").arg(d, r.info.id));
    }
    // Traversable by the sandbox's own root user, which mounts rootfs/.
    QFile::setPermissions(p.dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup |
                                     QFile::ExeOther);
    // The upper layer's root becomes the sandbox's "/": it must belong to the
    // sandbox's root user, like the template's own root directory.
    if (::chown(QFile::encodeName(p.upper()).constData(), r.uidBase, r.uidBase) != 0)
        return ApiError::internal(QStringLiteral("Cannot hand the file system of sandbox %1 to its user range.").arg(r.info.id));
    return Done{};
}

Status SandboxRuntime::mountRootfs(const SandboxRecord &r, const Lower &lower)
{
    const SandboxPaths p = paths(r.info.id);
    const IdRange own{r.uidBase, r.uidCount};
    if (own == lower.ids)
        return HostMounts::mountOverlay(lower.rootfs, p.upper(), p.work(), p.rootfs());
    return IdmappedMount::mountOverlay(lower.rootfs, {lower.ids, own}, p.upper(), p.work(), p.rootfs(),
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
    QSaveFile config(p.config());
    if (!config.open(QIODevice::WriteOnly) ||
        config.write(QJsonDocument(OciSpec::build(spec)).toJson(QJsonDocument::Indented)) < 0 || !config.commit()) {
        done(ApiError::internal(QStringLiteral("Cannot write the container configuration of sandbox %1.").arg(id)));
        return;
    }
    QDir().mkpath(p.rootfs());
    if (!HostMounts::isMounted(p.rootfs())) {
        if (auto s = mountRootfs(r, lower); !s) {
            done(s);
            return;
        }
    }
    const auto fd = HostMounts::listenUnix(p.socket());
    if (!fd) {
        HostMounts::unmount(p.rootfs());
        done(fd.error());
        return;
    }
    const int listenFd = *fd;
    m_runc->run(id, p.dir, listenFd, p.log(), [this, id, listenFd, done](Status s) {
        // The container holds its own copy now; ours must go, or a dead agent
        // would leave connections waiting in the backlog instead of refused.
        HostMounts::closeFd(listenFd);
        if (!s) {
            stop(id, [done, s](Status) { done(s); });
            return;
        }
        waitForAgent(id, kAgentStartTimeoutMs, [this, id, done](Status ready) {
            if (!ready) {
                stop(id, [done, ready](Status) { done(ready); });
                return;
            }
            done(Done{});
        });
    });
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

void SandboxRuntime::stop(const QString &id, Callback done)
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
    stop(id, [this, id, done](Status s) {
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
