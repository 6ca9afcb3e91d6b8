/* ternd DHCPv6 engine: Kea's allocation-failure statistics, counted when an
 * IA gets no lease from the pools (AllocEngine::allocateUnreservedLeases6,
 * Kea 2.2). */
#include "server/engine6/internal6.h"

/*
 * Kea counts one of -shared-network or -subnet (is the client's subnet in
 * a shared network: a Dhcp6 ternd has none yet), one of the plain failure
 * or -no-pools (no pool of the IA's type was there to try), and -classes
 * whenever the query has a class, which in Kea is always (every packet is
 * in ALL). SOLICIT counts as REQUEST does: Kea runs the same allocation.
 */
void e6_count_alloc_fail(struct e6_req *r, uint8_t type)
{
	const struct ternd_subnet6 *s = r->subnet;
	struct ternd_engine6_subnet_stats *ss;
	bool pools;

	if (!s)
		return;
	ss = &r->e->sst[s - r->e->c6->subnets];
	pools = type == TERND_LEASE6_PD ? s->n_pd_pools > 0 : s->n_pools > 0;
	ss->alloc_fail[TERND_AF6_SUBNET]++;
	ss->alloc_fail[pools ? TERND_AF6_ANY : TERND_AF6_NO_POOLS]++;
	ss->alloc_fail[TERND_AF6_CLASSES]++;
}
