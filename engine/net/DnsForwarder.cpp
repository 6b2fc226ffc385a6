// SPDX-License-Identifier: GPL-3.0-or-later
#include "DnsForwarder.h"

#include "NetworkLog.h"

#include <QDateTime>
#include <QNetworkDatagram>

namespace {
// Queries waiting for an upstream at once; past it, new ones are dropped
// (the sandbox's resolver asks again).
constexpr int kMaxPending = 4096;
// A query unanswered this long goes to the next upstream, ...
constexpr qint64 kRetryMs = 1500;
// ... and one unanswered this long is answered SERVFAIL.
constexpr qint64 kGiveUpMs = 5000;
constexpr int kMaxDatagram = 4096;
} // namespace

DnsForwarder::DnsForwarder(IsSandbox isSandbox, Answered answered, QObject *parent)
    : QObject(parent)
    , m_isSandbox(std::move(isSandbox))
    , m_answered(std::move(answered))
{
    connect(&m_listen, &QUdpSocket::readyRead, this, &DnsForwarder::fromSandboxes);
    connect(&m_upstream, &QUdpSocket::readyRead, this, &DnsForwarder::fromUpstreams);
    connect(&m_retry, &QTimer::timeout, this, &DnsForwarder::retry);
    m_retry.setInterval(500);
}

QList<QHostAddress> DnsForwarder::parseResolvConf(const QByteArray &text)
{
    QList<QHostAddress> out;
    for (const QByteArray &raw : text.split('\n')) {
        const QList<QByteArray> words = raw.simplified().split(' ');
        if (words.size() < 2 || words.at(0) != "nameserver")
            continue;
        // "fe80::1%eth0" names a zone; QHostAddress keeps it.
        QHostAddress a;
        if (a.setAddress(QString::fromLatin1(words.at(1))) && !out.contains(a))
            out.append(a);
    }
    return out;
}

Status DnsForwarder::listen(const QList<QHostAddress> &upstreams)
{
    m_upstreams = upstreams;
    if (m_upstreams.isEmpty())
        return ApiError::internal(QStringLiteral("The host has no DNS resolver (no nameserver line in "
                                                 "/etc/resolv.conf), so sandboxes could not resolve names."));
    if (!m_listen.bind(QHostAddress::AnyIPv4, 0))
        return ApiError::internal(
            QStringLiteral("Cannot open the sandboxes' DNS resolver: %1.").arg(m_listen.errorString()));
    if (!m_upstream.bind(QHostAddress::Any, 0))
        return ApiError::internal(
            QStringLiteral("Cannot open a socket to the host's DNS resolvers: %1.").arg(m_upstream.errorString()));
    m_retry.start();
    return Done{};
}

void DnsForwarder::fromSandboxes()
{
    while (m_listen.hasPendingDatagrams()) {
        const QNetworkDatagram d = m_listen.receiveDatagram(kMaxDatagram);
        bool v4 = false;
        const quint32 from = d.senderAddress().toIPv4Address(&v4);
        if (!v4 || !m_isSandbox(from))
            continue;
        const auto q = DnsMessage::parse(d.data());
        if (!q || q->isResponse || m_pending.size() >= kMaxPending)
            continue;
        while (m_pending.contains(m_nextId) || m_nextId == 0)
            ++m_nextId;
        const quint16 id = m_nextId++;
        Pending p;
        p.client = d.senderAddress();
        p.clientPort = quint16(d.senderPort());
        p.clientId = q->id;
        p.query = d.data();
        p.name = q->questionName;
        p.firstSentAtMs = QDateTime::currentMSecsSinceEpoch();
        send(id, m_pending.insert(id, p).value());
    }
}

void DnsForwarder::send(quint16 id, Pending &p)
{
    p.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    m_upstream.writeDatagram(DnsMessage::withId(p.query, id), m_upstreams.at(p.upstream % m_upstreams.size()), 53);
}

void DnsForwarder::fromUpstreams()
{
    while (m_upstream.hasPendingDatagrams()) {
        const QNetworkDatagram d = m_upstream.receiveDatagram(kMaxDatagram);
        if (d.senderPort() != 53)
            continue;
        bool known = false;
        for (const QHostAddress &u : m_upstreams)
            known = known || u.isEqual(d.senderAddress(), QHostAddress::ConvertV4MappedToIPv4);
        if (!known)
            continue;
        const auto a = DnsMessage::parse(d.data());
        if (!a || !a->isResponse)
            continue;
        auto it = m_pending.find(a->id);
        if (it == m_pending.end() || it->name != a->questionName)
            continue;
        const Pending p = it.value();
        m_pending.erase(it);
        if (!a->addresses.isEmpty() && m_answered)
            m_answered(p.client.toIPv4Address(), p.name, a->addresses);
        m_listen.writeDatagram(DnsMessage::withId(d.data(), p.clientId), p.client, p.clientPort);
    }
}

void DnsForwarder::retry()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        Pending &p = it.value();
        if (now - p.firstSentAtMs >= kGiveUpMs) {
            qCInfo(lcNetwork) << "no DNS resolver of the host answered for" << p.name;
            const QByteArray fail = DnsMessage::serverFailure(DnsMessage::withId(p.query, p.clientId));
            if (!fail.isEmpty())
                m_listen.writeDatagram(fail, p.client, p.clientPort);
            it = m_pending.erase(it);
            continue;
        }
        if (now - p.sentAtMs >= kRetryMs) {
            ++p.upstream;
            send(it.key(), p);
        }
        ++it;
    }
}
