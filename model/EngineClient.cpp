// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineClient.h"

#include "ApiPaths.h"
#include "ModelLogging.h"
#include "NetworkPolicyForm.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QFutureWatcher>
#include <QPointer>
#include <QPromise>
#include <QThreadPool>

#include <memory>
#include <optional>

namespace {
constexpr int kShortMs = 15000;
// The base URL a reply's request went to, for its error sentence.
constexpr char kBaseProperty[] = "ai2inEngineBase";
// Creating and resuming start a container and wait for its agent.
constexpr int kLongMs = 180000;

QString endpointText(const QUrl &base)
{
    return base.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}
} // namespace

EngineClient::EngineClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    // Each request carries its own transfer timeout; redirects are not part
    // of the API.
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

void EngineClient::setEndpoint(const QUrl &baseUrl, const QString &apiKey)
{
    if (baseUrl == m_base && apiKey == m_key)
        return;
    abortAll();
    m_base = baseUrl;
    m_key = apiKey;
    Q_EMIT endpointChanged();
}

void EngineClient::abortAll()
{
    ++m_generation;
    const auto replies = m_nam->findChildren<QNetworkReply *>();
    for (QNetworkReply *r : replies)
        r->abort();
}

ApiError EngineClient::errorFor(QNetworkReply::NetworkError error, const QString &errorString, int httpStatus,
                                const QByteArray &body, const QUrl &baseUrl)
{
    const QString where = endpointText(baseUrl);
    if (httpStatus == 0) {
        ApiError e;
        e.code = unreachableCode();
        e.httpStatus = 0;
        switch (error) {
        case QNetworkReply::ConnectionRefusedError:
            e.message = QStringLiteral("No engine answers at %1 (connection refused).").arg(where);
            break;
        case QNetworkReply::RemoteHostClosedError:
            e.message = QStringLiteral("The engine at %1 closed the connection.").arg(where);
            break;
        case QNetworkReply::HostNotFoundError:
            e.message = QStringLiteral("The engine's host in %1 was not found.").arg(where);
            break;
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:
            e.message = QStringLiteral("The engine at %1 did not answer in time.").arg(where);
            break;
        case QNetworkReply::SslHandshakeFailedError:
            e.message = QStringLiteral("A secure connection to %1 could not be made: %2.").arg(where, errorString);
            break;
        default:
            e.message = QStringLiteral("Cannot reach the engine at %1: %2.").arg(where, errorString);
            break;
        }
        return e;
    }
    ApiError e = ApiError::fromResponse(httpStatus, body);
    if (httpStatus == 401) {
        e.code = QStringLiteral("unauthorized");
        const QString why = e.message.trimmed();
        e.message = QStringLiteral("The engine at %1 does not accept this API key%2").arg(where, why.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + why);
    } else if (e.message.trimmed().isEmpty()) {
        e.message = QStringLiteral("The engine answered HTTP %1.").arg(httpStatus);
    }
    return e;
}

Result<QList<SandboxInfo>> EngineClient::parseList(const QByteArray &body)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return ApiError::internal(QStringLiteral("The engine's list of sandboxes is not valid JSON."));
    const QJsonValue arr = doc.object().value(QStringLiteral("sandboxes"));
    if (!arr.isArray())
        return ApiError::internal(QStringLiteral("The engine's answer has no list of sandboxes."));
    QList<SandboxInfo> out;
    const QJsonArray a = arr.toArray();
    out.reserve(a.size());
    for (const QJsonValue &v : a) {
        auto info = SandboxInfo::fromJson(v.toObject());
        if (!info)
            return ApiError::internal(QStringLiteral("The engine listed a sandbox without an id."));
        out.append(std::move(*info));
    }
    return out;
}

