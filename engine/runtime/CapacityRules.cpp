// SPDX-License-Identifier: GPL-3.0-or-later
#include "CapacityRules.h"

#include <functional>

namespace CapacityRules {

Status fitsHost(const SandboxResources &want, const HostCapacity &host)
{
    if (host.cpus > 0 && want.cpus > host.cpus)
        return ApiError::badRequest(QStringLiteral("This sandbox asks for %1 CPUs, but the host has only %2; ask for "
                                                   "at most %2.")
                                        .arg(want.cpus)
                                        .arg(host.cpus));
    if (host.memoryMb > 0 && want.memoryMb > host.memoryMb)
        return ApiError::badRequest(QStringLiteral("This sandbox asks for %1 MiB of memory, but the host has only %2 "
                                                   "MiB; ask for at most %2.")
                                        .arg(want.memoryMb)
                                        .arg(host.memoryMb));
    return Done{};
}

Status diskRoom(const HostCapacity &host, qint64 newDiskMb)
{
    if (host.dataDirFreeMb < host.reserveMb)
        return ApiError::insufficientStorage(
            QStringLiteral("The engine's data directory has only %1 MiB free, less than the %2 MiB it keeps in "
                           "reserve (--disk-reserve-mb); no sandbox starts until space is freed (kill sandboxes "
                           "or free the disk).")
                .arg(host.dataDirFreeMb)
                .arg(host.reserveMb));
    const qint64 room = host.dataDirFreeMb - host.reserveMb;
    if (newDiskMb > room)
        return ApiError::insufficientStorage(
            QStringLiteral("A disk of %1 MiB does not fit: the engine's data directory has %2 MiB free and keeps "
                           "%3 MiB in reserve; ask for at most %4 MiB (disk_mb).")
                .arg(newDiskMb)
                .arg(host.dataDirFreeMb)
                .arg(host.reserveMb)
                .arg(room));
    return Done{};
}

Status withinBudget(const QString &team, const TeamBudget &budget, const SandboxResources &inUse,
                    const SandboxResources &want)
{
    // `amount` writes a quantity of the resource: "4 CPUs", "512 MiB of memory".
    auto over = [&](const std::function<QString(qint64)> &amount, qint64 max, qint64 used, qint64 asked,
                    const QString &remedy) -> Status {
        if (used + asked <= max)
            return Done{};
        return ApiError::quotaExceeded(
            QStringLiteral("Team '%1' has a budget of %2; its sandboxes hold %3 and this one asks for %4. %5")
                .arg(team, amount(max), amount(used), amount(asked), remedy));
    };
    const QString freeRunning = QStringLiteral("Kill a sandbox or pause one (without keeping its memory) first, or ask for less.");
    const QString freeDisk = QStringLiteral("Kill a sandbox first (paused ones keep their disk), or ask for a smaller disk_mb.");
    const auto cpus = [](qint64 n) { return n == 1 ? QStringLiteral("1 CPU") : QStringLiteral("%1 CPUs").arg(n); };
    const auto memory = [](qint64 mb) { return QStringLiteral("%1 MiB of memory").arg(mb); };
    const auto disk = [](qint64 mb) { return QStringLiteral("%1 MiB of disk").arg(mb); };
    if (budget.maxCpu)
        if (auto s = over(cpus, *budget.maxCpu, inUse.cpus, want.cpus, freeRunning); !s)
            return s;
    if (budget.maxMemoryMb)
        if (auto s = over(memory, *budget.maxMemoryMb, inUse.memoryMb, want.memoryMb, freeRunning); !s)
            return s;
    if (budget.maxDiskMb)
        if (auto s = over(disk, *budget.maxDiskMb, inUse.diskMb, want.diskMb, freeDisk); !s)
            return s;
    return Done{};
}

} // namespace CapacityRules
