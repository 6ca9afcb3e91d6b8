/* ternd engine: the operator's changes to the lease table (lease4-add,
 * -update, -del, -wipe) and the leases as the store has them. */
#include <errno.h>
#include <string.h>

#include "server/engine4/admin.h"
#include "server/engine4/internal.h"

/* What the store has for r, into out; false when it has nothing. */
static bool stored_view(const struct ternd_rec *r, struct ternd_lease *out)
{
	if (!r->used)
		return false;
	switch (r->l.state) {
	case TERND_LEASE_BOUND:
	case TERND_LEASE_DECLINED:
	case TERND_LEASE_EXPIRED:
	case TERND_LEASE_RELEASED:
		*out = r->l;
		return true;
	case TERND_LEASE_OFFERED:
		/* The store still has the affinity row the offer was made
		 * over; the record already names the client offered to. */
		if (r->stored == TERND_LEASE_FREE)
			return false;
		*out = r->l;
		out->state = affinity(r->prev) ? r->prev : TERND_LEASE_EXPIRED;
		out->hostname[0] = '\0';
		out->fqdn_fwd = out->fqdn_rev = false;
		return true;
	default:
		return false;
	}
}

bool ternd_engine_stored(const struct ternd_engine *e, uint32_t addr,
			 struct ternd_lease *ret)
{
	const struct ternd_rec *r;

	if (!e)
		return false;
	r = ternd_leases_by_addr(&e->lt, addr);
	return r && stored_view(r, ret);
}

int ternd_engine_foreach_stored(const struct ternd_engine *e,
				int (*cb)(void *ctx,
					  const struct ternd_lease *l),
				void *ctx)
{
	struct ternd_lease l;

	if (!e || !cb)
		return -EINVAL;
	for (uint32_t i = 0; i < e->lt.hw; i++) {
		int rc;

		if (!stored_view(ternd_leases_at(&e->lt, i), &l))
			continue;
		if ((rc = cb(ctx, &l)) != 0)
			return rc;
	}
	return 0;
}

int ternd_engine_lease_check(const struct ternd_engine *e,
			     const struct ternd_lease *l)
{
	const struct esub *es;
	int32_t si;

	if (!e || !l)
		return -EINVAL;
	si = sub_by_id(e, l->subnet_id);
	if (si < 0)
		return -ENOENT;
	es = &e->subs[si];
	if ((l->addr & es->s->mask) != es->s->network)
		return -EDOM;
	if (edge_addr(es, l->addr))
		return -EADDRNOTAVAIL;
	if (!pool_of(es, l->addr) && !ternd_subnet_find_addr(es->s, l->addr))
		return -ERANGE;
	return 0;
}

int ternd_engine_lease_reserve(struct ternd_engine *e, uint32_t n)
{
	return e ? ternd_leases_reserve(&e->lt, n) : -EINVAL;
}

int ternd_engine_lease_set(struct ternd_engine *e, const struct ternd_lease *l,
			   int64_t now)
{
	struct ternd_rec *r;
	int rc;

	if ((rc = ternd_engine_lease_check(e, l)) < 0)
		return rc;
	if (l->state != TERND_LEASE_BOUND && l->state != TERND_LEASE_DECLINED &&
	    l->state != TERND_LEASE_EXPIRED && l->state != TERND_LEASE_RELEASED)
		return -EINVAL;
	/* The record there goes first, an offer included: restore files the
	 * new one as the store's row, as at start. */
	if ((r = ternd_leases_by_addr(&e->lt, l->addr)))
		e4_drop_rec(e, r);
	return ternd_engine_restore(e, l, now);
}

int ternd_engine_lease_drop(struct ternd_engine *e, uint32_t addr)
{
	struct ternd_rec *r;

	if (!e)
		return -EINVAL;
	r = ternd_leases_by_addr(&e->lt, addr);
	if (!r)
		return -ENOENT;
	e4_drop_rec(e, r);
	return 0;
}
