// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiCall.h"
#include "Result.h"

class SandboxManager;

// `GET /v1/sandboxes/{id}/metrics?since=…`: the sampler's readings.
namespace MetricsHistory {
// `since` as unix milliseconds: an ISO 8601 time or a whole number of ms.
Result<qint64> parseSince(const QString &text);
void answer(SandboxManager &sm, ApiCall &c, const QString &id);
} // namespace MetricsHistory
