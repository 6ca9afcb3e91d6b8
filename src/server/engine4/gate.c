/* ternd engine: the mesh gate: which pool addresses are ours to hand out,
 * and the block owner's verdict on one request. */
#include <errno.h>
#include <stdlib.h>

#include "server/engine4/internal.h"

int ternd_engine_gate(struct ternd_engine *e, uint32_t first, uint32_t last)
{
	uint64_t n;

	if (!e || e->gate || last < first)
		return -EINVAL;
	n = (uint64_t)last - first + 1;
	if (n > MAX_POOL_ADDRS)
		return -E2BIG;
	e->gate = calloc((size_t)((n + 63) / 64), sizeof(*e->gate));
	if (!e->gate)
		return -ENOMEM;
	e->gate_first = first;
	e->gate_last = last;
	/* Everything starts closed: no pool address in the range is free. */
	for (uint32_t i = 0; i < e->n_subs; i++) {
		struct esub *es = &e->subs[i];

		for (size_t k = 0; k < es->n_pools; k++) {
			struct ternd_poolmap *pm = &es->pools[k];
			uint32_t a = pm->first > first ? pm->first : first;
			uint32_t z = pm->last < last ? pm->last : last;

			for (uint64_t x = a; a <= z && x <= z; x++)
				ternd_poolmap_set(pm, (uint32_t)x);
		}
	}
	return 0;
}

int ternd_engine_gate_set(struct ternd_engine *e, uint32_t first, uint32_t last,
			  bool open)
{
	if (!e->gate || first < e->gate_first || last > e->gate_last ||
	    last < first)
		return -EINVAL;
	for (uint64_t x = first; x <= last; x++) {
		uint32_t addr = (uint32_t)x, i = addr - e->gate_first;
		int32_t si = sub_for_addr(e, addr);
		struct ternd_poolmap *pm =
			si < 0 ? NULL : pool_of(&e->subs[si], addr);
		const struct ternd_rec *r;

		if (open)
			e->gate[i >> 6] |= UINT64_C(1) << (i & 63);
		else
			e->gate[i >> 6] &= ~(UINT64_C(1) << (i & 63));
		if (!pm)
			continue;
		r = ternd_leases_by_addr(&e->lt, addr);
		if (!open)
			ternd_poolmap_set(pm, addr);
		else if (!(r && live(r->l.state)) && !fixed(&e->subs[si], addr))
			ternd_poolmap_clear(pm, addr);
	}
	return 0;
}

void ternd_engine_grant(struct ternd_engine *e, uint32_t addr)
{
	e->grant = addr;
}

void ternd_engine_deny(struct ternd_engine *e, uint32_t addr)
{
	e->deny = addr;
}

void ternd_engine_usage(const struct ternd_engine *e, uint32_t first,
			uint32_t n, uint32_t *ret_free, uint32_t *ret_leased)
{
	uint32_t f = 0, l = 0;

	for (uint64_t x = first; x < (uint64_t)first + n; x++) {
		uint32_t addr = (uint32_t)x;
		int32_t si = sub_for_addr(e, addr);
		const struct ternd_rec *r;

		if (si < 0)
			continue;
		r = ternd_leases_by_addr(&e->lt, addr);
		if (r && live(r->l.state))
			l++;
		else if (pool_of(&e->subs[si], addr) &&
			 !fixed(&e->subs[si], addr))
			f++;
	}
	*ret_free = f;
	*ret_leased = l;
}
