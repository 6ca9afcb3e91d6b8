/* Unit tests for the SQLite lease store, including kill -9 durability. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "server/store/committer.h"
#include "server/store/store.h"

/* A scratch directory per test, removed with everything SQLite left in
 * it (-wal, -shm). */
struct fx {
	char dir[64];
	char path[128];
	const struct ternd_store_ops *ops;
	struct ternd_store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/tern-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/leases.db", f->dir);
	f->ops = ternd_store_backend("sqlite");
	*state = f;
	return f->ops ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct dirent *de;
	char p[512];
	DIR *d;

	if (f->st)
		f->ops->close(f->st);
	d = opendir(f->dir);
	if (d) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void fx_open(struct fx *f)
{
	assert_int_equal(f->ops->open(f->path, &f->st), 0);
	assert_non_null(f->st);
}

static void fx_reopen(struct fx *f)
{
	f->ops->close(f->st);
	f->st = NULL;
	fx_open(f);
}

/* A lease whose every field depends on i, so mix-ups show. */
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
	/* Extended info on some: up to the longest option 82. */
	l->rai_len = (uint8_t)(i % 4 == 0 ? i % (TERND_LEASE_RAI_MAX + 1) : 0);
	for (int k = 0; k < l->rai_len; k++)
		l->rai[k] = (uint8_t)(i * 7 + (uint32_t)k);
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
	assert_int_equal(a->subnet_id, b->subnet_id);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->htype, b->htype);
	assert_int_equal(a->hw_len, b->hw_len);
	assert_memory_equal(a->hw, b->hw, sizeof(a->hw));
	assert_int_equal(a->cid_len, b->cid_len);
	assert_memory_equal(a->cid, b->cid, sizeof(a->cid));
	assert_int_equal(a->valid_lifetime, b->valid_lifetime);
	assert_true(a->cltt == b->cltt);
	assert_true(a->expire == b->expire);
	assert_string_equal(a->hostname, b->hostname);
	assert_int_equal(a->fqdn_fwd, b->fqdn_fwd);
	assert_int_equal(a->fqdn_rev, b->fqdn_rev);
	assert_int_equal(a->rai_len, b->rai_len);
	assert_memory_equal(a->rai, b->rai, sizeof(a->rai));
	/* Nothing else in the struct: padding-free comparison is exact. */
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

static sqlite3 *side_db(const struct fx *f)
{
	sqlite3 *db = NULL;

	assert_int_equal(
		sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL),
		SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int64_t side_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static const char *text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? (const char *)t : "(null)";
}

static void test_backend_registry(void **state)
{
	const struct ternd_store_ops *s = ternd_store_backend("sqlite");

	(void)state;
	assert_non_null(s);
	assert_string_equal(s->name, "sqlite");
	assert_ptr_equal(ternd_store_backend("memfile"), s);
	assert_string_equal(ternd_store_backend("postgresql")->name,
			    "postgresql");
	assert_null(ternd_store_backend("mysql"));
	assert_null(ternd_store_backend(""));
	assert_null(ternd_store_backend(NULL));
}

