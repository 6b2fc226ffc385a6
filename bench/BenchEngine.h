// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the benchmarks that measure a real engine need first: the engine
// running and a sandbox in it, or the program ends saying why.
#include "ApiClient.h"
#include "BenchReport.h"
#include "EngineProcess.h"

namespace BenchEngine {

inline void start(EngineProcess &engine)
{
    if (!engine.start())
        BenchReport::die(engine.errorString());
}

// A sandbox with the default settings; its id.
inline QString createSandbox(ApiClient &api)
{
    const ApiResponse created = api.createSandbox();
    const QString id = created.json().value(QStringLiteral("sandbox_id")).toString();
    if (created.status != 201 || id.isEmpty())
        BenchReport::die(QStringLiteral("cannot create a sandbox: %1").arg(QString::fromUtf8(created.describe())));
    return id;
}

} // namespace BenchEngine
