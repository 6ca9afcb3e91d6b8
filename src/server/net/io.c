/* ternd network I/O: per-interface DHCP sockets, batched recv/send. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* recvmmsg, sendmmsg, setresuid */
#endif
#include "server/net/io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/net/frame.h"
#include "server/net/ifaces.h"

#define IO_BATCH     64		       /* datagrams per recvmmsg/sendmmsg */
#define IO_RCVBUF    (4 * 1024 * 1024) /* absorbs bursts while we commit */
#define IO_FRAME_MAX 2048	       /* IPv4+UDP+DHCP, MTU 1500 and some */
#define IO_EINTR_MAX 8		       /* retries of an interrupted call */
#define CLIENT_PORT  68
#define SERVER_PORT  67

struct io_slot {
	int udp; /* bound to 0.0.0.0:port on the device: receive, send */
	int pkt; /* AF_PACKET, receives nothing: unicast to chaddr */
};

struct ternd_io {
	struct ternd_iface want[TERND_MAX_IFACES]; /* copy, for refresh */
	size_t n_want;
	uint16_t port;
	uint16_t ip_id;
	int any_fd;	  /* unbound: sends by routing, receives nothing */
	bool use_routing; /* replies to relays through any_fd */
	size_t n;
	struct ternd_ifinfo info[TERND_MAX_IFACES];
	struct io_slot slot[TERND_MAX_IFACES];
	struct ternd_io_stats stats;
	uint8_t frames[IO_BATCH][IO_FRAME_MAX];
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int set_int(int fd, int level, int name, int v)
{
	if (setsockopt(fd, level, name, &v, sizeof(v)) < 0)
		return -errno;
	return 0;
}

/* Raise the receive buffer past rmem_max when we may (CAP_NET_ADMIN);
 * otherwise take what rmem_max allows. */
static void big_rcvbuf(int fd)
{
	if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, IO_RCVBUF) < 0)
		(void)set_int(fd, SOL_SOCKET, SO_RCVBUF, IO_RCVBUF);
}

/* A socket that must never queue input: a filter that accepts nothing. */
static int drop_all_input(int fd)
{
	struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = {.len = 1, .filter = &insn};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) <
	    0)
		return -errno;
	return 0;
}

static int bind_port(int fd, uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -errno;
	return 0;
}

/*
 * UDP socket on 0.0.0.0:port. With a device it is bound to it (so the
 * same port can be bound once per interface and a broadcast is delivered
 * to the socket of the interface it came in on); without one it only
 * sends (input filtered out).
 */
static int open_udp(const char *dev, uint16_t port, int *ret_fd)
{
	int fd, r;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if ((r = set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1)) < 0 ||
	    (r = set_int(fd, SOL_SOCKET, SO_BROADCAST, 1)) < 0 ||
	    (r = set_int(fd, IPPROTO_IP, IP_PKTINFO, 1)) < 0)
		goto fail;
	if (dev) {
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev,
			       (socklen_t)strlen(dev)) < 0) {
			r = -errno;
			goto fail;
		}
		big_rcvbuf(fd);
	} else if ((r = drop_all_input(fd)) < 0) {
		goto fail;
	}
	if ((r = bind_port(fd, port)) < 0)
		goto fail;
	*ret_fd = fd;
	return 0;
fail:
	close(fd);
	return r;
}

/*
 * Packet socket for frames we build ourselves. Protocol 0 at creation and
 * bind: it is bound to the interface for sending but receives no frames,
 * so the kernel does not copy every IP packet to it; ETH_P_IP is given per
 * datagram in sockaddr_ll.
 */
