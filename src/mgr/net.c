/* tern-mgr: interface configuration through rtnetlink, with libmnl. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net.h"

/* Send one request and wait for its acknowledgement. */
static int nl_talk(struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned seq, portid;
	int r;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned)time(NULL);
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = -errno;
		goto out;
	}
	r = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (r < 0) {
		r = -errno;
		goto out;
	}
	r = mnl_cb_run(buf, (size_t)r, seq, portid, NULL, NULL);
	r = r < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return r;
}

static int addr_msg(const char *ifname, int family, const void *addr,
		    size_t alen, unsigned plen, const void *brd,
		    const struct ifa_cacheinfo *ci, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	unsigned idx = if_nametoindex(ifname);

	if (!idx)
		return -ENODEV;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (add)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = idx;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (brd)
		mnl_attr_put(nlh, IFA_BROADCAST, alen, brd);
	if (ci)
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(*ci), ci);
	return nl_talk(nlh);
}

static int net_addr4(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, const char *brd, bool add)
{
	struct in_addr a, b;

	(void)ctx;
	if (inet_pton(AF_INET, addr, &a) != 1 || plen > 32 ||
	    (brd && inet_pton(AF_INET, brd, &b) != 1))
		return -EINVAL;
	return addr_msg(ifname, AF_INET, &a, sizeof(a), plen, brd ? &b : NULL,
			NULL, add);
}

static int net_addr6(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, uint32_t pref, uint32_t valid, bool add)
{
	struct ifa_cacheinfo ci = {.ifa_prefered = pref, .ifa_valid = valid};
	struct in6_addr a;

	(void)ctx;
	if (inet_pton(AF_INET6, addr, &a) != 1 || plen > 128)
		return -EINVAL;
	if (pref > valid)
		ci.ifa_prefered = valid;
	return addr_msg(ifname, AF_INET6, &a, sizeof(a), plen, NULL,
			add ? &ci : NULL, add);
}

static int net_mtu(void *ctx, const char *ifname, unsigned mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	unsigned idx = if_nametoindex(ifname);

	(void)ctx;
	if (!idx)
		return -ENODEV;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)idx;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nlh);
}

static int net_route4(void *ctx, const char *ifname, const char *gw, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct in_addr g;
	unsigned idx = if_nametoindex(ifname);

	(void)ctx;
	if (!idx)
		return -ENODEV;
	if (inet_pton(AF_INET, gw, &g) != 1)
		return -EINVAL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (add)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_DHCP;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_GATEWAY, sizeof(g), &g);
	mnl_attr_put_u32(nlh, RTA_OIF, idx);
	return nl_talk(nlh);
}

const struct mgr_net_ops mgr_net_netlink = {
	.addr4 = net_addr4,
	.addr6 = net_addr6,
	.mtu = net_mtu,
	.route4 = net_route4,
	.ctx = NULL,
};

struct ll_scan {
	unsigned idx;
	bool found; /* a usable link-local address */
};

static int ll_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type == IFA_ADDRESS || type == IFA_FLAGS)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int ll_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFA_MAX + 1] = {0};
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct ll_scan *s = data;
	uint32_t flags = ifa->ifa_flags;
	const uint8_t *a;

	if (ifa->ifa_index != s->idx || ifa->ifa_family != AF_INET6)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), ll_attr, tb);
	if (!tb[IFA_ADDRESS] || mnl_attr_get_payload_len(tb[IFA_ADDRESS]) != 16)
		return MNL_CB_OK;
	if (tb[IFA_FLAGS])
		flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	a = mnl_attr_get_payload(tb[IFA_ADDRESS]);
	/* DHCPv6 needs a link-local source that DAD has cleared. */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80 &&
	    !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		s->found = true;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	*(bool *)data = ifi->ifi_flags & IFF_UP;
	return MNL_CB_OK;
}

static int dump(int type, unsigned idx, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	unsigned seq, portid;
	int r;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_seq = seq = (unsigned)time(NULL);
	if (type == RTM_GETLINK) {
		struct ifinfomsg *ifi =
			mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

		nlh->nlmsg_flags = NLM_F_REQUEST;
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = (int)idx;
	} else {
		struct ifaddrmsg *ifa =
			mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		ifa->ifa_family = AF_INET6;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0) {
			r = -errno;
			goto out;
		}
		r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (r <= MNL_CB_STOP)
			break;
		if (type == RTM_GETLINK)
			break;
	}
	r = r < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return r;
}

int mgr_net_ready(const char *ifname, bool need_ll)
{
	unsigned idx = if_nametoindex(ifname);
	struct ll_scan s = {.idx = idx};
	bool up = false;
	int r;

	if (!idx)
		return -ENODEV;
	r = dump(RTM_GETLINK, idx, link_cb, &up);
	if (r < 0)
		return r;
	if (!up)
		return 0;
	if (!need_ll)
		return 1;
	r = dump(RTM_GETADDR, idx, ll_cb, &s);
	if (r < 0)
		return r;
	return s.found ? 1 : 0;
}

int mgr_net_probe(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int r = 0;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = -errno;
	mnl_socket_close(nl);
	return r;
}
