/* ternd on a PostgreSQL lease store: opening it, races lost to other
 * servers, news of the connection (daemon.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "common/log.h"
#include "server/pgdb.h"
#include "server/pgstore.h"
#include "server/store/postgresql.h"

struct ternd_races {
	struct ternd_committer_lost *v; /* TERND_COMMITTER_LOST_MAX */
	size_t n;
	uint64_t dropped;
	uint64_t taken;
	/* The store's connection counters as last logged (pgdb.c). */
	struct ternd_pgdb_watch watch;
};

int ternd_pgstore_open(const struct ternd_config *cfg, struct ternd_engine *e,
		       const struct ternd_store_ops **ret_ops,
		       struct ternd_store **ret, struct ternd_races **ret_races)
{
	const struct ternd_pg_config *pg = &cfg->store_pg;
	struct ternd_pg_retry retry = ternd_pgdb_retry(cfg);
	const struct ternd_store_ops *ops = ternd_store_backend("postgresql");
	int r;

	if (!ops || !pg->conninfo)
		return -ENOSYS;
	r = ops->open(pg->conninfo, ret);
	if (r < 0) {
		ternd_pgdb_log_open_error(cfg, r);
		return r;
	}
	ternd_pg_set_retry(*ret, &retry);
	*ret_ops = ops;
	*ret_races = ternd_races_new();
	if (!*ret_races)
		return -ENOMEM;
	(*ret_races)->watch.st = *ret;
	if (pg->servers > 1)
		ternd_engine_share_pools(e, pg->server_index, pg->servers);
	ternd_pgdb_log_opened(cfg);
	return 0;
}

bool ternd_pgstore_exit_on_fail(const struct ternd_config *cfg)
{
	if (cfg->store_type != TERND_STORE_POSTGRESQL)
		return false;
	if (cfg->store_pg.on_fail == TERND_ON_FAIL_SERVE_RETRY_CONTINUE) {
		tern_log(LOG_ERR, "lease database lost for good; on-fail "
				  "serve-retry-continue: running on, no ACKs");
		return false;
	}
	tern_log(LOG_ERR, "lease database lost for good; on-fail says exit");
	return true;
}

static struct tern_ratelimit rl_races = TERN_RATELIMIT_INIT(10, 2);

struct ternd_races *ternd_races_new(void)
{
	struct ternd_races *r = calloc(1, sizeof(*r));

	if (r && !(r->v = calloc(TERND_COMMITTER_LOST_MAX, sizeof(*r->v)))) {
		free(r);
		r = NULL;
	}
	return r;
}

void ternd_races_free(struct ternd_races *r)
{
	if (!r)
		return;
	free(r->v);
	free(r);
}

static int by_addr(const void *a, const void *b)
{
	uint32_t x = ((const struct ternd_committer_lost *)a)->row.addr;
	uint32_t y = ((const struct ternd_committer_lost *)b)->row.addr;

	return x < y ? -1 : x > y;
}

size_t ternd_races_take(struct ternd_races *r, struct ternd_committer *c,
			struct ternd_engine *e, int64_t now)
{
	size_t k;

	if (!r || !c)
		return 0;
	ternd_pgdb_watch_log(&r->watch);
	k = ternd_committer_take_lost(c, r->v + r->n,
				      TERND_COMMITTER_LOST_MAX - r->n);
	for (size_t i = r->n; i < r->n + k; i++) {
		const struct ternd_committer_lost *l = &r->v[i];

		/* The row another server wrote replaces our belief. */
		if (l->have_row)
			(void)ternd_engine_restore(e, &l->row, now);
	}
	r->n += k;
	r->taken += k;
	if (k) {
		qsort(r->v, r->n, sizeof(*r->v), by_addr);
		tern_log_rl(&rl_races, LOG_INFO,
			    "%zu lease changes lost to other servers on the "
			    "shared lease database (%llu so far)",
			    k, (unsigned long long)r->taken);
	}
	return k;
}

bool ternd_races_lost(const struct ternd_races *r, const struct ternd_tx *tx,
		      uint64_t ticket)
{
	struct ternd_committer_lost key;
	const struct ternd_committer_lost *hit;
	uint32_t yiaddr;

	if (!r || !r->n || tx->len < 20)
		return false;
	/* yiaddr (RFC 2131 §2) names the lease an ACK answers. */
	yiaddr = (uint32_t)tx->buf[16] << 24 | (uint32_t)tx->buf[17] << 16 |
		 (uint32_t)tx->buf[18] << 8 | tx->buf[19];
	key.row.addr = yiaddr;
	hit = bsearch(&key, r->v, r->n, sizeof(*r->v), by_addr);
	if (!hit)
		return false;
	/* Equal addresses sit together: look at each. */
	while (hit > r->v && hit[-1].row.addr == yiaddr)
		hit--;
	for (; hit < r->v + r->n && hit->row.addr == yiaddr; hit++) {
		if (hit->ticket == ticket) {
			((struct ternd_races *)r)->dropped++;
			return true;
		}
	}
	return false;
}

void ternd_races_clear(struct ternd_races *r, uint64_t done)
{
	size_t k = 0;

	if (!r)
		return;
	/* The committer publishes a batch's lost changes one by one before
	 * its ticket is done: those of a batch not done yet wait for it. */
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].ticket > done)
			r->v[k++] = r->v[i];
	r->n = k;
}

uint64_t ternd_races_dropped(const struct ternd_races *r)
{
	return r ? r->dropped : 0;
}