static int open_pkt(int ifindex, int *ret_fd)
{
	struct sockaddr_ll ll;
	int fd, r;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = 0;
	ll.sll_ifindex = ifindex;
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

static int open_slot(const struct ternd_ifinfo *info, uint16_t port,
		     struct io_slot *ret)
{
	struct io_slot s = {-1, -1};
	int r;

	if ((r = open_udp(info->name, port, &s.udp)) < 0)
		goto out;
	if ((r = open_pkt(info->ifindex, &s.pkt)) < 0)
		goto out;
	*ret = s;
	return 0;
out:
	close_fd(&s.udp);
	close_fd(&s.pkt);
	return r;
}

static void close_slot(struct io_slot *s)
{
	close_fd(&s->udp);
	close_fd(&s->pkt);
}

void ternd_io_close(struct ternd_io *io)
{
	if (!io)
		return;
	for (size_t i = 0; i < io->n; i++)
		close_slot(&io->slot[i]);
	close_fd(&io->any_fd);
	free(io);
}

int ternd_io_open(const struct ternd_config *cfg, uint16_t port,
		  struct ternd_io **ret)
{
	struct ternd_io *io;
	int r;

	if (!cfg || !ret || port == 0 || cfg->n_ifaces == 0 ||
	    cfg->n_ifaces > TERND_MAX_IFACES || !cfg->ifaces)
		return -EINVAL;
	io = calloc(1, sizeof(*io));
	if (!io)
		return -ENOMEM;
	io->any_fd = -1;
	io->port = port;
	io->use_routing = cfg->outbound_use_routing;
	io->n_want = cfg->n_ifaces;
	memcpy(io->want, cfg->ifaces, cfg->n_ifaces * sizeof(io->want[0]));

	r = ternd_ifaces_resolve(io->want, io->n_want, true, io->info,
				 TERND_MAX_IFACES);
	if (r < 0)
		goto fail;
	if (r == 0) {
		r = -ENODEV; /* "*" found nothing to serve */
		goto fail;
	}
	for (size_t i = 0; i < (size_t)r; i++) {
		int e = open_slot(&io->info[i], port, &io->slot[i]);

		if (e < 0) {
			r = e;
			goto fail;
		}
		io->n = i + 1;
	}
	if ((r = open_udp(NULL, port, &io->any_fd)) < 0)
		goto fail;
	*ret = io;
	return 0;
fail:
	ternd_io_close(io);
	return r;
}

size_t ternd_io_fds(const struct ternd_io *io, int *fds, size_t max)
{
	size_t i;

	if (!io || !fds)
		return 0;
	for (i = 0; i < io->n && i < max; i++)
		fds[i] = io->slot[i].udp;
	return i;
}

size_t ternd_io_ifaces(const struct ternd_io *io,
		       const struct ternd_ifinfo **ret)
{
	if (!io || !ret)
		return 0;
	*ret = io->info;
	return io->n;
}

const struct ternd_io_stats *ternd_io_get_stats(const struct ternd_io *io)
{
	return io ? &io->stats : NULL;
}

static ssize_t slot_by_fd(const struct ternd_io *io, int fd)
{
	for (size_t i = 0; i < io->n; i++)
		if (io->slot[i].udp == fd)
			return (ssize_t)i;
	return -1;
}

static ssize_t slot_by_ifindex(const struct ternd_io *io, int ifindex)
{
	for (size_t i = 0; i < io->n; i++)
		if (io->info[i].ifindex == ifindex)
			return (ssize_t)i;
	return -1;
}

union io_cmsg {
	/* cmsghdr's own alignment (it starts with a size_t); not the struct
	 * itself, whose flexible array member may not sit inside another. */
	size_t align;
	char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
};

/*
 * At most IO_BATCH per call. rx.ifname points into io and stays valid until
 * the next ternd_io_refresh(); datagrams larger than pkts[].data are
 * counted (rx_truncated) and left out.
 */
int ternd_io_recv(struct ternd_io *io, int fd, struct ternd_rxpkt *pkts,
		  size_t max, int64_t now)
{
	struct mmsghdr mm[IO_BATCH];
	struct iovec iov[IO_BATCH];
	struct sockaddr_in from[IO_BATCH];
	union io_cmsg cm[IO_BATCH];
	const struct ternd_ifinfo *info;
	ssize_t k;
	int r, got, tries = 0, i, kept = 0;

	if (!io || !pkts)
		return -EINVAL;
	k = slot_by_fd(io, fd);
	if (k < 0)
		return -EBADF;
	info = &io->info[k];
	if (max > IO_BATCH)
		max = IO_BATCH;
	if (max == 0)
		return 0;

	memset(mm, 0, sizeof(mm[0]) * max);
	for (size_t j = 0; j < max; j++) {
		iov[j].iov_base = pkts[j].data;
		iov[j].iov_len = sizeof(pkts[j].data);
		mm[j].msg_hdr.msg_name = &from[j];
		mm[j].msg_hdr.msg_namelen = sizeof(from[j]);
		mm[j].msg_hdr.msg_iov = &iov[j];
		mm[j].msg_hdr.msg_iovlen = 1;
		mm[j].msg_hdr.msg_control = cm[j].buf;
		mm[j].msg_hdr.msg_controllen = sizeof(cm[j].buf);
	}
	do {
		got = recvmmsg(fd, mm, (unsigned)max, MSG_DONTWAIT, NULL);
	} while (got < 0 && errno == EINTR && ++tries < IO_EINTR_MAX);
	if (got < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		r = -errno;
		io->stats.rx_errors++;
		io->stats.last_errno = -r;
		return r;
	}

	for (i = 0; i < got; i++) {
		struct msghdr *h = &mm[i].msg_hdr;
		struct ternd_rx *rx;
		struct cmsghdr *c;
		int ifindex = info->ifindex;
		uint32_t dst = 0;

		io->stats.rx_packets++;
		if (h->msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
			io->stats.rx_truncated++;
			continue;
		}
		for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
			struct in_pktinfo pi;

			if (c->cmsg_level != IPPROTO_IP ||
			    c->cmsg_type != IP_PKTINFO ||
			    c->cmsg_len < CMSG_LEN(sizeof(pi)))
				continue;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = pi.ipi_ifindex;
			/* The header destination: unicast (RENEWING) or
			 * broadcast (REBINDING) tells the engine the state. */
			dst = ntohl(pi.ipi_addr.s_addr);
		}
		/* Drops leave holes: move the datagram down (rare). */
		if (kept != i)
			memcpy(pkts[kept].data, pkts[i].data, mm[i].msg_len);
		rx = &pkts[kept].rx;
		memset(rx, 0, sizeof(*rx));
		rx->buf = pkts[kept].data;
		rx->len = mm[i].msg_len;
		rx->ifindex = ifindex;
		rx->ifname = info->name;
		rx->if_addr = info->addr;
		rx->src_addr = ntohl(from[i].sin_addr.s_addr);
		rx->src_port = ntohs(from[i].sin_port);
		rx->dst_addr = dst;
		rx->now = now;
		kept++;
	}
	return kept;
}

