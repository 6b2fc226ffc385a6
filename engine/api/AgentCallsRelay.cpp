// SPDX-License-Identifier: GPL-3.0-or-later
#include "AgentCalls.h"

#include "runtime/AgentClient.h"
#include "runtime/SandboxManager.h"

namespace AgentCalls {

void relay(SandboxManager *sm, ApiCall &c, const QString &id, const QJsonObject &header, const QByteArray &body,
           int timeoutMs, std::function<void(HttpReply &, const AgentReply &)> onOk)
{
    HttpReplyPtr reply = c.reply;
    sm->callAgent(c.team, id, header, body, timeoutMs, [reply, onOk](Result<AgentReply> r) {
        if (!r) {
            reply->error(r.error());
            return;
        }
        onOk(*reply, *r);
    });
}

} // namespace AgentCalls