QUrl EngineClient::urlFor(const QString &pathAndQuery, bool webSocket) const
{
    QUrl url = endpointFor(pathAndQuery).baseUrl;
    const QString basePath = url.path().endsWith(QLatin1Char('/')) ? url.path().chopped(1) : url.path();
    const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
    url.setPath(basePath + (q < 0 ? pathAndQuery : pathAndQuery.left(q)));
    if (q >= 0)
        url.setQuery(pathAndQuery.mid(q + 1));
    if (webSocket)
        url.setScheme(url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    return url;
}

QNetworkRequest EngineClient::requestFor(const QString &pathAndQuery, int timeoutMs, const QByteArray &contentType) const
{
    QNetworkRequest req(urlFor(pathAndQuery));
    req.setTransferTimeout(timeoutMs);
    const QString key = apiKeyFor(pathAndQuery);
    if (!key.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    return req;
}

void EngineClient::send(const QByteArray &verb, const QString &path, const QByteArray &body, int timeoutMs,
                        const QList<QPair<QByteArray, QByteArray>> &headers, QObject *context, RawHandler done)
{
    QNetworkRequest req = requestFor(path, timeoutMs, body.isEmpty() ? QByteArray() : QByteArrayLiteral("application/json"));
    for (const auto &h : headers)
        req.setRawHeader(h.first, h.second);
    QNetworkReply *reply = track(m_nam->sendCustomRequest(req, verb, body), path);
    const quint64 generation = m_generation;
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [=, this] {
        reply->deleteLater();
        if (generation != m_generation || (context && !guard))
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray bytes = reply->readAll();
        qCDebug(lcModelClient) << verb << req.url().path() << status << reply->error();
        done(status, bytes, reply);
    });
}

void EngineClient::call(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &body, int timeoutMs,
                        QObject *context, Handler<QByteArray> done, const QByteArray &contentType)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!body.isEmpty())
        headers.append({QByteArrayLiteral("Content-Type"), contentType});
    send(verb, pathAndQuery, body, timeoutMs, headers, context, [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
        if (status < 200 || status > 299)
            return done(errorOf(r, answer));
        done(answer);
    });
}

QNetworkReply *EngineClient::open(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &body,
                                  const QByteArray &contentType, int timeoutMs)
{
    return track(m_nam->sendCustomRequest(requestFor(pathAndQuery, timeoutMs, contentType), verb, body), pathAndQuery);
}

QNetworkReply *EngineClient::open(const QByteArray &verb, const QString &pathAndQuery, QIODevice *body,
                                  const QByteArray &contentType, int timeoutMs)
{
    return track(m_nam->sendCustomRequest(requestFor(pathAndQuery, timeoutMs, contentType), verb, body), pathAndQuery);
}

ApiError EngineClient::errorOf(QNetworkReply *reply, const QByteArray &body) const
{
    // The sentence names the engine the request went to (a routed one).
    const QVariant routed = reply->property(kBaseProperty);
    return errorFor(reply->error(), reply->errorString(), reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                    body, routed.isValid() ? routed.toUrl() : m_base);
}

QNetworkReply *EngineClient::track(QNetworkReply *reply, const QString &pathAndQuery) const
{
    reply->setProperty(kBaseProperty, endpointFor(pathAndQuery).baseUrl);
    return reply;
}

void EngineClient::setRouter(Router router)
{
    m_router = std::move(router);
}

QString EngineClient::sandboxIdOf(const QString &pathAndQuery)
{
    static const QString prefix = ApiPaths::sandboxesPath() + QLatin1Char('/');
    if (!pathAndQuery.startsWith(prefix))
        return {};
    const qsizetype from = prefix.size();
    qsizetype to = from;
    while (to < pathAndQuery.size() && pathAndQuery.at(to) != QLatin1Char('/') && pathAndQuery.at(to) != QLatin1Char('?'))
        ++to;
    return QUrl::fromPercentEncoding(pathAndQuery.mid(from, to - from).toUtf8());
}

EngineClient::Endpoint EngineClient::endpointFor(const QString &pathAndQuery) const
{
    if (m_router) {
        const QString id = sandboxIdOf(pathAndQuery);
        if (!id.isEmpty()) {
            if (std::optional<Endpoint> routed = m_router(id))
                return *routed;
        }
    }
    return {m_base, m_key};
}

QString EngineClient::apiKeyFor(const QString &pathAndQuery) const
{
    return endpointFor(pathAndQuery).apiKey;
}

void EngineClient::health(QObject *context, Handler<Health> done)
{
    send("GET", ApiPaths::healthPath(), {}, kShortMs, {}, context, [this, done](int status, const QByteArray &body, QNetworkReply *r) {
        if (status != 200)
            return done(errorOf(r, body));
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        done(Health{o.value(QStringLiteral("version")).toString(), o.value(QStringLiteral("node_id")).toString()});
    });
}

