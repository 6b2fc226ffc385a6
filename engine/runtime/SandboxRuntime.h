// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IdRange.h"
#include "Result.h"
#include "SandboxPaths.h"
#include "SandboxRecord.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

class RuncDriver;
class SandboxDisk;
class SandboxNetworks;

// The host-side steps of a sandbox's life: its directory, the overlay mount,
// the container and the agent's socket. It keeps no state of its own; the
// SandboxManager decides when each step runs.
class SandboxRuntime : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString dataDir;
        QString agentDir;       // holds ai2in-agent, bind-mounted read-only into every sandbox
        int pidsLimit = 1024;
        QJsonObject seccomp;    // the runtime's seccomp profile (SeccompProfile), put in every sandbox's spec
    };
    SandboxRuntime(Options options, RuncDriver *runc, QObject *parent = nullptr);

    using Callback = std::function<void(Status)>;

    // The read-only layer under a sandbox: a template's tree and the host ids
    // that own it on disk.
    struct Lower
    {
        QString rootfs;
        IdRange ids;
    };

    SandboxPaths paths(const QString &id) const { return SandboxPaths::of(m_options.dataDir, id); }

    // Makes the directory and the sandbox's own disk (of r.info.diskMb MiB)
    // holding an empty upper layer. On failure the caller destroys the rest.
    void prepare(const SandboxRecord &r, Callback done);
    // Mounts the file system (template ⊕ upper), starts the container and
    // waits until its agent answers. On failure it undoes what it did, but
    // never touches the upper layer: the sandbox's files survive.
    void start(const SandboxRecord &r, const Lower &lower, Callback done);
    // Stops every process and unmounts (the disk too); the upper layer
    // stays, without the temporary files of uploads the stop cut short.
    void stop(const QString &id, Callback done);
    // Stops, then deletes the directory with every file of the sandbox.
    void destroy(const QString &id, Callback done);
    // Whether the runtime reports the container as running.
    void isRunning(const QString &id, std::function<void(Result<bool>)> done);
    // The host pid of the container's PID 1, from the pid file runc wrote
    // at its last start; nullopt when there is none.
    std::optional<qint64> initPid(const QString &id) const;
    // Asks the agent for a `ping` until it answers or the deadline passes.
    void waitForAgent(const QString &id, int timeoutMs, Callback done);

    RuncDriver *runc() const { return m_runc; }
    // Sandboxes whose record has a network address get their link at
    // start, and the engine's resolv.conf and hosts.
    void setNetworks(SandboxNetworks *networks) { m_networks = networks; }

    // Closes to other users what an older engine left open under
    // sandboxes/ (directories, config.json, agent.log); quick, at start.
    void closeDirsLeftOpen() const;

    // The sandbox's upper layer, wherever its engine version put it.
    QString upperOf(const QString &id) const;

private:
    // The sandbox's directory: root's, passable by the sandbox's root only.
    Status closeDir(const SandboxRecord &r) const;
    // Removes the container and unmounts its file system.
    void removeContainer(const QString &id, Callback done);
    // Mounts template ⊕ upper at rootfs/. A sandbox with a range of its own
    // sees the template through an idmapped mount onto that range; one that
    // shares the template's range (a disabled pool, or a row from before
    // ranges were per sandbox) gets the plain overlay.
    // The rest of start(), once the files are swept.
    void startOnFiles(const SandboxRecord &r, const Lower &lower, Callback done);
    Status mountRootfs(const SandboxRecord &r, const Lower &lower, const QString &upper, const QString &work);
    // Where an idmapped template clone is attached for a moment on kernels
    // whose overlayfs takes layers by path only (IdmappedMount::Layering).
    QString lowerAttachPoint(const QString &id) const;

    Options m_options;
    RuncDriver *m_runc;
    SandboxNetworks *m_networks = nullptr;
    // The sandbox's block of the network pool; nullopt without a network.
    std::optional<int> networkBlock(const SandboxRecord &r) const;
    Status writeNetworkFiles(const SandboxRecord &r, int block) const;
    // A file of the sandbox's directory that its root owns (mode 0644).
    static Status writeOwnedBySandbox(const SandboxRecord &r, const QString &path, const QByteArray &content);
    // Gives the started container its link (its pid from runc's pid file).
    void attachNetwork(const QString &id, int block, Callback done);
    SandboxDisk *m_disk;
};
