/* ternd on a PostgreSQL lease store: opening it, races lost to other
 * servers, news of the connection (daemon.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "common/log.h"
#include "server/pgdb.h"
#include "server/pgstore.h"
#include "server/stats/stats.h"
#include "server/store/postgresql.h"

/*
 * What the database durably holds, by address: filled from the engine
 * when serving starts (everything it has then came from the database)
 * and from every committed batch (the committer's on_commit, on its
 * thread), never from a change still waiting. The client is its
 * hardware address and a 64-bit hash of its client identifier.
 */
struct dent {
	uint32_t addr;
	bool used;
	uint8_t state;
	uint8_t hw_len;
	uint8_t hw[TERND_LEASE_HW_MAX];
	uint64_t cid_hash;
	int64_t expire;
};

struct dcache {
	pthread_mutex_t lock;
	struct dent *v; /* open addressing, cap a power of 2 */
	size_t cap, n;
	bool broken; /* out of memory once: answers nothing any more */
};

struct ternd_races {
	struct ternd_committer_lost *v; /* TERND_COMMITTER_LOST_MAX */
	size_t n;
	uint64_t dropped;
	uint64_t taken;
	/* The store's connection counters as last logged (pgdb.c). */
	struct ternd_pgdb_watch watch;
	bool shared; /* other servers write the database too */
	uint64_t withheld, from_store;
	struct dcache dc;
};

static uint64_t cid_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static struct dent *dc_slot(struct dent *v, size_t cap, uint32_t addr)
{
	size_t i = (addr * 2654435761u) & (cap - 1);

	while (v[i].used && v[i].addr != addr)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Under lock. Addresses are never removed (a freed one keeps its entry,
 * state and all): the table holds at most the addresses ever leased. */
static void dc_put(struct dcache *dc, const struct ternd_lease *l, bool del)
{
	struct dent *e;

	if (dc->broken)
		return;
	if ((dc->n + 1) * 2 > dc->cap) {
		size_t cap = dc->cap ? dc->cap * 2 : 4096;
		struct dent *nv = calloc(cap, sizeof(*nv));

		if (!nv) {
			dc->broken = true;
			return;
		}
		for (size_t i = 0; i < dc->cap; i++)
			if (dc->v[i].used)
				*dc_slot(nv, cap, dc->v[i].addr) = dc->v[i];
		free(dc->v);
		dc->v = nv;
		dc->cap = cap;
	}
	e = dc_slot(dc->v, dc->cap, l->addr);
	if (!e->used)
		dc->n++;
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->addr = l->addr;
	e->state = del ? TERND_LEASE_FREE : l->state;
	e->hw_len = l->hw_len;
	memcpy(e->hw, l->hw, l->hw_len);
	e->cid_hash = cid_hash(l->cid, l->cid_len);
	e->expire = l->expire;
}

/* The committer thread: a batch is durable. */
static void on_commit(void *ctx, const struct ternd_change *v, size_t n,
		      const uint8_t *lost)
{
	struct ternd_races *r = ctx;

	pthread_mutex_lock(&r->dc.lock);
	for (size_t i = 0; i < n; i++)
		if (!lost || !lost[i])
			dc_put(&r->dc, &v[i].lease,
			       v[i].op == TERND_CHANGE_DELETE);
	pthread_mutex_unlock(&r->dc.lock);
}

static int fill_cb(void *ctx, const struct ternd_lease *l)
{
	dc_put(ctx, l, false);
	return 0;
}

/* Say when the committer lost or regained its connection (pgdb.c logs;
 * DHCPv4 adds what the outage cost). */
static void log_connection(struct ternd_races *r)
{
	char extra[160];

	snprintf(extra, sizeof(extra),
		 "; while unreachable: %llu ACKs withheld, %llu renewals "
		 "answered from the stored lease",
		 (unsigned long long)r->withheld,
		 (unsigned long long)r->from_store);
	ternd_pgdb_watch_log(&r->watch, extra);
}

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
	(*ret_races)->shared = pg->servers > 1;
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

	if (!r)
		return NULL;
	r->v = calloc(TERND_COMMITTER_LOST_MAX, sizeof(*r->v));
	pthread_mutex_init(&r->dc.lock, NULL);
	if (!r->v) {
		ternd_races_free(r);
		r = NULL;
	}
	return r;
}

