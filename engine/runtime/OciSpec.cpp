// SPDX-License-Identifier: GPL-3.0-or-later
#include "OciSpec.h"

#include <QJsonArray>

namespace {

QJsonArray strings(const QStringList &l)
{
    return QJsonArray::fromStringList(l);
}

QJsonObject mount(const QString &dest, const QString &type, const QString &source, const QStringList &options)
{
    return QJsonObject{{QStringLiteral("destination"), dest},
                       {QStringLiteral("type"), type},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("options"), strings(options)}};
}

// The capabilities container engines grant by default; everything else
// (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, …) stays out.
const QStringList kCapabilities = {
    QStringLiteral("CAP_CHOWN"),        QStringLiteral("CAP_DAC_OVERRIDE"), QStringLiteral("CAP_FSETID"),
    QStringLiteral("CAP_FOWNER"),       QStringLiteral("CAP_MKNOD"),        QStringLiteral("CAP_NET_RAW"),
    QStringLiteral("CAP_SETGID"),       QStringLiteral("CAP_SETUID"),       QStringLiteral("CAP_SETFCAP"),
    QStringLiteral("CAP_SETPCAP"),      QStringLiteral("CAP_NET_BIND_SERVICE"), QStringLiteral("CAP_SYS_CHROOT"),
    QStringLiteral("CAP_KILL"),         QStringLiteral("CAP_AUDIT_WRITE"),
};

} // namespace

QString OciSpec::cgroupsPathFor(const QString &sandboxId)
{
    return QStringLiteral("/ai2in/") + sandboxId;
}

