/* Unit tests: the DHCPv6 lease table of the SQLite store (store/sqlite6.c)
 * and its schema migration (v4 -> v5: the lease6 table). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "server/store/store6.h"

static char dir[] = "/tmp/tern-store6-XXXXXX";
static char path[256];

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

static int64_t side_int(const char *sql)
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
	struct ternd_store6 *s;
	struct ternd_change6 ch[3];
	struct got g = {0};
	char buf[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/l.sqlite", dir);
	assert_int_equal(ternd_store6_open(path, &s), 0);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::100", 128, TERND_LEASE6_NA, 1);
	ch[1].op = TERND_CHANGE6_PUT;
	ch[1].lease = mk("2001:db8:8000::", 56, TERND_LEASE6_PD, 2);
	ch[2].op = TERND_CHANGE6_PUT;
	ch[2].lease = mk("2001:db8:1::101", 128, TERND_LEASE6_NA, 3);
	assert_int_equal(ternd_store6_commit(s, ch, 3), 0);
	/* Replace one, delete one. */
	ch[0].lease.expire = 2000;
	ch[1].op = TERND_CHANGE6_DEL;
	ch[1].lease = mk("2001:db8:1::101", 128, TERND_LEASE6_NA, 3);
	assert_int_equal(ternd_store6_commit(s, ch, 2), 0);
	assert_int_equal(ternd_store6_meta_set(s, "server-duid6", "0001"), 0);
	ternd_store6_close(s);
	/* Reopened: what was committed, nothing else. */
	assert_int_equal(ternd_store6_open(path, &s), 0);
	assert_int_equal(ternd_store6_iterate(s, collect, &g), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.v[0].type, TERND_LEASE6_NA);
	assert_int_equal(g.v[0].expire, 2000);
	assert_int_equal(g.v[0].iaid, 1);
	assert_int_equal(g.v[0].duid_len, 10);
	assert_string_equal(g.v[0].hostname, "h1");
	assert_int_equal(g.v[1].type, TERND_LEASE6_PD);
	assert_int_equal(g.v[1].plen, 56);
	assert_int_equal(
		ternd_store6_meta_get(s, "server-duid6", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "0001");
	ternd_store6_close(s);
	assert_int_equal(side_int("PRAGMA user_version"), 5);
	assert_int_equal(side_int("SELECT count(*) FROM lease6 WHERE "
				  "hex(address) = "
				  "'20010DB8000100000000000000000100'"),
			 1);
}

/* The group committer over the v6 store: records submitted from this
 * thread are committed on the committer's, in batches with tickets; a
 * ticket waited for is on disk (seen from a second connection). */
static void test_committer6(void **state)
{
	struct ternd_store6 *s;
	struct ternd_committer *c;
	struct ternd_change6 ch[2];
	struct ternd_committer_stats cs;
	uint64_t t1 = 0, t2 = 0;

	(void)state;
	assert_int_equal(ternd_store6_open(path, &s), 0);
	assert_int_equal(ternd_store6_committer(s, 4, &c), 0);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::200", 128, TERND_LEASE6_NA, 7);
	ch[1].op = TERND_CHANGE6_PUT;
	ch[1].lease = mk("2001:db8:9000::", 56, TERND_LEASE6_PD, 8);
	assert_int_equal(ternd_committer_submit_any(c, ch, 2, &t1), 0);
	assert_true(t1 >= 1);
	/* More than the queue holds at once: refused, nothing queued. */
	{
		struct ternd_change6 many[5];

		for (int i = 0; i < 5; i++)
			many[i] = ch[0];
		assert_int_equal(ternd_committer_submit_any(c, many, 5, &t2),
				 -EINVAL);
	}
	assert_int_equal(ternd_committer_wait(c, t1), 0);
	assert_true(ternd_committer_done(c) >= t1);
	assert_int_equal(side_int("SELECT count(*) FROM lease6 WHERE iaid IN "
				  "(7, 8)"),
			 2);
	/* Delete one, through submit_wait (the control commands' way). */
	ch[0].op = TERND_CHANGE6_DEL;
	assert_int_equal(ternd_committer_submit_wait_any(c, ch, 1, &t2), 0);
	assert_true(t2 > t1);
	assert_int_equal(side_int("SELECT count(*) FROM lease6 WHERE iaid = 7"),
			 0);
	assert_int_equal(ternd_committer_stop(c), 0);
	ternd_committer_stats(c, &cs);
	assert_int_equal(cs.committed, 3);
	ternd_committer_free(c);
	ternd_store6_close(s);
}

/* A version-3 file (ternd before DHCPv6) gains the lease6 table and keeps
 * its v4 leases. */
static void test_migrate_v4(void **state)
{
	sqlite3 *db;
	struct ternd_store6 *s;
	struct ternd_change6 ch;

	(void)state;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE lease6; "
				      "PRAGMA user_version = 4",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(ternd_store6_open(path, &s), 0);
	ch.op = TERND_CHANGE6_PUT;
	ch.lease = mk("2001:db8:1::102", 128, TERND_LEASE6_NA, 4);
	assert_int_equal(ternd_store6_commit(s, &ch, 1), 0);
	ternd_store6_close(s);
	assert_int_equal(side_int("PRAGMA user_version"), 5);
	assert_int_equal(side_int("SELECT count(*) FROM lease6"), 1);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_committer6),
		cmocka_unit_test(test_migrate_v4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
