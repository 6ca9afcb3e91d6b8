/* The lease store's contract, run against every backend: SQLite and a
 * PostgreSQL cluster this test starts; PostgreSQL's own faults after. */
#define _GNU_SOURCE /* pipe2 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "pgfix.h"
#include "server/store/committer.h"
#include "server/store/postgresql.h"
#include "server/store/store.h"

static struct pgfix pg;
static unsigned n_db;

/* One fresh database (PostgreSQL) or file (SQLite) per test. */
struct fx {
	const struct ternd_store_ops *ops;
	bool is_pg;
	char where[256]; /* the string open() takes */
	char dir[64];	 /* SQLite's scratch directory */
	char db[32];	 /* PostgreSQL's database name */
	struct ternd_store *st;
};

static int setup_backend(void **state, bool is_pg)
{
	struct fx *f = calloc(1, sizeof(*f));
	char sql[64];

	if (!f)
		return -1;
	f->is_pg = is_pg;
	f->ops = ternd_store_backend(is_pg ? "postgresql" : "sqlite");
	if (is_pg) {
		snprintf(f->db, sizeof(f->db), "t%u", ++n_db);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->db);
		if (pgfix_psql(&pg, "postgres", sql) != 0)
			return -1;
		pgfix_conninfo(&pg, f->db, f->where, sizeof(f->where));
	} else {
		strcpy(f->dir, "/tmp/tern-stb-XXXXXX");
		if (!mkdtemp(f->dir))
			return -1;
		snprintf(f->where, sizeof(f->where), "%s/leases.db", f->dir);
	}
	*state = f;
	return f->ops ? 0 : -1;
}

static int setup_sqlite(void **state)
{
	return setup_backend(state, false);
}

static int setup_pg(void **state)
{
	return setup_backend(state, true);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	if (f->st)
		f->ops->close(f->st);
	if (!f->is_pg) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
		if (system(cmd) != 0)
			return -1;
	}
	free(f);
	return 0;
}

static void fx_open(struct fx *f)
{
	assert_int_equal(f->ops->open(f->where, &f->st), 0);
	assert_non_null(f->st);
}

static void fx_reopen(struct fx *f)
{
	f->ops->close(f->st);
	f->st = NULL;
	fx_open(f);
}

static void make_lease(struct ternd_lease *l, uint32_t i, uint32_t round)
{
	memset(l, 0, sizeof(*l));
	l->addr = 0x0a000000u + i;
	l->subnet_id = 1 + round;
	l->state = TERND_LEASE_BOUND;
	l->htype = 1;
	l->hw_len = 6;
	for (int k = 0; k < 6; k++)
		l->hw[k] = (uint8_t)(i >> (k * 4)) ^ (uint8_t)k;
	l->cid_len = (uint8_t)(i % (TERND_LEASE_CID_MAX + 1));
	for (int k = 0; k < l->cid_len; k++)
		l->cid[k] = (uint8_t)(i + (uint32_t)k);
	l->valid_lifetime = 3600 + round;
	l->cltt = 1700000000 + (int64_t)i;
	l->expire = l->cltt + l->valid_lifetime;
	if (i % 7)
		snprintf(l->hostname, sizeof(l->hostname), "host-%u", i);
	l->fqdn_fwd = i % 3 == 1;
	l->fqdn_rev = i % 5 != 0;
	/* store-extended-info: option 82 of the query, some leases. */
	if (i % 4 == 1) {
		l->rai_len = (uint8_t)(4 + i % 60);
		for (int k = 0; k < l->rai_len; k++)
			l->rai[k] = (uint8_t)(i * 7 + (uint32_t)k);
	}
}

static void upsert(struct ternd_change *c, const struct ternd_lease *l)
{
	memset(c, 0, sizeof(*c));
	c->op = TERND_CHANGE_UPSERT;
	c->lease = *l;
}

static void del(struct ternd_change *c, uint32_t addr)
{
	memset(c, 0, sizeof(*c));
	c->op = TERND_CHANGE_DELETE;
	c->lease.addr = addr;
}

static void assert_lease_equal(const struct ternd_lease *a,
			       const struct ternd_lease *b)
{
	assert_int_equal(a->addr, b->addr);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->cid_len, b->cid_len);
	assert_string_equal(a->hostname, b->hostname);
	assert_true(a->cltt == b->cltt);
	assert_true(a->expire == b->expire);
	assert_memory_equal(a, b, sizeof(*a));
}

