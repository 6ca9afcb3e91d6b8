/* Unit tests: the DHCPv6 lease store on both backends (store/sqlite6.c and
 * store/postgresql6.c, a private PostgreSQL cluster: pgfix.h), the SQLite
 * schema migration (v4 -> v5: the lease6 table) and, on PostgreSQL, the
 * shared database's rules (several servers, races lost). */
#define _GNU_SOURCE /* pipe2 (pgfix.h) */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "pgfix.h"
#include "server/store/postgresql.h"
#include "server/store/store6.h"

static struct pgfix pg;
static unsigned n_db;

/* One fresh database (PostgreSQL) or file (SQLite) per test. */
struct fx {
	const struct ternd_store6_ops *ops;
	bool is_pg;
	char where[256]; /* the string open() takes */
	char dir[64];	 /* SQLite's scratch directory */
	char db[32];	 /* PostgreSQL's database name */
	struct ternd_store6 *s;
};

static int setup_backend(void **state, bool is_pg)
{
	struct fx *f = calloc(1, sizeof(*f));
	char sql[64];

	if (!f)
		return -1;
	f->is_pg = is_pg;
	f->ops = ternd_store6_backend(is_pg ? "postgresql" : "sqlite");
	if (is_pg) {
		snprintf(f->db, sizeof(f->db), "v6t%u", ++n_db);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->db);
		if (pgfix_psql(&pg, "postgres", sql) != 0)
			return -1;
		pgfix_conninfo(&pg, f->db, f->where, sizeof(f->where));
	} else {
		strcpy(f->dir, "/tmp/tern-st6-XXXXXX");
		if (!mkdtemp(f->dir))
			return -1;
		snprintf(f->where, sizeof(f->where), "%s/l.sqlite", f->dir);
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

	ternd_store6_close(f->s);
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
	assert_int_equal(ternd_store6_open_with(f->ops, f->where, &f->s), 0);
	assert_non_null(f->s);
}

static void fx_reopen(struct fx *f)
{
	ternd_store6_close(f->s);
	f->s = NULL;
	fx_open(f);
}

struct got {
	struct ternd_lease6 v[8];
	size_t n;
};

static int collect(void *ctx, const struct ternd_lease6 *l)
{
	struct got *g = ctx;

	if (g->n < 8)
		g->v[g->n++] = *l;
	return 0;
}

static int count_cb(void *ctx, const struct ternd_lease6 *l)
{
	(void)l;
	++*(size_t *)ctx;
	return 0;
}

static struct ternd_lease6 mk(const char *addr, uint8_t plen, uint8_t type,
			      uint32_t iaid)
{
	struct ternd_lease6 l = {0};

	inet_pton(AF_INET6, addr, &l.addr);
	l.plen = plen;
	l.type = type;
	l.duid_len = 10;
	memcpy(l.duid, "\x00\x03\x00\x01\x02\x00\x00\x00\x00\xaa", 10);
	l.iaid = iaid;
	l.subnet_id = 1;
	l.preferred = 300;
	l.valid = 600;
	l.cltt = 1000;
	l.expire = 1600;
	strcpy(l.hostname, "h1");
	return l;
}

static void assert_lease6_equal(const struct ternd_lease6 *a,
				const struct ternd_lease6 *b)
{
	assert_memory_equal(&a->addr, &b->addr, 16);
	assert_int_equal(a->plen, b->plen);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->duid_len, b->duid_len);
	assert_memory_equal(a->duid, b->duid, a->duid_len);
	assert_int_equal(a->iaid, b->iaid);
	assert_int_equal(a->subnet_id, b->subnet_id);
	assert_int_equal(a->preferred, b->preferred);
	assert_int_equal(a->valid, b->valid);
	assert_int_equal(a->cltt, b->cltt);
	assert_int_equal(a->expire, b->expire);
	assert_string_equal(a->hostname, b->hostname);
}