static void test_schema_created(void **state)
{
	struct fx *f = *state;
	sqlite3 *db;

	fx_open(f);
	assert_int_equal(access(f->path, F_OK), 0);
	db = side_db(f);
	assert_int_equal(side_int(db, "PRAGMA user_version"), 4);
	assert_int_equal(side_int(db,
				  "SELECT count(*) FROM sqlite_schema"
				  " WHERE type = 'table' AND name = 'meta'"),
			 1);
	assert_int_equal(side_int(db,
				  "SELECT count(*) FROM sqlite_schema"
				  " WHERE type = 'table' AND name = 'lease4'"),
			 1);
	assert_int_equal(side_int(db, "SELECT count(*) FROM sqlite_schema"
				      " WHERE type = 'view'"
				      " AND name = 'lease4_readable'"),
			 1);
	/* journal_mode is persistent in the file; synchronous is per
	 * connection, so only the store's own behaviour can show it. */
	{
		sqlite3_stmt *s = NULL;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode",
						    -1, &s, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal(text(s, 0), "wal");
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	/* A second open of an existing file keeps the schema. */
	fx_reopen(f);
}

static void test_open_errors(void **state)
{
	struct fx *f = *state;
	struct ternd_store *st = (struct ternd_store *)0x1;
	char p[256];
	sqlite3 *db;
	FILE *fp;

	snprintf(p, sizeof(p), "%s/missing/leases.db", f->dir);
	assert_true(f->ops->open(p, &st) < 0);
	assert_ptr_equal(st, (struct ternd_store *)0x1);
	assert_int_equal(f->ops->open(NULL, &st), -EINVAL);
	assert_int_equal(f->ops->open("", &st), -EINVAL);

	/* Not a database: reported, not overwritten. */
	snprintf(p, sizeof(p), "%s/junk.db", f->dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	for (int i = 0; i < 200; i++)
		fputs("this is not an sqlite file\n", fp);
	fclose(fp);
	assert_int_equal(f->ops->open(p, &st), -EUCLEAN);

	/* A schema from the future is refused. */
	fx_open(f);
	f->ops->close(f->st);
	f->st = NULL;
	db = side_db(f);
	assert_int_equal(
		sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(f->ops->open(f->path, &st), -EPROTONOSUPPORT);
}

/* Notes beside the leases: set with a batch, atomically; a version 2 file
 * (no meta table) is upgraded in place. */
static void test_meta(void **state)
{
	struct fx *f = *state;
	struct ternd_lease l;
	struct ternd_change ch;
	struct ternd_lease got;
	char buf[64];
	sqlite3 *db;

	fx_open(f);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)),
			 -ENOENT);
	make_lease(&l, 1, 0);
	upsert(&ch, &l);
	assert_int_equal(f->ops->commit_meta(f->st, &ch, 1, "k", "first"), 0);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "first");
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
	/* Replaced; a short buffer gets a cut, terminated value. */
	assert_int_equal(f->ops->commit_meta(f->st, NULL, 0, "k", "second"), 0);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, 4), 0);
	assert_string_equal(buf, "sec");
	/* A failing batch does not set the note either. */
	l.state = 99;
	upsert(&ch, &l);
	assert_int_equal(f->ops->commit_meta(f->st, &ch, 1, "k2", "x"),
			 -EINVAL);
	assert_int_equal(f->ops->meta_get(f->st, "k2", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(f->ops->commit_meta(f->st, NULL, 0, NULL, "x"),
			 -EINVAL);
	fx_reopen(f);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "second");

	/* Back to version 2, as an older ternd left it. */
	f->ops->close(f->st);
	f->st = NULL;
	db = side_db(f);
	assert_int_equal(
		sqlite3_exec(db,
			     "DROP TABLE meta; DROP VIEW lease4_readable;"
			     " ALTER TABLE lease4 DROP COLUMN relay_agent_info;"
			     " PRAGMA user_version = 2",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	fx_open(f);
	assert_int_equal(f->ops->meta_get(f->st, "k", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
	db = side_db(f);
	assert_int_equal(side_int(db, "PRAGMA user_version"), 4);
	sqlite3_close(db);
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	struct ternd_lease a, b, got;
	struct ternd_change ch[3];
	struct collect col = {0};

	fx_open(f);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), -ENOENT);
	assert_int_equal(f->ops->commit(f->st, NULL, 0), 0);

	/* a: the biggest client id, an empty hostname, no hw address. */
	memset(&a, 0, sizeof(a));
	a.addr = 0xc0a80001; /* top bit set: must survive as uint32 */
	a.subnet_id = UINT32_MAX;
	a.state = TERND_LEASE_BOUND;
	a.htype = 0;
	a.hw_len = 0;
	a.cid_len = TERND_LEASE_CID_MAX;
	for (int k = 0; k < TERND_LEASE_CID_MAX; k++)
		a.cid[k] = (uint8_t)(255 - k);
	a.valid_lifetime = UINT32_MAX;
	a.cltt = INT64_C(1700000000);
	a.expire = INT64_C(1700000000) + UINT32_MAX;
	a.hostname[0] = '\0';

	/* b: the longest hw address and hostname, no client id. */
	memset(&b, 0, sizeof(b));
	b.addr = 0xffffffff;
	b.subnet_id = 0;
	b.state = TERND_LEASE_DECLINED;
	b.htype = 255;
	b.hw_len = TERND_LEASE_HW_MAX;
	memset(b.hw, 0xab, sizeof(b.hw));
	b.cid_len = 0;
	b.valid_lifetime = 0;
	b.cltt = -1;
	b.expire = INT64_MAX;
	memset(b.hostname, 'x', sizeof(b.hostname) - 1);

	upsert(&ch[0], &a);
	upsert(&ch[1], &b);
	assert_int_equal(f->ops->commit(f->st, ch, 2), 0);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
	assert_int_equal(f->ops->lookup(f->st, b.addr, &got), 0);
	assert_lease_equal(&got, &b);

	/* Update in place: every field can change. */
	a.state = TERND_LEASE_RELEASED;
	a.cid_len = 3;
	memset(a.cid + 3, 0, sizeof(a.cid) - 3);
	a.hw_len = 6;
	memcpy(a.hw, "\x00\x11\x22\x33\x44\x55", 6);
	a.htype = 1;
	a.expire = 5;
	strcpy(a.hostname, "laptop");
	upsert(&ch[0], &a);
	/* And delete b plus an address that never existed. */
	del(&ch[1], b.addr);
	del(&ch[2], 0x01020304);
	assert_int_equal(f->ops->commit(f->st, ch, 3), 0);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
	assert_int_equal(f->ops->lookup(f->st, b.addr, &got), -ENOENT);

	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 1);
	assert_lease_equal(&col.v[0], &a);

	/* Reopen: everything committed is still there. */
	fx_reopen(f);
	assert_int_equal(f->ops->lookup(f->st, a.addr, &got), 0);
	assert_lease_equal(&got, &a);
	assert_int_equal(f->ops->lookup(f->st, b.addr, &got), -ENOENT);
}

static void test_iterate_stops(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[5];
	struct ternd_lease l;
	struct collect col = {0};

	fx_open(f);
	for (uint32_t i = 0; i < 5; i++) {
		make_lease(&l, i, 0);
		upsert(&ch[i], &l);
	}
	assert_int_equal(f->ops->commit(f->st, ch, 5), 0);
	col.stop_after = 2;
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 42);
	assert_int_equal(col.n, 2);
	/* The statement was reset: a full scan works afterwards. */
	memset(&col, 0, sizeof(col));
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 5);
	for (uint32_t i = 0; i < 5; i++) {
		make_lease(&l, i, 0);
		assert_lease_equal(&col.v[i], &l); /* address order */
	}
}