struct collect {
	struct ternd_lease v[8];
	size_t n;
	size_t stop_after;
};

static int collect_cb(void *ctx, const struct ternd_lease *l)
{
	struct collect *c = ctx;

	if (c->n < 8)
		c->v[c->n] = *l;
	c->n++;
	return c->stop_after && c->n == c->stop_after ? 42 : 0;
}

/* Extremes of every field, update in place, delete, reopen. */
static void test_round_trip(void **state)
{
	struct fx *f = *state;
	struct ternd_lease a, b, got;
	struct ternd_change ch[3];
	struct collect col = {0};

	fx_open(f);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), -ENOENT);
	assert_int_equal(f->ops->commit(f->st, NULL, 0), 0);
	memset(&a, 0, sizeof(a));
	a.addr = 0xc0a80001;
	a.subnet_id = UINT32_MAX;
	a.state = TERND_LEASE_BOUND;
	a.cid_len = TERND_LEASE_CID_MAX;
	for (int k = 0; k < TERND_LEASE_CID_MAX; k++)
		a.cid[k] = (uint8_t)(255 - k); /* NULs and quotes included */
	a.valid_lifetime = UINT32_MAX;
	a.cltt = INT64_C(1700000000);
	a.expire = INT64_C(1700000000) + UINT32_MAX;
	memset(&b, 0, sizeof(b));
	b.addr = 0xffffffff;
	b.state = TERND_LEASE_DECLINED;
	b.htype = 255;
	b.hw_len = TERND_LEASE_HW_MAX;
	memset(b.hw, 0xab, sizeof(b.hw));
	b.cltt = -1;
	b.expire = INT64_MAX;
	memset(b.hostname, 'x', sizeof(b.hostname) - 1);
	b.hostname[3] = '\'';
	b.hostname[4] = '\\';
	memcpy(b.hostname + 5, "\"{,} NULL\"", 10); /* array literal syntax */
	upsert(&ch[0], &a);
	upsert(&ch[1], &b);
	assert_int_equal(f->ops->commit(f->st, ch, 2), 0);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
	assert_int_equal(f->ops->lookup(f->st, b.addr, &got), 0);
	assert_lease_equal(&got, &b);

	a.state = TERND_LEASE_RELEASED;
	a.cid_len = 3;
	memset(a.cid + 3, 0, sizeof(a.cid) - 3);
	a.hw_len = 6;
	memcpy(a.hw, "\x00\x11\x22\x33\x44\x55", 6);
	a.htype = 1;
	a.expire = 5;
	a.fqdn_fwd = true;
	strcpy(a.hostname, "laptop");
	upsert(&ch[0], &a);
	del(&ch[1], b.addr);
	del(&ch[2], 0x01020304);
	assert_int_equal(f->ops->commit(f->st, ch, 3), 0);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
	assert_int_equal(f->ops->lookup(f->st, b.addr, &got), -ENOENT);
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 1);
	assert_lease_equal(&col.v[0], &a);

	fx_reopen(f);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
}

/* Changes apply in batch order, an address named twice in one batch
 * included (PostgreSQL: a second multi-row statement). */
static void test_batch_order(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[6];
	struct ternd_lease a, b, got;

	fx_open(f);
	make_lease(&a, 1, 0);
	make_lease(&b, 1, 1); /* same address, other values */
	upsert(&ch[0], &a);
	upsert(&ch[1], &b);
	make_lease(&a, 2, 0);
	upsert(&ch[2], &a);
	del(&ch[3], a.addr);
	make_lease(&a, 3, 0);
	del(&ch[4], a.addr);
	upsert(&ch[5], &a);
	assert_int_equal(f->ops->commit(f->st, ch, 6), 0);
	assert_int_equal(f->ops->lookup(f->st, b.addr, &got), 0);
	assert_lease_equal(&got, &b);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000002, &got), -ENOENT);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
}

/* A callback's non-zero ends iterate; the next full scan still works and
 * comes in address order. */
