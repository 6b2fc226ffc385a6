// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/code…: run a cell in the sandbox's stateful kernel,
// streamed back as NDJSON events; interrupt and restart the kernel.
class CodeRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
