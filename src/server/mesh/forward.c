/* ternd mesh forwarding: a client's REQUEST for an address in a peer's block
 * goes to the block's owner, and a peer's question about one of our
 * addresses is answered by the engine. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include <tern/dhcp4.h>

#include "common/clock.h"
#include "server/mesh/node_internal.h"

/*
 * ddhcpd writes the address of lease messages in its host byte order, so
 * a peer's order is learned from what it sends; until then ours is used,
 * which is what a ddhcpd built for the same machines does. Either order
 * is fine for ternd peers.
 */
static bool peer_swapped(const struct ternd_mesh_node *n, const uint8_t *addr)
{
	for (size_t i = 0; i < n->n_peers; i++)
		if (!memcmp(n->peers[i].addr, addr, 16))
			return n->peers[i].swapped;
	return htonl(1) != 1;
}

static void learn_order(struct ternd_mesh_node *n, const uint8_t *addr,
			bool swapped)
{
	size_t i;

	for (i = 0; i < n->n_peers; i++)
		if (!memcmp(n->peers[i].addr, addr, 16))
			break;
	if (i == n->n_peers) {
		if (n->n_peers < PEER_ORDER_MAX) {
			i = n->n_peers++;
		} else {
			i = n->peer_next; /* bounded: replace round robin */
			n->peer_next = (n->peer_next + 1) % PEER_ORDER_MAX;
		}
		memcpy(n->peers[i].addr, addr, 16);
	}
	n->peers[i].swapped = swapped;
}

/* ---- DHCP side: forward requests for a peer's addresses ---- */

/* Whether a peer owns addr's block; its address in ret_owner. */
static bool owner_of(const struct ternd_mesh_node *n, uint32_t addr,
		     uint8_t ret_owner[16])
{
	struct ternd_mesh_block_info bi;
	uint32_t blk;

	if (ternd_mesh_block_of(n->mesh, addr, &blk) < 0 ||
	    ternd_mesh_block(n->mesh, blk, &bi) < 0 ||
	    bi.state != TERND_MESH_CLAIMED)
		return false;
	memcpy(ret_owner, bi.owner_addr, 16);
	return true;
}

static struct pending *pending_slot(struct ternd_mesh_node *n, uint32_t xid,
				    const uint8_t *chaddr, int64_t now)
{
	struct pending *free_p = NULL, *oldest = NULL;

	for (size_t i = 0; i < PENDING_MAX; i++) {
		struct pending *p = &n->pending[i];

		if (p->used && p->expire_ms <= now)
			p->used = false;
		if (p->used && p->xid == xid && !memcmp(p->chaddr, chaddr, 16))
			return p; /* a retransmission: refresh it */
		if (!p->used && !free_p)
			free_p = p;
		if (p->used && (!oldest || p->expire_ms < oldest->expire_ms))
			oldest = p;
	}
	if (free_p)
		return free_p;
	n->pending_dropped++;
	return oldest;
}

int ternd_mesh_node_filter(struct ternd_mesh_node *n, const struct ternd_rx *rx,
			   const struct tern_dhcp4_msg *m)
{
	struct ternd_mesh_lease l = {0};
	uint8_t owner[16];
	struct in_addr ip;
	struct pending *p;
	uint32_t addr = 0;
	int type;

	if (!n || !m || m->hdr.op != 1)
		return 0;
	type = tern_dhcp4_get_msg_type(m);
	if (type == TERN_DHCP4_RELEASE) {
		addr = ntohl(m->hdr.ciaddr.s_addr);
		if (addr && owner_of(n, addr, owner)) {
			/* ddhcpd drops a roamed client's RELEASE; the owner
			 * should learn the address is free again. */
			l.addr = addr;
			l.xid = ntohl(m->hdr.xid);
			memcpy(l.chaddr, m->hdr.chaddr, 16);
			(void)ternd_mesh_send_lease(n->mesh, TERND_MESH_RELEASE,
						    owner, &l);
			mn_send_out(n);
		}
		if (addr)
			mn_hook_lease(n, "release", addr, m->hdr.chaddr);
		return 0;
	}
	if (type != TERN_DHCP4_REQUEST)
		return 0;
	/* SELECTING another server's offer: not ours to forward. */
	if (tern_dhcp4_get_server_id(m, &ip) == 0 &&
	    ntohl(ip.s_addr) != rx->if_addr)
		return 0;
	if (tern_dhcp4_get_requested_ip(m, &ip) == 0)
		addr = ntohl(ip.s_addr);
	else
		addr = ntohl(m->hdr.ciaddr.s_addr);
	if (!addr || !owner_of(n, addr, owner))
		return 0;
	if (rx->len > sizeof(p->data))
		return 0;
	p = pending_slot(n, ntohl(m->hdr.xid), m->hdr.chaddr, tern_mono_ms());
	p->used = true;
	p->expire_ms = tern_mono_ms() + PENDING_MS;
	p->addr = addr;
	p->xid = ntohl(m->hdr.xid);
	memcpy(p->chaddr, m->hdr.chaddr, 16);
	memcpy(p->data, rx->buf, rx->len);
	p->rx = *rx;
	p->rx.buf = p->data;
	p->ifname[0] = '\0';
	if (rx->ifname)
		snprintf(p->ifname, sizeof(p->ifname), "%s", rx->ifname);
	p->rx.ifname = rx->ifname ? p->ifname : NULL;
	l.addr = addr;
	l.xid = p->xid;
	memcpy(l.chaddr, p->chaddr, 16);
	l.swapped = peer_swapped(n, owner);
	if (ternd_mesh_send_lease(n->mesh, TERND_MESH_RENEWLEASE, owner, &l) ==
	    0)
		n->forwarded++;
	mn_send_out(n);
	return 1;
}