static void test_iterate_stops(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[5];
	struct ternd_lease l;
	struct collect col = {0};

	fx_open(f);
	for (uint32_t i = 0; i < 5; i++) {
		make_lease(&l, 4 - i, 0);
		upsert(&ch[i], &l);
	}
	assert_int_equal(f->ops->commit(f->st, ch, 5), 0);
	col.stop_after = 2;
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 42);
	assert_int_equal(col.n, 2);
	memset(&col, 0, sizeof(col));
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 5);
	for (uint32_t i = 0; i < 5; i++) {
		make_lease(&l, i, 0);
		assert_lease_equal(&col.v[i], &l);
	}
	/* And the connection is usable for commits after a stopped scan. */
	make_lease(&l, 9, 0);
	upsert(&ch[0], &l);
	assert_int_equal(f->ops->commit(f->st, ch, 1), 0);
}

/* A daemon's start: the scan of an empty store, then its first commits,
 * which must succeed at once. The committer uses commit_shared where the
 * backend has it, whose upserts return a row: libpq 15 carried the scan's
 * single-row mode into that pipeline, and the first commit failed. */
static int commit_as_daemon(struct fx *f, const struct ternd_change *ch,
			    size_t n)
{
	uint8_t lost[8] = {0};
	int r;

	if (!f->ops->commit_shared)
		return f->ops->commit(f->st, ch, n);
	r = f->ops->commit_shared(f->st, ch, n, lost);
	for (size_t i = 0; r == 0 && i < n; i++)
		assert_int_equal(lost[i], 0);
	return r;
}

static void test_iterate_empty_then_commit(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[3];
	struct ternd_lease l;
	struct collect col = {0};

	fx_open(f);
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 0);
	for (uint32_t i = 0; i < 3; i++) {
		make_lease(&l, i, 0);
		upsert(&ch[i], &l);
	}
	assert_int_equal(commit_as_daemon(f, ch, 1), 0);
	assert_int_equal(commit_as_daemon(f, ch + 1, 2), 0);
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 3);
	assert_int_equal(commit_as_daemon(f, ch, 3), 0);
}

/* All or nothing: an invalid change anywhere, or the database refusing
 * a row mid-batch, leaves the store as it was. */
static void test_rollback(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[4];
	struct ternd_lease l, keep, got;

	fx_open(f);
	make_lease(&keep, 100, 0);
	upsert(&ch[0], &keep);
	assert_int_equal(f->ops->commit(f->st, ch, 1), 0);

	make_lease(&l, 1, 0);
	upsert(&ch[0], &l);
	del(&ch[1], keep.addr);
	ch[2] = ch[0];
	ch[2].op = 99;
	assert_int_equal(f->ops->commit(f->st, ch, 3), -EINVAL);
	ch[2] = ch[0];
	ch[2].lease.hw_len = TERND_LEASE_HW_MAX + 1;
	assert_int_equal(f->ops->commit(f->st, ch, 3), -EINVAL);
	ch[2] = ch[0];
	ch[2].lease.state = 200;
	assert_int_equal(f->ops->commit(f->st, ch, 3), -EINVAL);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), -ENOENT);
	assert_int_equal(f->ops->lookup(f->st, keep.addr, &got), 0);

	if (f->is_pg) {
		/* The server refuses the third row after two went in. */
		assert_int_equal(
			pgfix_psql(&pg, f->db,
				   "ALTER TABLE ternd_lease4 ADD CONSTRAINT "
				   "boom CHECK (address <> 167772163)"),
			0);
		make_lease(&l, 1, 0);
		upsert(&ch[0], &l);
		l = keep;
		l.state = TERND_LEASE_EXPIRED;
		upsert(&ch[1], &l);
		make_lease(&l, 3, 0);
		upsert(&ch[2], &l);
		make_lease(&l, 4, 0);
		upsert(&ch[3], &l);
		assert_true(f->ops->commit(f->st, ch, 4) < 0);
		assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got),
				 -ENOENT);
		assert_int_equal(f->ops->lookup(f->st, 0x0a000004, &got),
				 -ENOENT);
		assert_int_equal(f->ops->lookup(f->st, keep.addr, &got), 0);
		assert_lease_equal(&got, &keep);
		assert_int_equal(pgfix_psql(&pg, f->db,
					    "ALTER TABLE ternd_lease4 DROP "
					    "CONSTRAINT boom"),
				 0);
	}
	make_lease(&l, 1, 0);
	upsert(&ch[0], &l);
	del(&ch[1], keep.addr);
	assert_int_equal(f->ops->commit(f->st, ch, 2), 0);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), 0);
	assert_int_equal(f->ops->lookup(f->st, keep.addr, &got), -ENOENT);
}

