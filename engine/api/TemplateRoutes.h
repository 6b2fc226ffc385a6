// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class ApiServer;
class SandboxManager;
class TemplateStore;

// /v1/templates: the templates this engine has built, so a client can offer
// them when it creates a sandbox, with how many warm sandboxes of each wait.
class TemplateRoutes
{
public:
    static void install(ApiServer &api, const TemplateStore &templates, const SandboxManager &sandboxes);
};
