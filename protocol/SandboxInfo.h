// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "NetworkPolicy.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

// Error: its PID 1 (the agent) died under it; nothing runs in it any more
// and only a kill (or its timeout) ends it.
enum class SandboxState { Creating, Running, Pausing, Paused, Resuming, Killing, Error };

namespace SandboxStates {
// The API shows "running", "paused" or "error"; the engine's transient
// states are reported as the state the sandbox is leaving.
QString apiName(SandboxState s);
QString storageName(SandboxState s);
std::optional<SandboxState> fromStorageName(const QString &name);
} // namespace SandboxStates

using StringMap = QMap<QString, QString>;

// A TCP port something listens on inside a running sandbox, and its preview URL.
struct SandboxPort
{
    int port = 0;
    QString url;

    bool operator==(const SandboxPort &o) const { return port == o.port && url == o.url; }
};

// What `GET /v1/sandboxes/{id}` answers.
struct SandboxInfo
{
    QString id;
    QString templateName;
    SandboxState state = SandboxState::Creating;
    QDateTime createdAt;
    QDateTime startedAt;  // the last (re)start
    QDateTime endAt;      // invalid: lives until killed (or reaped when idle)
    QDateTime pausedAt;   // valid only while paused
    QString nodeId;
    StringMap metadata;
    int cpuCount = 0;
    int memoryMb = 0;
    int diskMb = 0; // 0: a sandbox from before per-sandbox disks (no limit)
    // How a paused sandbox was paused: "stop" (processes ended, memory freed)
    // or "freeze" (processes frozen in memory); empty while it runs.
    QString pauseKind;
    // Why the sandbox is in the error state; empty otherwise.
    QString errorReason;
    // Listening ports; always empty while paused. Filled in by the engine's
    // port watcher, not stored.
    QList<SandboxPort> ports;
    // With `preview_auth`: the token its previews require (shown to its team
    // only, as every info is); empty without.
    QString previewToken;
    // Where it may connect to, and its own IPv4 address (empty: it has no
    // network of its own, e.g. on an engine started with --network none).
    NetworkPolicy network;
    QString netAddress;

    QJsonObject toJson() const;
    // The "network" field: the policy and the address.
    QJsonObject networkJson() const;
    static std::optional<SandboxInfo> fromJson(const QJsonObject &o);
};

QJsonObject stringMapToJson(const StringMap &m);
