// SPDX-License-Identifier: GPL-3.0-or-later
#include "TemplateRoutes.h"

#include "ApiServer.h"
#include "TemplateSummary.h"
#include "runtime/SandboxManager.h"
#include "runtime/TemplateStore.h"

void TemplateRoutes::install(ApiServer &api, const TemplateStore &templates, const SandboxManager &sandboxes)
{
    const TemplateStore *store = &templates;
    const SandboxManager *manager = &sandboxes;
    api.on("/v1/templates", ApiServer::Method::Get, [store, manager](ApiCall &c) {
        const QMap<QString, int> warm = manager->warmCounts();
        // A few small files: read here, as `create` reads them.
        QList<TemplateSummary> list;
        for (const QString &name : store->names()) {
            const std::optional<TemplateInfo> info = store->info(name);
            if (!info)
                continue; // half built or broken: not one a sandbox can use
            list.append({name, info->suite, info->createdAt, info->packages, warm.value(name)});
        }
        c.reply->json(200, TemplateSummary::listJson(list));
    });
}