/* One datagram prepared for sendmmsg. */
struct io_out {
	int fd;
	bool fallback_ok; /* may go out by routing if the device has no route */
	union {
		struct sockaddr_in in;
		struct sockaddr_ll ll;
	} to;
	socklen_t to_len;
	struct iovec iov;
	union io_cmsg cm;
	size_t cm_len;
};

static void count_fail(struct ternd_io *io, int err)
{
	if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS)
		io->stats.tx_again++;
	else
		io->stats.tx_errors++;
	io->stats.last_errno = err;
}

/*
 * Fill o for one reply. Returns 0, or -EINVAL when the reply cannot be
 * sent (unknown interface or destination, frame too big).
 */
static int prepare(struct ternd_io *io, const struct ternd_tx *tx,
		   uint8_t *frame, struct io_out *o)
{
	ssize_t k = slot_by_ifindex(io, tx->ifindex);
	uint32_t dst = tx->dst_addr;
	uint16_t dport = tx->dst_port;

	memset(o, 0, sizeof(*o));
	if (!tx->buf || tx->len == 0 || tx->len > tx->cap)
		return -EINVAL;

	if (tx->dest == TERND_DEST_HWADDR) {
		struct ternd_frame_addr fa;
		int n;

		/* sll_addr holds 8 bytes; a longer (or no) hardware address
		 * cannot be framed here. */
		if (k < 0 || dst == 0 || tx->hw_len == 0 || tx->hw_len > 8)
			return -EINVAL;
		fa.src_addr = tx->src_addr ? tx->src_addr : io->info[k].addr;
		fa.dst_addr = dst;
		fa.src_port = io->port;
		fa.dst_port = dport ? dport : CLIENT_PORT;
		fa.ip_id = io->ip_id++;
		n = ternd_frame_build(frame, IO_FRAME_MAX, &fa, tx->buf,
				      tx->len);
		if (n < 0)
			return -EINVAL;
		o->fd = io->slot[k].pkt;
		o->to.ll.sll_family = AF_PACKET;
		o->to.ll.sll_protocol = htons(ETH_P_IP);
		o->to.ll.sll_ifindex = tx->ifindex;
		o->to.ll.sll_halen = tx->hw_len;
		memcpy(o->to.ll.sll_addr, tx->hw, tx->hw_len);
		o->to_len = sizeof(o->to.ll);
		o->iov.iov_base = frame;
		o->iov.iov_len = (size_t)n;
		return 0;
	}

	switch (tx->dest) {
	case TERND_DEST_RELAY:
		if (!dport)
			dport = SERVER_PORT;
		o->fallback_ok = true;
		break;
	case TERND_DEST_CIADDR:
		if (!dport)
			dport = CLIENT_PORT;
		o->fallback_ok = true;
		break;
	case TERND_DEST_BROADCAST:
		dst = INADDR_BROADCAST;
		if (!dport)
			dport = CLIENT_PORT;
		if (k < 0)
			return -EINVAL; /* a broadcast needs its link */
		break;
	default:
		return -EINVAL;
	}
	if (dst == 0)
		return -EINVAL;
	o->fd = k >= 0 ? io->slot[k].udp : io->any_fd;
	/* outbound-interface "use-routing": the kernel's routing table picks
	 * the way to the relay, not the interface the request came in on;
	 * the source stays the server id, as Kea's socket bound to it. */
	if (tx->dest == TERND_DEST_RELAY && io->use_routing)
		o->fd = io->any_fd;
	o->to.in.sin_family = AF_INET;
	o->to.in.sin_port = htons(dport);
	o->to.in.sin_addr.s_addr = htonl(dst);
	o->to_len = sizeof(o->to.in);
	o->iov.iov_base = tx->buf;
	o->iov.iov_len = tx->len;
	/* Send from the server id the reply carries, not whatever address
	 * routing would pick on a multi-address interface. */
	if (tx->src_addr) {
		struct in_pktinfo pi;
		struct cmsghdr *c = (struct cmsghdr *)o->cm.buf;

		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst.s_addr = htonl(tx->src_addr);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		o->cm_len = sizeof(o->cm.buf);
	}
	return 0;
}