QJsonObject OciSpec::build(const OciSpecParams &p)
{
    QStringList env = {QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                       QStringLiteral("LANG=C.UTF-8"), QStringLiteral("TERM=xterm-256color")};
    env += p.env;
    const QJsonObject caps{{QStringLiteral("bounding"), strings(kCapabilities)},
                           {QStringLiteral("effective"), strings(kCapabilities)},
                           {QStringLiteral("permitted"), strings(kCapabilities)}};
    const QJsonObject process{
        {QStringLiteral("terminal"), false},
        {QStringLiteral("user"), QJsonObject{{QStringLiteral("uid"), 0},
                                             {QStringLiteral("gid"), 0},
                                             {QStringLiteral("umask"), kSandboxUmask}}},
        {QStringLiteral("args"), QJsonArray{QString::fromLatin1(kAgentInContainer)}},
        {QStringLiteral("env"), strings(env)},
        {QStringLiteral("cwd"), QStringLiteral("/")},
        {QStringLiteral("capabilities"), caps},
        // Off, as in Docker's default: sudo and su are setuid programs, which
        // no-new-privileges would leave powerless. What they lead to is the
        // sandbox's root, which the API hands out anyway (user "root"): an
        // unprivileged id range on the host, in its own user namespace, under
        // the same seccomp filter and capability bounding set.
        {QStringLiteral("noNewPrivileges"), false},
    };
    QJsonArray mounts{
        mount(QStringLiteral("/proc"), QStringLiteral("proc"), QStringLiteral("proc"), {}),
        mount(QStringLiteral("/dev"), QStringLiteral("tmpfs"), QStringLiteral("tmpfs"),
              {QStringLiteral("nosuid"), QStringLiteral("strictatime"), QStringLiteral("mode=755"),
               QStringLiteral("size=65536k")}),
        mount(QStringLiteral("/dev/pts"), QStringLiteral("devpts"), QStringLiteral("devpts"),
              {QStringLiteral("nosuid"), QStringLiteral("noexec"), QStringLiteral("newinstance"),
               QStringLiteral("ptmxmode=0666"), QStringLiteral("mode=0620")}),
        mount(QStringLiteral("/dev/shm"), QStringLiteral("tmpfs"), QStringLiteral("shm"),
              {QStringLiteral("nosuid"), QStringLiteral("noexec"), QStringLiteral("nodev"),
               QStringLiteral("mode=1777"), QStringLiteral("size=65536k")}),
        mount(QStringLiteral("/dev/mqueue"), QStringLiteral("mqueue"), QStringLiteral("mqueue"),
              {QStringLiteral("nosuid"), QStringLiteral("noexec"), QStringLiteral("nodev")}),
        mount(QStringLiteral("/sys"), QStringLiteral("sysfs"), QStringLiteral("sysfs"),
              {QStringLiteral("nosuid"), QStringLiteral("noexec"), QStringLiteral("nodev"), QStringLiteral("ro")}),
        // The sandbox's own cgroups, read-only (as Docker mounts them): the
        // agent reads its memory cgroup's OOM kill count from here, and
        // programs can see their limits.
        mount(QStringLiteral("/sys/fs/cgroup"), QStringLiteral("cgroup"), QStringLiteral("cgroup"),
              {QStringLiteral("nosuid"), QStringLiteral("noexec"), QStringLiteral("nodev"), QStringLiteral("relatime"),
               QStringLiteral("ro")}),
        mount(QStringLiteral("/.ai2in"), QStringLiteral("bind"), p.agentDir,
              {QStringLiteral("rbind"), QStringLiteral("ro"), QStringLiteral("nosuid"), QStringLiteral("nodev")}),
    };
    // Written by the engine (the sandbox's resolver and its own name); the
    // sandbox's root may still edit them, as on any machine.
    for (const auto &[target, source] : {std::pair{QStringLiteral("/etc/resolv.conf"), p.resolvConf},
                                         std::pair{QStringLiteral("/etc/hosts"), p.hosts}}) {
        if (!source.isEmpty())
            mounts.append(mount(target, QStringLiteral("bind"), source,
                                {QStringLiteral("bind"), QStringLiteral("nosuid"), QStringLiteral("nodev"),
                                 QStringLiteral("noexec")}));
    }
    const QJsonArray idMap{QJsonObject{{QStringLiteral("containerID"), 0},
                                       {QStringLiteral("hostID"), qint64(p.uidBase)},
                                       {QStringLiteral("size"), qint64(p.uidCount)}}};
    QJsonArray namespaces;
    for (const char *ns : {"pid", "network", "ipc", "uts", "mount", "user"})
        namespaces.append(QJsonObject{{QStringLiteral("type"), QString::fromLatin1(ns)}});
    const QJsonObject resources{
        {QStringLiteral("devices"), QJsonArray{QJsonObject{{QStringLiteral("allow"), false},
                                                           {QStringLiteral("access"), QStringLiteral("rwm")}}}},
        {QStringLiteral("memory"), QJsonObject{{QStringLiteral("limit"), p.memoryBytes}}},
        {QStringLiteral("cpu"), QJsonObject{{QStringLiteral("quota"), qint64(p.cpuCount) * 100000},
                                            {QStringLiteral("period"), 100000}}},
        {QStringLiteral("pids"), QJsonObject{{QStringLiteral("limit"), p.pidsLimit}}},
    };
    QJsonObject linuxSection{
        {QStringLiteral("uidMappings"), idMap},
        {QStringLiteral("gidMappings"), idMap},
        {QStringLiteral("namespaces"), namespaces},
        {QStringLiteral("cgroupsPath"), p.cgroupsPath.isEmpty() ? cgroupsPathFor(p.sandboxId) : p.cgroupsPath},
        {QStringLiteral("resources"), resources},
        {QStringLiteral("maskedPaths"),
         strings({QStringLiteral("/proc/acpi"), QStringLiteral("/proc/asound"), QStringLiteral("/proc/kcore"),
                  QStringLiteral("/proc/keys"), QStringLiteral("/proc/latency_stats"),
                  QStringLiteral("/proc/timer_list"), QStringLiteral("/proc/timer_stats"),
                  QStringLiteral("/proc/sched_debug"), QStringLiteral("/proc/scsi"),
                  QStringLiteral("/sys/firmware"), QStringLiteral("/sys/devices/virtual/powercap")})},
        {QStringLiteral("readonlyPaths"),
         strings({QStringLiteral("/proc/bus"), QStringLiteral("/proc/fs"), QStringLiteral("/proc/irq"),
                  QStringLiteral("/proc/sys"), QStringLiteral("/proc/sysrq-trigger")})},
    };
    if (!p.seccomp.isEmpty())
        linuxSection.insert(QStringLiteral("seccomp"), p.seccomp);
    return QJsonObject{
        {QStringLiteral("ociVersion"), QStringLiteral("1.0.2")},
        {QStringLiteral("process"), process},
        {QStringLiteral("root"), QJsonObject{{QStringLiteral("path"), QStringLiteral("rootfs")},
                                             {QStringLiteral("readonly"), false}}},
        {QStringLiteral("hostname"), QStringLiteral("sandbox")},
        {QStringLiteral("mounts"), mounts},
        {QStringLiteral("linux"), linuxSection},
    };
}
