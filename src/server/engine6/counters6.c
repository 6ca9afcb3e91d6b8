/* ternd DHCPv6 engine: Kea's allocation-failure statistics, counted when an
 * IA gets no lease from the pools (AllocEngine::allocateUnreservedLeases6,
 * Kea 2.2). */
#include "server/engine6/internal6.h"

/* Whether s has a pool of the lease type the request may use (Kea's
 * getPoolCapacity(type, classes) > 0). */
static bool usable_pool(const struct e6_req *r, const struct ternd_subnet6 *s,
			uint8_t type)
{
	if (type == TERND_LEASE6_PD) {
		for (size_t p = 0; p < s->n_pd_pools; p++)
			if (e6_allows(r, &s->pd_pools[p].cls))
				return true;
		return false;
	}
	for (size_t p = 0; p < s->n_pools; p++)
		if (e6_allows(r, &s->pools[p].cls))
			return true;
	return false;
}

/*
 * at is the subnet the allocation started from (the network's preferred
 * one, Kea's ctx.subnet_ after the failure): the per-subnet counts go to
 * it. Kea counts one of -shared-network (at is in a shared network) or
 * -subnet; one of the plain failure or -no-pools (no subnet of the walk,
 * the network's subnets the request may use, had a pool of the IA's type
 * for it: no address was tried); and -classes whenever the query has a
 * class, which in Kea is always (every packet is in ALL). SOLICIT counts
 * as REQUEST does: Kea runs the same allocation.
 */
void e6_count_alloc_fail(struct e6_req *r, uint8_t type,
			 const struct ternd_subnet6 *at)
{
	struct ternd_engine6_subnet_stats *ss;
	bool tried = false;

	if (!at)
		return;
	for (const struct ternd_subnet6 *s = at; s && !tried;
	     s = e6_walk(r, at, s))
		tried = usable_pool(r, s, type);
	ss = &r->e->sst[at - r->e->c6->subnets];
	ss->alloc_fail[at->network ? TERND_AF6_SHARED_NETWORK
				   : TERND_AF6_SUBNET]++;
	ss->alloc_fail[tried ? TERND_AF6_ANY : TERND_AF6_NO_POOLS]++;
	ss->alloc_fail[TERND_AF6_CLASSES]++;
}
