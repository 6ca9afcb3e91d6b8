/* tern-mgr: the DHCPv4 lease handler (change detection, apply, expiry). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "manager.h"
#include "util.h"

#define MTU_DEFAULT 1500

bool mgr_v4_changed(const struct mgr_client *c, const struct tern_lease_v4 *l)
{
	const struct tern_lease_v4 *cur = &c->lease.data.v4;

	if (!c->have_lease)
		return true;
	return cur->address_assigned != l->address_assigned ||
	       cur->is_expired != l->is_expired ||
	       strcmp(cur->address, l->address) ||
	       strcmp(cur->netmask, l->netmask) ||
	       cur->prefix_len != l->prefix_len ||
	       strcmp(cur->gateway, l->gateway) ||
	       strcmp(cur->dns_server, l->dns_server) ||
	       strcmp(cur->dns_server1, l->dns_server1) ||
	       strcmp(cur->dns_servers, l->dns_servers);
}

static unsigned prefix_len(const struct tern_lease_v4 *l)
{
	struct in_addr mask;
	unsigned n = 0;

	if (l->prefix_len)
		return l->prefix_len;
	if (inet_pton(AF_INET, l->netmask, &mask) != 1)
		return 32;
	for (uint32_t v = ntohl(mask.s_addr); v & 0x80000000u; v <<= 1)
		n++;
	return n;
}

/* The lease's broadcast, or the one its address and mask imply. */
static void broadcast(const struct tern_lease_v4 *l, unsigned plen, char *out,
		      size_t cap)
{
	struct in_addr a;
	uint32_t host;

	if (l->broadcast[0]) {
		mgr_strlcpy(out, l->broadcast, cap);
		return;
	}
	out[0] = '\0';
	if (inet_pton(AF_INET, l->address, &a) != 1 || plen >= 31)
		return;
	host = plen ? 0xffffffffu >> plen : 0xffffffffu;
	a.s_addr = htonl(ntohl(a.s_addr) | host);
	inet_ntop(AF_INET, &a, out, (socklen_t)cap);
}

/* The first router of a space-separated list. */
static void first_word(const char *list, char *out, size_t cap)
{
	size_t n = strcspn(list, " ,");

	if (n >= cap)
		n = cap - 1;
	memcpy(out, list, n);
	out[n] = '\0';
}

static void unapply(struct mgr *m, const struct tern_lease_v4 *cur)
{
	char gw[TERN_LEASE_ADDR4_LEN];
	unsigned plen = prefix_len(cur);
	int r;

	if (!cur->address[0])
		return;
	if (m->cfg.apply_routes && cur->gateway[0]) {
		first_word(cur->gateway, gw, sizeof(gw));
		m->net->route4(m->net->ctx, cur->ifname, gw, false);
	}
	r = m->net->addr4(m->net->ctx, cur->ifname, cur->address, plen, NULL,
			  false);
	if (r < 0)
		mgr_log(LOG_WARNING, "%s: cannot remove %s/%u: %s", cur->ifname,
			cur->address, plen, strerror(-r));
}

static int apply(struct mgr *m, const struct tern_lease_v4 *l)
{
	char brd[TERN_LEASE_ADDR4_LEN], gw[TERN_LEASE_ADDR4_LEN];
	unsigned plen = prefix_len(l);
	unsigned mtu = l->mtu_assigned ? l->mtu_size : 0;
	int r;

	/* RDK's rule: a server that sends no MTU means Ethernet's. */
	if (mtu == 0)
		mtu = MTU_DEFAULT;
	broadcast(l, plen, brd, sizeof(brd));
	r = m->net->addr4(m->net->ctx, l->ifname, l->address, plen,
			  brd[0] ? brd : NULL, true);
	if (r < 0) {
		mgr_log(LOG_ERR, "%s: cannot add %s/%u: %s", l->ifname,
			l->address, plen, strerror(-r));
		return r;
	}
	r = m->net->mtu(m->net->ctx, l->ifname, mtu);
	if (r < 0)
		mgr_log(LOG_WARNING, "%s: cannot set MTU %u: %s", l->ifname,
			mtu, strerror(-r));
	if (m->cfg.apply_routes && l->gateway[0]) {
		first_word(l->gateway, gw, sizeof(gw));
		r = m->net->route4(m->net->ctx, l->ifname, gw, true);
		if (r < 0)
			mgr_log(LOG_WARNING, "%s: cannot add route via %s: %s",
				l->ifname, gw, strerror(-r));
	}
	return 0;
}

enum mgr_event mgr_v4_expire(struct mgr *m, struct mgr_client *c)
{
	if (!c->have_lease)
		return MGR_EV_NONE;
	unapply(m, &c->lease.data.v4);
	/* RDK leaves the old values in TR-181; a lost lease must vanish. */
	mgr_client_clear_lease(c);
	if (m->cfg.resolv_conf)
		mgr_resolv_write(m);
	return MGR_EV_LEASE_DEL;
}

enum mgr_event mgr_v4_handle(struct mgr *m, struct mgr_client *c,
			     const struct tern_lease_v4 *l, int64_t now)
{
	bool changed;

	switch (l->event) {
	case TERN_LEASE_V4_NAK:
		/* RDK ignores NAKs; recording them explains a lost WAN. */
		c->naks++;
		mgr_strlcpy(c->last_nak, l->message[0] ? l->message : "(none)",
			    sizeof(c->last_nak));
		mgr_log(LOG_NOTICE, "%s: DHCPNAK received: %s", l->ifname,
			c->last_nak);
		c->dhcp_status = MGR_DS_INIT;
		return MGR_EV_NONE;
	case TERN_LEASE_V4_DECONFIG:
	case TERN_LEASE_V4_LEASEFAIL:
		if (c->have_lease)
			return mgr_v4_expire(m, c);
		c->dhcp_status = MGR_DS_SELECTING;
		return MGR_EV_NONE;
	default:
		break;
	}
	if (l->is_expired || !l->address_assigned)
		return mgr_v4_expire(m, c);
	changed = mgr_v4_changed(c, l);
	if (changed) {
		/* A different address replaces the old one, not joins it. */
		if (c->have_lease &&
		    (strcmp(c->lease.data.v4.address, l->address) ||
		     prefix_len(&c->lease.data.v4) != prefix_len(l)))
			unapply(m, &c->lease.data.v4);
		if (apply(m, l) < 0) {
			c->status = MGR_ST_ERROR;
			return MGR_EV_NONE;
		}
	}
	c->have_lease = true;
	memset(&c->lease, 0, sizeof(c->lease));
	c->lease.version = TERN_LEASE_V4;
	mgr_strlcpy(c->lease.ifname, l->ifname, sizeof(c->lease.ifname));
	c->lease.data.v4 = *l;
	c->lease_start = now;
	c->expiry = l->lease_time == UINT32_MAX ? 0 : now + l->lease_time;
	c->dhcp_status = MGR_DS_BOUND;
	c->status = MGR_ST_ENABLED;
	if (changed && m->cfg.resolv_conf)
		mgr_resolv_write(m);
	return changed ? MGR_EV_LEASE_UPDATE : MGR_EV_LEASE_RENEW;
}

enum mgr_event mgr_lease_check_expiry(struct mgr *m, struct mgr_client *c,
				      int64_t now)
{
	if (!c->have_lease || !c->expiry || now < c->expiry)
		return MGR_EV_NONE;
	mgr_log(LOG_NOTICE, "%s: DHCPv%d lease expired", c->lease.ifname,
		c->version);
	return c->version == 4 ? mgr_v4_expire(m, c) : mgr_v6_expire(m, c);
}
