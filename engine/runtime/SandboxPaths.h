// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// Where one sandbox lives on the host: DATA_DIR/sandboxes/<id>/
//   config.json  rootfs/ (overlay mount point)  agent.sock (the agent's
//   listening socket)  agent.log (the agent's stderr)
//   disk.img (the sandbox's own disk)  disk/ (its mount point) holding
//   upper/ work/ (the sandbox's own files)  container.pid  resolv.conf and
//   hosts (mounted at /etc in a sandbox with a network)
// Sandboxes made before disks existed (disk_mb 0) keep upper/ and work/ in
// DIR itself.
struct SandboxPaths
{
    QString dir;

    static SandboxPaths of(const QString &dataDir, const QString &id)
    {
        return {dataDir + QStringLiteral("/sandboxes/") + id};
    }
    QString rootfs() const { return dir + QStringLiteral("/rootfs"); }
    QString diskImage() const { return dir + QStringLiteral("/disk.img"); }
    QString disk() const { return dir + QStringLiteral("/disk"); }
    QString upper() const { return dir + QStringLiteral("/disk/upper"); }
    QString work() const { return dir + QStringLiteral("/disk/work"); }
    QString legacyUpper() const { return dir + QStringLiteral("/upper"); }
    QString legacyWork() const { return dir + QStringLiteral("/work"); }
    QString config() const { return dir + QStringLiteral("/config.json"); }
    QString socket() const { return dir + QStringLiteral("/agent.sock"); }
    QString log() const { return dir + QStringLiteral("/agent.log"); }
    // The container's first process, as runc writes it at start.
    QString pidFile() const { return dir + QStringLiteral("/container.pid"); }
    // /etc/resolv.conf and /etc/hosts of a sandbox with a network.
    QString resolvConf() const { return dir + QStringLiteral("/resolv.conf"); }
    QString hosts() const { return dir + QStringLiteral("/hosts"); }
};
