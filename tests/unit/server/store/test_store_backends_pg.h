/* PostgreSQL-only cases of test_store_backends.c: the schema as an
 * operator sees it, two servers on one database, a lost server. */

/* One value from SQL run by an operator's connection (psql's view). */
static void side_value(const struct fx *f, const char *sql, char *buf,
		       size_t len)
{
	PGconn *c = PQconnectdb(f->where);
	PGresult *res;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	res = PQexec(c, sql);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(res), 1);
	snprintf(buf, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(c);
}

static void test_pg_schema_readable(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[1];
	struct ternd_lease l;
	char buf[128];

	fx_open(f);
	make_lease(&l, 7, 0);
	strcpy(l.hostname, "printer");
	upsert(&ch[0], &l);
	assert_int_equal(f->ops->commit(f->st, ch, 1), 0);
	side_value(f, "SELECT version FROM ternd_schema", buf, sizeof(buf));
	assert_string_equal(buf, "2"); /* 2: the DHCPv6 table */
	side_value(f,
		   "SELECT address || ' ' || state || ' ' || hwaddr || ' ' || "
		   "hostname FROM ternd_lease4_readable",
		   buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.7/32 bound 07:01:02:03:04:05 printer");
	side_value(f, "SELECT assigned || ' ' || rows FROM ternd_lease4_stat",
		   buf, sizeof(buf));
	/* make_lease's lease ended in 2023: not assigned any more. */
	assert_string_equal(buf, "0 1");
	/* No triggers: no row is written by every commit. */
	side_value(f,
		   "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON "
		   "c.oid = t.tgrelid WHERE c.relname LIKE 'ternd%'",
		   buf, sizeof(buf));
	assert_string_equal(buf, "0");
	/* Reopening an existing schema changes nothing. */
	fx_reopen(f);
	side_value(f, "SELECT count(*) FROM ternd_schema", buf, sizeof(buf));
	assert_string_equal(buf, "1");
}

static void test_pg_newer_schema_refused(void **state)
{
	struct fx *f = *state;

	fx_open(f);
	f->ops->close(f->st);
	f->st = NULL;
	assert_int_equal(
		pgfix_psql(&pg, f->db, "UPDATE ternd_schema SET version = 99"),
		0);
	assert_int_equal(f->ops->open(f->where, &f->st), -EPROTONOSUPPORT);
	assert_null(f->st);
}

/* Two servers: both open (one creates the schema, the other finds it),
 * each commits, each reads what the other wrote. */
static void test_pg_two_servers_share(void **state)
{
	struct fx *f = *state;
	struct ternd_store *other = NULL;
	struct ternd_committer *c1 = NULL, *c2 = NULL;
	struct ternd_change ch[50];
	struct ternd_lease l, got;
	uint64_t t1 = 0, t2 = 0;
	size_t n = 0;

	fx_open(f);
	assert_int_equal(f->ops->open(f->where, &other), 0);
	assert_int_equal(ternd_committer_new(f->ops, f->st, 0, &c1), 0);
	assert_int_equal(ternd_committer_new(f->ops, other, 0, &c2), 0);
	for (uint32_t i = 0; i < 20; i++) {
		for (uint32_t k = 0; k < 50; k++) {
			make_lease(&l, i * 100 + k, 1);
			upsert(&ch[k], &l);
		}
		assert_int_equal(ternd_committer_submit(c1, ch, 50, &t1), 0);
		for (uint32_t k = 0; k < 50; k++) {
			make_lease(&l, i * 100 + 50 + k, 1);
			upsert(&ch[k], &l);
		}
		assert_int_equal(ternd_committer_submit(c2, ch, 50, &t2), 0);
	}
	assert_int_equal(ternd_committer_wait(c1, t1), 0);
	assert_int_equal(ternd_committer_wait(c2, t2), 0);
	ternd_committer_free(c1);
	ternd_committer_free(c2);
	make_lease(&l, 1999, 1);
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
	assert_lease_equal(&got, &l);
	make_lease(&l, 0, 1);
	assert_int_equal(f->ops->lookup(other, l.addr, &got), 0);
	assert_lease_equal(&got, &l);
	assert_int_equal(f->ops->iterate(other, count_cb, &n), 0);
	assert_int_equal(n, 2000);
	f->ops->close(other);
}

static void test_pg_open_fails_without_server(void **state)
{
	struct fx *f = *state;
	char where[256];

	/* A socket directory where nothing listens. */
	snprintf(where, sizeof(where),
		 "host=%s port=1 user=postgres dbname=x connect_timeout=2",
		 pg.dir);
	assert_int_equal(f->ops->open(where, &f->st), -ENOTCONN);
	assert_null(f->st);
}

/* The database restarts under a commit: the commit reconnects (counted)
 * and the batch lands once, whole. */
static void test_pg_reconnects_after_restart(void **state)
{
	struct fx *f = *state;
	struct ternd_pg_retry retry = {.max_tries = 30, .wait_ms = 50};
	struct ternd_pg_counters cnt;
	struct ternd_change ch[100];
	struct ternd_lease l, got;
	size_t n = 0;
	pid_t child;
	int status;

	fx_open(f);
	ternd_pg_set_retry(f->st, &retry);
	assert_int_equal(pgfix_stop_server(&pg), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		usleep(500 * 1000); /* the commit below meets no server */
		_exit(pgfix_start_server(&pg) == 0 ? 0 : 1);
	}
	for (uint32_t k = 0; k < 100; k++) {
		make_lease(&l, k, 1);
		upsert(&ch[k], &l);
	}
	assert_int_equal(f->ops->commit(f->st, ch, 100), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ternd_pg_counters(f->st, &cnt);
	assert_true(cnt.lost >= 1);
	assert_true(cnt.reconnects >= 1);
	make_lease(&l, 99, 1);
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
	assert_lease_equal(&got, &l);
	assert_int_equal(f->ops->iterate(f->st, count_cb, &n), 0);
	assert_int_equal(n, 100);
}

/* max-reconnect-tries 0 (Kea's default): a lost connection fails the
 * commit, nothing of the batch is stored. */
static void test_pg_no_retry_fails(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[1];
	struct ternd_lease l, got;
	struct ternd_store *again = NULL;

	fx_open(f);
	assert_int_equal(pgfix_stop_server(&pg), 0);
	make_lease(&l, 5, 0);
	upsert(&ch[0], &l);
	assert_int_equal(f->ops->commit(f->st, ch, 1), -ENOTCONN);
	assert_int_equal(pgfix_start_server(&pg), 0);
	assert_int_equal(f->ops->open(f->where, &again), 0);
	assert_int_equal(f->ops->lookup(again, l.addr, &got), -ENOENT);
	f->ops->close(again);
}

/* A lease for client c at 10.0.0.i, running until now + left. */
static void client_lease(struct ternd_lease *l, uint32_t i, uint8_t c,
			 int64_t left)
{
	make_lease(l, i, 0);
	l->cid_len = 1;
	l->cid[0] = c;
	memset(l->hw, c, 6);
	l->cltt = time(NULL);
	l->expire = l->cltt + left;
}

static void shared1(struct fx *f, struct ternd_store *st,
		    const struct ternd_change *ch, uint8_t want_lost)
{
	uint8_t lost = 9;

	assert_int_equal(f->ops->commit_shared(st, ch, 1, &lost), 0);
	assert_int_equal(lost, want_lost);
}

/* Two servers, one address: the row decides. */
static void test_pg_shared_guard(void **state)
{
	struct fx *f = *state;
	struct ternd_store *b = NULL;
	struct ternd_change ch;
	struct ternd_lease l, got;

	fx_open(f);
	assert_int_equal(f->ops->open(f->where, &b), 0);
	assert_null(ternd_store_backend("sqlite")->commit_shared);

	client_lease(&l, 1, 1, 3600); /* A: client 1, a new row */
	upsert(&ch, &l);
	shared1(f, f->st, &ch, 0);
	client_lease(&l, 1, 2, 3600); /* B: client 2 wants it too: lost */
	upsert(&ch, &l);
	shared1(f, b, &ch, 1);
	assert_int_equal(f->ops->lookup(b, l.addr, &got), 0);
	assert_int_equal(got.cid[0], 1);
	client_lease(&l, 1, 1, 7200); /* client 1 renews at B: its row */
	upsert(&ch, &l);
	shared1(f, b, &ch, 0);
	client_lease(&l, 1, 1, 3600); /* A's expiry of the old end: lost */
	l.state = TERND_LEASE_EXPIRED;
	l.expire = time(NULL) - 1;
	upsert(&ch, &l);
	shared1(f, f->st, &ch, 1);
	assert_int_equal(f->ops->lookup(f->st, l.addr, &got), 0);
	assert_int_equal(got.state, TERND_LEASE_BOUND);
	del(&ch, l.addr); /* a running bound row is never deleted */
	shared1(f, f->st, &ch, 1);
	del(&ch, 0x0a0000fe); /* no row: nothing lost */
	shared1(f, f->st, &ch, 0);

	client_lease(&l, 2, 3, -10); /* a bound row past its end is free */
	upsert(&ch, &l);
	shared1(f, f->st, &ch, 0);
	client_lease(&l, 2, 4, 3600);
	upsert(&ch, &l);
	shared1(f, b, &ch, 0);
	client_lease(&l, 3, 5, 3600); /* released rows are free */
	l.state = TERND_LEASE_RELEASED;
	upsert(&ch, &l);
	shared1(f, f->st, &ch, 0);
	client_lease(&l, 3, 6, 3600);
	upsert(&ch, &l);
	shared1(f, b, &ch, 0);
	del(&ch, l.addr); /* B's own bound row, running: kept */
	shared1(f, b, &ch, 1);
	f->ops->close(b);
}

/* Lost flags line up with their changes across pipeline chunks, and a
 * batch with lost changes still commits the others. */
#define MIXED 1500
static void test_pg_shared_batch_flags(void **state)
{
	struct fx *f = *state;
	struct ternd_store *b = NULL;
	struct ternd_change *ch = calloc(MIXED, sizeof(*ch));
	uint8_t *lost = calloc(MIXED, 1);
	struct ternd_lease l, got;

	assert_non_null(ch);
	assert_non_null(lost);
	fx_open(f);
	assert_int_equal(f->ops->open(f->where, &b), 0);
	for (uint32_t i = 0; i < MIXED; i += 3) { /* A takes every third */
		client_lease(&l, i, 1, 3600);
		upsert(&ch[i / 3], &l);
	}
	assert_int_equal(f->ops->commit_shared(f->st, ch, MIXED / 3, lost), 0);
	for (uint32_t i = 0; i < MIXED / 3; i++)
		assert_int_equal(lost[i], 0);
	for (uint32_t i = 0; i < MIXED; i++) { /* B wants them all */
		client_lease(&l, i, 2, 3600);
		upsert(&ch[i], &l);
	}
	assert_int_equal(f->ops->commit_shared(b, ch, MIXED, lost), 0);
	for (uint32_t i = 0; i < MIXED; i++) {
		assert_int_equal(lost[i], i % 3 == 0);
		assert_int_equal(f->ops->lookup(f->st, 0x0a000000u + i, &got),
				 0);
		assert_int_equal(got.cid[0], i % 3 == 0 ? 1 : 2);
	}
	f->ops->close(b);
	free(ch);
	free(lost);
}

/* One shared batch naming an address twice: each change is judged
 * against the row as the changes before it left it. */
static void test_pg_shared_batch_repeat(void **state)
{
	struct fx *f = *state;
	struct ternd_change ch[5];
	struct ternd_lease l, got;
	uint8_t lost[5];

	fx_open(f);
	client_lease(&l, 1, 1, 3600);
	upsert(&ch[0], &l); /* new row: client 1 */
	client_lease(&l, 1, 2, 3600);
	upsert(&ch[1], &l); /* client 2, the row runs for client 1: lost */
	client_lease(&l, 2, 2, 3600);
	upsert(&ch[2], &l); /* new row */
	client_lease(&l, 1, 1, 7200);
	upsert(&ch[3], &l);	 /* client 1 renews its row */
	del(&ch[4], 0x0a000002); /* a running bound row: kept, lost */
	memset(lost, 9, sizeof(lost));
	assert_int_equal(f->ops->commit_shared(f->st, ch, 5, lost), 0);
	assert_int_equal(lost[0], 0);
	assert_int_equal(lost[1], 1);
	assert_int_equal(lost[2], 0);
	assert_int_equal(lost[3], 0);
	assert_int_equal(lost[4], 1);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000001, &got), 0);
	assert_int_equal(got.cid[0], 1);
	assert_true(got.expire == l.expire);
	assert_int_equal(f->ops->lookup(f->st, 0x0a000002, &got), 0);
	assert_int_equal(got.cid[0], 2);
}

