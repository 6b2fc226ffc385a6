// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/changes…: what the sandbox changed relative to its
// template (LayerChanges), one file's diff and the whole patch (UnifiedDiff).
class ChangeRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
