/* ternd engine: one request: decoded, its subnet chosen, dispatched by
 * message type. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/* Option as an address: 0 absent, 1 present, -EBADMSG malformed. */
static int get_addr(const struct tern_dhcp4_msg *m, uint8_t code, uint32_t *ret)
{
	struct in_addr a;
	int rc;

	if (!tern_dhcp4_has_opt(m, code))
		return 0;
	rc = tern_dhcp4_get_addr(m, code, &a);
	if (rc < 0)
		return rc;
	*ret = ntohl(a.s_addr);
	return 1;
}

static int decode(struct ternd_engine *e, struct req *q)
{
	const struct tern_dhcp4_msg *m = q->m;
	const uint8_t *d;
	uint16_t mm;
	int n;

	/* Kea 2.2 cannot build an option 124 object (lenient-option-parsing
	 * relaxes it): it drops the packet as unparsable. */
	if (!ternd_expr_vivco_ok(m, e->cfg->lenient_option_parsing))
		return -EBADMSG;
	q->htype = m->hdr.htype;
	q->hlen = m->hdr.hlen;
	q->chaddr = m->hdr.chaddr;
	q->ciaddr = ntohl(m->hdr.ciaddr.s_addr);
	q->giaddr = ntohl(m->hdr.giaddr.s_addr);
	q->rq.hdr = &m->hdr;

	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_CLIENT_ID)) {
		n = tern_dhcp4_get_client_id(m, e->cid_buf, sizeof(e->cid_buf),
					     &d);
		/* Longer than a lease can keep: bounded, so refused. */
		if (n < 0 || n > TERND_LEASE_CID_MAX)
			return -EBADMSG;
		q->cid = d;
		q->cid_len = (uint8_t)n;
		/* RFC 6842 echo, unless echo-client-id is off. */
		if (e->cfg->echo_client_id) {
			q->rq.cid = d;
			q->rq.cid_len = (size_t)n;
		}
	}
	if (get_addr(m, TERN_DHCP4_OPT_REQUESTED_IP, &q->reqip) < 0 ||
	    (n = get_addr(m, TERN_DHCP4_OPT_SERVER_ID, &q->sid)) < 0)
		return -EBADMSG;
	q->has_sid = n > 0;
	if ((n = get_addr(m, TERN_DHCP4_OPT_SUBNET_SELECTION, &q->sel_addr)) <
	    0)
		return -EBADMSG;
	q->has_sel = n > 0;
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_LEASE_TIME)) {
		if (tern_dhcp4_get_lease_time(m, &q->want_lt) < 0)
			return -EBADMSG;
		q->has_lt = true;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_MAX_MSG_SIZE)) {
		if (tern_dhcp4_get_max_msg_size(m, &mm) < 0)
			return -EBADMSG;
		q->rq.max_msg = mm;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_PRL)) {
		n = tern_dhcp4_get_prl(m, e->prl_buf, sizeof(e->prl_buf), &d);
		if (n < 0)
			return -EBADMSG;
		q->rq.prl = d;
		q->rq.prl_len = (size_t)n;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_RAI)) {
		n = tern_dhcp4_opt_get(m, TERN_DHCP4_OPT_RAI, e->rai_buf,
				       sizeof(e->rai_buf), &d);
		if (n < 0 || tern_dhcp4_rai_decode(d, (size_t)n, &q->rai) < 0)
			return -EBADMSG;
		q->rq.rai = d;
		q->rq.rai_len = (size_t)n;
		q->rq.has_rai = true;
	}
	/* Kea's flex_id with replace-client-id: the lease follows the
	 * identifier (the reply echoes what the client sent, rq.cid). */
	e4_flex_client_id(e, q);
	if (e4_names_decode(e, q) < 0)
		return -EBADMSG;
	/* RFC 5107: a relay may ask us to name it as the server. */
	q->server_id = q->rai.has_server_id_override
			       ? ntohl(q->rai.server_id_override.s_addr)
		       : e->ovr_server_id ? e->ovr_server_id
					  : q->rx->if_addr;
	if (q->cid)
		q->base_cid = ternd_leases_client_base(&e->lt, TERND_KEY_CID, 0,
						       q->cid, q->cid_len);
	q->base_hw = ternd_leases_client_base(&e->lt, TERND_KEY_HW, q->htype,
					      q->chaddr, q->hlen);
	return 0;
}