/* Through the committer: a lost change is published, with the row that
 * won, before its ticket is done. */
static void test_pg_committer_lost(void **state)
{
	struct fx *f = *state;
	struct ternd_store *b = NULL;
	struct ternd_committer *c = NULL;
	struct ternd_committer_lost out[4];
	struct ternd_committer_stats cs;
	struct ternd_change ch[2];
	struct ternd_lease l;
	uint64_t t = 0;

	fx_open(f);
	assert_int_equal(f->ops->open(f->where, &b), 0);
	client_lease(&l, 5, 1, 3600);
	upsert(&ch[0], &l);
	shared1(f, f->st, &ch[0], 0);
	assert_int_equal(ternd_committer_new(f->ops, b, 0, &c), 0);
	client_lease(&l, 5, 2, 3600);
	upsert(&ch[0], &l);
	client_lease(&l, 6, 2, 3600);
	upsert(&ch[1], &l);
	assert_int_equal(ternd_committer_submit(c, ch, 2, &t), 0);
	assert_int_equal(ternd_committer_wait(c, t), 0);
	assert_int_equal(ternd_committer_take_lost(c, out, 4), 1);
	assert_true(out[0].ticket == t);
	assert_true(out[0].have_row);
	assert_int_equal(out[0].row.addr, 0x0a000005);
	assert_int_equal(out[0].row.cid[0], 1); /* the winner's */
	assert_int_equal(ternd_committer_take_lost(c, out, 4), 0);
	ternd_committer_stats(c, &cs);
	assert_true(cs.lost == 1);
	ternd_committer_free(c);
	f->ops->close(b);
}
