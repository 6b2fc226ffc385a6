// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"
#include "MetricsHistory.h"
#include "Result.h"
#include "SandboxInfo.h"
#include "SandboxMetrics.h"
#include "TemplateSummary.h"

#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

// The app's one way to talk to an engine: asynchronous requests through
// QNetworkAccessManager, each answered by a handler with a Result, so every
// failure arrives as a sentence a person can read. A handler runs only while
// its context object lives.
class EngineClient : public QObject
{
    Q_OBJECT
public:
    struct Health
    {
        QString version;
        QString nodeId;
    };
    struct ListReply
    {
        bool notModified = false;
        QByteArray etag;
        QList<SandboxInfo> sandboxes;
    };
    template <typename T>
    using Handler = std::function<void(Result<T>)>;

    // The code of errors that come from the network, not from the engine.
    static QString unreachableCode() { return QStringLiteral("unreachable"); }

    // Where requests go: an engine's base URL and the key it takes.
    struct Endpoint
    {
        QUrl baseUrl;
        QString apiKey;
    };
    // The engine that owns a sandbox, when it is not this client's own.
    using Router = std::function<std::optional<Endpoint>(const QString &sandboxId)>;

    explicit EngineClient(QObject *parent = nullptr);

    // A different URL or key drops every request in flight and says so
    // with endpointChanged().
    void setEndpoint(const QUrl &baseUrl, const QString &apiKey);
    QUrl baseUrl() const { return m_base; }
    QString apiKey() const { return m_key; }
    // With a router, a request under `/v1/sandboxes/{id}` goes to the engine
    // the router names for `id` (the app's panes watch sandboxes of several
    // engines through one client); other requests, and ids the router does
    // not know, go to this client's own endpoint.
    void setRouter(Router router);
    Endpoint endpointFor(const QString &pathAndQuery) const;
    // The key a request to `pathAndQuery` carries (for a WebSocket).
    QString apiKeyFor(const QString &pathAndQuery) const;
    // Pure: the sandbox id a path is under ("" when none).
    static QString sandboxIdOf(const QString &pathAndQuery);

    void health(QObject *context, Handler<Health> done);
    void templates(QObject *context, Handler<QList<TemplateSummary>> done);
    void listSandboxes(const QByteArray &etag, QObject *context, Handler<ListReply> done);
    void createSandbox(const QJsonObject &body, QObject *context, Handler<SandboxInfo> done);
    void pause(const QString &id, QObject *context, Handler<SandboxInfo> done);
    void resume(const QString &id, QObject *context, Handler<SandboxInfo> done);
    void setTimeout(const QString &id, qint64 seconds, QObject *context, Handler<SandboxInfo> done);
    // `POST …/network` with every field: `policy` is what will be in force.
    void updateNetwork(const QString &id, const NetworkPolicy &policy, QObject *context, Handler<SandboxInfo> done);
    void kill(const QString &id, QObject *context, Handler<Done> done);
    void metrics(const QString &id, QObject *context, Handler<SandboxMetrics> done);
    // `GET /v1/sandboxes/{id}`: one sandbox's info.
    void sandbox(const QString &id, QObject *context, Handler<SandboxInfo> done);
    // `GET …/metrics?since=`: the readings after `sinceMs` (0: all kept).
    void metricsHistory(const QString &id, qint64 sinceMs, int timeoutMs, QObject *context,
                        Handler<MetricsHistory::Page> done);

    // The command log pane's requests: one page of a sandbox's activity log,
    // and a command run in it (blocking: with its output and exit code;
    // background: answered at once with its id).
    struct CommandReply
    {
        QString commandId;
        qint64 pid = 0;
        QString out;
        QString err;
        std::optional<int> exitCode; // none for a background start
        QString error;               // "killed: out of memory", or empty
    };
    void activity(const QString &id, qint64 after, int limit, QObject *context, Handler<ActivityPage> done);
    void runCommand(const QString &id, const QString &cmd, bool background, QObject *context,
                    Handler<CommandReply> done);
    // Kills a command and every process of its session (SIGTERM, SIGKILL
    // 2 s later for what is left); answered once the signal is delivered.
    void killCommand(const QString &id, const QString &commandId, QObject *context, Handler<Done> done);

    // The workbench panes' own requests (files, code, metrics history) go
    // through these, so each carries the key, a timeout and the same error
    // sentences as the rest.
    //
    // A call answered as a whole: the body of a 2xx answer, or the error.
    void call(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &body, int timeoutMs,
              QObject *context, Handler<QByteArray> done,
              const QByteArray &contentType = QByteArrayLiteral("application/json"));
    // A call the caller reads as it arrives (readyRead) or whose upload
    // progress it shows. The caller owns the reply (deleteLater when it has
    // finished); abortAll() aborts it too. With a device body, the device
    // must outlive the reply.
    QNetworkReply *open(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &body,
                        const QByteArray &contentType, int timeoutMs);
    QNetworkReply *open(const QByteArray &verb, const QString &pathAndQuery, QIODevice *body,
                        const QByteArray &contentType, int timeoutMs);
    // The error a finished reply means when it was not a 2xx answer; `body`
    // is what was read from it.
    ApiError errorOf(QNetworkReply *reply, const QByteArray &body) const;
    // A URL under the engine's base (for WebSockets: ws:// or wss://).
    QUrl urlFor(const QString &pathAndQuery, bool webSocket = false) const;

    // Drops every request in flight without calling its handler (a profile
    // switch).
    void abortAll();

    // Pure: the error a failed request means, as a sentence.
    static ApiError errorFor(QNetworkReply::NetworkError error, const QString &errorString, int httpStatus,
                             const QByteArray &body, const QUrl &baseUrl);
    // Pure: the body of `GET /v1/sandboxes`.
    static Result<QList<SandboxInfo>> parseList(const QByteArray &body);

Q_SIGNALS:
    // The client speaks to another engine, or with another key, from now
    // on: what was made through it (a terminal, a watch) belongs to the old one.
    void endpointChanged();

private:
    QNetworkRequest requestFor(const QString &pathAndQuery, int timeoutMs, const QByteArray &contentType) const;
    // Notes on the reply which engine it went to.
    QNetworkReply *track(QNetworkReply *reply, const QString &pathAndQuery) const;
    using RawHandler = std::function<void(int status, const QByteArray &body, QNetworkReply *reply)>;
    void send(const QByteArray &verb, const QString &path, const QByteArray &body, int timeoutMs,
              const QList<QPair<QByteArray, QByteArray>> &headers, QObject *context, RawHandler done);
    void sandboxCall(const QByteArray &verb, const QString &path, const QJsonObject &body, int timeoutMs,
                     QObject *context, Handler<SandboxInfo> done);

    QNetworkAccessManager *m_nam;
    QUrl m_base;
    QString m_key;
    Router m_router;
    quint64 m_generation = 0; // bumped by abortAll() and setEndpoint()
};
