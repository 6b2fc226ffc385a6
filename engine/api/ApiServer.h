// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiCall.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QObject>

#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

class KeyStore;

// The engine's HTTP front: authentication, routing and the error format.
// Route groups (sandboxes, commands, files) register themselves through `on`.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    ApiServer(KeyStore *keys, QString nodeId, QObject *parent = nullptr);

    using Method = QHttpServerRequest::Method;
    using Handler0 = std::function<void(ApiCall &)>;
    using Handler1 = std::function<void(ApiCall &, const QString &)>;
    using Handler2 = std::function<void(ApiCall &, const QString &, const QString &)>;

    // `path` uses `<arg>` for each id in it, as QHttpServer does.
    void on(const char *path, Method method, Handler0 h);
    void on(const char *path, Method method, Handler1 h);
    void on(const char *path, Method method, Handler2 h);

    quint16 listen(const QHostAddress &address, quint16 port);

private:
    std::optional<ApiCall> begin(const QHttpServerRequest &req, QHttpServerResponder &&responder);

    QHttpServer m_http;
    KeyStore *m_keys;
    QString m_nodeId;
};
