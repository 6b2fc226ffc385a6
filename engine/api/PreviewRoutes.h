// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "proxy/PreviewLinks.h"

class ApiServer;
class SandboxManager;

// /v1/sandboxes/{id}/host/{port}: the preview URL of a port.
class PreviewRoutes
{
public:
    static void install(ApiServer &api, SandboxManager &sandboxes, const PreviewLinks &links);
};