static void test_rollback(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[4];
	struct ternd_lease l, keep, got;
	sqlite3 *db;

	fx_open(f);
	make_lease(&keep, 100, 0);
	upsert(&ch[0], &keep);
	assert_int_equal(f->ops->commit(f->st, ch, 1), 0);

	/* SQLite itself fails the third statement, after two went in. */
	db = side_db(f);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TRIGGER boom BEFORE INSERT ON"
				      " lease4 WHEN NEW.address = 167772163"
				      " BEGIN SELECT RAISE(ABORT, 'boom'); END",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	make_lease(&l, 1, 0);
	upsert(&ch[0], &l);
	l = keep;
	l.state = TERND_LEASE_EXPIRED; /* an update that must not stick */
	upsert(&ch[1], &l);
	make_lease(&l, 3, 0); /* 10.0.0.3 = 167772163 */
	upsert(&ch[2], &l);
	make_lease(&l, 4, 0);
	upsert(&ch[3], &l);
	assert_true(f->ops->commit(f->st, ch, 4) < 0);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), -ENOENT);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000004, &got), -ENOENT);
	assert_int_equal(f->ops->lookup(f->st, keep.addr, &got), 0);
	assert_lease_equal(&got, &keep);
	assert_int_equal(
		sqlite3_exec(db, "DROP TRIGGER boom", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);

	/* Invalid changes in the middle of a batch: same guarantee. */
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
	memset(ch[2].lease.hostname, 'x', sizeof(ch[2].lease.hostname));
	assert_int_equal(f->ops->commit(f->st, ch, 3), -EINVAL);
	ch[2] = ch[0];
	ch[2].lease.state = 200;
	assert_int_equal(f->ops->commit(f->st, ch, 3), -EINVAL);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), -ENOENT);
	assert_int_equal(f->ops->lookup(f->st, keep.addr, &got), 0);
	assert_lease_equal(&got, &keep);

	/* And the store still works after all those rollbacks. */
	assert_int_equal(f->ops->commit(f->st, ch, 2), 0);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), 0);
	assert_int_equal(f->ops->lookup(f->st, keep.addr, &got), -ENOENT);
}