void EngineClient::templates(QObject *context, Handler<QList<TemplateSummary>> done)
{
    send("GET", ApiPaths::templatesPath(), {}, kShortMs, {}, context, [this, done](int status, const QByteArray &body, QNetworkReply *r) {
        if (status != 200)
            return done(errorOf(r, body));
        done(TemplateSummary::parseList(body));
    });
}

void EngineClient::listSandboxes(const QByteArray &etag, QObject *context, Handler<ListReply> done)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!etag.isEmpty())
        headers.append({QByteArrayLiteral("If-None-Match"), etag});
    send("GET", ApiPaths::sandboxesPath(), {}, kShortMs, headers, context,
         [this, done, etag, context](int status, const QByteArray &body, QNetworkReply *r) {
             if (status == 304)
                 return done(ListReply{true, etag, {}});
             if (status != 200)
                 return done(errorOf(r, body));
             // A long list takes milliseconds to parse (timestamps mostly):
             // off the UI thread, answered back on it.
             const QByteArray tag = r->rawHeader("ETag");
             auto parsed = std::make_shared<std::optional<Result<QList<SandboxInfo>>>>();
             QPromise<void> promise;
             auto *watcher = new QFutureWatcher<void>(this);
             const quint64 generation = m_generation;
             QPointer<QObject> guard(context);
             const bool hasContext = context != nullptr;
             connect(watcher, &QFutureWatcher<void>::finished, this, [=, this] {
                 watcher->deleteLater();
                 if (generation != m_generation || (hasContext && !guard) || !parsed->has_value())
                     return;
                 Result<QList<SandboxInfo>> &list = **parsed;
                 if (!list)
                     return done(list.error());
                 done(ListReply{false, tag, std::move(list).value()});
             });
             watcher->setFuture(promise.future());
             auto shared = std::make_shared<QPromise<void>>(std::move(promise));
             QThreadPool::globalInstance()->start([shared, parsed, body] {
                 shared->start();
                 parsed->emplace(parseList(body));
                 shared->finish();
             });
         });
}

void EngineClient::sandboxCall(const QByteArray &verb, const QString &path, const QJsonObject &body, int timeoutMs,
                               QObject *context, Handler<SandboxInfo> done)
{
    const QByteArray bytes = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    send(verb, path, bytes, timeoutMs, {}, context, [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
        if (status != 200 && status != 201)
            return done(errorOf(r, answer));
        auto info = SandboxInfo::fromJson(QJsonDocument::fromJson(answer).object());
        if (!info)
            return done(ApiError::internal(QStringLiteral("The engine's answer is not a sandbox.")));
        done(std::move(*info));
    });
}

void EngineClient::sandbox(const QString &id, QObject *context, Handler<SandboxInfo> done)
{
    sandboxCall("GET", ApiPaths::sandboxPath(id), {}, kShortMs,
                context, std::move(done));
}

void EngineClient::metricsHistory(const QString &id, qint64 sinceMs, int timeoutMs, QObject *context,
                                  Handler<MetricsHistory::Page> done)
{
    // The engine answers what came strictly after `since`.
    const QString path = ApiPaths::metricsHistoryPath(id, sinceMs);
    call("GET", path, {}, timeoutMs, context, [done](Result<QByteArray> r) {
        if (!r)
            return done(r.error());
        done(MetricsHistory::parse(*r));
    });
}

void EngineClient::createSandbox(const QJsonObject &body, QObject *context, Handler<SandboxInfo> done)
{
    // An empty object still has to travel as "{}".
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    send("POST", ApiPaths::sandboxesPath(), bytes, kLongMs, {}, context,
         [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
             if (status != 201 && status != 200)
                 return done(errorOf(r, answer));
             auto info = SandboxInfo::fromJson(QJsonDocument::fromJson(answer).object());
             if (!info)
                 return done(ApiError::internal(QStringLiteral("The engine's answer is not a sandbox.")));
             done(std::move(*info));
         });
}

