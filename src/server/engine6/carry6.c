/* ternd DHCPv6 engine: what a reconfigured engine takes over from the one
 * it replaces (reload6.c): every binding, and the packet counters. */
#include <errno.h>

#include "server/engine6/internal6.h"

/*
 * Every binding is kept, whatever the new configuration says of it: one
 * whose subnet is gone (or whose address left its pools) stays in the
 * table with its client until it ends and is reclaimed as any other, so
 * its address or prefix is given to no one else meanwhile and a subnet put
 * back finds it again. DHCPv6 has no open offer to carry: an ADVERTISE
 * writes nothing (a client's REQUEST is allocated afresh, its hint first).
 */
int ternd_engine6_carry(struct ternd_engine6 *to,
			const struct ternd_engine6 *from)
{
	struct ternd_engine6_stats g;

	if (!to || !from || to == from)
		return -EINVAL;
	if (to->cap - to->n < from->n)
		return -ENOSPC;
	for (size_t i = 0; i < from->cap; i++) {
		const struct e6_slot *s = &from->slots[i];
		int r;

		if (!s->used)
			continue;
		r = ternd_engine6_restore(to, &s->l);
		if (r < 0)
			return r; /* cannot happen: room checked above */
	}
	/* Counters run on, as Kea's pkt6-*; the gauges are the new
	 * engine's own, counted as the bindings came in; the subnets'
	 * counters start again with the new subnets (Kea recreates them). */
	g = to->st;
	to->st = from->st;
	to->st.na_assigned = g.na_assigned;
	to->st.pd_assigned = g.pd_assigned;
	to->st.declined = g.declined;
	return 0;
}
