// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the desktop's end-to-end suites share: one real engine per program,
// and a second, independent client that acts "as an agent would".
#include "ApiClient.h"
#include "E2eHelpers.h"
#include "EngineProcess.h"

#include <QJsonArray>
#include <QTest>

namespace DesktopE2e {

// The engine's view of one sandbox: its JSON, or an empty object when it is
// gone (404).
inline QJsonObject engineSandbox(ApiClient &api, const QString &id)
{
    const ApiResponse r = api.sandbox(id);
    return r.status == 200 ? r.json() : QJsonObject();
}

inline QString engineState(ApiClient &api, const QString &id)
{
    return engineSandbox(api, id).value(QStringLiteral("status")).toString();
}

} // namespace DesktopE2e

// Creating, pausing and resuming start containers; a loaded 2-core machine
// needs more than QTRY's default five seconds.
#define DESKTOP_TRY_TIMEOUT 30000
