// SPDX-License-Identifier: GPL-3.0-or-later
#include "NetlinkSocket.h"

#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <vector>

namespace {

// Room for the largest answer of a link dump (one link with its stats and
// attributes is a few KiB).
constexpr size_t kBufferSize = 32768;

nlmsghdr *startRequest(std::vector<char> &buf, uint16_t type, uint16_t flags)
{
    buf.assign(MNL_SOCKET_BUFFER_SIZE, 0);
    nlmsghdr *nlh = mnl_nlmsg_put_header(buf.data());
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    return nlh;
}

struct CallbackContext
{
    void (*onMessage)(const nlmsghdr *, void *);
    void *context;
};

int dataCallback(const nlmsghdr *nlh, void *data)
{
    auto *c = static_cast<CallbackContext *>(data);
    if (c->onMessage)
        c->onMessage(nlh, c->context);
    return MNL_CB_OK;
}

void readLink(const nlmsghdr *nlh, void *data)
{
    auto *out = static_cast<QList<NetlinkSocket::Link> *>(data);
    const auto *ifi = static_cast<const ifinfomsg *>(mnl_nlmsg_get_payload(nlh));
    NetlinkSocket::Link link;
    link.index = ifi->ifi_index;
    // mnl_attr_for_each, spelled out: its void* assignment is C, not C++.
    const char *end = static_cast<const char *>(mnl_nlmsg_get_payload_tail(nlh));
    for (auto *attr = static_cast<const nlattr *>(mnl_nlmsg_get_payload_offset(nlh, sizeof(*ifi)));
         mnl_attr_ok(attr, int(end - reinterpret_cast<const char *>(attr))); attr = mnl_attr_next(attr)) {
        switch (mnl_attr_get_type(attr)) {
        case IFLA_IFNAME:
            if (mnl_attr_validate(attr, MNL_TYPE_STRING) >= 0)
                link.name = QString::fromUtf8(mnl_attr_get_str(attr));
            break;
        case IFLA_STATS64:
            if (mnl_attr_get_payload_len(attr) >= sizeof(rtnl_link_stats64)) {
                rtnl_link_stats64 st;
                std::memcpy(&st, mnl_attr_get_payload(attr), sizeof(st));
                link.rxBytes = st.rx_bytes;
                link.txBytes = st.tx_bytes;
                link.rxPackets = st.rx_packets;
                link.txPackets = st.tx_packets;
            }
            break;
        default:
            break;
        }
    }
    out->append(link);
}

} // namespace

NetlinkSocket::~NetlinkSocket()
{
    if (m_socket)
        mnl_socket_close(m_socket);
}

Status NetlinkSocket::open()
{
    m_socket = mnl_socket_open(NETLINK_ROUTE);
    if (!m_socket)
        return ApiError::internal(QStringLiteral("Cannot open a netlink socket: %1.").arg(strerror(errno)));
    if (mnl_socket_bind(m_socket, 0, MNL_SOCKET_AUTOPID) < 0) {
        const int e = errno;
        mnl_socket_close(m_socket);
        m_socket = nullptr;
        return ApiError::internal(QStringLiteral("Cannot bind a netlink socket: %1.").arg(strerror(e)));
    }
    m_portId = mnl_socket_get_portid(m_socket);
    return Done{};
}

Status NetlinkSocket::transact(nlmsghdr *request, const QString &what, void (*onMessage)(const nlmsghdr *, void *),
                               void *context)
{
    if (!m_socket)
        return ApiError::internal(QStringLiteral("Cannot %1: the netlink socket is not open.").arg(what));
    m_lastErrno = 0;
    request->nlmsg_seq = ++m_seq;
    request->nlmsg_flags |= NLM_F_ACK;
    if (mnl_socket_sendto(m_socket, request, request->nlmsg_len) < 0)
        return ApiError::internal(QStringLiteral("Cannot %1: %2.").arg(what, QString::fromUtf8(strerror(errno))));
    std::vector<char> buf(kBufferSize);
    CallbackContext c{onMessage, context};
    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(m_socket, buf.data(), buf.size());
        if (n < 0)
            return ApiError::internal(QStringLiteral("Cannot %1: %2.").arg(what, QString::fromUtf8(strerror(errno))));
        const int r = mnl_cb_run(buf.data(), size_t(n), m_seq, m_portId, dataCallback, &c);
        if (r == MNL_CB_STOP)
            return Done{};
        if (r < 0) {
            m_lastErrno = errno;
            return ApiError::internal(
                QStringLiteral("Cannot %1: %2.").arg(what, QString::fromUtf8(strerror(m_lastErrno))));
        }
    }
}

Status NetlinkSocket::createVethPair(const QString &name, const QString &peer, int peerNamespaceFd)
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    auto *ifi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.toUtf8().constData());
    nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    nlattr *peerInfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    // The peer's attributes follow its own ifinfomsg.
    auto *peerIfi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    peerIfi->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.toUtf8().constData());
    mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, uint32_t(peerNamespaceFd));
    mnl_attr_nest_end(nlh, peerInfo);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, linkinfo);
    return transact(nlh, QStringLiteral("create the network link %1").arg(name));
}

Result<int> NetlinkSocket::indexOf(const QString &name)
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_GETLINK, 0);
    auto *ifi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.toUtf8().constData());
    QList<Link> found;
    if (auto s = transact(nlh, QStringLiteral("find the network link %1").arg(name), readLink, &found); !s)
        return s.error();
    if (found.isEmpty())
        return ApiError::internal(QStringLiteral("There is no network link %1.").arg(name));
    return found.first().index;
}

Status NetlinkSocket::setUp(int index)
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_NEWLINK, 0);
    auto *ifi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = index;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    return transact(nlh, QStringLiteral("bring network link %1 up").arg(index));
}

Status NetlinkSocket::addAddress(int index, quint32 address, int prefix)
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE);
    auto *ifa = static_cast<ifaddrmsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = uint8_t(prefix);
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = uint32_t(index);
    const uint32_t be = htonl(address);
    mnl_attr_put_u32(nlh, IFA_LOCAL, be);
    mnl_attr_put_u32(nlh, IFA_ADDRESS, be);
    return transact(nlh, QStringLiteral("give network link %1 its address").arg(index));
}

Status NetlinkSocket::addDefaultRoute(quint32 gateway)
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
    auto *rtm = static_cast<rtmsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
    rtm->rtm_family = AF_INET;
    rtm->rtm_dst_len = 0;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_BOOT;
    rtm->rtm_scope = RT_SCOPE_UNIVERSE;
    rtm->rtm_type = RTN_UNICAST;
    mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gateway));
    return transact(nlh, QStringLiteral("add the default route"));
}

Status NetlinkSocket::removeLink(const QString &name)
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_DELLINK, 0);
    auto *ifi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name.toUtf8().constData());
    Status s = transact(nlh, QStringLiteral("remove the network link %1").arg(name));
    if (!s && m_lastErrno == ENODEV)
        return Done{};
    return s;
}

Result<QList<NetlinkSocket::Link>> NetlinkSocket::links()
{
    std::vector<char> buf;
    nlmsghdr *nlh = startRequest(buf, RTM_GETLINK, NLM_F_DUMP);
    auto *ifi = static_cast<ifinfomsg *>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    QList<Link> out;
    if (auto s = transact(nlh, QStringLiteral("list the network links"), readLink, &out); !s)
        return s.error();
    return out;
}