static void to_msghdr(struct io_out *o, struct msghdr *h)
{
	memset(h, 0, sizeof(*h));
	h->msg_name = &o->to;
	h->msg_namelen = o->to_len;
	h->msg_iov = &o->iov;
	h->msg_iovlen = 1;
	if (o->cm_len) {
		h->msg_control = o->cm.buf;
		h->msg_controllen = o->cm_len;
	}
}

/*
 * The interface's socket found no route (SO_BINDTODEVICE limits the
 * lookup to the device): a relay or a renewing client reachable through
 * another interface is sent to by routing instead.
 */
static bool try_fallback(struct ternd_io *io, struct io_out *o, int err)
{
	struct msghdr h;

	if (!o->fallback_ok || o->fd == io->any_fd ||
	    (err != ENETUNREACH && err != EHOSTUNREACH))
		return false;
	to_msghdr(o, &h);
	if (sendmsg(io->any_fd, &h, MSG_DONTWAIT) < 0)
		return false;
	io->stats.tx_fallback++;
	return true;
}

/* Send outs[i] for every i with outs[i].fd == fd, in order. */
static int send_fd(struct ternd_io *io, struct io_out *outs, size_t n, int fd,
		   bool *done)
{
	struct mmsghdr mm[IO_BATCH];
	size_t idx[IO_BATCH], cnt = 0, off = 0;
	int sent = 0, tries = 0;

	for (size_t i = 0; i < n; i++) {
		if (done[i] || outs[i].fd != fd)
			continue;
		done[i] = true;
		idx[cnt] = i;
		to_msghdr(&outs[i], &mm[cnt].msg_hdr);
		mm[cnt].msg_len = 0;
		cnt++;
	}
	/* Each pass either sends >= 1 or skips the one that failed. */
	while (off < cnt) {
		int r = sendmmsg(fd, mm + off, (unsigned)(cnt - off),
				 MSG_DONTWAIT);
		int err;

		if (r > 0) {
			sent += r;
			off += (size_t)r;
			continue;
		}
		err = r < 0 ? errno : EIO;
		if (err == EINTR && ++tries < IO_EINTR_MAX)
			continue;
		if (err == EAGAIN || err == EWOULDBLOCK) {
			/* Buffer full: the rest would fail alike. */
			for (; off < cnt; off++)
				count_fail(io, err);
			break;
		}
		if (try_fallback(io, &outs[idx[off]], err))
			sent++;
		else
			count_fail(io, err);
		off++;
	}
	return sent;
}

