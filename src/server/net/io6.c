/* ternd DHCPv6 network I/O: the port-547 socket, its multicast group per
 * interface, recvmmsg with IPV6_PKTINFO, replies by sendmsg. */
#define _GNU_SOURCE /* recvmmsg, struct in6_pktinfo */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/net/io6.h"

#define IO6_BATCH  64
#define IO6_MAX_IF 64

struct io6_if {
	int ifindex;
	char name[IF_NAMESIZE];
	uint8_t mac[16];
	uint8_t mac_len;
};

struct ternd_io6 {
	int fd;
	struct io6_if ifs[IO6_MAX_IF];
	size_t n_ifs;
	struct ternd_io6_stats st;
	/* A plan (ternd_io6_plan): the socket it was made for, and which of
	 * ifs it joined itself (left again if the plan is dropped). */
	const struct ternd_io6 *of;
	bool joined[IO6_MAX_IF];
};

static const struct io6_if *find_if(const struct ternd_io6 *io, int ifindex)
{
	for (size_t i = 0; i < io->n_ifs; i++)
		if (io->ifs[i].ifindex == ifindex)
			return &io->ifs[i];
	return NULL;
}

static void read_macs(struct ternd_io6 *io)
{
	struct ifaddrs *ifa, *p;

	if (getifaddrs(&ifa) < 0)
		return;
	for (p = ifa; p; p = p->ifa_next) {
		const struct sockaddr_ll *ll;

		if (!p->ifa_addr || p->ifa_addr->sa_family != AF_PACKET)
			continue;
		ll = (const struct sockaddr_ll *)(const void *)p->ifa_addr;
		for (size_t i = 0; i < io->n_ifs; i++)
			if (io->ifs[i].ifindex == ll->sll_ifindex &&
			    ll->sll_halen <= sizeof(io->ifs[i].mac)) {
				memcpy(io->ifs[i].mac, ll->sll_addr,
				       ll->sll_halen);
				io->ifs[i].mac_len = ll->sll_halen;
			}
	}
	freeifaddrs(ifa);
}

static int add_if(struct ternd_io6 *io, const char *name)
{
	struct ipv6_mreq mr;
	unsigned idx = if_nametoindex(name);

	if (!idx)
		return -ENODEV;
	if (find_if(io, (int)idx))
		return 0;
	if (io->n_ifs == IO6_MAX_IF)
		return -E2BIG;
	if (io->of && find_if(io->of, (int)idx)) {
		/* A plan: the socket is in the group there already. */
		io->ifs[io->n_ifs++] = *find_if(io->of, (int)idx);
		return 0;
	}
	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET6, "ff02::1:2", &mr.ipv6mr_multiaddr);
	mr.ipv6mr_interface = idx;
	if (setsockopt(io->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) <
	    0)
		return -errno;
	io->ifs[io->n_ifs].ifindex = (int)idx;
	snprintf(io->ifs[io->n_ifs].name, IF_NAMESIZE, "%s", name);
	io->joined[io->n_ifs] = io->of != NULL;
	io->n_ifs++;
	return 0;
}

static void leave(int fd, int ifindex)
{
	struct ipv6_mreq mr;

	memset(&mr, 0, sizeof(mr));
	inet_pton(AF_INET6, "ff02::1:2", &mr.ipv6mr_multiaddr);
	mr.ipv6mr_interface = (unsigned)ifindex;
	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_LEAVE_GROUP, &mr, sizeof(mr));
}

static int add_all(struct ternd_io6 *io)
{
	struct ifaddrs *ifa, *p;
	int r = 0;

	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (p = ifa; p && r >= 0; p = p->ifa_next)
		if (p->ifa_addr && p->ifa_addr->sa_family == AF_PACKET &&
		    (p->ifa_flags & IFF_MULTICAST) && (p->ifa_flags & IFF_UP))
			r = add_if(io, p->ifa_name);
	freeifaddrs(ifa);
	return r;
}

