// SPDX-License-Identifier: GPL-3.0-or-later
// SandboxManager, part three: who may start a sandbox — the running cap,
// the host's size, the team's budget and the data dir's free space.
#include "SandboxManager.h"

#include <QFile>

#include <limits>

#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

bool SandboxManager::holdsMemory(const SandboxRecord &r)
{
    switch (r.info.state) {
    case SandboxState::Creating:
    case SandboxState::Running:
    case SandboxState::Resuming:
    case SandboxState::Pausing:
        return true;
    case SandboxState::Paused:
        // A frozen sandbox keeps every page it had.
        return r.info.pauseKind == QLatin1String("freeze");
    case SandboxState::Killing:
    case SandboxState::Error: // its PID 1 is gone, and with it every process
        return false;
    }
    return false;
}

int SandboxManager::runningCount(const QString &team, const QString &except) const
{
    int n = 0;
    for (const auto &[id, e] : m_entries) {
        if (e.rec.team == team && id != except && holdsMemory(e.rec))
            ++n;
    }
    return n;
}

SandboxResources SandboxManager::teamUsage(const QString &team, const QString &except) const
{
    SandboxResources u;
    for (const auto &[id, e] : m_entries) {
        if (e.rec.team != team || id == except || e.rec.info.state == SandboxState::Killing)
            continue;
        u.diskMb += e.rec.info.diskMb;
        if (holdsMemory(e.rec)) {
            u.cpus += e.rec.info.cpuCount;
            u.memoryMb += e.rec.info.memoryMb;
        }
    }
    return u;
}

HostCapacity SandboxManager::hostCapacity() const
{
    HostCapacity h;
    h.cpus = int(::sysconf(_SC_NPROCESSORS_ONLN));
    struct sysinfo si;
    if (::sysinfo(&si) == 0)
        h.memoryMb = qint64(si.totalram) * si.mem_unit / (1024 * 1024);
    struct statvfs v;
    const QString dir = m_options.dataDir.isEmpty() ? QStringLiteral("/") : m_options.dataDir;
    if (::statvfs(QFile::encodeName(dir).constData(), &v) == 0)
        h.dataDirFreeMb = qint64(v.f_bavail) * qint64(v.f_frsize) / (1024 * 1024);
    else
        h.dataDirFreeMb = std::numeric_limits<qint64>::max() / 2; // unknown: do not refuse on a guess
    h.reserveMb = m_options.diskReserveMb;
    return h;
}

Status SandboxManager::admit(const QString &team, const SandboxResources &want, const QString &except,
                             const QString &verb) const
{
    const HostCapacity host = hostCapacity();
    if (auto s = CapacityRules::fitsHost(want, host); !s)
        return s;
    if (runningCount(team, except) >= m_options.maxRunningPerTeam)
        return ApiError::quotaExceeded(
            QStringLiteral("This team already runs %1 sandboxes (frozen pauses count, as they keep their memory), "
                           "the most this engine allows; kill one or pause it without keeping memory before %2.")
                .arg(m_options.maxRunningPerTeam)
                .arg(verb));
    if (m_options.budgetOf) {
        const auto budget = m_options.budgetOf(team);
        if (!budget)
            return budget.error();
        if (auto s = CapacityRules::withinBudget(team, *budget, teamUsage(team, except), want); !s)
            return s;
    }
    return CapacityRules::diskRoom(host, want.diskMb);
}