static int64_t side_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void test_roundtrip(void **state)
{
	struct fx *f = *state;
	struct ternd_change6 ch[3];
	struct ternd_lease6 got, inf;
	struct got g = {0};
	char buf[64];

	fx_open(f);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::100", 128, TERND_LEASE6_NA, 1);
	ch[1].op = TERND_CHANGE6_PUT;
	ch[1].lease = mk("2001:db8:8000::", 56, TERND_LEASE6_PD, 2);
	ch[2].op = TERND_CHANGE6_PUT;
	ch[2].lease = mk("2001:db8:1::101", 128, TERND_LEASE6_NA, 3);
	assert_int_equal(ternd_store6_commit(f->s, ch, 3), 0);
	/* Replace one, delete one. */
	ch[0].lease.expire = 2000;
	ch[1].op = TERND_CHANGE6_DEL;
	ch[1].lease = mk("2001:db8:1::101", 128, TERND_LEASE6_NA, 3);
	assert_int_equal(ternd_store6_commit(f->s, ch, 2), 0);
	assert_int_equal(ternd_store6_meta_set(f->s, "server-duid6", "0001"),
			 0);
	fx_reopen(f);
	/* Reopened: what was committed, nothing else. */
	assert_int_equal(ternd_store6_iterate(f->s, collect, &g), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.v[0].type, TERND_LEASE6_NA);
	assert_lease6_equal(&g.v[0], &ch[0].lease);
	assert_int_equal(g.v[1].type, TERND_LEASE6_PD);
	assert_int_equal(g.v[1].plen, 56);
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_PD, &g.v[1].addr, &got),
		0);
	assert_lease6_equal(&got, &g.v[1]);
	/* Keyed by type: no address of that number among the NAs. */
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_NA, &g.v[1].addr, &got),
		-ENOENT);
	assert_int_equal(
		ternd_store6_meta_get(f->s, "server-duid6", buf, sizeof(buf)),
		0);
	assert_string_equal(buf, "0001");
	assert_int_equal(
		ternd_store6_meta_get(f->s, "no-such-key", buf, sizeof(buf)),
		-ENOENT);
	/* Infinite lifetimes and a declined row (no DUID) survive. */
	inf = mk("2001:db8:1::1ff", 128, TERND_LEASE6_NA, 9);
	inf.preferred = inf.valid = 0xffffffffu;
	inf.expire = INT64_MAX;
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = inf;
	ch[1].op = TERND_CHANGE6_PUT;
	ch[1].lease = mk("2001:db8:1::1fe", 128, TERND_LEASE6_NA, 0);
	ch[1].lease.state = TERND_LEASE6_DECLINED;
	ch[1].lease.duid_len = 0;
	ch[1].lease.hostname[0] = '\0';
	assert_int_equal(ternd_store6_commit(f->s, ch, 2), 0);
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_NA, &inf.addr, &got), 0);
	assert_lease6_equal(&got, &inf);
	assert_int_equal(ternd_store6_lookup(f->s, TERND_LEASE6_NA,
					     &ch[1].lease.addr, &got),
			 0);
	assert_lease6_equal(&got, &ch[1].lease);
	if (!f->is_pg) {
		assert_int_equal(side_int(f->where, "PRAGMA user_version"), 5);
		assert_int_equal(side_int(f->where,
					  "SELECT count(*) FROM lease6 WHERE "
					  "hex(address) = "
					  "'20010DB8000100000000000000000100'"),
				 1);
	}
}

/* A bad change in a batch: nothing of the batch is stored. */
static void test_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct ternd_change6 ch[2];
	size_t n = 0;

	fx_open(f);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::100", 128, TERND_LEASE6_NA, 1);
	ch[1].op = 9;
	ch[1].lease = mk("2001:db8:1::101", 128, TERND_LEASE6_NA, 2);
	assert_int_equal(ternd_store6_commit(f->s, ch, 2), -EINVAL);
	assert_int_equal(ternd_store6_iterate(f->s, count_cb, &n), 0);
	assert_int_equal(n, 0);
	/* The shared commit is PostgreSQL's only. */
	if (!f->is_pg) {
		uint8_t lost[1];

		assert_int_equal(ternd_store6_commit_shared(f->s, ch, 1, lost),
				 -EOPNOTSUPP);
	}
}

/* Changes and a meta note in one transaction (the Kea CSV import's way):
 * both or, with a bad change, neither. */
