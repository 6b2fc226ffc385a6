// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>
#include <QUrl>

class QNetworkReply;

// A synchronous HTTP client for tests: each call spins a local event loop
// until the answer (or the transfer timeout) arrives. Paths are given
// already percent-encoded ("/v1/sandboxes/x/files/content?path=a%00b") so a
// test can send exactly the bytes it means, hostile ones included.
class ApiClient
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    ApiClient(const QUrl &baseUrl, const QString &apiKey);

    void setApiKey(const QString &key) { m_key = key; }
    QString apiKey() const { return m_key; }
    void setBaseUrl(const QUrl &url) { m_base = url; }

    // Sends without waiting; the caller owns the reply. The restart test uses
    // it to kill the engine while a create is in flight.
    QNetworkReply *send(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                        const QByteArray &contentType = {}, const Headers &extra = {},
                        int timeoutMs = kDefaultTimeoutMs);
    ApiResponse request(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                        const QByteArray &contentType = {}, const Headers &extra = {},
                        int timeoutMs = kDefaultTimeoutMs);
    static ApiResponse waitFor(QNetworkReply *reply);

    ApiResponse get(const QString &path, const Headers &extra = {}) { return request("GET", path, {}, {}, extra); }
    ApiResponse del(const QString &path) { return request("DELETE", path); }
    ApiResponse post(const QString &path, const QJsonObject &body);
    ApiResponse postRaw(const QString &path, const QByteArray &body,
                        const QByteArray &contentType = "application/json");
    ApiResponse put(const QString &path, const QByteArray &bytes);

    // Shorthands for what nearly every test does.
    ApiResponse createSandbox(const QJsonObject &body = {});
    ApiResponse sandbox(const QString &id) { return get(QStringLiteral("/v1/sandboxes/") + id); }
    ApiResponse run(const QString &id, const QString &cmd, const QJsonObject &extra = {});
    // Kills every sandbox the key's team has; returns how many were left over
    // (already killed ones answer 404 and are not counted as failures).
    int killAllSandboxes();
    QStringList sandboxIds(const QString &query = {});

    // Percent-encodes a query parameter value.
    static QString q(const QString &value);
    static QString q(const QByteArray &rawValue);

    // Blocking runs may take the full 120 s command limit.
    static constexpr int kDefaultTimeoutMs = 150000;

private:
    QNetworkAccessManager m_nam;
    QUrl m_base;
    QString m_key;
};
