/* ternd engine: Kea's allocation-failure statistics, counted when a
 * DISCOVER finds no address (AllocEngine::allocateUnreservedLease4). */
#include "server/engine4/internal.h"

/*
 * Kea counts one of shared-network or subnet (is the client's subnet in a
 * shared network), one of the plain failure or no-pools (no pool of the
 * candidate subnets was open to the client: none there, or none its
 * classes allow), and -classes whenever the query has a class, which in
 * Kea is always (every packet is in ALL).
 */
void e4_count_alloc_fail(struct ternd_engine *e, const struct req *q)
{
	struct ternd_subnet_stats *ss = &e->sst[q->sel];
	bool pools = false;

	for (uint32_t i = 0; i < n_cands(e, q) && !pools; i++) {
		uint32_t si = cand(e, q, i);
		const struct esub *es = &e->subs[si];

		if (!e4_sub_allows(e, q, si))
			continue;
		for (size_t k = 0; k < es->n_pools && !pools; k++)
			pools = e4_class_allows(q, &es->s->pools[k].cls);
	}
	ss->alloc_fail[e->subs[q->sel].s->network_of ? TERND_AF_SHARED_NETWORK
						     : TERND_AF_SUBNET]++;
	ss->alloc_fail[pools ? TERND_AF_ANY : TERND_AF_NO_POOLS]++;
	ss->alloc_fail[TERND_AF_CLASSES]++;
}
