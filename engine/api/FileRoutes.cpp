// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileRoutes.h"

#include "ActivityFields.h"
#include "AgentCalls.h"
#include "ApiConnection.h"
#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "FileEntry.h"
#include "FileStreaming.h"
#include "Limits.h"
#include "RequestBodies.h"
#include "Timestamps.h"
#include "runtime/ActivityLog.h"
#include "runtime/AgentClient.h"
#include "runtime/SandboxManager.h"

#include <QJsonArray>

namespace {

constexpr int kFileTimeoutMs = 60000;

// The agent's entry (docs: agent/PROTOCOL.md) as the API's FileEntry. Read
// field by field, not through FileEntry::fromJson: the root's name is empty,
// and a type it does not know is "other".
QJsonObject apiEntry(const QJsonObject &e)
{
    FileEntry f;
    f.name = e.value(QStringLiteral("name")).toString();
    f.path = e.value(QStringLiteral("path")).toString();
    f.type = FileEntry::typeFromName(e.value(QStringLiteral("type")).toString()).value_or(FileEntry::Type::Other);
    f.size = qint64(e.value(QStringLiteral("size")).toDouble());
    f.mode = e.value(QStringLiteral("mode")).toInt() & 07777;
    f.mtime = Timestamps::fromJson(AgentCalls::msToTime(e.value(QStringLiteral("mtime_ms"))));
    f.owner = e.value(QStringLiteral("owner")).toString();
    f.symlinkTarget = e.value(QStringLiteral("symlink_target")).toString();
    return f.toJson();
}

using Answer = std::function<void(HttpReply &, const AgentReply &)>;
// Writes a change the route made into the sandbox's activity log.
using Record = std::function<void(ActivityLog &, const QString &id, const QJsonObject &request, const AgentReply &)>;

// Registers a route whose agent header comes from `makeHeader`.
void fileRoute(ApiServer &api, SandboxManager *sm, const char *path, ApiServer::Method method,
               std::function<Result<QJsonObject>(const ApiCall &)> makeHeader, Answer answer, bool sendBody = false,
               Record record = {})
{
    api.on(path, method, [sm, makeHeader, answer, sendBody, record](ApiCall &c, const QString &id) {
        const auto h = makeHeader(c);
        if (!h) {
            c.reply->error(h.error());
            return;
        }
        const QJsonObject request = *h;
        AgentCalls::relay(sm, c, id, request, sendBody ? c.body : QByteArray(), kFileTimeoutMs,
                          [sm, id, request, answer, record](HttpReply &reply, const AgentReply &r) {
                              if (record && sm->activity())
                                  record(*sm->activity(), id, request, r);
                              answer(reply, r);
                          });
    });
}

} // namespace

