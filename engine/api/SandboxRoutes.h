// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SandboxInfo.h"

#include <functional>

class ApiServer;
class SandboxManager;

// /v1/sandboxes…: lifecycle, info, list, metrics.
class SandboxRoutes
{
public:
    // Adds what the manager does not know (the listening ports) to every
    // sandbox the routes answer with.
    using InfoDecorator = std::function<void(SandboxInfo &)>;

    static void install(ApiServer &api, SandboxManager &sandboxes, InfoDecorator decorate = {});
};
