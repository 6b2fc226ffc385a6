// SPDX-License-Identifier: GPL-3.0-or-later
#include "EngineSet.h"

#include "ModelLogging.h"
#include "SandboxModel.h"

EngineSet::EngineSet(QObject *parent)
    : QObject(parent)
    , m_model(new SandboxModel(this))
    , m_router(new EngineClient(this))
{
    m_router->setRouter([this](const QString &sandboxId) -> std::optional<EngineClient::Endpoint> {
        const Engine *e = engineOf(sandboxId);
        if (!e)
            return std::nullopt;
        return EngineClient::Endpoint{e->client->baseUrl(), e->client->apiKey()};
    });
}

EngineSet::~EngineSet()
{
    // The pollers stop before the model they feed goes.
    for (const Engine &e : std::as_const(m_engines))
        e.poller->stop();
}

EngineSet::Engine *EngineSet::find(const QString &name)
{
    for (Engine &e : m_engines) {
        if (e.name == name)
            return &e;
    }
    return nullptr;
}

const EngineSet::Engine *EngineSet::engine(const QString &name) const
{
    return const_cast<EngineSet *>(this)->find(name);
}

QString EngineSet::watch(const QString &name, const QUrl &baseUrl, const QString &apiKey)
{
    for (const Engine &other : std::as_const(m_engines)) {
        if (other.name != name && other.client->baseUrl() == baseUrl)
            return tr("The engine at %1 is already watched as '%2'.").arg(baseUrl.toString(), other.name);
    }
    Engine *e = find(name);
    const bool added = !e;
    if (added) {
        Engine fresh{name, new EngineClient(this), nullptr};
        fresh.poller = new SandboxPoller(fresh.client, m_model, this);
        fresh.poller->setEngineName(name);
        fresh.poller->setInterval(m_intervalMs);
        fresh.poller->setMetricsInterval(m_metricsMs);
        SandboxPoller *poller = fresh.poller;
        connect(poller, &SandboxPoller::connectionChanged, this,
                [this, name](SandboxPoller::Connection c, const QString &problem) { Q_EMIT connectionChanged(name, c, problem); });
        connect(poller, &SandboxPoller::healthChanged, this,
                [this, name](const QString &version, const QString &node) { Q_EMIT healthChanged(name, version, node); });
        connect(poller, &SandboxPoller::polled, this,
                [this, name](qint64 rtt, bool changed) { Q_EMIT polled(name, rtt, changed); });
        connect(poller, &SandboxPoller::firstData, this, [this, name] { Q_EMIT firstData(name); });
        m_engines.append(fresh);
        e = &m_engines.last();
    }
    e->poller->stop();
    if (e->client->baseUrl() != baseUrl || e->client->apiKey() != apiKey) {
        // Another engine (or key) under this name: its old rows are not this one's.
        m_model->clearEngine(name);
        e->client->setEndpoint(baseUrl, apiKey);
    }
    qCInfo(lcModelSandboxes) << "watching" << name << "at" << baseUrl;
    updateRouterEndpoint();
    e->poller->start();
    if (added)
        Q_EMIT engineAdded(name);
    return {};
}

void EngineSet::unwatch(const QString &name)
{
    for (qsizetype i = 0; i < m_engines.size(); ++i) {
        if (m_engines.at(i).name != name)
            continue;
        const Engine gone = m_engines.takeAt(i);
        gone.poller->stop();
        gone.client->abortAll();
        m_model->clearEngine(name);
        gone.poller->deleteLater();
        gone.client->deleteLater();
        updateRouterEndpoint();
        Q_EMIT engineRemoved(name);
        return;
    }
}

void EngineSet::updateRouterEndpoint()
{
    // What is not about one sandbox (templates, health) goes to the first engine.
    if (m_engines.isEmpty())
        m_router->setEndpoint({}, {});
    else
        m_router->setEndpoint(m_engines.first().client->baseUrl(), m_engines.first().client->apiKey());
}

QStringList EngineSet::names() const
{
    QStringList out;
    for (const Engine &e : m_engines)
        out.append(e.name);
    return out;
}

const EngineSet::Engine *EngineSet::engineOf(const QString &sandboxId) const
{
    if (m_model->rowOf(sandboxId) < 0)
        return nullptr;
    return engine(m_model->engineOf(sandboxId));
}

SandboxPoller *EngineSet::poller(const QString &name) const
{
    const Engine *e = engine(name);
    return e ? e->poller : nullptr;
}

EngineClient *EngineSet::client(const QString &name) const
{
    const Engine *e = engine(name);
    return e ? e->client : nullptr;
}

EngineClient *EngineSet::clientOf(const QString &sandboxId) const
{
    const Engine *e = engineOf(sandboxId);
    return e ? e->client : nullptr;
}

bool EngineSet::anyConnected() const
{
    return std::any_of(m_engines.cbegin(), m_engines.cend(),
                       [](const Engine &e) { return e.poller->connection() == SandboxPoller::Connection::Connected; });
}

void EngineSet::setInterval(int ms)
{
    m_intervalMs = ms;
    for (const Engine &e : std::as_const(m_engines))
        e.poller->setInterval(ms);
}

void EngineSet::setMetricsInterval(int ms)
{
    m_metricsMs = ms;
    for (const Engine &e : std::as_const(m_engines))
        e.poller->setMetricsInterval(ms);
}

void EngineSet::pollNow()
{
    for (const Engine &e : std::as_const(m_engines))
        e.poller->pollNow();
}
