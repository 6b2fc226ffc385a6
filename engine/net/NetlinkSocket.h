// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Result.h"

#include <QList>
#include <QString>

struct mnl_socket;
struct nlmsghdr;

// A route netlink socket (libmnl) of the network namespace it was opened
// in, for the few link, address and route changes a sandbox's network
// needs: each call is one request and its acknowledgement, microseconds on
// a local socket, so it is made in place rather than through `ip`.
class NetlinkSocket
{
public:
    struct Link
    {
        QString name;
        int index = 0;
        quint64 rxBytes = 0, txBytes = 0, rxPackets = 0, txPackets = 0;
    };

    NetlinkSocket() = default;
    ~NetlinkSocket();
    NetlinkSocket(const NetlinkSocket &) = delete;
    NetlinkSocket &operator=(const NetlinkSocket &) = delete;

    Status open();
    bool isOpen() const { return m_socket != nullptr; }

    // A veth pair: `name` here, `peer` moved into the network namespace
    // that `peerNamespaceFd` refers to.
    Status createVethPair(const QString &name, const QString &peer, int peerNamespaceFd);
    Result<int> indexOf(const QString &name);
    Status setUp(int index);
    Status addAddress(int index, quint32 address, int prefix);
    Status addDefaultRoute(quint32 gateway);
    // No error when the link is already gone.
    Status removeLink(const QString &name);
    // Every link of the namespace, with its counters.
    Result<QList<Link>> links();

private:
    // Sends a request and reads until its acknowledgement (or, for a dump,
    // its end), handing each answer to `onMessage`.
    Status transact(nlmsghdr *request, const QString &what, void (*onMessage)(const nlmsghdr *, void *) = nullptr,
                    void *context = nullptr);

    mnl_socket *m_socket = nullptr;
    unsigned m_portId = 0;
    unsigned m_seq = 0;
    int m_lastErrno = 0; // of the last failed request
};