int ternd_io_send(struct ternd_io *io, const struct ternd_tx *tx, size_t n)
{
	struct io_out outs[IO_BATCH];
	bool done[IO_BATCH];
	size_t base, m, i;
	int total = 0;

	if (!io || (!tx && n))
		return 0;
	for (base = 0; base < n; base += m) {
		m = n - base < IO_BATCH ? n - base : IO_BATCH;
		for (i = 0; i < m; i++) {
			done[i] = prepare(io, &tx[base + i], io->frames[i],
					  &outs[i]) < 0;
			if (done[i]) {
				io->stats.tx_invalid++;
				io->stats.last_errno = EINVAL;
			}
		}
		for (i = 0; i < m; i++)
			if (!done[i])
				total += send_fd(io, outs, m, outs[i].fd, done);
	}
	io->stats.tx_packets += (uint64_t)total;
	return total;
}

/*
 * Returns 1 when the set of sockets changed (call ternd_io_fds again), 0
 * when only addresses did, or the first -errno of opening a new
 * interface's sockets (after the privilege drop: -EACCES/-EPERM); the
 * other interfaces are updated either way.
 */
int ternd_io_refresh(struct ternd_io *io)
{
	struct ternd_ifinfo *now;
	size_t i, j;
	int r, first_err = 0, changed = 0;

	if (!io)
		return -EINVAL;
	now = calloc(TERND_MAX_IFACES, sizeof(*now));
	if (!now)
		return -ENOMEM;
	r = ternd_ifaces_resolve(io->want, io->n_want, false, now,
				 TERND_MAX_IFACES);
	if (r < 0)
		goto out;

	/* Keep interfaces still there (addresses, MAC, name updated: the
	 * sockets follow the ifindex). One that merely lost its address
	 * keeps its sockets with address 0: after the privilege drop they
	 * could not be opened again. Close those whose device is gone. */
	for (i = 0, j = 0; i < io->n; i++) {
		char name[IF_NAMESIZE];
		ssize_t k = -1;

		for (size_t x = 0; x < (size_t)r; x++)
			if (now[x].ifindex == io->info[i].ifindex)
				k = (ssize_t)x;
		if (k >= 0) {
			io->info[j] = now[k];
		} else if (if_indextoname((unsigned)io->info[i].ifindex,
					  name)) {
			io->info[j] = io->info[i];
			memcpy(io->info[j].name, name, sizeof(name));
			io->info[j].addr = 0;
			io->info[j].mask = 0;
		} else {
			close_slot(&io->slot[i]);
			changed = 1;
			continue;
		}
		io->slot[j] = io->slot[i];
		j++;
	}
	io->n = j;

	/* Open what "*" (or a returning interface) adds. Without root this
	 * fails; the others keep working and the first error is returned. */
	for (size_t x = 0; x < (size_t)r; x++) {
		if (slot_by_ifindex(io, now[x].ifindex) >= 0)
			continue;
		if (io->n == TERND_MAX_IFACES)
			break;
		int e = open_slot(&now[x], io->port, &io->slot[io->n]);
		if (e < 0) {
			if (!first_err)
				first_err = e;
			continue;
		}
		io->info[io->n++] = now[x];
		changed = 1;
	}
	r = first_err ? first_err : changed;
out:
	free(now);
	return r;
}

