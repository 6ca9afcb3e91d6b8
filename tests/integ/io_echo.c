/* Integ fixture: answers DHCP clients through ternd's I/O layer alone. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/net/ifaces.h"
#include "server/net/io.h"
#include "server/net/privdrop.h"

#define BATCH	   16
#define REPLY_CAP  576
#define LEASE_SECS 3600

enum mode {
	MODE_AUTO,   /* as RFC 2131 §4.1: relay, flag, ciaddr, else chaddr */
	MODE_HWADDR, /* unicast to chaddr even if the flag asks broadcast */
	MODE_BROADCAST, /* always broadcast */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *dest_name(uint8_t d)
{
	switch (d) {
	case TERND_DEST_RELAY:
		return "relay";
	case TERND_DEST_CIADDR:
		return "ciaddr";
	case TERND_DEST_BROADCAST:
		return "broadcast";
	case TERND_DEST_HWADDR:
		return "hwaddr";
	default:
		return "?";
	}
}

static void addr_str(uint32_t host, char *out, size_t cap)
{
	struct in_addr a = {.s_addr = htonl(host)};

	inet_ntop(AF_INET, &a, out, (socklen_t)cap);
}

/* Build an OFFER or ACK for m into tx; returns 0 or -errno. */
static int build_reply(const struct ternd_rx *rx,
		       const struct tern_dhcp4_msg *m, uint8_t type,
		       uint32_t offer, uint32_t mask, enum mode mode,
		       struct ternd_tx *tx)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct in_addr sid = {.s_addr = htonl(rx->if_addr)};
	int n;

	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREPLY;
	h.htype = m->hdr.htype;
	h.hlen = m->hdr.hlen;
	h.xid = m->hdr.xid;
	h.flags = m->hdr.flags;
	h.ciaddr = type == TERN_DHCP4_ACK ? m->hdr.ciaddr : (struct in_addr){0};
	h.yiaddr.s_addr = htonl(offer);
	h.giaddr = m->hdr.giaddr;
	memcpy(h.chaddr, m->hdr.chaddr, sizeof(h.chaddr));

	tern_dhcp4_writer_init(&w, tx->buf, tx->cap, 0, 0);
	tern_dhcp4_put_msg_type(&w, type);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, sid);
	tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, LEASE_SECS);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SUBNET_MASK,
			    (struct in_addr){.s_addr = htonl(mask)});
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_ROUTER, sid);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_DNS, sid);
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	if (n < 0)
		return n;

	tx->len = (size_t)n;
	tx->msg_type = type;
	tx->ifindex = rx->ifindex;
	tx->src_addr = rx->if_addr;
	tx->hw_len = m->hdr.hlen <= sizeof(tx->hw) ? m->hdr.hlen : 0;
	memcpy(tx->hw, m->hdr.chaddr, sizeof(tx->hw));
	if (m->hdr.giaddr.s_addr) {
		tx->dest = TERND_DEST_RELAY;
		tx->dst_addr = ntohl(m->hdr.giaddr.s_addr);
		tx->dst_port = TERN_DHCP4_SERVER_PORT;
	} else if (mode == MODE_BROADCAST ||
		   (mode == MODE_AUTO &&
		    (m->hdr.flags & TERN_DHCP4_FLAG_BROADCAST))) {
		tx->dest = TERND_DEST_BROADCAST;
		tx->dst_addr = INADDR_BROADCAST;
		tx->dst_port = TERN_DHCP4_CLIENT_PORT;
	} else if (mode == MODE_AUTO && m->hdr.ciaddr.s_addr) {
		tx->dest = TERND_DEST_CIADDR;
		tx->dst_addr = ntohl(m->hdr.ciaddr.s_addr);
		tx->dst_port = TERN_DHCP4_CLIENT_PORT;
	} else {
		tx->dest = TERND_DEST_HWADDR;
		tx->dst_addr = offer;
		tx->dst_port = TERN_DHCP4_CLIENT_PORT;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: io_echo [-p PORT] [-m auto|hwaddr|broadcast] "
			"-o OFFER_IP"
			" [-t SECONDS] [-n ACKS] [-u USER] IFACE[/ADDR]\n");
}