/* ---- mesh side: a peer asks about one of our addresses ---- */

/*
 * Run a request we make up for the client through the engine, so the
 * owner binds (or frees) the address with every check a real client
 * request gets: the address must be free or held by that client.
 */
static int synth(struct ternd_mesh_node *n, uint8_t type,
		 const struct ternd_mesh_lease *ml)
{
	const struct ternd_lease *cur = ternd_engine_lease(n->engine, ml->addr);
	struct tern_dhcp4_hdr h = {.op = 1, .htype = 1, .hlen = 6};
	struct tern_dhcp4_writer w;
	struct in_addr a = {htonl(ml->addr)};
	struct ternd_rx rx = {0};
	uint8_t buf[600];
	int len;

	h.xid = htonl(ml->xid);
	memcpy(h.chaddr, ml->chaddr, 16);
	if (type == TERN_DHCP4_RELEASE)
		h.ciaddr = a;
	if (tern_dhcp4_writer_init(&w, buf, sizeof(buf), sizeof(buf), 0) < 0)
		return -EINVAL;
	tern_dhcp4_write_header(&w, &h);
	tern_dhcp4_put_msg_type(&w, type);
	if (type == TERN_DHCP4_REQUEST)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
	/* RFC 3011 subnet selection picks the mesh subnet. */
	tern_dhcp4_put_addr(&w, 118, a);
	if (cur && cur->cid_len && cur->hw_len == 6 &&
	    !memcmp(cur->hw, ml->chaddr, 6))
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cur->cid,
			       cur->cid_len);
	len = tern_dhcp4_writer_finish(&w, true);
	if (len < 0)
		return len;
	rx.buf = buf;
	rx.len = (size_t)len;
	rx.now = (int64_t)time(NULL);
	/* Granted: the engine answers an INIT-REBOOT of a client it does not
	 * know with a NAK (as kea-dhcp4); this made-up one stands for a
	 * client a peer serves, and only the address's state decides. */
	if (type == TERN_DHCP4_REQUEST)
		return n->run(n->run_ctx, &rx, ml->addr, 1, false);
	return n->run(n->run_ctx, &rx, 0, 0, false);
}

static bool ours(const struct ternd_mesh_node *n, uint32_t addr)
{
	struct ternd_mesh_block_info bi;
	uint32_t blk;

	return ternd_mesh_block_of(n->mesh, addr, &blk) == 0 &&
	       ternd_mesh_block(n->mesh, blk, &bi) == 0 &&
	       bi.state == TERND_MESH_OURS;
}

void mn_on_lease_msg(struct ternd_mesh_node *n,
		     const struct ternd_mesh_lease_msg *lm)
{
	struct pending *p = NULL;
	int r;

	/* A palindromic address says nothing about the order. */
	if (lm->lease.addr != __builtin_bswap32(lm->lease.addr))
		learn_order(n, lm->src, lm->lease.swapped);
	switch (lm->command) {
	case TERND_MESH_RENEWLEASE:
		r = ours(n, lm->lease.addr)
			    ? synth(n, TERN_DHCP4_REQUEST, &lm->lease)
			    : -EACCES;
		(void)ternd_mesh_send_lease(n->mesh,
					    r == TERN_DHCP4_ACK
						    ? TERND_MESH_LEASEACK
						    : TERND_MESH_LEASENAK,
					    lm->src, &lm->lease);
		n->renew_answered++;
		break;
	case TERND_MESH_RELEASE:
		n->release_rx++;
		if (ours(n, lm->lease.addr))
			(void)synth(n, TERN_DHCP4_RELEASE, &lm->lease);
		break;
	default: /* LEASEACK, LEASENAK */
		for (size_t i = 0; i < PENDING_MAX && !p; i++) {
			struct pending *c = &n->pending[i];

			if (c->used && c->xid == lm->lease.xid &&
			    c->addr == lm->lease.addr &&
			    !memcmp(c->chaddr, lm->lease.chaddr, 16))
				p = c;
		}
		if (!p) {
			n->lease_unmatched++;
			break;
		}
		p->used = false;
		p->rx.now = (int64_t)time(NULL);
		if (lm->command == TERND_MESH_LEASEACK) {
			n->acked++;
			(void)n->run(n->run_ctx, &p->rx, p->addr, 1, true);
		} else {
			/* NAK, even where we still hold the client's lease
			 * from before we lost the block. */
			n->naked++;
			(void)n->run(n->run_ctx, &p->rx, p->addr, -1, true);
		}
		break;
	}
}
