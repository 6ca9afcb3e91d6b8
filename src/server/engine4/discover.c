/* ternd engine: DISCOVER (RFC 2131 §4.3.1): which address to offer. */
#include <errno.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/* A bound lease offered again: nothing changes until a REQUEST. Kea
 * renews it in a fake allocation, so a lease it would reuse (reuse.c) is
 * offered with the lifetime it has left. */
static int reoffer(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		   struct ternd_rec *r)
{
	const struct ternd_params *pp = &e->subs[r->sub].s->params;
	uint32_t valid = e4_lease_time(e, q, pp), left = 0;
	struct ternd_rec now = *r;

	if (r->stored == TERND_LEASE_BOUND) {
		now.l.valid_lifetime = valid;
		now.l.cltt = q->now;
		e4_name_set(e, q, &now, e4_res_for(e, q, r->sub));
		e4_extinfo_set(e, q, &now.l);
		if (!e4_lease_changed(e, q, &r->l, &now.l))
			left = e4_reuse_left(pp, &r->l, valid, q->now);
	}
	return e4_reply_lease(e, q, tx, TERN_DHCP4_OFFER, r,
			      left ? left : valid);
}

static int new_offer(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		     uint32_t si, uint32_t addr)
{
	struct ternd_rec *r = e4_claim(e, q, si, addr, NULL);
	uint32_t valid = e4_lease_time(e, q, &e->subs[si].s->params);

	/* Remember the client's own expired/released row, so a lapsed
	 * offer leaves it as it was. */
	if (affinity(r->l.state))
		r->prev = r->l.state;
	r->l.valid_lifetime = valid;
	e4_name_set(e, q, r, e4_res_for(e, q, si));
	e4_set_state(e, r, TERND_LEASE_OFFERED, q->now + e->offer_lifetime);
	return e4_reply_lease(e, q, tx, TERN_DHCP4_OFFER, r, valid);
}

static int offer(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		 uint32_t si, uint32_t addr)
{
	struct ternd_rec *at = ternd_leases_by_addr(&e->lt, addr);

	if (at && at->l.state == TERND_LEASE_BOUND && is_client(e, q, at))
		return reoffer(e, q, tx, at);
	return new_offer(e, q, tx, si, addr);
}

/*
 * RFC 2131 §4.3.1 lets a server give an offered address to another client
 * when the first has not come back for it. With every pool full, the
 * oldest open offer within a bounded window of each pool goes to the new
 * client, so a burst (or a flood) of DISCOVERs cannot lock a pool for the
 * whole offer lifetime; the window keeps each attempt O(1).
 */
#define STEAL_WINDOW 1024

static bool steal_offer(struct ternd_engine *e, const struct req *q,
			uint32_t *ret_si, uint32_t *ret_addr)
{
	struct ternd_rec *best = NULL;
	uint32_t best_si = 0, addr;

	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		uint32_t si = cand(e, q, i);
		struct esub *es = &e->subs[si];

		if (!e4_sub_allows(e, q, si)) /* client-class */
			continue;
		for (size_t k = 0; k < es->n_pools; k++) {
			struct ternd_poolmap *pm = &es->pools[k];
			uint64_t span = (uint64_t)pm->last - pm->first + 1;
			uint64_t n = span < STEAL_WINDOW ? span : STEAL_WINDOW;
			uint64_t start = pm->cursor % span;

			if (!e4_class_allows(q, &es->s->pools[k].cls))
				continue;
			for (uint64_t j = 0; j < n; j++) {
				struct ternd_rec *r = ternd_leases_by_addr(
					&e->lt,
					pm->first +
						(uint32_t)((start + j) % span));

				if (r && r->l.state == TERND_LEASE_OFFERED &&
				    !is_client(e, q, r) &&
				    (!best || r->l.expire < best->l.expire)) {
					best = r;
					best_si = si;
				}
			}
			/* The next attempt looks at the next window. */
			pm->cursor = (uint32_t)((start + n) % span);
		}
	}
	if (!best)
		return false;
	addr = best->l.addr;
	e4_lapse_offer(e, best);
	e->st.offers_reused++;
	*ret_si = best_si;
	*ret_addr = addr;
	return true;
}

/*
 * Kea's order (AllocEngine::discoverLease4): the client's reserved
 * address, unless another client holds it; its current (or last) address,
 * while that is still in a pool and not reserved for someone else; the
 * address it asks for, on the same terms; a free pool address, starting
 * from its shared network's most recently used subnet. ternd adds a last
 * resort: the oldest unanswered offer when every pool is full.
 */
int e4_do_discover(struct ternd_engine *e, struct req *q, struct ternd_tx *tx)
{
	struct ternd_rec *own = own_rec(e, q);
	const struct ternd_reservation *res;
	uint32_t si, addr, cur = q->sel;
	int32_t rsi;

	if (ternd_leases_reserve(&e->lt, 1) < 0)
		return drop(e, TERND_DROP_EXHAUSTED, -ENOMEM);
	/* 1. Its reserved address. */
	if ((res = e4_addr_res(e, q, &si))) {
		if (own && own->l.addr == res->addr)
			return offer(e, q, tx, own->sub, own->l.addr);
		if (e4_free_for(e, q, res->addr))
			return offer(e, q, tx, si, res->addr);
	}
	/* Its classes no longer let it have that address (Kea: a lease
	 * outside the pools it may use is not renewed). */
	if (own && !e4_addr_allowed(e, q, own->sub, own->l.addr))
		own = NULL;
	/* 2. What the client has or had. */
	if (own) {
		uint32_t osi = own->sub;

		cur = osi;
		if (own->l.state == TERND_LEASE_OFFERED ||
		    (own->l.state == TERND_LEASE_BOUND &&
		     gated(e, own->l.addr)) ||
		    e4_allocatable(e, q, osi, own->l.addr))
			return offer(e, q, tx, osi, own->l.addr);
		/* Its old address is reserved for someone else now, or out
		 * of the pools (a reload): forget it; the store's stale row
		 * is replaced when the address is leased again. An address
		 * merely closed by the mesh gate keeps its record: the block
		 * may come back. */
		if (!gated(e, own->l.addr))
			e4_drop_rec(e, own);
	}
	/* 3. The address it asks for, when it may have it. */
	rsi = q->reqip ? sub_for_addr(e, q->reqip) : -1;
	if (in_cands(e, q, rsi) && e4_free_for(e, q, q->reqip) &&
	    e4_addr_allowed(e, q, (uint32_t)rsi, q->reqip) &&
	    e4_allocatable(e, q, (uint32_t)rsi, q->reqip))
		return offer(e, q, tx, (uint32_t)rsi, q->reqip);
	/* 4. Any free pool address; 5. else the oldest unanswered offer. */
	if (e4_pool_addr(e, q, cur, &si, &addr) ||
	    steal_offer(e, q, &si, &addr))
		return offer(e, q, tx, si, addr);
	return drop(e, TERND_DROP_EXHAUSTED, -ENOSPC);
}
