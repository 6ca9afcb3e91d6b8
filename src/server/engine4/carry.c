/* ternd engine: what a reconfigured engine takes over from the one it
 * replaces (reload.c has moved the leases with ternd_engine_restore). */
#include <errno.h>

#include "server/engine4/internal.h"

/*
 * An open offer, so the client's REQUEST finds it and no other client is
 * offered the address meanwhile: put back as the client's affinity record
 * (keyed as restore keys it), then turned into the offer with the old
 * record's memory of the store row and of the state a lapse returns to.
 */
static void carry_offer(struct ternd_engine *to, const struct ternd_rec *o,
			int64_t now)
{
	struct ternd_lease l = o->l;
	struct ternd_rec *r;

	if (ternd_leases_by_addr(&to->lt, l.addr))
		return; /* a lease of the new configuration is there */
	l.state = TERND_LEASE_RELEASED;
	if (ternd_engine_restore(to, &l, now) < 0)
		return; /* its subnet or pool is gone: the client starts over */
	r = ternd_leases_by_addr(&to->lt, l.addr);
	if (!r)
		return;
	r->stored = o->stored;
	r->prev = o->prev;
	e4_set_state(to, r, TERND_LEASE_OFFERED, o->l.expire);
}

int ternd_engine_carry(struct ternd_engine *to, const struct ternd_engine *from,
		       int64_t now)
{
	uint64_t bound, open;

	if (!to || !from)
		return -EINVAL;
	for (uint32_t i = 0; i < from->lt.hw; i++) {
		const struct ternd_rec *r = ternd_leases_at(&from->lt, i);

		if (r->used && r->l.state == TERND_LEASE_OFFERED &&
		    r->l.expire > now)
			carry_offer(to, r, now);
	}
	/* Counters run on across a reconfiguration, as Kea's pkt4-*; the
	 * gauges are the new engine's own, counted as its leases came in. */
	bound = to->st.leases_bound;
	open = to->st.offers_open;
	to->st = from->st;
	to->st.leases_bound = bound;
	to->st.offers_open = open;
	to->alloc_seq = from->alloc_seq;
	to->flex_fn = from->flex_fn;
	to->flex_ctx = from->flex_ctx;
	return 0;
}