void ternd_races_free(struct ternd_races *r)
{
	if (!r)
		return;
	free(r->v);
	free(r->dc.v);
	pthread_mutex_destroy(&r->dc.lock);
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
	log_connection(r);
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

void ternd_pgstore_track(struct ternd_races *r, struct ternd_committer *c,
			 const struct ternd_engine *e)
{
	if (!r || !c || r->shared)
		return;
	/* Hook first: a batch committed meanwhile is in the engine too. */
	ternd_committer_on_commit(c, on_commit, r);
	pthread_mutex_lock(&r->dc.lock);
	(void)ternd_engine_foreach(e, fill_cb, &r->dc);
	pthread_mutex_unlock(&r->dc.lock);
}

bool ternd_pgstore_outage(const struct ternd_races *r)
{
	return r && ternd_pg_unreachable(r->watch.st);
}

void ternd_pgstore_withheld(struct ternd_races *r)
{
	if (r)
		r->withheld++;
}

/* Option data of code in m, NULL unless present with length len. */
static const uint8_t *opt(const struct tern_dhcp4_msg *m, uint8_t code,
			  uint8_t len)
{
	for (uint16_t i = 0; i < m->n_opts; i++)
		if (m->opts[i].code == code)
			return m->opts[i].len == len
				       ? tern_dhcp4_opt_data(m, &m->opts[i])
				       : NULL;
	return NULL;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

bool ternd_pgstore_renew_probe(struct ternd_races *r,
			       const struct tern_dhcp4_msg *m, int64_t now,
			       struct ternd_lease *ret)
{
	const uint8_t *type, *req, *cid = NULL;
	uint8_t cid_len = 0;
	struct dent *e;
	bool ok;
	uint32_t addr;

	/* A shared database may hold what another server wrote since. */
	if (!r || r->shared || !m || !m->indexed)
		return false;
	type = opt(m, 53, 1);
	if (!type || *type != 3 || tern_dhcp4_has_opt(m, 54))
		return false; /* not a REQUEST, or SELECTING (a new lease) */
	addr = ntohl(m->hdr.ciaddr.s_addr);
	req = opt(m, 50, 4);
	if (addr == 0 && req)
		addr = be32(req); /* INIT-REBOOT */
	else if (addr == 0 || req)
		return false;
	for (uint16_t i = 0; i < m->n_opts; i++)
		if (m->opts[i].code == 61) {
			cid = tern_dhcp4_opt_data(m, &m->opts[i]);
			cid_len = m->opts[i].len;
			break;
		}
	pthread_mutex_lock(&r->dc.lock);
	e = r->dc.cap && !r->dc.broken ? dc_slot(r->dc.v, r->dc.cap, addr)
				       : NULL;
	/* Bound, running, the same client (hardware address and client
	 * identifier). */
	ok = e && e->used && e->state == TERND_LEASE_BOUND && e->expire > now &&
	     e->hw_len == m->hdr.hlen && e->hw_len <= sizeof(m->hdr.chaddr) &&
	     memcmp(e->hw, m->hdr.chaddr, e->hw_len) == 0 &&
	     e->cid_hash == cid_hash(cid, cid_len);
	if (ok) {
		memset(ret, 0, sizeof(*ret));
		ret->addr = addr;
		ret->state = e->state;
		ret->expire = e->expire;
	}
	pthread_mutex_unlock(&r->dc.lock);
	return ok;
}

bool ternd_pgstore_renew_answer(struct ternd_races *r,
				const struct ternd_lease *stored,
				struct ternd_tx *tx, int64_t now)
{
	struct tern_dhcp4_msg m;
	const uint8_t *type, *lt, *t1, *t2;
	uint32_t valid, left;

	if (!r || tx->len < 240 || tern_dhcp4_parse(&m, tx->buf, tx->len) < 0)
		return false;
	type = opt(&m, 53, 1);
	lt = opt(&m, 51, 4);
	if (!type || *type != 5 || !lt || m.overload ||
	    ntohl(m.hdr.yiaddr.s_addr) != stored->addr || stored->expire <= now)
		return false;
	valid = be32(lt);
	left = stored->expire - now > UINT32_MAX - 1
		       ? UINT32_MAX - 1
		       : (uint32_t)(stored->expire - now);
	if (valid == 0 || valid == UINT32_MAX)
		return false; /* infinite or nothing: not scaled here */
	if (left < valid) {
		t1 = opt(&m, 58, 4);
		t2 = opt(&m, 59, 4);
		/* The reply is the daemon's buffer: the views point into it. */
		if (t1)
			put32((uint8_t *)t1,
			      (uint32_t)((uint64_t)be32(t1) * left / valid));
		if (t2)
			put32((uint8_t *)t2,
			      (uint32_t)((uint64_t)be32(t2) * left / valid));
		put32((uint8_t *)lt, left);
	}
	/* The engine keeps the extension it made in memory (the address
	 * stays the client's at least that long, never less); the store
	 * gets no change, the client the stored end. */
	tx->needs_commit = false;
	r->from_store++;
	return true;
}

void ternd_pgstore_xstats(struct ternd_races *r, struct ternd_committer *c,
			  uint64_t *v)
{
	struct ternd_pg_counters pc = {0};
	struct ternd_committer_stats cs = {0};

	if (r && r->watch.st)
		ternd_pg_counters(r->watch.st, &pc);
	if (c)
		ternd_committer_stats(c, &cs);
	v[TERND_X_DB_RECONNECT_ATTEMPTS] = pc.reconnects + pc.reconnect_fails;
	v[TERND_X_DB_CONNECTION_LOSSES] = pc.lost;
	v[TERND_X_DB_COMMITS_FAILED] = pc.commits_failed;
	v[TERND_X_DB_RACES_LOST] = cs.lost;
	v[TERND_X_ACKS_WITHHELD] = r ? r->withheld : 0;
	v[TERND_X_RENEWALS_FROM_STORE] = r ? r->from_store : 0;
}