/* A file of schema 1 (before DDNS) is upgraded in place: its leases stay,
 * their names have no DDNS directions. */
static void test_schema1_upgraded(void **state)
{
	struct fx *f = *state;
	struct collect col = {0};
	struct ternd_lease want;
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "CREATE TABLE lease4 (address INTEGER PRIMARY KEY,"
			     " subnet_id INTEGER NOT NULL, state INTEGER NOT "
			     "NULL, htype INTEGER NOT NULL, hwaddr BLOB NOT "
			     "NULL, client_id BLOB NOT NULL, valid_lifetime "
			     "INTEGER NOT NULL, cltt INTEGER NOT NULL, expire "
			     "INTEGER NOT NULL, hostname TEXT NOT NULL);"
			     "INSERT INTO lease4 VALUES (167772161, 1, 2, 1,"
			     " x'020000000001', x'', 3600, 1700000000,"
			     " 1700003600, 'old-host');"
			     "PRAGMA user_version = 1;",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	fx_open(f);
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), 0);
	assert_int_equal(col.n, 1);
	memset(&want, 0, sizeof(want));
	want.addr = 167772161;
	want.subnet_id = 1;
	want.state = TERND_LEASE_BOUND;
	want.htype = 1;
	want.hw_len = 6;
	memcpy(want.hw, "\x02\0\0\0\0\x01", 6);
	want.valid_lifetime = 3600;
	want.cltt = 1700000000;
	want.expire = 1700003600;
	strcpy(want.hostname, "old-host");
	assert_lease_equal(&col.v[0], &want);
	db = side_db(f);
	assert_int_equal(side_int(db, "PRAGMA user_version"), 4);
	sqlite3_close(db);
	/* And it keeps the directions from now on. */
	want.fqdn_rev = true;
	{
		struct ternd_change ch;
		struct ternd_lease got;

		upsert(&ch, &want);
		assert_int_equal(f->ops->commit(f->st, &ch, 1), 0);
		fx_reopen(f);
		assert_int_equal(f->ops->lookup(f->st, want.addr, &got), 0);
		assert_lease_equal(&got, &want);
	}
}

