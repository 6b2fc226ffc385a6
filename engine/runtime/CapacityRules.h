// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"
#include "TeamBudget.h"

#include <QString>

// What a sandbox asks of the host, or what a team's sandboxes hold.
struct SandboxResources
{
    int cpus = 0;
    qint64 memoryMb = 0;
    qint64 diskMb = 0;
};

// The host as the engine sees it when a sandbox asks to start.
struct HostCapacity
{
    int cpus = 0;
    qint64 memoryMb = 0;
    qint64 dataDirFreeMb = 0; // free space of the data dir's file system
    qint64 reserveMb = 0;     // --disk-reserve-mb: never handed to sandboxes
};

// Pure rules deciding whether a sandbox may start; each refusal a sentence.
namespace CapacityRules {
// More CPUs or memory than the host has can never be given: 400.
Status fitsHost(const SandboxResources &want, const HostCapacity &host);
// The data dir must keep its reserve free, and a new disk must fit in what
// is free beyond it: 507.
Status diskRoom(const HostCapacity &host, qint64 newDiskMb);
// A team's budget against what it holds already plus what it asks: 429.
Status withinBudget(const QString &team, const TeamBudget &budget, const SandboxResources &inUse,
                    const SandboxResources &want);
} // namespace CapacityRules
