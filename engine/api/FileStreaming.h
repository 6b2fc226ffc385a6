// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiCall.h"

#include <QJsonObject>

#include <functional>
#include <memory>

struct AgentReply;
class SandboxManager;
class UploadBody;

// A file's bytes between the client and the sandbox's agent, passed on as
// they arrive in both directions instead of being held whole: an upload
// goes to the agent while the client still sends it, a download to the
// client while the agent still reads it. Each side waits while the other
// holds about a window (1 MiB) of it.
namespace FileStreaming {
inline constexpr int kIdleTimeoutMs = 60000;

// Sends `header` (the agent's `write`) with `body` as its bytes; on success
// hands the agent's answer to `onOk`. A client that leaves before the last
// byte aborts the request: the agent writes nothing.
void upload(SandboxManager *sm, ApiCall &c, const QString &id, QJsonObject header, std::shared_ptr<UploadBody> body,
            std::function<void(HttpReply &, const AgentReply &)> onOk);
// Sends `header` (the agent's `read`) and answers with the file's bytes.
void download(SandboxManager *sm, ApiCall &c, const QString &id, const QJsonObject &header);
} // namespace FileStreaming
