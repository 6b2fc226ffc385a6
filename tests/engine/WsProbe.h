// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

// A WebSocket client that records everything it receives.
class WsProbe : public QObject
{
    Q_OBJECT
public:
    explicit WsProbe(const QUrl &url, const QString &key)
    {
        connect(&ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &b) { binary += b; });
        connect(&ws, &QWebSocket::textMessageReceived, this,
                [this](const QString &t) { texts.append(QJsonDocument::fromJson(t.toUtf8()).object()); });
        connect(&ws, &QWebSocket::disconnected, this, [this] { closed = true; });
        connect(&ws, &QWebSocket::connected, this, [this] {
            if (auto *tcp = ws.findChild<QTcpSocket *>())
                tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        });
        QNetworkRequest req(url);
        req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
        ws.open(req);
    }
    bool waitConnected() { return QTest::qWaitFor([this] { return ws.state() == QAbstractSocket::ConnectedState; }, 10000); }
    bool hasText(const QString &type) const
    {
        for (const QJsonObject &o : texts)
            if (o.value(QStringLiteral("type")).toString() == type)
                return true;
        return false;
    }
    QJsonObject text(const QString &type) const
    {
        for (const QJsonObject &o : texts)
            if (o.value(QStringLiteral("type")).toString() == type)
                return o;
        return {};
    }

    QWebSocket ws;
    QByteArray binary;
    QList<QJsonObject> texts;
    bool closed = false;
};

