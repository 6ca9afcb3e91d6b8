/* ternd DHCPv6 engine: unwrap relays, validate (RFC 8415 §16, spec A1.2),
 * choose the subnet, answer each message type, wrap the reply in
 * RELAY-REPLs and say where it goes. */
#include <errno.h>
#include <string.h>

#include "server/engine6/internal6.h"

#define OPT_RELAY_SOURCE_PORT 135 /* RFC 8357 */

/* Read the options the request's handling needs; false = malformed. */
static bool read_options(struct e6_req *r)
{
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t code, len;
	bool seen16 = false;
	int rc;

	tern_dhcp6_opt_iter_init(&it, r->m.opts, r->m.opts_len);
	while ((rc = tern_dhcp6_opt_next(&it, &code, &v, &len)) == 1) {
		struct tern_dhcp6_ia ia;
		struct e6_ia *x;

		switch (code) {
		case TERN_DHCP6_OPT_CLIENTID:
			if (r->client_id) {
				r->e->st.drop_client_id++;
				return false;
			}
			if (len < 2 || len > TERN_DHCP6_DUID_MAX_LEN)
				goto bad;
			r->client_id = v;
			r->client_id_len = len;
			break;
		case TERN_DHCP6_OPT_SERVERID:
			if (r->server_id) {
				r->e->st.drop_server_id++;
				return false;
			}
			r->server_id = v;
			r->server_id_len = len;
			break;
		case TERN_DHCP6_OPT_ORO:
			if (len % 2)
				goto bad;
			r->oro = v;
			r->oro_len = len;
			break;
		case TERN_DHCP6_OPT_RAPID_COMMIT:
			r->rapid_commit = true;
			break;
		case TERN_DHCP6_OPT_VENDOR_CLASS:
			/* Kea's classes come from the first one only. */
			if (!seen16)
				e6_vendor_class(r, v, len);
			seen16 = true;
			e6_read_vendor(r, code, v, len);
			break;
		case TERN_DHCP6_OPT_VENDOR_OPTS:
			e6_read_vendor(r, code, v, len);
			break;
		case TERN_DHCP6_OPT_IA_NA:
		case TERN_DHCP6_OPT_IA_PD:
			rc = code == TERN_DHCP6_OPT_IA_NA
				     ? tern_dhcp6_ia_na_decode(v, len, &ia)
				     : tern_dhcp6_ia_pd_decode(v, len, &ia);
			if (rc < 0)
				goto bad;
			if (r->n_ia == E6_MAX_IAS)
				break; /* more are not answered */
			x = &r->ia[r->n_ia++];
			memset(x, 0, sizeof(*x));
			x->code = code;
			x->iaid = ia.iaid;
			{
				struct tern_dhcp6_opt_iter in;
				const uint8_t *sv;
				uint16_t sc, sl;

				tern_dhcp6_opt_iter_init(&in, ia.opts,
							 ia.opts_len);
				while (tern_dhcp6_opt_next(&in, &sc, &sv,
							   &sl) == 1) {
					struct tern_dhcp6_iaaddr a;
					struct tern_dhcp6_iaprefix p;

					if (x->n_hints == E6_MAX_IA_ADDRS)
						break;
					if (code == TERN_DHCP6_OPT_IA_NA &&
					    sc == TERN_DHCP6_OPT_IAADDR) {
						if (tern_dhcp6_iaaddr_decode(
							    sv, sl, &a) < 0)
							goto bad;
						if (!x->n_hints) {
							x->hint_pref =
								a.preferred;
							x->hint_valid = a.valid;
						}
						x->hint[x->n_hints] = a.addr;
						x->hint_len[x->n_hints++] = 128;
					} else if (
						code == TERN_DHCP6_OPT_IA_PD &&
						sc == TERN_DHCP6_OPT_IAPREFIX) {
						if (tern_dhcp6_iaprefix_decode(
							    sv, sl, &p) < 0)
							goto bad;
						if (!x->n_hints) {
							x->hint_pref =
								p.preferred;
							x->hint_valid = p.valid;
						}
						x->hint[x->n_hints] = p.prefix;
						x->hint_len[x->n_hints++] =
							p.plen;
					}
				}
			}
			break;
		default:
			break;
		}
	}
	if (rc == 0)
		return true;
bad:
	r->e->st.drop_malformed++;
	return false;
}

