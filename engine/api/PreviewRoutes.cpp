// SPDX-License-Identifier: GPL-3.0-or-later
#include "PreviewRoutes.h"

#include "ApiServer.h"
#include "runtime/SandboxManager.h"

void PreviewRoutes::install(ApiServer &api, SandboxManager &sandboxes, const PreviewLinks &links)
{
    SandboxManager *sm = &sandboxes;
    api.on("/v1/sandboxes/<arg>/host/<arg>", ApiServer::Method::Get,
           [sm, links](ApiCall &c, const QString &id, const QString &portText) {
               if (const auto info = sm->info(c.team, id); !info) {
                   c.reply->error(info.error());
                   return;
               }
               bool numeric = !portText.isEmpty() && portText.size() <= 5;
               for (QChar ch : portText)
                   numeric = numeric && ch.isDigit() && ch.unicode() < 128;
               const int port = numeric ? portText.toInt() : 0;
               if (port < 1 || port > 65535) {
                   c.reply->error(ApiError::badRequest(
                       QStringLiteral("'%1' is not a port; give a number from 1 to 65535.").arg(portText.left(40))));
                   return;
               }
               // Answered whether or not anything listens yet: a server
               // started a moment later is reachable at the same URL.
               c.reply->json(200, QJsonObject{{QStringLiteral("url"), links.url(id, quint16(port))},
                                              {QStringLiteral("port"), port}});
           });
}
