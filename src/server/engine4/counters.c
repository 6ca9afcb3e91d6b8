/* ternd engine: Kea's allocation-failure statistics, counted when a
 * DISCOVER finds no address (AllocEngine::allocateUnreservedLease4). */
#include "server/engine4/internal.h"

/*
 * Kea counts one of shared-network or subnet (is the client's subnet in a
 * shared network), and one of the plain failure or no-pools (no candidate
 * subnet had a pool to try). v4-allocation-fail-classes needs client
 * classes: it stays 0 until the engine assigns them (docs/classify.md).
 */
void e4_count_alloc_fail(struct ternd_engine *e, const struct req *q)
{
	struct ternd_subnet_stats *ss = &e->sst[q->sel];
	bool pools = false;

	for (uint32_t i = 0; i < n_cands(e, q); i++)
		pools = pools || e->subs[cand(e, q, i)].n_pools > 0;
	ss->alloc_fail[e->subs[q->sel].s->network_of ? TERND_AF_SHARED_NETWORK
						     : TERND_AF_SUBNET]++;
	ss->alloc_fail[pools ? TERND_AF_ANY : TERND_AF_NO_POOLS]++;
}
