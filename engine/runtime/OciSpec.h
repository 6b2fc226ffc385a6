// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QStringList>

// The OCI runtime configuration of one sandbox; pure, so it is tested as data.
struct OciSpecParams
{
    QString sandboxId;
    QString agentDir;           // host directory holding ai2in-agent, mounted read-only at /.ai2in
    QStringList env;            // "NAME=value", the sandbox's envs
    uint uidBase = 100000;
    uint uidCount = 65536;
    int cpuCount = 1;
    qint64 memoryBytes = 512LL * 1024 * 1024;
    int pidsLimit = 1024;
    QString cgroupsPath;        // e.g. "/ai2in/sbx_…"
    QJsonObject seccomp;        // linux.seccomp, from SeccompProfile; empty: none (unit tests only)
    // Host files mounted at /etc/resolv.conf and /etc/hosts; empty: the
    // template's own (a sandbox without a network).
    QString resolvConf;
    QString hosts;
};

namespace OciSpec {
inline constexpr const char *kAgentInContainer = "/.ai2in/ai2in-agent";
// The sandbox's processes start with the usual umask, whatever the engine's own
// (077, so its data dir stays private) is when it starts the runtime.
inline constexpr int kSandboxUmask = 022;
QJsonObject build(const OciSpecParams &p);
QString cgroupsPathFor(const QString &sandboxId);
} // namespace OciSpec
