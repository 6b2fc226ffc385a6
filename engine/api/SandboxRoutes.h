// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes…: lifecycle, info, list, metrics.
class SandboxRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