int main(int argc, char **argv)
{
	static struct ternd_rxpkt pkts[BATCH];
	static uint8_t bufs[BATCH][REPLY_CAP];
	struct ternd_config cfg;
	struct ternd_iface ifc;
	struct ternd_io *io = NULL;
	const struct ternd_ifinfo *ifs;
	const struct ternd_io_stats *st;
	enum mode mode = MODE_AUTO;
	uint32_t offer = 0;
	unsigned long port = 67, secs = 60, max_acks = 0, acks = 0;
	const char *user = NULL;
	struct sigaction sa;
	time_t deadline;
	char *slash, a1[INET_ADDRSTRLEN], a2[INET_ADDRSTRLEN];
	int c, r, ret = 1, fds[8];
	size_t nfd;

	while ((c = getopt(argc, argv, "p:m:o:t:n:u:")) != -1) {
		struct in_addr a;

		switch (c) {
		case 'p':
			port = strtoul(optarg, NULL, 10);
			break;
		case 'm':
			if (strcmp(optarg, "hwaddr") == 0)
				mode = MODE_HWADDR;
			else if (strcmp(optarg, "broadcast") == 0)
				mode = MODE_BROADCAST;
			else
				mode = MODE_AUTO;
			break;
		case 'o':
			if (inet_pton(AF_INET, optarg, &a) != 1) {
				usage();
				return 2;
			}
			offer = ntohl(a.s_addr);
			break;
		case 't':
			secs = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			max_acks = strtoul(optarg, NULL, 10);
			break;
		case 'u':
			user = optarg;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc - 1 || !offer || port == 0 || port > 65535 ||
	    secs == 0 || secs > 3600) {
		usage();
		return 2;
	}

	memset(&ifc, 0, sizeof(ifc));
	snprintf(ifc.name, sizeof(ifc.name), "%s", argv[optind]);
	slash = strchr(argv[optind], '/');
	if (slash) {
		struct in_addr a;

		ifc.name[slash - argv[optind]] = '\0';
		if (inet_pton(AF_INET, slash + 1, &a) != 1) {
			usage();
			return 2;
		}
		ifc.addr = ntohl(a.s_addr);
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifaces = &ifc;
	cfg.n_ifaces = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	r = ternd_io_open(&cfg, (uint16_t)port, &io);
	if (r < 0) {
		fprintf(stderr, "io_echo: ternd_io_open: %s\n", strerror(-r));
		goto out;
	}
	/* As the daemon does: sockets first, then no privilege at all. */
	if (user) {
		r = ternd_drop_privileges(user, NULL);
		if (r < 0) {
			fprintf(stderr, "io_echo: drop privileges: %s\n",
				strerror(-r));
			goto out;
		}
		printf("PRIVDROP uid=%u gid=%u\n", (unsigned)getuid(),
		       (unsigned)getgid());
	}
	nfd = ternd_io_fds(io, fds, 8);
	if (ternd_io_ifaces(io, &ifs) < 1 || nfd < 1)
		goto out;
	addr_str(ifs[0].addr, a1, sizeof(a1));
	printf("READY if=%s ifindex=%d addr=%s "
	       "mac=%02x:%02x:%02x:%02x:%02x:%02x\n",
	       ifs[0].name, ifs[0].ifindex, a1, ifs[0].mac[0], ifs[0].mac[1],
	       ifs[0].mac[2], ifs[0].mac[3], ifs[0].mac[4], ifs[0].mac[5]);
	fflush(stdout);

	deadline = time(NULL) + (time_t)secs;
	while (!stop && time(NULL) < deadline &&
	       (max_acks == 0 || acks < max_acks)) {
		struct ternd_tx tx[BATCH];
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		size_t ntx = 0;
		int got;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		got = ternd_io_recv(io, fds[0], pkts, BATCH, time(NULL));
		if (got < 0) {
			fprintf(stderr, "io_echo: recv: %s\n", strerror(-got));
			continue;
		}
		for (int i = 0; i < got; i++) {
			const struct ternd_rx *rx = &pkts[i].rx;
			struct tern_dhcp4_msg m;
			int type;
			uint8_t reply;

			if (tern_dhcp4_parse(&m, rx->buf, rx->len) < 0 ||
			    m.hdr.op != TERN_DHCP4_BOOTREQUEST)
				continue;
			type = tern_dhcp4_get_msg_type(&m);
			addr_str(rx->src_addr, a1, sizeof(a1));
			addr_str(rx->if_addr, a2, sizeof(a2));
			printf("RX type=%d xid=%08x flags=%04x if=%s "
			       "ifindex=%d "
			       "if_addr=%s src=%s:%u len=%zu\n",
			       type, m.hdr.xid, m.hdr.flags, rx->ifname,
			       rx->ifindex, a2, a1, rx->src_port, rx->len);
			if (type == TERN_DHCP4_DISCOVER)
				reply = TERN_DHCP4_OFFER;
			else if (type == TERN_DHCP4_REQUEST)
				reply = TERN_DHCP4_ACK;
			else
				continue;
			memset(&tx[ntx], 0, sizeof(tx[ntx]));
			tx[ntx].buf = bufs[ntx];
			tx[ntx].cap = REPLY_CAP;
			if (build_reply(rx, &m, reply, offer, ifs[0].mask, mode,
					&tx[ntx]) < 0)
				continue;
			ntx++;
		}
		if (ntx) {
			int sent = ternd_io_send(io, tx, ntx);

			for (size_t i = 0; i < ntx; i++) {
				addr_str(tx[i].dst_addr, a1, sizeof(a1));
				printf("TX type=%u dest=%s to=%s:%u\n",
				       tx[i].msg_type, dest_name(tx[i].dest),
				       a1, tx[i].dst_port);
				if (tx[i].msg_type == TERN_DHCP4_ACK)
					acks++;
			}
			printf("SENT %d of %zu\n", sent, ntx);
		}
		fflush(stdout);
	}
	ret = 0;
out:
	st = ternd_io_get_stats(io);
	if (st)
		printf("STATS rx=%llu rx_trunc=%llu rx_err=%llu tx=%llu "
		       "tx_err=%llu tx_again=%llu tx_invalid=%llu "
		       "last_errno=%d\n",
		       (unsigned long long)st->rx_packets,
		       (unsigned long long)st->rx_truncated,
		       (unsigned long long)st->rx_errors,
		       (unsigned long long)st->tx_packets,
		       (unsigned long long)st->tx_errors,
		       (unsigned long long)st->tx_again,
		       (unsigned long long)st->tx_invalid, st->last_errno);
	ternd_io_close(io);
	return ret;
}
