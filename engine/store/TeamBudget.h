// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

// What one team's sandboxes may hold at once, if the operator set a limit
// (`ai2ind keys create --max-cpu … --max-memory … --max-disk …`). CPUs and
// memory count for sandboxes that hold them (running, being started, frozen
// pauses); disk counts for every sandbox, paused or not.
struct TeamBudget
{
    std::optional<int> maxCpu;
    std::optional<int> maxMemoryMb;
    std::optional<int> maxDiskMb;

    bool any() const { return maxCpu || maxMemoryMb || maxDiskMb; }
};
