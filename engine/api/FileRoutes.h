// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/files…: list, read, write, stat, exists, remove, rename, mkdir.
class FileRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes);
};
