// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiClient.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

ApiClient::ApiClient(const QUrl &baseUrl, const QString &apiKey)
    : m_base(baseUrl)
    , m_key(apiKey)
{
}

QNetworkReply *ApiClient::send(const QByteArray &verb, const QString &path, const QByteArray &body,
                               const QByteArray &contentType, const Headers &extra, int timeoutMs)
{
    // fromEncoded keeps the caller's percent-encoding as it is (%00 stays %00).
    QByteArray base = m_base.toEncoded();
    while (base.endsWith('/'))
        base.chop(1);
    const QUrl url = QUrl::fromEncoded(base + path.toUtf8(), QUrl::StrictMode);
    QNetworkRequest req(url);
    req.setTransferTimeout(timeoutMs);
    // The engine's own answers are what is tested, not redirects or caches.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (!m_key.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
    if (!contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    for (const auto &h : extra)
        req.setRawHeader(h.first, h.second);
    if (body.isEmpty() && (verb == "GET" || verb == "DELETE"))
        return m_nam.sendCustomRequest(req, verb);
    return m_nam.sendCustomRequest(req, verb, body);
}

ApiResponse ApiClient::waitFor(QNetworkReply *reply)
{
    if (!reply->isFinished()) {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    ApiResponse r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    for (const auto &pair : reply->rawHeaderPairs())
        r.headers.insert(pair.first.toLower(), pair.second);
    // HTTP error statuses are normal answers here; only transport failures
    // without any status are worth a note.
    if (reply->error() != QNetworkReply::NoError && r.status == 0)
        r.networkError = reply->errorString();
    reply->deleteLater();
    return r;
}

ApiResponse ApiClient::request(const QByteArray &verb, const QString &path, const QByteArray &body,
                               const QByteArray &contentType, const Headers &extra, int timeoutMs)
{
    return waitFor(send(verb, path, body, contentType, extra, timeoutMs));
}

ApiResponse ApiClient::post(const QString &path, const QJsonObject &body)
{
    return postRaw(path, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

ApiResponse ApiClient::postRaw(const QString &path, const QByteArray &body, const QByteArray &contentType)
{
    return request("POST", path, body, contentType);
}

ApiResponse ApiClient::put(const QString &path, const QByteArray &bytes)
{
    return request("PUT", path, bytes, "application/octet-stream");
}

ApiResponse ApiClient::createSandbox(const QJsonObject &body)
{
    return post(QStringLiteral("/v1/sandboxes"), body);
}

ApiResponse ApiClient::run(const QString &id, const QString &cmd, const QJsonObject &extra)
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("cmd"), cmd);
    return post(QStringLiteral("/v1/sandboxes/%1/commands").arg(id), body);
}

QStringList ApiClient::sandboxIds(const QString &query)
{
    QStringList ids;
    const ApiResponse r = get(QStringLiteral("/v1/sandboxes") + query);
    for (const QJsonValue &v : r.json().value(QStringLiteral("sandboxes")).toArray())
        ids << v.toObject().value(QStringLiteral("sandbox_id")).toString();
    return ids;
}

int ApiClient::killAllSandboxes()
{
    int failed = 0;
    for (const QString &id : sandboxIds()) {
        const ApiResponse r = del(QStringLiteral("/v1/sandboxes/") + id);
        if (r.status != 204 && r.status != 404) {
            qWarning("killing %s: %s", qPrintable(id), r.describe().constData());
            ++failed;
        }
    }
    return failed;
}

QString ApiClient::q(const QString &value)
{
    return QString::fromLatin1(value.toUtf8().toPercentEncoding());
}

QString ApiClient::q(const QByteArray &rawValue)
{
    return QString::fromLatin1(rawValue.toPercentEncoding());
}
