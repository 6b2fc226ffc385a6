// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// `GET /v1/sandboxes/{id}/activity`: what was done in a sandbox.
namespace ActivityRoutes {
void install(ApiServer &api, SandboxManager &sandboxes);
} // namespace ActivityRoutes