static int add_cfg(struct ternd_io6 *io, const struct ternd_config *cfg);

int ternd_io6_open(const struct ternd_config *cfg, uint16_t port,
		   struct ternd_io6 **ret)
{
	struct ternd_io6 *io;
	struct sockaddr_in6 sa;
	int on = 1, r = 0;

	if (!cfg || !ret)
		return -EINVAL;
	if (!(io = calloc(1, sizeof(*io))))
		return -ENOMEM;
	io->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (io->fd < 0) {
		r = -errno;
		goto fail;
	}
	if (setsockopt(io->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) <
		    0 ||
	    setsockopt(io->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
		       sizeof(on)) < 0 ||
	    setsockopt(io->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) {
		r = -errno;
		goto fail;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_port = htons(port);
	if (bind(io->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = add_cfg(io, cfg)) < 0)
		goto fail;
	read_macs(io);
	*ret = io;
	return 0;
fail:
	ternd_io6_close(io);
	return r;
}

void ternd_io6_close(struct ternd_io6 *io)
{
	if (!io)
		return;
	if (io->fd >= 0)
		close(io->fd);
	free(io);
}

int ternd_io6_fd(const struct ternd_io6 *io)
{
	return io->fd;
}

static int add_cfg(struct ternd_io6 *io, const struct ternd_config *cfg)
{
	int r = 0;

	for (size_t i = 0; i < cfg->n_ifaces && r >= 0; i++)
		r = strcmp(cfg->ifaces[i].name, "*") == 0
			    ? add_all(io)
			    : add_if(io, cfg->ifaces[i].name);
	return r;
}

int ternd_io6_plan(const struct ternd_io6 *io, const struct ternd_config *cfg,
		   struct ternd_io6 **ret)
{
	struct ternd_io6 *p;
	int r;

	if (!io || !cfg || !ret)
		return -EINVAL;
	if (!(p = calloc(1, sizeof(*p))))
		return -ENOMEM;
	p->fd = io->fd;
	p->of = io;
	if ((r = add_cfg(p, cfg)) < 0) {
		ternd_io6_plan_free(p);
		return r;
	}
	read_macs(p);
	*ret = p;
	return 0;
}

void ternd_io6_plan_free(struct ternd_io6 *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_ifs; i++)
		if (p->joined[i])
			leave(p->fd, p->ifs[i].ifindex);
	free(p);
}

void ternd_io6_apply(struct ternd_io6 *io, struct ternd_io6 *p)
{
	for (size_t i = 0; i < io->n_ifs; i++)
		if (!find_if(p, io->ifs[i].ifindex))
			leave(io->fd, io->ifs[i].ifindex);
	memcpy(io->ifs, p->ifs, sizeof(io->ifs));
	io->n_ifs = p->n_ifs;
	free(p);
}

int ternd_io6_hwaddr(const struct ternd_io6 *io, uint8_t *out, size_t cap)
{
	for (size_t i = 0; i < io->n_ifs; i++)
		if (io->ifs[i].mac_len && io->ifs[i].mac_len <= cap) {
			memcpy(out, io->ifs[i].mac, io->ifs[i].mac_len);
			return io->ifs[i].mac_len;
		}
	return -ENOENT;
}

int ternd_io6_recv(struct ternd_io6 *io, struct ternd_rx6pkt *pkts, size_t max,
		   int64_t now)
{
	struct mmsghdr mm[IO6_BATCH];
	struct iovec iov[IO6_BATCH];
	struct sockaddr_in6 from[IO6_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm[IO6_BATCH];
	int got, n = 0;

	if (max > IO6_BATCH)
		max = IO6_BATCH;
	memset(mm, 0, sizeof(mm[0]) * max);
	for (size_t i = 0; i < max; i++) {
		iov[i].iov_base = pkts[i].data;
		iov[i].iov_len = sizeof(pkts[i].data);
		mm[i].msg_hdr.msg_name = &from[i];
		mm[i].msg_hdr.msg_namelen = sizeof(from[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = cm[i].buf;
		mm[i].msg_hdr.msg_controllen = sizeof(cm[i].buf);
	}
	got = recvmmsg(io->fd, mm, (unsigned)max, MSG_DONTWAIT, NULL);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (int i = 0; i < got; i++) {
		struct ternd_rx6pkt *p = &pkts[n];
		struct in6_pktinfo pi;
		const struct io6_if *ifc;
		bool have_pi = false;

		io->st.rx_packets++;
		if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
			io->st.rx_truncated++;
			continue;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mm[i].msg_hdr); c;
		     c = CMSG_NXTHDR(&mm[i].msg_hdr, c))
			if (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_PKTINFO) {
				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				have_pi = true;
			}
		if (!have_pi || !(ifc = find_if(io, (int)pi.ipi6_ifindex))) {
			io->st.rx_foreign_iface++;
			continue;
		}
		if (i != n)
			memmove(p->data, pkts[i].data, mm[i].msg_len);
		memset(&p->rx, 0, sizeof(p->rx));
		p->len = mm[i].msg_len;
		p->rx.ifindex = ifc->ifindex;
		snprintf(p->ifname, sizeof(p->ifname), "%s", ifc->name);
		p->rx.ifname = p->ifname;
		p->rx.src = from[i].sin6_addr;
		p->rx.src_port = ntohs(from[i].sin6_port);
		p->rx.dst = pi.ipi6_addr;
		p->rx.multicast = IN6_IS_ADDR_MULTICAST(&pi.ipi6_addr);
		p->rx.now = now;
		n++;
	}
	return n;
}

/* The type of the message inside any RELAY-REPL levels, 0 if unknown. */
static uint8_t inner_type(const uint8_t *b, size_t len)
{
	for (int level = 0; level < 40 && len >= 1; level++) {
		size_t i = 34;
		bool found = false;

		if (b[0] != 13 /* RELAY-REPL */)
			return b[0];
		while (i + 4 <= len) {
			size_t code = (size_t)b[i] << 8 | b[i + 1];
			size_t olen = (size_t)b[i + 2] << 8 | b[i + 3];

			if (i + 4 + olen > len)
				return 0;
			if (code == 9 /* Relay Message */) {
				b += i + 4;
				len = olen;
				found = true;
				break;
			}
			i += 4 + olen;
		}
		if (!found)
			return 0;
	}
	return 0;
}

int ternd_io6_send(struct ternd_io6 *io, const struct ternd_tx6 *tx,
		   const uint8_t *buf)
{
	struct sockaddr_in6 to;
	struct iovec iov = {(void *)(uintptr_t)buf, tx->len};
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm;
	struct msghdr mh = {0};
	struct cmsghdr *c;
	struct in6_pktinfo pi = {0};

	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	to.sin6_addr = tx->dst;
	to.sin6_port = htons(tx->dst_port);
	if (IN6_IS_ADDR_LINKLOCAL(&tx->dst))
		to.sin6_scope_id = (uint32_t)tx->ifindex;
	mh.msg_name = &to;
	mh.msg_namelen = sizeof(to);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	memset(&cm, 0, sizeof(cm));
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	pi.ipi6_ifindex = (unsigned)tx->ifindex;
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(io->fd, &mh, MSG_DONTWAIT) < 0) {
		io->st.tx_errors++;
		return -errno;
	}
	io->st.tx_packets++;
	{
		uint8_t t = inner_type(buf, tx->len);

		if (t < sizeof(io->st.tx_type) / sizeof(io->st.tx_type[0]))
			io->st.tx_type[t]++;
	}
	return 0;
}

void ternd_io6_stats(const struct ternd_io6 *io, struct ternd_io6_stats *ret)
{
	*ret = io->st;
}