void EngineClient::pause(const QString &id, QObject *context, Handler<SandboxInfo> done)
{
    sandboxCall("POST", ApiPaths::sandboxPath(id, QStringLiteral("/pause")), {}, kLongMs, context, std::move(done));
}

void EngineClient::resume(const QString &id, QObject *context, Handler<SandboxInfo> done)
{
    sandboxCall("POST", ApiPaths::sandboxPath(id, QStringLiteral("/resume")), {}, kLongMs, context, std::move(done));
}

void EngineClient::setTimeout(const QString &id, qint64 seconds, QObject *context, Handler<SandboxInfo> done)
{
    sandboxCall("POST", ApiPaths::sandboxPath(id, QStringLiteral("/timeout")),
                QJsonObject{{QStringLiteral("timeout"), double(seconds)}}, kShortMs, context, std::move(done));
}

void EngineClient::updateNetwork(const QString &id, const NetworkPolicy &policy, QObject *context,
                                 Handler<SandboxInfo> done)
{
    sandboxCall("POST", ApiPaths::sandboxPath(id, QStringLiteral("/network")), NetworkPolicyForm::requestFields(policy, true),
                kShortMs, context, std::move(done));
}

void EngineClient::kill(const QString &id, QObject *context, Handler<Done> done)
{
    send("DELETE", ApiPaths::sandboxPath(id), {}, kLongMs, {}, context,
         [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
             if (status != 204 && status != 200)
                 return done(errorOf(r, answer));
             done(Done{});
         });
}

void EngineClient::metrics(const QString &id, QObject *context, Handler<SandboxMetrics> done)
{
    send("GET", ApiPaths::metricsPath(id), {}, kShortMs, {}, context,
         [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
             if (status != 200)
                 return done(errorOf(r, answer));
             auto m = SandboxMetrics::fromJson(QJsonDocument::fromJson(answer).object());
             if (!m)
                 return done(ApiError::internal(QStringLiteral("The engine's metrics answer is not readable.")));
             done(*m);
         });
}

void EngineClient::activity(const QString &id, qint64 after, int limit, QObject *context, Handler<ActivityPage> done)
{
    const QString path = ApiPaths::activityPath(id, after, limit);
    send("GET", path, {}, kShortMs, {}, context, [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
        if (status != 200)
            return done(errorOf(r, answer));
        done(ActivityPage::parse(answer));
    });
}

void EngineClient::runCommand(const QString &id, const QString &cmd, bool background, QObject *context,
                              Handler<CommandReply> done)
{
    const QJsonObject body{{QStringLiteral("cmd"), cmd}, {QStringLiteral("background"), background}};
    // A blocking run may take the API's whole 120 s command limit.
    const int timeoutMs = background ? kShortMs : 150000;
    send("POST", ApiPaths::commandsPath(id), QJsonDocument(body).toJson(QJsonDocument::Compact),
         timeoutMs, {}, context, [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
             if (status != 200 && status != 201)
                 return done(errorOf(r, answer));
             const QJsonObject o = QJsonDocument::fromJson(answer).object();
             CommandReply reply;
             reply.commandId = o.value(QStringLiteral("command_id")).toString();
             reply.pid = qint64(o.value(QStringLiteral("pid")).toDouble());
             reply.out = o.value(QStringLiteral("stdout")).toString();
             reply.err = o.value(QStringLiteral("stderr")).toString();
             if (o.value(QStringLiteral("exit_code")).isDouble())
                 reply.exitCode = o.value(QStringLiteral("exit_code")).toInt();
             reply.error = o.value(QStringLiteral("error")).toString();
             if (reply.commandId.isEmpty())
                 return done(ApiError::internal(QStringLiteral("The engine's answer names no command.")));
             done(std::move(reply));
         });
}

void EngineClient::killCommand(const QString &id, const QString &commandId, QObject *context, Handler<Done> done)
{
    // The engine waits for nothing but the signal's delivery.
    send("POST", ApiPaths::commandKillPath(id, commandId), QByteArrayLiteral("{}"), kShortMs, {}, context,
         [this, done](int status, const QByteArray &answer, QNetworkReply *r) {
             if (status != 200 && status != 204)
                 return done(errorOf(r, answer));
             done(Done{});
         });
}
