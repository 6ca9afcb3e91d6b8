/* ternd engine: REQUEST (RFC 2131 §4.3.2): SELECTING, INIT-REBOOT, RENEWING
 * and REBINDING, answered with ACK, NAK or silence as kea-dhcp4 2.2 does
 * (Dhcpv4Srv::assignLease, AllocEngine::requestLease4). */
#include <arpa/inet.h>
#include <errno.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

enum verdict {
	V_OK,	   /* ACK (si, addr) */
	V_NAK,	   /* the address cannot be the client's */
	V_UNKNOWN, /* not a pool address of ours: NAK or silence */
};

/*
 * The client's lease is young enough to be reused (reuse.c): it stays as
 * it is, nothing goes to the store, and the ACK carries the lifetime it
 * has left (T1/T2 from that, as Kea's setTeeTimes). Its name is sent
 * again only with ddns-update-on-renew, as a fact for the daemon.
 */
static int reuse(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		 struct ternd_rec *r, const struct ternd_lease *old, size_t c0,
		 uint32_t left)
{
	const struct ternd_ddns_params *dp = &e->subs[r->sub].s->params.ddns;

	r->l = *old;
	q->reused = true;
	if (e->cfg->ddns.enable_updates && dp->send_updates &&
	    dp->update_on_renew && q->chg.n < q->chg.max) {
		struct ternd_change *c = &q->chg.v[q->chg.n++];

		c->op = TERND_CHANGE_NONE;
		c->ncr = TERND_NCR_NONE;
		c->lease = r->l;
		e4_ddns_bound(e, &q->chg, c0, r, old, true);
	}
	return e4_reply_lease(e, q, tx, TERN_DHCP4_ACK, r, left);
}