static bool ours(const struct e6_req *r)
{
	return r->server_id_len == r->e->duid_len &&
	       memcmp(r->server_id, r->e->duid, r->e->duid_len) == 0;
}

/* RFC 8415 §16 and Kea's sanityCheck: false = drop (counted). */
static bool valid_for_type(struct e6_req *r)
{
	struct ternd_engine6_stats *st = &r->e->st;
	uint8_t t = r->m.type;

	switch (t) {
	case TERN_DHCP6_SOLICIT:
	case TERN_DHCP6_CONFIRM:
	case TERN_DHCP6_REBIND:
		if (!r->client_id) {
			st->drop_client_id++;
			return false;
		}
		if (r->server_id) {
			st->drop_server_id++;
			return false;
		}
		return true;
	case TERN_DHCP6_REQUEST:
	case TERN_DHCP6_RENEW:
	case TERN_DHCP6_RELEASE:
	case TERN_DHCP6_DECLINE:
		if (!r->client_id) {
			st->drop_client_id++;
			return false;
		}
		if (!r->server_id || !ours(r)) {
			st->drop_server_id++;
			return false;
		}
		return true;
	case TERN_DHCP6_INFORMATION_REQUEST:
		if (r->server_id && !ours(r)) {
			st->drop_server_id++;
			return false;
		}
		if (r->n_ia) {
			st->drop_other++;
			return false;
		}
		return true;
	default:
		st->drop_not_for_server++;
		return false;
	}
}

static bool zero_addr(const struct in6_addr *a)
{
	static const struct in6_addr z;

	return memcmp(a, &z, 16) == 0;
}

/* The first subnet (id order) whose prefix holds addr and the client's
 * classes allow. */
static const struct ternd_subnet6 *subnet_for_addr(const struct e6_req *r,
						   const struct in6_addr *addr)
{
	const struct ternd_config6 *c = r->e->c6;

	for (size_t i = 0; i < c->n_subnets; i++)
		if (ternd_subnet6_has(&c->subnets[i], addr) &&
		    e6_subnet_ok(r, &c->subnets[i]))
			return &c->subnets[i];
	return NULL;
}

/*
 * The client's subnet, as Kea 2.2's CfgSubnets6::selectSubnet: the
 * link-address of the relay nearest the client that is neither :: nor
 * link-local (an LDRA's is ::, RFC 6221) makes the message relayed: the
 * interface-id of the relay nearest the client (that one only) names a
 * subnet, else the link-address is one of a subnet's relay addresses,
 * else inside a subnet's prefix. Without such a link-address the message
 * is taken as direct, whatever relays carried it: the receiving
 * interface, then the source address. Subnets in id order, skipping one
 * the client's classes may not use.
 */
static const struct ternd_subnet6 *select_subnet(const struct e6_req *r)
{
	const struct ternd_config6 *c = r->e->c6;
	const struct in6_addr *link = NULL;

	for (int i = r->n_relays - 1; i >= 0 && !link; i--) {
		const struct in6_addr *a = &r->relays[i].link_addr;

		if (!zero_addr(a) && !IN6_IS_ADDR_LINKLOCAL(a))
			link = a;
	}
	if (link) {
		const struct tern_dhcp6_relay *in = &r->relays[r->n_relays - 1];

		if (in->interface_id)
			for (size_t s = 0; s < c->n_subnets; s++)
				if (c->subnets[s].iface_id_len ==
					    in->interface_id_len &&
				    memcmp(c->subnets[s].iface_id,
					   in->interface_id,
					   in->interface_id_len) == 0 &&
				    e6_subnet_ok(r, &c->subnets[s]))
					return &c->subnets[s];
		for (size_t s = 0; s < c->n_subnets; s++)
			for (size_t k = 0; k < c->subnets[s].n_relays; k++)
				if (memcmp(&c->subnets[s].relays[k], link,
					   16) == 0 &&
				    e6_subnet_ok(r, &c->subnets[s]))
					return &c->subnets[s];
		return subnet_for_addr(r, link);
	}
	if (r->rx->ifname)
		for (size_t s = 0; s < c->n_subnets; s++)
			if (c->subnets[s].iface &&
			    strcmp(c->subnets[s].iface, r->rx->ifname) == 0 &&
			    e6_subnet_ok(r, &c->subnets[s]))
				return &c->subnets[s];
	return subnet_for_addr(r, &r->rx->src);
}

