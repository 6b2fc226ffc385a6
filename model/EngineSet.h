// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EngineClient.h"
#include "SandboxPoller.h"

#include <QList>
#include <QObject>
#include <QStringList>

class SandboxModel;

// The engines the app watches at once. Each has a client and a poller of its
// own that keep its rows of the one shared SandboxModel fresh, so an engine
// that stops answering changes nothing for the others. The workbench reaches
// any sandbox through one routing client (router()): a request about a
// sandbox goes to the engine that owns it.
class EngineSet : public QObject
{
    Q_OBJECT
public:
    struct Engine
    {
        QString name;
        EngineClient *client = nullptr;
        SandboxPoller *poller = nullptr;
    };

    explicit EngineSet(QObject *parent = nullptr);
    ~EngineSet() override;

    SandboxModel *model() const { return m_model; }
    EngineClient *router() const { return m_router; }

    // Watches `name` at `baseUrl` with `apiKey`; an engine already watched
    // under that name moves there (its rows go when the endpoint differs).
    // A sentence, and nothing watched, when another name already watches
    // that URL ("" when it went well).
    QString watch(const QString &name, const QUrl &baseUrl, const QString &apiKey);
    // Stops watching `name`: its poller stops, its rows go.
    void unwatch(const QString &name);
    // In the order they were first watched.
    QStringList names() const;
    int count() const { return int(m_engines.size()); }
    const Engine *engine(const QString &name) const;
    // The engine that owns a sandbox of the model (nullptr when unknown).
    const Engine *engineOf(const QString &sandboxId) const;
    SandboxPoller *poller(const QString &name) const;
    EngineClient *client(const QString &name) const;
    // The client of the engine that owns `sandboxId` (nullptr when unknown).
    EngineClient *clientOf(const QString &sandboxId) const;
    // At least one engine answers.
    bool anyConnected() const;

    // For every poller, now and later.
    void setInterval(int ms);
    void setMetricsInterval(int ms);
    void pollNow();

Q_SIGNALS:
    void engineAdded(const QString &name);
    void engineRemoved(const QString &name);
    void connectionChanged(const QString &name, SandboxPoller::Connection connection, const QString &problem);
    void healthChanged(const QString &name, const QString &version, const QString &nodeId);
    void polled(const QString &name, qint64 roundTripMs, bool changed);
    void firstData(const QString &name);

private:
    Engine *find(const QString &name);
    void updateRouterEndpoint();

    SandboxModel *m_model;
    EngineClient *m_router;
    QList<Engine> m_engines;
    int m_intervalMs = 2000;
    int m_metricsMs = 5000;
};
