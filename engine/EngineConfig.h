// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>

// Everything `ai2ind serve` can be told on its command line.
struct EngineConfig
{
    QString dataDir;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 7300;
    // `localhost` is both loopbacks: glibc resolves <port>-<id>.localhost
    // to ::1 first, 127.0.0.1 second, and clients try them in that order.
    QList<QHostAddress> previewAddresses = {QHostAddress::LocalHost, QHostAddress::LocalHostIPv6};
    quint16 previewPort = 7301;
    // Preview URLs as the world sees them: scheme://<port>-<id>.<domain>[:<public port>].
    QString previewScheme = QStringLiteral("http");
    QString previewDomain = QStringLiteral("localhost");
    quint16 previewPublicPort = 0; // 0: previewPort
    QString templatesDir;
    QString runtimePath = QStringLiteral("runc");
    QString agentPath;
    QString nodeId;
    // Members of this group may read credentials.json (when the group exists).
    QString credentialsGroup = QStringLiteral("ai2in");
    int idleTimeoutSeconds = 30 * 60;
    int maxRunningPerTeam = 20;
    // Warm sandboxes per template (--warm-pool); 0: no pool.
    int warmPoolSize = 2;
    // API connections open at once per listening address; 0: what the
    // process's descriptor limit allows (ApiListener::defaultMaxConnections).
    int maxConnections = 0;
    int defaultCpuCount = 2;
    int defaultMemoryMb = 512;
    int defaultDiskMb = 10 * 1024;
    // Free space of the data dir that sandboxes never get: below it, no
    // sandbox is created or resumed.
    qint64 diskReserveMb = 2048;
    int pidsLimit = 1024;
    int activityLimit = 2000; // entries kept per sandbox
    // Each sandbox's own host ids: slot i of the pool is
    // [uidPoolBase + i*65536, uidPoolBase + (i+1)*65536); 0 ranges: every
    // sandbox runs in its template's range, as before idmapped mounts.
    uint uidPoolBase = 1u << 30;
    uint uidPoolRanges = 4096;
    // Sandbox networks (engine/net): off gives every sandbox loopback only.
    bool network = true;
    QString networkPool = QStringLiteral("100.72.0.0/16");
    QString networkName = QStringLiteral("ai2in");
    bool allowPrivateOut = false;
    // Resolvers the sandboxes' DNS goes to; empty: the host's (resolv.conf).
    QList<QHostAddress> networkDns;

    QString baseUrl() const;
    static QString defaultDataDir();
};