static void put_common(struct e6_req *r, struct tern_dhcp6_writer *w)
{
	tern_dhcp6_put(w, TERN_DHCP6_OPT_SERVERID, r->e->duid, r->e->duid_len);
	if (r->client_id)
		tern_dhcp6_put(w, TERN_DHCP6_OPT_CLIENTID, r->client_id,
			       r->client_id_len);
}

/* Whether a is on the client's link: in the selected subnet or another
 * of its shared network (they are all prefixes of that one link). */
static bool on_link(const struct e6_req *r, const struct in6_addr *a)
{
	for (const struct ternd_subnet6 *s = r->subnet; s;
	     s = e6_next_subnet(r->e, r->subnet, s))
		if (ternd_subnet6_has(s, a))
			return true;
	return false;
}

/* CONFIRM (§18.3.3): on-link check of every address, top-level status;
 * false = no answer. */
static bool confirm(struct e6_req *r, struct tern_dhcp6_writer *w)
{
	size_t n = 0;
	bool all = true;

	for (size_t i = 0; i < r->n_ia; i++) {
		if (r->ia[i].code != TERN_DHCP6_OPT_IA_NA)
			continue;
		for (size_t k = 0; k < r->ia[i].n_hints; k++, n++)
			all &= on_link(r, &r->ia[i].hint[k]);
	}
	if (!n) {
		r->e->st.drop_other++;
		return false;
	}
	if (!r->subnet) {
		r->e->st.drop_no_subnet++;
		return false;
	}
	put_common(r, w);
	if (all)
		tern_dhcp6_put_status(w, TERN_DHCP6_STATUS_SUCCESS,
				      "All addresses are on-link");
	else
		tern_dhcp6_put_status(w, TERN_DHCP6_STATUS_NOT_ON_LINK,
				      "Some addresses are not on-link");
	return true;
}

/* The reply's body after its header; false = no answer. */
static bool answer(struct e6_req *r, struct tern_dhcp6_writer *w)
{
	switch (r->m.type) {
	case TERN_DHCP6_SOLICIT:
		put_common(r, w);
		if (r->commit)
			tern_dhcp6_put_empty(w, TERN_DHCP6_OPT_RAPID_COMMIT);
		e6_answer_ias(r, w, r->m.type);
		e6_classify_late(r);
		e6_put_options(r, w);
		return true;
	case TERN_DHCP6_REQUEST:
	case TERN_DHCP6_RENEW:
		put_common(r, w);
		e6_answer_ias(r, w, r->m.type);
		e6_classify_late(r);
		e6_put_options(r, w);
		return true;
	case TERN_DHCP6_REBIND:
		/* Without a subnet the server cannot tell whether the
		 * addresses fit the link: discard (§18.3.5). */
		if (!r->subnet) {
			r->e->st.drop_no_subnet++;
			return false;
		}
		put_common(r, w);
		e6_answer_ias(r, w, r->m.type);
		e6_classify_late(r);
		e6_put_options(r, w);
		return true;
	case TERN_DHCP6_RELEASE:
	case TERN_DHCP6_DECLINE:
		put_common(r, w);
		tern_dhcp6_put_status(w, TERN_DHCP6_STATUS_SUCCESS,
				      r->m.type == TERN_DHCP6_RELEASE
					      ? "Release received"
					      : "Decline received");
		e6_release_ias(r, w, r->m.type == TERN_DHCP6_DECLINE);
		return true;
	case TERN_DHCP6_CONFIRM:
		return confirm(r, w);
	case TERN_DHCP6_INFORMATION_REQUEST:
		put_common(r, w);
		e6_classify_late(r);
		e6_put_options(r, w);
		return true;
	default:
		return false;
	}
}

static uint8_t reply_type(const struct e6_req *r)
{
	if (r->m.type == TERN_DHCP6_SOLICIT && !r->commit)
		return TERN_DHCP6_ADVERTISE;
	return TERN_DHCP6_REPLY;
}

/* RFC 8357: the outermost relay's Relay Source Port says where its
 * RELAY-REPL goes; else 547. */
static uint16_t relay_port(const struct e6_req *r)
{
	const uint8_t *v;

	if (tern_dhcp6_opt_find(r->relays[0].opts, r->relays[0].opts_len,
				OPT_RELAY_SOURCE_PORT, &v) >= 0)
		return r->rx->src_port;
	return TERN_DHCP6_SERVER_PORT;
}

