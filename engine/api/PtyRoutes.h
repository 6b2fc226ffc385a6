// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/pty…: terminals over REST (start, input, drain, resize,
// kill, list) and over a WebSocket for interactive clients.
class PtyRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