static int ack(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
	       uint32_t si, uint32_t addr)
{
	struct ternd_lease old;
	struct ternd_rec *r;
	size_t c0 = q->chg.n;
	uint32_t valid, left;
	uint8_t prev;
	bool bound;

	if (ternd_leases_reserve(&e->lt, 1) < 0)
		return drop(e, TERND_DROP_EXHAUSTED, -ENOMEM);
	if (q->chg.max - q->chg.n <
	    1 + e4_stale_rows(e, q, addr) + e4_ddns_room(e))
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	r = e4_claim(e, q, si, addr, &q->chg);
	old = r->l;
	prev = r->prev;
	bound = r->l.state == TERND_LEASE_BOUND;
	valid = e4_lease_time(e, q, &e->subs[si].s->params);
	r->prev = TERND_LEASE_FREE;
	r->emit = false;
	r->l.valid_lifetime = valid;
	r->l.cltt = q->now;
	e4_name_set(e, q, r, e4_res_for(e, q, si));
	/* Kea deletes a released lease: what comes back (offered again or
	 * not) starts afresh; an expired one keeps its extended info. */
	if (old.state == TERND_LEASE_RELEASED ||
	    (old.state == TERND_LEASE_OFFERED && prev == TERND_LEASE_RELEASED))
		r->l.rai_len = 0;
	e4_extinfo_set(e, q, &r->l);
	if (bound && r->stored == TERND_LEASE_BOUND &&
	    !e4_lease_changed(e, q, &old, &r->l) &&
	    (left = e4_reuse_left(&e->subs[si].s->params, &old, valid, q->now)))
		return reuse(e, q, tx, r, &old, c0, left);
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

/* Someone else's lease (or a declined address) is at addr. */
static bool in_use(const struct ternd_engine *e, const struct req *q,
		   uint32_t addr)
{
	if (e->deny && addr == e->deny)
		return true;
	return !e4_free_for(e, q, addr);
}

/*
 * Whether the client may have hint, and in which subnet:
 * AllocEngine::requestLease4 in ternd's terms.
 */
static enum verdict judge(struct ternd_engine *e, struct req *q,
			  struct ternd_rec *own, uint32_t hint,
			  uint32_t *ret_si, uint32_t *ret_addr)
{
	const struct ternd_reservation *res;
	const struct ternd_rec *at;
	uint32_t rsi = 0;
	int32_t si = sub_for_addr(e, hint), psi;
	bool mine;

	if (!in_cands(e, q, si))
		si = -1;
	/* Kea's inAllowedPool: in a pool of one of the client's subnets,
	 * which its classes let it use (subnet, network and pool). */
	psi = si >= 0 && pool_of(&e->subs[si], hint) &&
			      e4_sub_allows(e, q, (uint32_t)si) &&
			      e4_pool_allows(e, q, (uint32_t)si, hint)
		      ? si
		      : -1;
	res = e4_addr_res(e, q, &rsi);
	mine = res && res->addr == hint;
	/* Reserved for another client in its subnet, or held by one: no. */
	if (si >= 0 && e4_reserved_other(e, q, (uint32_t)si, hint))
		return V_NAK;
	if (in_use(e, q, hint))
		return V_NAK;
	/* Asking for another address than its reserved one, which is free:
	 * it should come back through DISCOVER. */
	if (res && !mine &&
	    (!(at = ternd_leases_by_addr(&e->lt, res->addr)) ||
	     (at->l.state != TERND_LEASE_BOUND &&
	      at->l.state != TERND_LEASE_DECLINED)))
		return V_NAK;
	/* Only a reserved address may be outside the pools. An address in
	 * a pool the client's classes do not allow is known, and NAKed
	 * (Kea's unknown_requested_addr_ then inPool without classes). */
	if (!mine && psi < 0)
		return si >= 0 && pool_of(&e->subs[si], hint) ? V_NAK
							      : V_UNKNOWN;
	/* Its own lease: renewed. */
	if (own && own->l.addr == hint) {
		*ret_si = own->sub;
		*ret_addr = hint;
		return V_OK;
	}
	si = mine ? (int32_t)rsi : psi;
	/* Closed by the mesh gate: another node's to lease. */
	if (!e4_allocatable(e, q, (uint32_t)si, hint))
		return V_NAK;
	*ret_si = (uint32_t)si;
	*ret_addr = hint;
	return V_OK;
}

int e4_do_request(struct ternd_engine *e, struct req *q, struct ternd_tx *tx)
{
	const struct ternd_params *pp = &e->subs[q->sel].s->params;
	struct ternd_rec *own = own_rec(e, q);
	uint32_t hint = q->reqip ? q->reqip : q->ciaddr, si = 0, addr = 0;
	enum verdict v;

	if (q->has_sid && !sid_ours(e, q)) {
		/* SELECTING another server's offer. */
		if (own && own->l.state == TERND_LEASE_OFFERED)
			e4_lapse_offer(e, own);
		return drop(e, TERND_DROP_NOT_OURS, 0);
	}
	/* Neither option 50 nor ciaddr: no client state sends that
	 * (RFC 2131 §4.3.2); Kea would allocate anything, ternd drops it
	 * (docs/kea-differences.md). */
	if (!hint)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	if (!q->has_sid && q->reqip) {
		/* INIT-REBOOT: a client we know of (a lease, current or
		 * past, in its network) is told whether its address is
		 * right; one we do not know of is NAKed only when we are
		 * authoritative (RFC 2131 §4.3.2: else silence). ternd's
		 * offers hold their address like a lease, and in mesh mode
		 * the address's owner may have granted it. */
		bool granted = e->grant && e->grant == q->reqip;

		if (!own && !granted && !pp->authoritative)
			return silent(e);
		if ((!own && !granted) || (own && own->l.addr != q->reqip))
			return e4_reply_nak(e, q, tx,
					    own ? "client has another lease"
						: "unknown client");
	}
	v = judge(e, q, own, hint, &si, &addr);
	if (v == V_OK)
		return ack(e, q, tx, si, addr);
	/* An address in none of the network's pools gets silence (Kea:
	 * not ours to judge). */
	if (v == V_UNKNOWN)
		return silent(e);
	return e4_reply_nak(e, q, tx, "requested address not available");
}
