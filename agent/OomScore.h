// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Keeps the agent from being the OOM killer's victim. The engine gives the
// agent oom_score_adj -1000 from the host where it may (it needs
// CAP_SYS_RESOURCE; inside its user namespace the agent cannot lower its own
// score). Children would inherit that, and a memory cgroup whose every
// process scores -1000 has no victim and stalls at its limit; and where the
// engine may not write it, the agent would compete with its children on size
// alone. So every child sets its own score to the maximum, 1000, before it
// execs (raising is always allowed): the kernel then prefers any process of
// the sandbox to the agent, as Kubernetes does for best-effort pods.
namespace OomScore {
inline constexpr int kChildScore = 1000;
// Async-signal-safe (open/write/close only): runs in a child between clone
// and exec, while still root. Answers 0 or the errno of the failing call.
int setInChild();
} // namespace OomScore
