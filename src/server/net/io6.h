/* ternd DHCPv6 network I/O: one UDP socket on port 547 joined to
 * All_DHCP_Relay_Agents_and_Servers (ff02::1:2) on the configured
 * interfaces, batched receive with the arrival interface, replies sent out
 * of that interface. */
#ifndef TERND_IO6_H
#define TERND_IO6_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine6/engine6.h"

struct ternd_io6;

struct ternd_rx6pkt {
	struct ternd_rx6 rx;
	char ifname[IF_NAMESIZE];
	size_t len;
	uint8_t data[1500];
};

/*
 * Open the socket (before privileges go): bound to [::]:port, IPv6 only,
 * IPV6_RECVPKTINFO, joined to ff02::1:2 on every interface cfg lists
 * ("*": every multicast-capable interface up now). Returns 0, -ENODEV (an
 * interface named does not exist), or -errno.
 */
int ternd_io6_open(const struct ternd_config *cfg, uint16_t port,
		   struct ternd_io6 **ret);
void ternd_io6_close(struct ternd_io6 *io);

/*
 * A reconfiguration's interfaces, built aside: the socket of io joined to
 * ff02::1:2 on cfg's interfaces it is not joined on yet (io still serves
 * only its own). Returns 0, -ENODEV, -errno (nothing joined then).
 * plan_free drops a plan, leaving the groups it joined; apply makes it
 * io's interface set (leaving the groups of interfaces no longer listed)
 * and frees it. Counters and socket stay.
 */
int ternd_io6_plan(const struct ternd_io6 *io, const struct ternd_config *cfg,
		   struct ternd_io6 **ret);
void ternd_io6_plan_free(struct ternd_io6 *plan);
void ternd_io6_apply(struct ternd_io6 *io, struct ternd_io6 *plan);
int ternd_io6_fd(const struct ternd_io6 *io);
/* The MAC address of the first configured interface that has one (for
 * the server DUID): its length, or -ENOENT. */
int ternd_io6_hwaddr(const struct ternd_io6 *io, uint8_t *out, size_t cap);

/*
 * Receive up to max (at most 64) datagrams; a datagram from an interface
 * not configured is dropped (counted). Returns how many, 0 when none is
 * waiting, -errno on error.
 */
int ternd_io6_recv(struct ternd_io6 *io, struct ternd_rx6pkt *pkts, size_t max,
		   int64_t now);
/* Send one reply (out of tx->ifindex for a link-local destination). */
int ternd_io6_send(struct ternd_io6 *io, const struct ternd_tx6 *tx,
		   const uint8_t *buf);

struct ternd_io6_stats {
	uint64_t rx_packets;
	uint64_t rx_truncated;
	uint64_t rx_foreign_iface;
	uint64_t tx_packets;
	uint64_t tx_errors;
	/* Sent, by the type of the message inside any RELAY-REPL (Kea's
	 * pkt6-advertise-sent, pkt6-reply-sent). */
	uint64_t tx_type[14];
};
void ternd_io6_stats(const struct ternd_io6 *io, struct ternd_io6_stats *ret);

#endif
