// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileWatch.h"

#include "ApiPaths.h"
#include "EngineSocket.h"

#include "EngineClient.h"
#include "FilesLogging.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QWebSocket>

namespace {
constexpr int kRequestMs = 15000;
constexpr int kCoalesceMs = 80;
} // namespace

FileWatch::FileWatch(EngineClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    // Not restarted by later events: a steady stream still arrives every
    // interval instead of never.
    m_flush.setSingleShot(true);
    m_flush.setInterval(kCoalesceMs);
    connect(&m_flush, &QTimer::timeout, this, &FileWatch::flush);
}

FileWatch::~FileWatch()
{
    stop();
}

Result<FileWatch::Event> FileWatch::parseEvent(const QByteArray &message)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(message, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return ApiError::internal(QStringLiteral("A file watch message is not JSON."));
    const QJsonObject o = doc.object();
    Event e;
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("create"))
        e.type = Event::Type::Create;
    else if (type == QLatin1String("modify"))
        e.type = Event::Type::Modify;
    else if (type == QLatin1String("remove"))
        e.type = Event::Type::Remove;
    else
        return ApiError::internal(QStringLiteral("A file watch message has an unknown type “%1”.").arg(type));
    e.path = o.value(QStringLiteral("path")).toString();
    if (!e.path.startsWith(QLatin1Char('/')))
        return ApiError::internal(QStringLiteral("A file watch message has no absolute path."));
    e.isDir = o.value(QStringLiteral("is_dir")).toBool();
    return e;
}

QList<FileWatch::Event> FileWatch::coalesce(const QList<Event> &events)
{
    QList<Event> out;
    QHash<QString, qsizetype> at;
    for (const Event &e : events) {
        const auto it = at.constFind(e.path);
        if (it == at.cend()) {
            at.insert(e.path, out.size());
            out.append(e);
            continue;
        }
        Event &kept = out[*it];
        if (!(kept.type == Event::Type::Create && e.type == Event::Type::Modify))
            kept = e;
    }
    return out;
}

void FileWatch::start(const QString &sandbox, const QString &path)
{
    stop();
    m_sandbox = sandbox;
    m_path = path;
    const quint64 generation = ++m_generation;
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("path"), path}, {QStringLiteral("recursive"), true}})
                                .toJson(QJsonDocument::Compact);
    m_client->call("POST", ApiPaths::watchesPath(sandbox), body, kRequestMs, this,
                   [this, generation](Result<QByteArray> r) {
                       if (generation != m_generation)
                           return;
                       if (!r) {
                           m_sandbox.clear();
                           Q_EMIT ended(tr("Changes in the sandbox are not followed: %1").arg(r.error().message));
                           return;
                       }
                       m_watchId = QJsonDocument::fromJson(*r).object().value(QStringLiteral("watch_id")).toString();
                       qCDebug(lcModelFiles) << "watch" << m_watchId << "on" << m_path;
                       openSocket(generation);
                   });
}

void FileWatch::openSocket(quint64 generation)
{
    QWebSocket *ws = EngineSocket::make(this, [this, generation](QWebSocket *closing) {
        if (generation != m_generation || m_ws != closing)
            return;
        const QString reason = closing->closeReason().trimmed();
        const QString why = !reason.isEmpty() ? reason
            : closing->error() != QAbstractSocket::UnknownSocketError ? closing->errorString()
                                                                      : tr("the engine closed it");
        flush();
        dropSocket();
        m_sandbox.clear();
        Q_EMIT ended(tr("Changes in the sandbox are no longer followed: %1").arg(why));
    });
    m_ws = ws;
    connect(ws, &QWebSocket::connected, this, [this, generation] {
        if (generation == m_generation)
            Q_EMIT started();
    });
    connect(ws, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        auto e = parseEvent(text.toUtf8());
        if (!e) {
            qCWarning(lcModelFiles) << e.error().message;
            return;
        }
        m_pending.append(std::move(e).value());
        if (!m_flush.isActive())
            m_flush.start();
    });
    EngineSocket::open(ws, *m_client, ApiPaths::watchSocketPath(m_sandbox, m_watchId));
}

void FileWatch::dropSocket()
{
    EngineSocket::drop(m_ws, this);
}

void FileWatch::stop()
{
    ++m_generation;
    m_flush.stop();
    m_pending.clear();
    dropSocket();
    if (m_client && !m_sandbox.isEmpty() && !m_watchId.isEmpty()) {
        // Nobody waits for the answer: a paused or killed sandbox has lost
        // its watches already.
        m_client->call("DELETE", ApiPaths::watchPath(m_sandbox, m_watchId), {},
                       kRequestMs, nullptr, [](Result<QByteArray>) {});
    }
    m_sandbox.clear();
    m_watchId.clear();
}

void FileWatch::flush()
{
    m_flush.stop();
    if (m_pending.isEmpty())
        return;
    const QList<Event> batch = coalesce(std::exchange(m_pending, {}));
    Q_EMIT eventsArrived(batch);
}
