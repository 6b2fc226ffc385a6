// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/watches…: file watches, polled or pushed over a WebSocket.
class WatchRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