/*
 * Reconfiguration in two steps, so a configuration that cannot be served
 * changes nothing: ternd_io_plan resolves the new interfaces-config and
 * opens sockets only for interfaces the running io does not serve yet
 * (slots it will take over stay -1); ternd_io_adopt then moves the kept
 * sockets over, so their queued datagrams are read by the new io and no
 * packet is dropped, and closes the sockets of interfaces no longer
 * served. ternd_io_close on a plan that was not adopted closes only what
 * the plan opened.
 */
int ternd_io_plan(const struct ternd_io *io, const struct ternd_config *cfg,
		  struct ternd_io **ret)
{
	struct ternd_io *p;
	int r;

	if (!io || !cfg || !ret || cfg->n_ifaces == 0 ||
	    cfg->n_ifaces > TERND_MAX_IFACES || !cfg->ifaces)
		return -EINVAL;
	if (!(p = calloc(1, sizeof(*p))))
		return -ENOMEM;
	p->any_fd = -1;
	p->port = io->port;
	p->ip_id = io->ip_id;
	p->use_routing = cfg->outbound_use_routing;
	p->n_want = cfg->n_ifaces;
	memcpy(p->want, cfg->ifaces, cfg->n_ifaces * sizeof(p->want[0]));
	r = ternd_ifaces_resolve(p->want, p->n_want, true, p->info,
				 TERND_MAX_IFACES);
	if (r == 0)
		r = -ENODEV;
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < (size_t)r; i++) {
		ssize_t k = slot_by_ifindex(io, p->info[i].ifindex);

		p->slot[i] = (struct io_slot){-1, -1};
		p->n = i + 1;
		if (k >= 0 && !strcmp(io->info[k].name, p->info[i].name))
			continue; /* taken over by ternd_io_adopt */
		if ((r = open_slot(&p->info[i], p->port, &p->slot[i])) < 0)
			goto fail;
	}
	*ret = p;
	return 0;
fail:
	ternd_io_close(p);
	return r;
}

void ternd_io_adopt(struct ternd_io *plan, struct ternd_io *old)
{
	for (size_t i = 0; i < plan->n; i++) {
		ssize_t k;

		if (plan->slot[i].udp >= 0)
			continue;
		k = slot_by_ifindex(old, plan->info[i].ifindex);
		plan->slot[i] = old->slot[k];
		old->slot[k] = (struct io_slot){-1, -1};
	}
	plan->any_fd = old->any_fd;
	old->any_fd = -1;
	plan->stats = old->stats;
	plan->ip_id = old->ip_id;
	ternd_io_close(old);
}
