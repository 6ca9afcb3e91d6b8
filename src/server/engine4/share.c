/* ternd engine: where a server sharing its lease database starts to look. */
#include <errno.h>

#include "server/engine4/internal.h"

/*
 * Servers on one database would all pick the same "next" address and
 * lose most races to each other. Server index of n instead starts each
 * pool's round-robin search at the index-th n-th of the pool: each works
 * its own part first and walks on into the others' only when its part
 * is taken (the database still decides every claim).
 */
int ternd_engine_share_pools(struct ternd_engine *e, uint32_t index, uint32_t n)
{
	if (!e || n == 0 || index >= n)
		return -EINVAL;
	for (uint32_t s = 0; s < e->n_subs; s++) {
		for (size_t p = 0; p < e->subs[s].n_pools; p++) {
			struct ternd_poolmap *pm = &e->subs[s].pools[p];
			uint64_t size = (uint64_t)pm->last - pm->first + 1;

			pm->cursor = (uint32_t)(size * index / n);
		}
	}
	return 0;
}