int ternd_engine6_handle(struct ternd_engine6 *e, const struct ternd_rx6 *rx,
			 const uint8_t *pkt, size_t len, uint8_t *out,
			 size_t cap, struct ternd_tx6 *ret_tx,
			 struct ternd_change6 *changes, size_t max_changes,
			 size_t *ret_n)
{
	struct e6_req req;
	struct e6_req *r = &req;
	struct tern_dhcp6_writer w;
	size_t body;
	int rc;

	if (!e || !rx || (!pkt && len) || !out || !ret_tx || !ret_n)
		return -EINVAL;
	*ret_n = 0;
	e->st.rx++;
	r->e = e;
	r->rx = rx;
	r->now = rx->now;
	r->changes = changes;
	r->max_changes = max_changes;
	r->n_ia = 0;
	r->client_id = r->server_id = r->oro = r->vendor_oro = NULL;
	r->client_id_len = r->server_id_len = r->oro_len = 0;
	r->vendor_oro_len = 0;
	r->vendor_opts_id = r->vendor_class_id = 0;
	r->rapid_commit = r->commit = r->no_room = false;
	r->subnet = NULL;
	r->res = NULL;
	r->ghost = r->ghost_early = NULL;
	r->res_subnet = NULL;
	r->vclass = NULL;
	r->vclass_len = 0;
	r->n_got = 0;
	r->n_changes = 0;
	rc = tern_dhcp6_unwrap(pkt, len, r->relays, TERN_DHCP6_MAX_RELAYS,
			       &r->m);
	if (rc < 0) {
		/* A reply type a server never takes is not malformed. */
		if (len >= 1 && (pkt[0] == TERN_DHCP6_RELAY_REPL))
			e->st.drop_not_for_server++;
		else
			e->st.drop_malformed++;
		return 0;
	}
	r->n_relays = rc;
	if (r->m.type < 14)
		e->st.by_type[r->m.type]++;
	/* RFC 9915 §16: a non-relayed query must come by multicast (the
	 * Server Unicast option is gone, as Kea 3.1.9 and dnsmasq). */
	if (!r->n_relays && !rx->multicast) {
		e->st.drop_unicast++;
		return 0;
	}
	if (!read_options(r) || !valid_for_type(r))
		return 0;
	/* Kea's classifyPacket, then its DROP check after the sanity
	 * checks. */
	e6_classify_start(r);
	if (e6_dropped(r)) {
		e->st.drop_class++;
		return 0;
	}
	/* Kea's earlyGHRLookup, its DROP check. */
	e6_early_hosts(r);
	if (e6_dropped(r)) {
		e->st.drop_class++;
		return 0;
	}
	r->subnet = select_subnet(r);
	e6_find_hosts(r);
	/* Kea's initContext: KNOWN / UNKNOWN, the second pass, DROP. */
	e6_classify_host(r);
	if (e6_dropped(r)) {
		e->st.drop_class++;
		return 0;
	}
	/* Rapid commit only when asked and enabled for the subnet
	 * (§18.3.1, spec A1.9 #8). */
	r->commit = r->m.type != TERN_DHCP6_SOLICIT ||
		    (r->rapid_commit && r->subnet &&
		     r->subnet->params.rapid_commit);
	tern_dhcp6_writer_init(&w, out, cap);
	for (int i = 0; i < r->n_relays; i++)
		tern_dhcp6_begin_relay_reply(&w, &r->relays[i]);
	tern_dhcp6_write_header(&w, reply_type(r), r->m.xid);
	body = w.pos;
	if (!answer(r, &w)) {
		/* Nothing was committed for an unanswered request. */
		return 0;
	}
	/* Last, so the server's own options win (RFC 6422 §6). */
	e6_put_rsoo(r, &w, body);
	if (!w.err && w.depth == r->n_relays && w.pos >= body)
		e6_sort_options(out + body, w.pos - body);
	rc = tern_dhcp6_writer_finish(&w);
	if (rc < 0 || r->no_room) {
		e->st.drop_no_room++;
		return 0;
	}
	memset(ret_tx, 0, sizeof(*ret_tx));
	ret_tx->len = (size_t)rc;
	ret_tx->ifindex = rx->ifindex;
	ret_tx->dst = rx->src;
	ret_tx->dst_port = r->n_relays ? relay_port(r) : TERN_DHCP6_CLIENT_PORT;
	*ret_n = r->n_changes;
	e->st.replies++;
	return 1;
}