/* The first subnet listing addr as a relay that the client's classes let
 * it use (Kea's selectSubnet). */
static int32_t relay_sub(const struct ternd_engine *e, const struct req *q,
			 uint32_t addr)
{
	size_t lo = 0, hi = e->n_relays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->relays[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->n_relays && e->relays[lo].addr == addr; lo++)
		if (e4_sub_allows(e, q, e->relays[lo].sub))
			return (int32_t)e->relays[lo].sub;
	return -1;
}

/* The subnet holding addr, if the client's classes let it use it. */
static int32_t allowed_sub(const struct ternd_engine *e, const struct req *q,
			   uint32_t addr)
{
	int32_t si = sub_for_addr(e, addr);

	return si >= 0 && e4_sub_allows(e, q, (uint32_t)si) ? si : -1;
}

/* The first subnet bound to interface name that the client's classes let
 * it use. */
static int32_t iface_sub(const struct ternd_engine *e, const struct req *q,
			 const char *name)
{
	size_t lo = 0, hi = e->n_ifaces;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(e->ifaces[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->n_ifaces && strcmp(e->ifaces[lo].name, name) == 0; lo++)
		if (e4_sub_allows(e, q, e->ifaces[lo].sub))
			return (int32_t)e->ifaces[lo].sub;
	return -1;
}

/*
 * The client's subnet, in Kea's order (CfgSubnets4::selectSubnet):
 * 1. an address the client or relay names (RFC 3527 link selection, else
 *    RFC 3011 subnet selection), and only that;
 * 2. relayed: the first subnet (by id) whose relay addresses, its own or
 *    else its shared network's, hold giaddr;
 * and at each step only a subnet the client's classes allow (client-class
 * of the subnet and of its shared network);
 * 3. the subnet holding giaddr; else ciaddr, then the source address,
 *    when the request was not broadcast; else a subnet bound to the
 *    receiving interface; else our address on it.
 * Subnets do not overlap in ternd, so "the first holding" is "the one".
 */
static int32_t select_subnet(const struct ternd_engine *e, const struct req *q)
{
	const struct ternd_rx *rx = q->rx;
	/* An unknown destination counts as a broadcast. */
	bool bcast = rx->dst_addr == 0 || rx->dst_addr == INADDR_BROADCAST;
	int32_t si;

	if (q->rai.has_link_selection)
		return allowed_sub(e, q, ntohl(q->rai.link_selection.s_addr));
	if (q->has_sel)
		return allowed_sub(e, q, q->sel_addr);
	if (q->giaddr) {
		if ((si = relay_sub(e, q, q->giaddr)) >= 0)
			return si;
		return allowed_sub(e, q, q->giaddr);
	}
	if (q->ciaddr && !bcast)
		return allowed_sub(e, q, q->ciaddr);
	if (rx->src_addr && !bcast)
		return allowed_sub(e, q, rx->src_addr);
	if (rx->ifname && (si = iface_sub(e, q, rx->ifname)) >= 0)
		return si;
	return allowed_sub(e, q, rx->if_addr);
}

int ternd_engine_handle_msg(struct ternd_engine *e, const struct ternd_rx *rx,
			    const struct tern_dhcp4_msg *m, struct ternd_tx *tx,
			    struct ternd_change *changes, size_t max,
			    size_t *n_changes)
{
	struct req q;
	struct ev_before evb = {0}; /* Kea's hook points (hookev.c) */
	int32_t si;
	int type, rc;

	/* A reply must fit the BOOTP minimum: checked before any state
	 * changes, so building it cannot fail for want of room. */
	if (!e || !rx || !tx || !tx->buf || tx->cap < TERN_DHCP4_BOOTP_MIN ||
	    !n_changes || (!changes && max) || (!rx->buf && rx->len))
		return -EINVAL;
	*n_changes = 0;
	e->n_ev = 0;
	tx->len = 0;
	tx->needs_commit = false;
	memset(&q, 0, sizeof(q));
	q.rx = rx;
	q.m = m;
	q.now = rx->now;
	q.chg.v = changes;
	q.chg.max = max;

	if (!m || m->hdr.op != TERN_DHCP4_BOOTREQUEST || m->hdr.hlen > 16)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	type = tern_dhcp4_get_msg_type(m);
	if (type == -ENOENT && e->cfg->hooks.bootp) {
		/* libdhcp_bootp.so: a BOOTP request is a DHCPREQUEST. */
		q.bootp = true;
		type = TERN_DHCP4_REQUEST;
	}
	if (type < TERN_DHCP4_DISCOVER || type > TERN_DHCP4_INFORM)
		return drop(e, TERND_DROP_NO_TYPE, -EBADMSG);
	e->st.rx[type]++;
	q.type = (uint8_t)type;
	if (type == TERN_DHCP4_OFFER || type == TERN_DHCP4_ACK ||
	    type == TERN_DHCP4_NAK)
		/* Server messages: not for a server to answer. */
		return drop(e, TERND_DROP_NO_TYPE, -EBADMSG);
	if (decode(e, &q) < 0)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	/* A client needs a key: a client-id or a hardware address. */
	if (!q.cid && !q.hlen)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	/* Kea classifies every packet before anything else (DROP). */
	if (e4_classify_start(e, &q) < 0)
		return drop(e, TERND_DROP_CLASS, -EACCES);

	/* RELEASE and DECLINE name an address: its record says it all. */
	if (type == TERN_DHCP4_RELEASE || type == TERN_DHCP4_DECLINE) {
		if (e->hook_events)
			e4_ev_begin(e, &q, &evb);
		rc = type == TERN_DHCP4_RELEASE ? e4_do_release(e, &q)
						: e4_do_decline(e, &q);
	} else if ((si = select_subnet(e, &q)) < 0)
		rc = drop(e, TERND_DROP_NO_SUBNET, -ENETUNREACH);
	else if (!q.hlen && key_kind(e, &q, (uint32_t)si) == TERND_KEY_HW)
		rc = drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	else {
		q.sel = (uint32_t)si;
		if (e->hook_events)
			e4_ev_begin(e, &q, &evb);
		/* KNOWN/UNKNOWN and the second pass; DROP again. */
		if (e4_classify_host(e, &q) < 0)
			rc = drop(e, TERND_DROP_CLASS, -EACCES);
		else if (q.bootp)
			rc = e4_do_bootp(e, &q, tx);
		else if (type == TERN_DHCP4_DISCOVER)
			rc = e4_do_discover(e, &q, tx);
		else if (type == TERN_DHCP4_REQUEST)
			rc = e4_do_request(e, &q, tx);
		else
			rc = e4_do_inform(e, &q, tx);
	}
	if (e->hook_events)
		e4_ev_end(e, &q, &evb, rc);
	*n_changes = q.chg.n;
	return rc;
}

int ternd_engine_handle(struct ternd_engine *e, const struct ternd_rx *rx,
			struct ternd_tx *tx, struct ternd_change *changes,
			size_t max, size_t *n_changes)
{
	const struct tern_dhcp4_msg *m = NULL;

	if (!e || !rx)
		return -EINVAL;
	/* The engine's own scratch: a packet that does not parse is counted
	 * as malformed by handle_msg. */
	if (rx->buf && rx->len >= TERN_DHCP4_MIN_LEN &&
	    tern_dhcp4_parse(&e->msg, rx->buf, rx->len) >= 0)
		m = &e->msg;
	return ternd_engine_handle_msg(e, rx, m, tx, changes, max, n_changes);
}
