/* ternd pool maps: per-pool free-address bitmaps with a rolling cursor. */
#include "server/engine4/alloc.h"

#include <errno.h>
#include <stdlib.h>

int ternd_poolmap_init(struct ternd_poolmap *pm, uint32_t first, uint32_t last)
{
	uint64_t size;
	uint32_t tail;

	if (!pm || last < first)
		return -EINVAL;
	size = (uint64_t)last - first + 1;
	pm->first = first;
	pm->last = last;
	pm->n_words = (uint32_t)((size + 63) / 64);
	pm->cursor = 0;
	pm->n_free = size;
	pm->bits = calloc(pm->n_words, sizeof(*pm->bits));
	if (!pm->bits)
		return -ENOMEM;
	/* Bits past the end are permanently busy. */
	tail = (uint32_t)(size & 63);
	if (tail)
		pm->bits[pm->n_words - 1] = ~UINT64_C(0) << tail;
	return 0;
}

void ternd_poolmap_fini(struct ternd_poolmap *pm)
{
	if (!pm)
		return;
	free(pm->bits);
	pm->bits = NULL;
	pm->n_words = 0;
	pm->n_free = 0;
}

void ternd_poolmap_set(struct ternd_poolmap *pm, uint32_t addr)
{
	uint32_t i = addr - pm->first;
	uint64_t b = UINT64_C(1) << (i & 63);

	if (!(pm->bits[i >> 6] & b)) {
		pm->bits[i >> 6] |= b;
		pm->n_free--;
	}
}

void ternd_poolmap_clear(struct ternd_poolmap *pm, uint32_t addr)
{
	uint32_t i = addr - pm->first;
	uint64_t b = UINT64_C(1) << (i & 63);

	if (pm->bits[i >> 6] & b) {
		pm->bits[i >> 6] &= ~b;
		pm->n_free++;
	}
}

int ternd_poolmap_find(struct ternd_poolmap *pm, uint32_t *ret)
{
	uint32_t w = pm->cursor >> 6;
	/* First word: only bits at or after the cursor; the bits below it
	 * are looked at last, after a full turn. */
	uint64_t v = ~pm->bits[w] & (~UINT64_C(0) << (pm->cursor & 63));
	uint32_t bit;

	if (pm->n_free == 0)
		return -ENOSPC;
	/* n_free > 0 guarantees a clear bit within one turn plus a word. */
	for (uint32_t k = 0; k <= pm->n_words; k++) {
		if (v)
			goto found;
		if (++w == pm->n_words)
			w = 0;
		v = ~pm->bits[w];
	}
	return -ENOSPC;
found:
	bit = w * 64u + (uint32_t)__builtin_ctzll(v);
	*ret = pm->first + bit;
	/* Round robin: the next search starts after this address. */
	pm->cursor = bit + 1 < pm->n_words * 64u ? bit + 1 : 0;
	return 0;
}