static void test_corrupt_row_reported(void **state)
{
	struct fx *f = *state;
	struct collect col = {0};
	struct ternd_lease got;
	sqlite3 *db;

	fx_open(f);
	db = side_db(f);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO lease4 VALUES (1, 1, 2, 1,"
				      " zeroblob(17), x'', 0, 0, 0, '', 0, 0,"
				      " x'')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(f->ops->iterate(f->st, collect_cb, &col), -EUCLEAN);
	assert_int_equal(f->ops->lookup(f->st, 1, &got), -EUCLEAN);
}

static void test_views_readable(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[2];
	struct ternd_lease l;
	sqlite3_stmt *s = NULL;
	sqlite3 *db;

	fx_open(f);
	memset(&l, 0, sizeof(l));
	l.addr = 0xc0a8010a; /* 192.168.1.10 */
	l.subnet_id = 7;
	l.state = TERND_LEASE_BOUND;
	l.htype = 1;
	l.hw_len = 6;
	memcpy(l.hw, "\x00\x1a\x2b\x3c\x4d\x5e", 6);
	l.cid_len = 7;
	memcpy(l.cid, "\x01\x00\x1a\x2b\x3c\x4d\x5e", 7);
	l.valid_lifetime = 3600;
	l.cltt = 1700000000;
	l.expire = 1700003600;
	strcpy(l.hostname, "printer");
	l.rai_len = 8;
	memcpy(l.rai, "\x01\x02\xab\xcd\x02\x02\x0e\xf0", 8);
	upsert(&ch[0], &l);
	memset(&l, 0, sizeof(l));
	l.addr = 0x0a000001;
	l.state = TERND_LEASE_DECLINED;
	upsert(&ch[1], &l);
	assert_int_equal(f->ops->commit(f->st, ch, 2), 0);

	db = side_db(f);
	assert_int_equal(
		sqlite3_prepare_v2(
			db,
			"SELECT address, subnet_id, state, hwaddr,"
			" client_id, hostname, cltt, expire,"
			" remaining, user_context FROM lease4_readable",
			-1, &s, NULL),
		SQLITE_OK);
	/* Numeric address order: 10.0.0.1 before 192.168.1.10. */
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(text(s, 0), "10.0.0.1");
	assert_string_equal(text(s, 2), "declined");
	assert_string_equal(text(s, 3), "");
	assert_string_equal(text(s, 4), "");
	assert_string_equal(text(s, 5), "");
	assert_string_equal(text(s, 9), "");
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(text(s, 0), "192.168.1.10");
	assert_int_equal(sqlite3_column_int(s, 1), 7);
	assert_string_equal(text(s, 2), "bound");
	assert_string_equal(text(s, 3), "00:1a:2b:3c:4d:5e");
	assert_string_equal(text(s, 4), "01001a2b3c4d5e");
	assert_string_equal(text(s, 5), "printer");
	assert_string_equal(text(s, 6), "2023-11-14T22:13:20Z");
	assert_string_equal(text(s, 7), "2023-11-14T23:13:20Z");
	assert_true(sqlite3_column_int64(s, 8) < 0); /* long past */
	/* Kea's user-context of a lease with extended info. */
	assert_string_equal(text(s, 9), "{ \"ISC\": { \"relay-agent-info\": "
					"\"0x0102ABCD02020EF0\" } }");
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static int count_cb(void *ctx, const struct ternd_lease *l)
{
	size_t *n = ctx;

	/* Touch the lease like a restore would. */
	if (l->state != TERND_LEASE_BOUND)
		return -EINVAL;
	(*n)++;
	return 0;
}

#define MANY  100000
#define BATCH 1000

static void test_100k_commit_and_iterate(void **state)
{
	struct fx *f = *state;
	struct ternd_change *ch;
	size_t n = 0;

	ch = calloc(BATCH, sizeof(*ch));
	assert_non_null(ch);
	fx_open(f);
	for (uint32_t i = 0; i < MANY; i += BATCH) {
		for (uint32_t k = 0; k < BATCH; k++) {
			struct ternd_lease l;

			make_lease(&l, i + k, 0);
			upsert(&ch[k], &l);
		}
		assert_int_equal(f->ops->commit(f->st, ch, BATCH), 0);
	}
	free(ch);

	/* What a restart does: open, then load every lease. */
	f->ops->close(f->st);
	f->st = NULL;
	fx_open(f);
	assert_int_equal(f->ops->iterate(f->st, count_cb, &n), 0);
	assert_int_equal(n, MANY);
	/* How fast: bench/store prints it. */
}

/* kill -9: a child commits through the committer and reports, after
 * every advance of done, how many leases (a prefix, in submit order) are
 * durable. Whatever it reported must be in the store after the kill. */
#define KILL_LEASES 200000
#define KILL_CHUNK  40

static void report(struct ternd_committer *c, const uint32_t *end_of,
		   uint64_t *reported, int wfd)
{
	uint64_t d = ternd_committer_done(c);
	uint32_t count;

	if (d <= *reported)
		return;
	*reported = d;
	count = end_of[d];
	if (write(wfd, &count, sizeof(count)) != sizeof(count))
		_exit(3);
}

static void kill_child(const char *path, uint32_t round, int wfd)
{
	const struct ternd_store_ops *ops = ternd_store_backend("sqlite");
	struct ternd_change ch[KILL_CHUNK];
	struct ternd_committer *c = NULL;
	struct ternd_store *st = NULL;
	uint64_t ticket = 0, reported = 0;
	struct pollfd pfd;
	uint32_t *end_of;
	uint32_t i = 0, k;
	int r;

	/* end_of[t]: leases submitted up to and including ticket t. */
	end_of = calloc(KILL_LEASES + 2, sizeof(*end_of));
	if (!end_of || ops->open(path, &st) < 0 ||
	    ternd_committer_new(ops, st, 4096, &c) < 0)
		_exit(2);
	pfd.fd = ternd_committer_fd(c);
	pfd.events = POLLIN;
	while (i < KILL_LEASES) {
		k = 1 + i % KILL_CHUNK;
		if (k > KILL_LEASES - i)
			k = KILL_LEASES - i;
		for (uint32_t j = 0; j < k; j++) {
			struct ternd_lease l;

			make_lease(&l, i + j, round);
			upsert(&ch[j], &l);
		}
		r = ternd_committer_submit(c, ch, k, &ticket);
		if (r == -EAGAIN) {
			poll(&pfd, 1, -1);
			report(c, end_of, &reported, wfd);
			continue;
		}
		if (r < 0)
			_exit(4);
		i += k;
		end_of[ticket] = i;
		if (poll(&pfd, 1, 0) > 0)
			report(c, end_of, &reported, wfd);
	}
	while (reported < ticket) {
		poll(&pfd, 1, -1);
		if (ternd_committer_error(c) < 0)
			_exit(5);
		report(c, end_of, &reported, wfd);
	}
	ternd_committer_free(c);
	ops->close(st);
	_exit(0);
}

static void test_kill9_keeps_reported_leases(void **state)
{
	struct fx *f = *state;
	const uint32_t kill_at[] = {3000, 20000, 1};

	for (uint32_t round = 0; round < 3; round++) {
		uint32_t count, durable = 0, present = 0;
		bool killed = false;
		struct ternd_lease want, got, old;
		int fds[2], status;
		pid_t pid;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			kill_child(f->path, round, fds[1]);
		}
		close(fds[1]);
		while (read(fds[0], &count, sizeof(count)) == sizeof(count)) {
			assert_true(count >= durable);
			durable = count;
			if (!killed && durable >= kill_at[round]) {
				kill(pid, SIGKILL);
				killed = true;
			}
		}
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(killed ? WIFSIGNALED(status) ||
					     (WIFEXITED(status) &&
					      WEXITSTATUS(status) == 0)
				   : WIFEXITED(status) &&
					     WEXITSTATUS(status) == 0);

		fx_open(f);
		for (uint32_t i = 0; i < KILL_LEASES; i++) {
			make_lease(&want, i, round);
			if (i < durable) {
				assert_int_equal(
					f->ops->lookup(f->st, want.addr, &got),
					0);
				assert_lease_equal(&got, &want);
				present++;
				continue;
			}
			/* Past the reported prefix anything consistent is
			 * fine: this round's lease, an earlier round's, or
			 * none. Never a torn mix. */
			if (f->ops->lookup(f->st, want.addr, &got) < 0)
				continue;
			present++;
			if (got.subnet_id != want.subnet_id) {
				assert_true(round > 0);
				make_lease(&old, i, got.subnet_id - 1);
				assert_lease_equal(&got, &old);
			} else {
				assert_lease_equal(&got, &want);
			}
		}
		printf("[ kill9 ] round %u: killed=%d, %u leases reported"
		       " durable, %u present after restart\n",
		       round, killed, durable, present);
		f->ops->close(f->st);
		f->st = NULL;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backend_registry),
		cmocka_unit_test_setup_teardown(test_schema_created, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_schema1_upgraded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_iterate_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_row_reported,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_views_readable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_100k_commit_and_iterate,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_kill9_keeps_reported_leases, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
