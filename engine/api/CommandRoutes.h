// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/commands…: run, start, list, logs, kill, stdin.
class CommandRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
