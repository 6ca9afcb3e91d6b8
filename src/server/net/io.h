/* ternd network I/O: DHCP sockets per interface, batched receive and send,
 * packet-socket unicast. */
#ifndef TERND_IO_H
#define TERND_IO_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

/*
 * Opens the server's sockets for the configured interfaces before
 * privileges are dropped: one UDP socket per interface bound to port 67
 * (SO_BINDTODEVICE, SO_BROADCAST, IP_PKTINFO), and one AF_PACKET socket
 * per interface for replies to clients that have no address yet (the
 * reply is framed as IPv4/UDP and sent straight to chaddr, no ARP). Open
 * sockets keep working after the capabilities are gone.
 */
struct ternd_io;

struct ternd_ifinfo {
	int ifindex;
	char name[IF_NAMESIZE];
	uint32_t addr; /* host order; from "name/addr" or the interface */
	uint32_t mask;
	uint8_t mac[6];
};

/* A received packet: rx points into the batch's own buffers. */
struct ternd_rxpkt {
	struct ternd_rx rx;
	uint8_t data[1500];
};

/* port is 67 in production; tests may use another. */
int ternd_io_open(const struct ternd_config *cfg, uint16_t port,
		  struct ternd_io **ret);
void ternd_io_close(struct ternd_io *io);
/*
 * ternd_io_open at start-up with Kea's retries (open_retry.c): when the
 * sockets (not the interfaces) fail, up to cfg->socket_max_retries more
 * attempts cfg->socket_retry_wait_ms apart, each failure logged. Blocks.
 */
int ternd_io_open_retry(const struct ternd_config *cfg, uint16_t port,
			struct ternd_io **ret);

/* File descriptors to poll for input (one per interface). */
size_t ternd_io_fds(const struct ternd_io *io, int *fds, size_t max);

/*
 * Receive up to max (at most 64) packets from fd (recvmmsg, non-blocking),
 * filling rx metadata (ifindex, ifname, if_addr, source, header
 * destination). Returns how many, 0 when none is waiting, -errno on error.
 * now is stored in each rx; rx.ifname stays valid until the next refresh.
 */
int ternd_io_recv(struct ternd_io *io, int fd, struct ternd_rxpkt *pkts,
		  size_t max, int64_t now);

/*
 * Send n replies (sendmmsg per socket where possible; TERND_DEST_HWADDR
 * through the packet socket) to tx->dst_addr:dst_port (port 0: 67 for a
 * relay, 68 for a client). Returns how many were sent; the others are
 * counted in ternd_io_stats (tx_invalid: unknown ifindex, hardware address
 * over 8 bytes, no yiaddr for a frame, broadcast with no interface).
 */
int ternd_io_send(struct ternd_io *io, const struct ternd_tx *tx, size_t n);

/*
 * I/O counters: ternd_io_send returns only how many went out; why the
 * others did not is counted here.
 */
struct ternd_io_stats {
	uint64_t rx_packets;
	uint64_t
		rx_truncated; /* larger than struct ternd_rxpkt.data: dropped */
	uint64_t rx_errors;   /* recvmmsg failed (other than EAGAIN/EINTR) */
	uint64_t tx_packets;
	uint64_t tx_errors;   /* sendmmsg refused a datagram */
	uint64_t tx_again;    /* socket buffer full: datagram dropped */
	uint64_t tx_invalid;  /* unknown ifindex, dest or length: not sent */
	uint64_t tx_fallback; /* sent by routing after the interface's
				 socket had no route */
	int last_errno;	      /* positive errno of the last failure */
};

const struct ternd_io_stats *ternd_io_get_stats(const struct ternd_io *io);

/* Interfaces in use (after open). */
size_t ternd_io_ifaces(const struct ternd_io *io,
		       const struct ternd_ifinfo **ret);

/*
 * Re-read interface addresses (after a netlink change or SIGHUP). Returns
 * 1 when the set of sockets changed (call ternd_io_fds again), 0 when only
 * addresses changed, -errno (after the privilege drop, sockets for a new
 * interface cannot be opened; the others keep working).
 */
int ternd_io_refresh(struct ternd_io *io);

/*
 * A new interfaces-config (config-set, config-reload), without dropping a
 * packet on the interfaces both serve: ternd_io_plan resolves cfg's
 * interfaces and opens sockets only for those io does not serve yet (io
 * is unchanged; a failure, -ENODEV, -EADDRNOTAVAIL or an open error, leaves
 * nothing behind); ternd_io_adopt moves io's sockets of the interfaces kept
 * into plan, closes the others and frees io (plan is then the io in use).
 * A plan not adopted is freed with ternd_io_close().
 */
int ternd_io_plan(const struct ternd_io *io, const struct ternd_config *cfg,
		  struct ternd_io **ret);
void ternd_io_adopt(struct ternd_io *plan, struct ternd_io *old);

#endif
