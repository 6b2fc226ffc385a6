// SPDX-License-Identifier: GPL-3.0-or-later
#include "SandboxRoutes.h"

#include "ApiServer.h"
#include "CreateSandboxRequest.h"
#include "MetricsHistory.h"
#include "RequestBodies.h"
#include "runtime/SandboxManager.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

template <typename T>
std::function<void(Result<T>)> answerInfo(HttpReplyPtr reply, const SandboxRoutes::InfoDecorator &decorate,
                                          int status = 200)
{
    return [reply, decorate, status](Result<T> r) {
        if (!r) {
            reply->error(r.error());
            return;
        }
        T info = *r;
        decorate(info);
        reply->json(status, info.toJson());
    };
}

// `state=running,paused,error` and `metadata=k%3Dv%26k2%3Dv2`.
Result<std::function<bool(const SandboxInfo &)>> listFilter(const ApiCall &call)
{
    QSet<QString> states;
    if (call.hasParam(QStringLiteral("state"))) {
        for (const QString &s : call.param(QStringLiteral("state")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString t = s.trimmed().toLower();
            if (t != QLatin1String("running") && t != QLatin1String("paused") && t != QLatin1String("error"))
                return ApiError::badRequest(
                    QStringLiteral("Unknown state '%1' in the filter; use running, paused, error or a list of them.")
                        .arg(s));
            states.insert(t);
        }
    }
    StringMap wanted;
    if (call.hasParam(QStringLiteral("metadata"))) {
        const QUrlQuery pairs(call.param(QStringLiteral("metadata")));
        for (const auto &[k, v] : pairs.queryItems(QUrl::FullyDecoded)) {
            if (k.isEmpty())
                return ApiError::badRequest(QStringLiteral("The metadata filter has an empty key."));
            wanted.insert(k, v);
        }
    }
    return std::function<bool(const SandboxInfo &)>([states, wanted](const SandboxInfo &i) {
        if (!states.isEmpty() && !states.contains(SandboxStates::apiName(i.state)))
            return false;
        for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
            if (i.metadata.value(it.key(), QString()) != it.value() || !i.metadata.contains(it.key()))
                return false;
        }
        return true;
    });
}

} // namespace

void SandboxRoutes::install(ApiServer &api, SandboxManager &sandboxes, InfoDecorator decorate)
{
    const InfoDecorator dec = decorate ? std::move(decorate) : [](SandboxInfo &) {};
    using M = ApiServer::Method;
    SandboxManager *sm = &sandboxes;

    api.on("/v1/sandboxes", M::Post, [sm, dec](ApiCall &c) {
        const auto req = CreateSandboxRequest::parse(c.body);
        if (!req) {
            c.reply->error(req.error());
            return;
        }
        sm->create(c.team, *req, answerInfo<SandboxInfo>(c.reply, dec, 201));
    });

    api.on("/v1/sandboxes", M::Get, [sm, dec](ApiCall &c) {
        const auto filter = listFilter(c);
        if (!filter) {
            c.reply->error(filter.error());
            return;
        }
        QJsonArray arr;
        for (SandboxInfo i : sm->list(c.team)) {
            if ((*filter)(i)) {
                dec(i);
                arr.append(i.toJson());
            }
        }
        const QJsonObject body{{QStringLiteral("sandboxes"), arr}};
        // The tag is a digest of the answer itself, so it changes exactly
        // when the answer does, and survives restarts.
        const QByteArray etag = '"' +
                                QCryptographicHash::hash(QJsonDocument(body).toJson(QJsonDocument::Compact),
                                                         QCryptographicHash::Sha1)
                                    .toHex()
                                    .left(20) +
                                '"';
        if (!c.ifNoneMatch.isEmpty() && c.ifNoneMatch == etag) {
            c.reply->empty(304, etag);
            return;
        }
        c.reply->json(200, body, etag);
    });

    api.on("/v1/sandboxes/<arg>", M::Get, [sm, dec](ApiCall &c, const QString &id) {
        answerInfo<SandboxInfo>(c.reply, dec)(sm->info(c.team, id));
    });

    api.on("/v1/sandboxes/<arg>", M::Delete, [sm](ApiCall &c, const QString &id) {
        HttpReplyPtr reply = c.reply;
        sm->kill(c.team, id, [reply](Result<Done> r) {
            if (!r)
                reply->error(r.error());
            else
                reply->empty(204);
        });
    });

    api.on("/v1/sandboxes/<arg>/timeout", M::Post, [sm, dec](ApiCall &c, const QString &id) {
        const auto t = RequestBodies::timeout(c.body);
        if (!t) {
            c.reply->error(t.error());
            return;
        }
        answerInfo<SandboxInfo>(c.reply, dec)(sm->setTimeout(c.team, id, *t));
    });

    api.on("/v1/sandboxes/<arg>/network", M::Post, [sm, dec](ApiCall &c, const QString &id) {
        const auto body = RequestBodies::network(c.body);
        if (!body) {
            c.reply->error(body.error());
            return;
        }
        answerInfo<SandboxInfo>(c.reply, dec)(sm->setNetwork(c.team, id, *body));
    });

    api.on("/v1/sandboxes/<arg>/pause", M::Post, [sm, dec](ApiCall &c, const QString &id) {
        const auto keepMemory = RequestBodies::pause(c.body);
        if (!keepMemory) {
            c.reply->error(keepMemory.error());
            return;
        }
        sm->pause(c.team, id, *keepMemory, answerInfo<SandboxInfo>(c.reply, dec));
    });

    api.on("/v1/sandboxes/<arg>/resume", M::Post, [sm, dec](ApiCall &c, const QString &id) {
        sm->resume(c.team, id, answerInfo<SandboxInfo>(c.reply, dec));
    });

    api.on("/v1/sandboxes/<arg>/connect", M::Post, [sm, dec](ApiCall &c, const QString &id) {
        const auto autoResume = RequestBodies::connect(c.body);
        if (!autoResume) {
            c.reply->error(autoResume.error());
            return;
        }
        sm->connectTo(c.team, id, *autoResume, answerInfo<SandboxInfo>(c.reply, dec));
    });

    api.on("/v1/sandboxes/<arg>/metrics", M::Get, [sm](ApiCall &c, const QString &id) {
        if (c.hasParam(QStringLiteral("since"))) {
            MetricsHistory::answer(*sm, c, id);
            return;
        }
        HttpReplyPtr reply = c.reply;
        sm->metrics(c.team, id, [reply](Result<QJsonObject> r) {
            if (!r)
                reply->error(r.error());
            else
                reply->json(200, *r);
        });
    });
}
