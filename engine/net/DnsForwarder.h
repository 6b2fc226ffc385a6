// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "DnsMessage.h"
#include "Result.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUdpSocket>

#include <functional>

// The sandboxes' resolver: the engine's table redirects every DNS query a
// sandbox sends (to any server, port 53) here; it passes it on to the
// host's own resolvers, from the host, and tells the engine which IPv4
// addresses each answer gave for which name, so host-name rules can follow
// them. Queries from addresses that are not a sandbox's are dropped.
class DnsForwarder : public QObject
{
    Q_OBJECT
public:
    using IsSandbox = std::function<bool(quint32 address)>;
    using Answered = std::function<void(quint32 sandbox, const QString &name, const QList<DnsMessage::Address> &)>;

    DnsForwarder(IsSandbox isSandbox, Answered answered, QObject *parent = nullptr);

    // Listens on a port the kernel picks, on every IPv4 address (the
    // engine's table lets only redirected sandbox queries reach it).
    Status listen(const QList<QHostAddress> &upstreams);
    quint16 port() const { return m_listen.localPort(); }

    // The nameserver lines of a resolv.conf; IPv4 and IPv6, in order.
    static QList<QHostAddress> parseResolvConf(const QByteArray &text);

private:
    struct Pending
    {
        QHostAddress client;
        quint16 clientPort = 0;
        quint16 clientId = 0;
        QByteArray query;
        QString name;
        int upstream = 0;
        qint64 sentAtMs = 0;
        qint64 firstSentAtMs = 0;
    };

    void fromSandboxes();
    void fromUpstreams();
    void retry();
    void send(quint16 id, Pending &p);

    IsSandbox m_isSandbox;
    Answered m_answered;
    QList<QHostAddress> m_upstreams;
    QUdpSocket m_listen;
    QUdpSocket m_upstream;
    QHash<quint16, Pending> m_pending;
    quint16 m_nextId = 1;
    QTimer m_retry;
};
