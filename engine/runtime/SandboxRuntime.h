// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IdRange.h"
#include "Result.h"
#include "SandboxPaths.h"
#include "SandboxRecord.h"

#include <QObject>

#include <functional>

class RuncDriver;

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

    // Makes the directory and an empty upper layer for a new sandbox.
    Status prepare(const SandboxRecord &r);
    // Mounts the file system (template ⊕ upper), starts the container and
    // waits until its agent answers. On failure it undoes what it did, but
    // never touches the upper layer: the sandbox's files survive.
    void start(const SandboxRecord &r, const Lower &lower, Callback done);
    // Stops every process and unmounts; the upper layer stays.
    void stop(const QString &id, Callback done);
    // Stops, then deletes the directory with every file of the sandbox.
    void destroy(const QString &id, Callback done);
    // Whether the runtime reports the container as running.
    void isRunning(const QString &id, std::function<void(Result<bool>)> done);
    // Asks the agent for a `ping` until it answers or the deadline passes.
    void waitForAgent(const QString &id, int timeoutMs, Callback done);

    RuncDriver *runc() const { return m_runc; }

private:
    // Mounts template ⊕ upper at rootfs/. A sandbox with a range of its own
    // sees the template through an idmapped mount onto that range; one that
    // shares the template's range (a disabled pool, or a row from before
    // ranges were per sandbox) gets the plain overlay.
    Status mountRootfs(const SandboxRecord &r, const Lower &lower);
    // Where an idmapped template clone is attached for a moment on kernels
    // whose overlayfs takes layers by path only (IdmappedMount::Layering).
    QString lowerAttachPoint(const QString &id) const;

    Options m_options;
    RuncDriver *m_runc;
};