static void test_meta(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[1];
	struct ternd_lease l, got;
	char buf[64];

	fx_open(f);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)),
			 -ENOENT);
	make_lease(&l, 7, 0);
	upsert(&ch[0], &l);
	assert_int_equal(f->ops->commit_meta(f->st, ch, 1, "k", "it's v1"), 0);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "it's v1");
	assert_int_equal(f->ops->commit_meta(f->st, NULL, 0, "k", "v2"), 0);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, 2), 0);
	assert_string_equal(buf, "v"); /* cut to the buffer */
	assert_int_equal(f->ops->commit_meta(f->st, ch, 1, NULL, NULL),
			 -EINVAL);
	fx_reopen(f);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "v2");
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
}

/* Batches far larger than a pipeline chunk, then a restart's load. */
#define MANY  20000
#define BATCH 5000

static int count_cb(void *ctx, const struct ternd_lease *l)
{
	size_t *n = ctx;
	struct ternd_lease want;

	make_lease(&want, (uint32_t)*n, 1);
	if (memcmp(l, &want, sizeof(want)) != 0)
		return -EINVAL;
	(*n)++;
	return 0;
}

static void test_big_batches(void **state)
{
	struct fx *f = *state;
	struct ternd_change *ch = calloc(BATCH, sizeof(*ch));
	size_t n = 0;

	assert_non_null(ch);
	fx_open(f);
	for (uint32_t round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < MANY; i += BATCH) {
			for (uint32_t k = 0; k < BATCH; k++) {
				struct ternd_lease l;

				make_lease(&l, i + k, round);
				upsert(&ch[k], &l);
			}
			assert_int_equal(f->ops->commit(f->st, ch, BATCH), 0);
		}
	}
	free(ch);
	fx_reopen(f);
	assert_int_equal(f->ops->iterate(f->st, count_cb, &n), 0);
	assert_int_equal(n, MANY);
}

/* Through the committer, as the daemon uses it. */
static void test_committer(void **state)
{
	struct fx *f = *state;
	struct ternd_committer *c = NULL;
	struct ternd_change ch[10];
	struct ternd_lease l, got;
	uint64_t t = 0;

	fx_open(f);
	assert_int_equal(ternd_committer_new(f->ops, f->st, 0, &c), 0);
	for (uint32_t i = 0; i < 100; i++) {
		for (uint32_t k = 0; k < 10; k++) {
			make_lease(&l, i * 10 + k, 0);
			upsert(&ch[k], &l);
		}
		assert_int_equal(ternd_committer_submit(c, ch, 10, &t), 0);
	}
	assert_int_equal(ternd_committer_wait(c, t), 0);
	assert_int_equal(ternd_committer_stop(c), 0);
	ternd_committer_free(c);
	make_lease(&l, 999, 0);
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
	assert_lease_equal(&got, &l);
}

#include "test_store_backends_pg.h"

static int group_setup(void **state)
{
	(void)state;
	return pgfix_start(&pg);
}

static int group_teardown(void **state)
{
	(void)state;
	pgfix_stop(&pg);
	return 0;
}

#define BOTH(t)                                                     \
	cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown), \
		cmocka_unit_test_setup_teardown(t, setup_pg, teardown)
#define PG(t) cmocka_unit_test_setup_teardown(t, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_round_trip),
		BOTH(test_batch_order),
		BOTH(test_iterate_stops),
		BOTH(test_iterate_empty_then_commit),
		BOTH(test_rollback),
		BOTH(test_meta),
		BOTH(test_big_batches),
		BOTH(test_committer),
		PG(test_pg_schema_readable),
		PG(test_pg_newer_schema_refused),
		PG(test_pg_two_servers_share),
		PG(test_pg_open_fails_without_server),
		PG(test_pg_reconnects_after_restart),
		PG(test_pg_no_retry_fails),
		PG(test_pg_shared_guard),
		PG(test_pg_shared_batch_flags),
		PG(test_pg_shared_batch_repeat),
		PG(test_pg_committer_lost),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
