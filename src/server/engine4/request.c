/* ternd engine: REQUEST (RFC 2131 §4.3.2): SELECTING, INIT-REBOOT, RENEWING
 * and REBINDING, answered with ACK, NAK or silence. */
#include <arpa/inet.h>
#include <errno.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

enum verdict {
	V_MINE,	     /* the client's record: offered, bound or its affinity */
	V_FREE,	     /* nobody's, and the client may have it */
	V_TAKEN,     /* another client's live lease (or declined) */
	V_UNALLOC,   /* in our subnets but not for this client */
	V_ELSEWHERE, /* not in the client's subnets */
};

static enum verdict judge(struct ternd_engine *e, struct req *q, uint32_t addr,
			  uint32_t *ret_si)
{
	int32_t si = sub_for_addr(e, addr);
	struct ternd_rec *at;
	bool ok;

	if (!in_cands(e, q, si))
		return V_ELSEWHERE;
	*ret_si = (uint32_t)si;
	if (e->deny && addr == e->deny)
		return V_TAKEN;
	at = ternd_leases_by_addr(&e->lt, addr);
	if (at && !is_client(e, q, at) && live(at->l.state))
		return V_TAKEN;
	ok = e4_allocatable(e, (uint32_t)si, addr,
			    e4_res_for(e, q, (uint32_t)si));
	/* Its classes must let it use the subnet and the pool (Kea). */
	if (!e4_addr_allowed(e, q, (uint32_t)si, addr))
		return V_UNALLOC;
	if (at && is_client(e, q, at))
		/* Offered or bound stays good; an old affinity only while
		 * nobody reserved the address meanwhile. */
		return affinity(at->l.state) && !ok ? V_UNALLOC : V_MINE;
	return ok ? V_FREE : V_UNALLOC;
}

static int ack(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
	       uint32_t si, uint32_t addr)
{
	const struct ternd_reservation *res;
	struct ternd_lease old;
	struct ternd_rec *r;
	size_t c0 = q->chg.n;
	uint32_t valid;
	bool bound;

	if (ternd_leases_reserve(&e->lt, 1) < 0)
		return drop(e, TERND_DROP_EXHAUSTED, -ENOMEM);
	if (q->chg.max - q->chg.n <
	    1 + e4_stale_rows(e, q, addr) + e4_ddns_room(e))
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	res = e4_res_for(e, q, si);
	r = e4_claim(e, q, si, addr, &q->chg);
	old = r->l;
	bound = r->l.state == TERND_LEASE_BOUND;
	valid = e4_lease_time(e, q, &e->subs[si].s->params);
	r->prev = TERND_LEASE_FREE;
	r->emit = false;
	r->l.valid_lifetime = valid;
	r->l.cltt = q->now;
	e4_name_set(e, q, r, res);
	e4_set_state(e, r, TERND_LEASE_BOUND, q->now + (int64_t)valid);
	r->stored = TERND_LEASE_BOUND;
	emit(&q->chg, TERND_CHANGE_UPSERT, r);
	e4_ddns_bound(e, &q->chg, c0, r, &old, bound);
	return e4_reply_lease(e, q, tx, TERN_DHCP4_ACK, r, valid);
}

static int silent(struct ternd_engine *e)
{
	return drop(e, TERND_DROP_SILENT, 0);
}

/*
 * Whether the request reached us unicast (RENEWING) rather than broadcast
 * (REBINDING). Without the destination address, a relayed request was a
 * broadcast (relays forward broadcasts; a renewing client unicasts to us
 * directly).
 */
static bool unicast(const struct ternd_engine *e, const struct req *q)
{
	uint32_t d = q->rx->dst_addr;

	if (d)
		return d != INADDR_BROADCAST && d != e->subs[q->sel].bcast;
	return q->giaddr == 0;
}

int e4_do_request(struct ternd_engine *e, struct req *q, struct ternd_tx *tx)
{
	const struct ternd_params *pp = &e->subs[q->sel].s->params;
	struct ternd_rec *own;
	enum verdict v;
	uint32_t si = 0, addr;

	if (q->has_sid) {
		/* SELECTING. */
		if (!sid_ours(e, q)) {
			/* The client took another server's offer. */
			own = own_rec(e, q);
			if (own && own->l.state == TERND_LEASE_OFFERED)
				e4_lapse_offer(e, own);
			return drop(e, TERND_DROP_NOT_OURS, 0);
		}
		addr = q->reqip ? q->reqip : q->ciaddr;
		v = addr ? judge(e, q, addr, &si) : V_ELSEWHERE;
		if (v == V_MINE || v == V_FREE)
			return ack(e, q, tx, si, addr);
		return e4_reply_nak(e, q, tx,
				    "requested address not available");
	}
	if (!q->ciaddr) {
		/* INIT-REBOOT. */
		if (!q->reqip)
			return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
		v = judge(e, q, q->reqip, &si);
		own = own_rec(e, q);
		if (v == V_FREE && own && own->l.state == TERND_LEASE_BOUND)
			/* RFC 2131 §4.3.2: its notion of its address is
			 * wrong; it holds another one with us. */
			return e4_reply_nak(e, q, tx,
					    "client has another lease");
		switch (v) {
		case V_MINE:
		case V_FREE:
			return ack(e, q, tx, si, q->reqip);
		case V_TAKEN:
			return e4_reply_nak(e, q, tx, "address in use");
		case V_ELSEWHERE:
			if (pp->authoritative)
				return e4_reply_nak(e, q, tx, "wrong network");
			return silent(e);
		default:
			if (pp->authoritative)
				return e4_reply_nak(e, q, tx,
						    "address not available");
			return silent(e);
		}
	}
	/* RENEWING (unicast) or REBINDING (broadcast). */
	v = judge(e, q, q->ciaddr, &si);
	own = own_rec(e, q);
	if (v == V_FREE && own && own->l.state == TERND_LEASE_BOUND)
		return e4_reply_nak(e, q, tx, "client has another lease");
	switch (v) {
	case V_MINE:
	case V_FREE:
		return ack(e, q, tx, si, q->ciaddr);
	case V_TAKEN:
		return e4_reply_nak(e, q, tx, "address in use");
	default:
		if (unicast(e, q) && pp->authoritative)
			return e4_reply_nak(e, q, tx, "address not available");
		return silent(e);
	}
}