void FileRoutes::install(ApiServer &api, SandboxManager &sandboxes)
{
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    fileRoute(
        api, sm, "/v1/sandboxes/<arg>/files", M::Get,
        [](const ApiCall &c) -> Result<QJsonObject> {
            auto h = RequestBodies::fileQuery(c.query, QStringLiteral("list"));
            if (!h)
                return h;
            if (c.hasParam(QStringLiteral("depth"))) {
                const auto depth = RequestBodies::wholeParam(c.query, QStringLiteral("depth"), 1, 1, 16);
                if (!depth)
                    return depth.error();
                h.value().insert(QStringLiteral("depth"), *depth);
            }
            return h;
        },
        [](HttpReply &reply, const AgentReply &r) {
            QJsonArray out;
            for (const QJsonValue &v : r.header.value(QStringLiteral("entries")).toArray())
                out.append(apiEntry(v.toObject()));
            reply.json(200, QJsonObject{{QStringLiteral("entries"), out}});
        });

    api.on("/v1/sandboxes/<arg>/files/content", M::Get, [sm](ApiCall &c, const QString &id) {
        const auto h = RequestBodies::fileQuery(c.query, QStringLiteral("read"));
        if (!h) {
            c.reply->error(h.error());
            return;
        }
        FileStreaming::download(sm, c, id, *h);
    });

    api.on("/v1/sandboxes/<arg>/files/content", M::Put, [sm](ApiCall &c, const QString &id) {
        // A body of declared length arrives here as it is sent (ApiServer
        // streams it); a chunked one whole, in c.body.
        std::shared_ptr<UploadBody> streamed = ApiConnection::takeBody(c.reply->socket());
        if (!streamed && c.body.size() > Limits::kMaxFileBytes) {
            c.reply->error(ApiError::tooLarge(QStringLiteral("The file is %1 bytes; at most 32 MiB (%2 bytes) can be "
                                                             "uploaded at once.")
                                                  .arg(c.body.size())
                                                  .arg(Limits::kMaxFileBytes)));
            return;
        }
        const auto h = RequestBodies::fileQuery(c.query, QStringLiteral("write"));
        if (!h) {
            if (streamed)
                streamed->discard();
            c.reply->error(h.error());
            return;
        }
        auto written = [sm, id](HttpReply &reply, const AgentReply &r) {
            if (sm->activity())
                sm->activity()->file(id, QStringLiteral("write"), r.header.value(QStringLiteral("path")),
                                     QJsonObject{{ActivityFields::kBytes, r.header.value(QStringLiteral("written"))}});
            reply.json(200, QJsonObject{{QStringLiteral("path"), r.header.value(QStringLiteral("path"))},
                                        {QStringLiteral("written"), r.header.value(QStringLiteral("written"))}});
        };
        if (streamed) {
            if (!streamed->broken()) // a client gone before the end gets nothing written
                FileStreaming::upload(sm, c, id, *h, streamed, written);
            return;
        }
        // An empty file still needs a body length of zero to be written.
        AgentCalls::relay(sm, c, id, *h, c.body, kFileTimeoutMs, written);
    });

    fileRoute(
        api, sm, "/v1/sandboxes/<arg>/files/stat", M::Get,
        [](const ApiCall &c) { return RequestBodies::fileQuery(c.query, QStringLiteral("stat")); },
        [](HttpReply &reply, const AgentReply &r) {
            reply.json(200, apiEntry(r.header.value(QStringLiteral("entry")).toObject()));
        });

    fileRoute(
        api, sm, "/v1/sandboxes/<arg>/files/exists", M::Get,
        [](const ApiCall &c) { return RequestBodies::fileQuery(c.query, QStringLiteral("exists")); },
        [](HttpReply &reply, const AgentReply &r) {
            reply.json(200, QJsonObject{{QStringLiteral("exists"), r.header.value(QStringLiteral("exists")).toBool()}});
        });

    fileRoute(
        api, sm, "/v1/sandboxes/<arg>/files", M::Delete,
        [](const ApiCall &c) { return RequestBodies::fileQuery(c.query, QStringLiteral("remove")); },
        [](HttpReply &reply, const AgentReply &) { reply.empty(204); }, false,
        [](ActivityLog &log, const QString &id, const QJsonObject &req, const AgentReply &) {
            log.file(id, QStringLiteral("remove"), req.value(QStringLiteral("path")));
        });

    fileRoute(
        api, sm, "/v1/sandboxes/<arg>/files/rename", M::Post,
        [](const ApiCall &c) { return RequestBodies::fileBody(c.body, QStringLiteral("rename"), {QStringLiteral("from"), QStringLiteral("to")}); },
        [](HttpReply &reply, const AgentReply &r) {
            reply.json(200, QJsonObject{{QStringLiteral("path"), r.header.value(QStringLiteral("path"))}});
        }, false,
        [](ActivityLog &log, const QString &id, const QJsonObject &req, const AgentReply &r) {
            log.file(id, QStringLiteral("rename"), req.value(QStringLiteral("from")),
                     QJsonObject{{ActivityFields::kTo, r.header.value(QStringLiteral("path"))}});
        });

    fileRoute(
        api, sm, "/v1/sandboxes/<arg>/files/mkdir", M::Post,
        [](const ApiCall &c) { return RequestBodies::fileBody(c.body, QStringLiteral("mkdir"), {QStringLiteral("path")}); },
        [](HttpReply &reply, const AgentReply &r) {
            reply.json(200, QJsonObject{{QStringLiteral("path"), r.header.value(QStringLiteral("path"))},
                                        {QStringLiteral("created"), r.header.value(QStringLiteral("created"))}});
        }, false,
        [](ActivityLog &log, const QString &id, const QJsonObject &, const AgentReply &r) {
            log.file(id, QStringLiteral("mkdir"), r.header.value(QStringLiteral("path")),
                     QJsonObject{{ActivityFields::kCreated, r.header.value(QStringLiteral("created"))}});
        });
}