static void test_commit_meta(void **state)
{
	struct fx *f = *state;
	struct ternd_change6 ch[2];
	struct ternd_lease6 got;
	char buf[32];
	size_t n = 0;

	fx_open(f);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::300", 128, TERND_LEASE6_NA, 1);
	assert_int_equal(ternd_store6_commit_meta(f->s, ch, 1, "note", "one"),
			 0);
	assert_int_equal(ternd_store6_lookup(f->s, TERND_LEASE6_NA,
					     &ch[0].lease.addr, &got),
			 0);
	assert_int_equal(ternd_store6_meta_get(f->s, "note", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "one");
	ch[0].lease = mk("2001:db8:1::301", 128, TERND_LEASE6_NA, 2);
	ch[1] = ch[0];
	ch[1].op = 9; /* invalid */
	assert_int_not_equal(
		ternd_store6_commit_meta(f->s, ch, 2, "note", "two"), 0);
	assert_int_equal(ternd_store6_meta_get(f->s, "note", buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "one");
	assert_int_equal(ternd_store6_iterate(f->s, count_cb, &n), 0);
	assert_int_equal(n, 1);
}

/* The group committer over the v6 store: records submitted from this
 * thread are committed on the committer's, in batches with tickets; a
 * ticket waited for is stored (seen by a second handle). */
static void test_committer6(void **state)
{
	struct fx *f = *state;
	struct ternd_store6 *other = NULL;
	struct ternd_committer *c;
	struct ternd_change6 ch[2], many[5];
	struct ternd_committer_stats cs;
	struct ternd_lease6 got;
	uint64_t t1 = 0, t2 = 0;
	size_t n = 0;

	fx_open(f);
	assert_int_equal(ternd_store6_committer(f->s, 4, &c), 0);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::200", 128, TERND_LEASE6_NA, 7);
	ch[1].op = TERND_CHANGE6_PUT;
	ch[1].lease = mk("2001:db8:9000::", 56, TERND_LEASE6_PD, 8);
	assert_int_equal(ternd_committer_submit_any(c, ch, 2, &t1), 0);
	assert_true(t1 >= 1);
	/* More than the queue holds at once: refused, nothing queued. */
	for (int i = 0; i < 5; i++)
		many[i] = ch[0];
	assert_int_equal(ternd_committer_submit_any(c, many, 5, &t2), -EINVAL);
	assert_int_equal(ternd_committer_wait(c, t1), 0);
	assert_true(ternd_committer_done(c) >= t1);
	/* Another handle (the committer owns f->s) sees both rows. */
	assert_int_equal(ternd_store6_open_with(f->ops, f->where, &other), 0);
	assert_int_equal(ternd_store6_lookup(other, TERND_LEASE6_PD,
					     &ch[1].lease.addr, &got),
			 0);
	assert_lease6_equal(&got, &ch[1].lease);
	/* Delete one, through submit_wait (the control commands' way). */
	ch[0].op = TERND_CHANGE6_DEL;
	assert_int_equal(ternd_committer_submit_wait_any(c, ch, 1, &t2), 0);
	assert_true(t2 > t1);
	assert_int_equal(ternd_store6_lookup(other, TERND_LEASE6_NA,
					     &ch[0].lease.addr, &got),
			 -ENOENT);
	assert_int_equal(ternd_store6_iterate(other, count_cb, &n), 0);
	assert_int_equal(n, 1);
	ternd_store6_close(other);
	assert_int_equal(ternd_committer_stop(c), 0);
	ternd_committer_stats(c, &cs);
	assert_int_equal(cs.committed, 3);
	ternd_committer_free(c);
}

/* A version-4 file (ternd before DHCPv6) gains the lease6 table and keeps
 * its v4 leases. */
static void test_migrate_v4(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;
	struct ternd_change6 ch;

	fx_open(f);
	ternd_store6_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->where, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE lease6; "
				      "PRAGMA user_version = 4",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	fx_open(f);
	ch.op = TERND_CHANGE6_PUT;
	ch.lease = mk("2001:db8:1::102", 128, TERND_LEASE6_NA, 4);
	assert_int_equal(ternd_store6_commit(f->s, &ch, 1), 0);
	assert_int_equal(side_int(f->where, "PRAGMA user_version"), 5);
	assert_int_equal(side_int(f->where, "SELECT count(*) FROM lease6"), 1);
}

#include "test_store6_pg.h"

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
#define SQLITE(t) cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown)
#define PG(t)	  cmocka_unit_test_setup_teardown(t, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(test_roundtrip),
		BOTH(test_all_or_nothing),
		BOTH(test_commit_meta),
		BOTH(test_committer6),
		SQLITE(test_migrate_v4),
		PG(test_pg6_schema_readable),
		PG(test_pg6_shared_rules),
		PG(test_pg6_two_servers_race),
		PG(test_pg6_committer_lost),
		PG(test_pg6_reconnects_after_restart),
		PG(test_pg6_meta_per_server),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
