/* ternd pool maps: one bit per pool address, so finding a free address is a
 * word scan plus ctz. */
#ifndef TERND_ALLOC_H
#define TERND_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A set bit means "not allocatable now": the address has a live lease
 * (offered, bound, declined) or is fixed (reserved for a host, the
 * subnet's network or broadcast address). A clear bit is free, possibly
 * with an expired/released record that only remembers its last client.
 * Bits past the pool's end in the last word stay set so a scan never
 * returns them.
 */
struct ternd_poolmap {
	uint32_t first; /* host order, inclusive */
	uint32_t last;	/* inclusive */
	uint64_t *bits;
	uint32_t n_words;
	uint32_t cursor; /* bit where the next search starts (round robin) */
	uint64_t n_free; /* clear bits */
};

/* Map for [first, last], all free. Returns 0, -EINVAL, -ENOMEM. */
int ternd_poolmap_init(struct ternd_poolmap *pm, uint32_t first, uint32_t last);
/* Frees the bits; accepts NULL and an unset map. */
void ternd_poolmap_fini(struct ternd_poolmap *pm);

static inline bool ternd_poolmap_has(const struct ternd_poolmap *pm,
				     uint32_t addr)
{
	return addr >= pm->first && addr <= pm->last;
}

static inline bool ternd_poolmap_test(const struct ternd_poolmap *pm,
				      uint32_t addr)
{
	uint32_t i = addr - pm->first;

	return (pm->bits[i >> 6] >> (i & 63)) & 1;
}

/* Mark addr (inside the pool) busy / free. */
void ternd_poolmap_set(struct ternd_poolmap *pm, uint32_t addr);
void ternd_poolmap_clear(struct ternd_poolmap *pm, uint32_t addr);

/*
 * A free address, searching round robin from after the last one found:
 * allocations walk the whole pool before coming back to an address freed
 * meanwhile, which keeps its last client's affinity alive longest. Does
 * not mark it. Returns 0 with *ret, or -ENOSPC.
 */
int ternd_poolmap_find(struct ternd_poolmap *pm, uint32_t *ret);

#endif
