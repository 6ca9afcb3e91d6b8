/* PostgreSQL-only cases of test_store6.c: the ternd_lease6 table as an
 * operator sees it, the shared database's rules, two servers racing, the
 * lost changes the daemon takes, a restarted server. */

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

static void test_pg6_schema_readable(void **state)
{
	struct fx *f = *state;
	struct ternd_change6 ch[2];
	char buf[256];

	fx_open(f);
	ch[0].op = TERND_CHANGE6_PUT;
	ch[0].lease = mk("2001:db8:1::100", 128, TERND_LEASE6_NA, 1);
	ch[1].op = TERND_CHANGE6_PUT;
	ch[1].lease = mk("2001:db8:8000::", 56, TERND_LEASE6_PD, 2);
	ch[1].lease.state = TERND_LEASE6_EXPIRED;
	assert_int_equal(ternd_store6_commit(f->s, ch, 2), 0);
	side_value(f, "SELECT version FROM ternd_schema", buf, sizeof(buf));
	assert_string_equal(buf, "2");
	side_value(f,
		   "SELECT string_agg(type || ' ' || address || ' ' || state "
		   "|| ' ' || duid || ' ' || iaid, ', ') FROM "
		   "ternd_lease6_readable",
		   buf, sizeof(buf));
	assert_string_equal(buf, "IA_NA 2001:db8:1::100/128 bound "
				 "00:03:00:01:02:00:00:00:00:aa 1, IA_PD "
				 "2001:db8:8000::/56 expired-reclaimed "
				 "00:03:00:01:02:00:00:00:00:aa 2");
	side_value(f, "SELECT rows FROM ternd_lease6_stat", buf, sizeof(buf));
	assert_string_equal(buf, "2");
	/* The v4 table is there too: one schema for both families. */
	side_value(f, "SELECT count(*) FROM ternd_lease4", buf, sizeof(buf));
	assert_string_equal(buf, "0");
	/* Reopening changes nothing; a newer schema is refused. */
	fx_reopen(f);
	side_value(f, "SELECT count(*) FROM ternd_lease6", buf, sizeof(buf));
	assert_string_equal(buf, "2");
	ternd_store6_close(f->s);
	f->s = NULL;
	assert_int_equal(
		pgfix_psql(&pg, f->db, "UPDATE ternd_schema SET version = 99"),
		0);
	assert_int_equal(ternd_store6_open_with(f->ops, f->where, &f->s),
			 -EPROTONOSUPPORT);
	assert_null(f->s);
}

/* A lease that runs for an hour by the database's clock, for client c. */
static struct ternd_lease6 running(const char *addr, uint8_t type, uint8_t c)
{
	struct ternd_lease6 l =
		mk(addr, type == TERND_LEASE6_PD ? 56 : 128, type, 1);

	l.duid[9] = c;
	l.cltt = (int64_t)time(NULL);
	l.expire = l.cltt + 3600;
	return l;
}

static void put(struct ternd_change6 *c, const struct ternd_lease6 *l)
{
	c->op = TERND_CHANGE6_PUT;
	c->lease = *l;
}

static void del(struct ternd_change6 *c, const struct ternd_lease6 *l)
{
	c->op = TERND_CHANGE6_DEL;
	c->lease = *l;
}

/* Each rule of commit_shared (store6.h), one batch, lost flags per
 * change, and the rows as they are after. */
static void test_pg6_shared_rules(void **state)
{
	struct fx *f = *state;
	struct ternd_lease6 a1 = running("2001:db8::1", TERND_LEASE6_NA, 0xa),
			    p1 = running("2001:db8:100::", TERND_LEASE6_PD,
					 0xa),
			    r, got;
	struct ternd_change6 ch[16];
	uint8_t lost[16];
	size_t n = 0;

	fx_open(f);
	/* Client A holds ::1 and a prefix; ::2 ended long ago (A); ::3 is
	 * expired-reclaimed (A); ::4 runs (A). */
	put(&ch[n++], &a1);
	put(&ch[n++], &p1);
	r = mk("2001:db8::2", 128, TERND_LEASE6_NA, 1);
	put(&ch[n++], &r);
	r = running("2001:db8::3", TERND_LEASE6_NA, 0xa);
	r.state = TERND_LEASE6_EXPIRED;
	put(&ch[n++], &r);
	r = running("2001:db8::4", TERND_LEASE6_NA, 0xa);
	put(&ch[n++], &r);
	assert_int_equal(ternd_store6_commit_shared(f->s, ch, n, lost), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(lost[i], 0); /* all missing: written */

	n = 0;
	/* 0: B wants A's running ::1 -> lost. */
	r = running("2001:db8::1", TERND_LEASE6_NA, 0xb);
	put(&ch[n++], &r);
	/* 1: B wants A's running prefix -> lost. */
	r = running("2001:db8:100::", TERND_LEASE6_PD, 0xb);
	put(&ch[n++], &r);
	/* 2: B takes ::2, past its end -> written. */
	r = running("2001:db8::2", TERND_LEASE6_NA, 0xb);
	put(&ch[n++], &r);
	/* 3: B takes ::3, expired-reclaimed -> written. */
	r = running("2001:db8::3", TERND_LEASE6_NA, 0xb);
	put(&ch[n++], &r);
	/* 4: A renews ::1 (same DUID, IAID) -> written. */
	r = a1;
	r.expire += 100;
	put(&ch[n++], &r);
	/* 5: another IAID of A is another client -> lost. */
	r = a1;
	r.iaid = 2;
	put(&ch[n++], &r);
	/* 6: an expiry of ::4 by a server that did not see the renewal
	 * (the row still runs) -> lost. */
	r = running("2001:db8::4", TERND_LEASE6_NA, 0xa);
	r.state = TERND_LEASE6_EXPIRED;
	put(&ch[n++], &r);
	/* 7: B deletes A's running prefix -> lost. */
	r = running("2001:db8:100::", TERND_LEASE6_PD, 0xb);
	del(&ch[n++], &r);
	/* 8: a delete by A of its ::4 from a stale view (the row is newer,
	 * renewed elsewhere) -> lost. */
	r = running("2001:db8::4", TERND_LEASE6_NA, 0xa);
	r.expire -= 600;
	del(&ch[n++], &r);
	/* 9: a delete of a missing row -> applied (nothing to keep). */
	r = running("2001:db8::9", TERND_LEASE6_NA, 0xa);
	del(&ch[n++], &r);
	assert_int_equal(ternd_store6_commit_shared(f->s, ch, n, lost), 0);
	{
		const uint8_t want[] = {1, 1, 0, 0, 0, 1, 1, 1, 1, 0};

		assert_memory_equal(lost, want, sizeof(want));
	}
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_NA, &a1.addr, &got), 0);
	assert_int_equal(got.duid[9], 0xa);
	assert_int_equal(got.iaid, 1);
	assert_int_equal(got.expire, a1.expire + 100);
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_PD, &p1.addr, &got), 0);
	assert_lease6_equal(&got, &p1);
	assert_int_equal(ternd_store6_lookup(f->s, TERND_LEASE6_NA,
					     &ch[2].lease.addr, &got),
			 0);
	assert_int_equal(got.duid[9], 0xb);
	r = running("2001:db8::4", TERND_LEASE6_NA, 0xa);
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_NA, &r.addr, &got), 0);
	assert_int_equal(got.state, TERND_LEASE6_BOUND);

	/* A's release of its own current ::1 applies; a decline always. */
	n = 0;
	r = a1;
	r.expire += 100;
	del(&ch[n++], &r);
	r = running("2001:db8::4", TERND_LEASE6_NA, 0);
	r.state = TERND_LEASE6_DECLINED;
	r.duid_len = 0;
	put(&ch[n++], &r);
	assert_int_equal(ternd_store6_commit_shared(f->s, ch, n, lost), 0);
	assert_int_equal(lost[0], 0);
	assert_int_equal(lost[1], 0);
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_NA, &a1.addr, &got),
		-ENOENT);
	assert_int_equal(
		ternd_store6_lookup(f->s, TERND_LEASE6_NA, &r.addr, &got), 0);
	assert_int_equal(got.state, TERND_LEASE6_DECLINED);
	n = 0;
	assert_int_equal(ternd_store6_iterate(f->s, count_cb, &n), 0);
	assert_int_equal(n, 4);
}

/* Two servers (two handles, two committer threads) give the same 200
 * addresses and prefixes to different clients at once: each row goes to
 * exactly one, and each loser learns it lost, with the winner's row. */
#define RACE_N 200
static void test_pg6_two_servers_race(void **state)
{
	struct fx *f = *state;
	struct ternd_store6 *other = NULL;
	struct ternd_committer *c[2] = {NULL, NULL};
	struct ternd_lost6 *lost[2] = {NULL, NULL};
	static struct ternd_lost6_entry out[2][RACE_N];
	static struct ternd_change6 ch[2][RACE_N];
	uint64_t t[2] = {0, 0};
	size_t k[2], n = 0;
	char a[64];

	fx_open(f);
	assert_int_equal(ternd_store6_open_with(f->ops, f->where, &other), 0);
	assert_int_equal(
		ternd_store6_committer_shared(f->s, 0, &lost[0], &c[0]), 0);
	assert_int_equal(
		ternd_store6_committer_shared(other, 0, &lost[1], &c[1]), 0);
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < RACE_N; i++) {
			uint8_t type =
				i % 2 ? TERND_LEASE6_PD : TERND_LEASE6_NA;
			struct ternd_lease6 l;

			if (type == TERND_LEASE6_PD)
				snprintf(a, sizeof(a), "2001:db8:%x::", i);
			else
				snprintf(a, sizeof(a), "2001:db8::%x", i);
			l = running(a, type, (uint8_t)(0x10 + s));
			put(&ch[s][i], &l);
		}
	/* In slices, interleaved: the two threads commit at once. */
	for (int i = 0; i < RACE_N; i += 10)
		for (int s = 0; s < 2; s++)
			assert_int_equal(ternd_committer_submit_any(
						 c[s], &ch[s][i], 10, &t[s]),
					 0);
	for (int s = 0; s < 2; s++) {
		assert_int_equal(ternd_committer_wait(c[s], t[s]), 0);
		k[s] = ternd_lost6_take(lost[s], ternd_committer_done(c[s]),
					out[s], RACE_N);
	}
	/* Exactly one winner per row. */
	assert_int_equal(k[0] + k[1], RACE_N);
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < k[s]; i++) {
			assert_true(out[s][i].have_row);
			assert_int_equal(out[s][i].row.duid[9], 0x10 + !s);
			assert_int_equal(out[s][i].change.lease.duid[9],
					 0x10 + s);
			assert_true(out[s][i].ticket >= 1 &&
				    out[s][i].ticket <= t[s]);
		}
	assert_int_equal(ternd_lost6_count(lost[0]) +
				 ternd_lost6_count(lost[1]),
			 RACE_N);
	for (int s = 0; s < 2; s++) {
		ternd_lost6_stop(lost[s]);
		assert_int_equal(ternd_committer_stop(c[s]), 0);
		ternd_committer_free(c[s]);
		ternd_lost6_free(lost[s]);
	}
	assert_int_equal(ternd_store6_iterate(other, count_cb, &n), 0);
	assert_int_equal(n, RACE_N);
	ternd_store6_close(other);
}

/* The lost list by ticket: a lost change is there before its ticket is
 * done, and take() gives only those of tickets up to done. */
static void test_pg6_committer_lost(void **state)
{
	struct fx *f = *state;
	struct ternd_committer *c = NULL;
	struct ternd_lost6 *lost = NULL;
	struct ternd_lost6_entry out[4];
	struct ternd_change6 ch[2];
	struct ternd_lease6 a = running("2001:db8::a", TERND_LEASE6_NA, 1),
			    b = running("2001:db8::a", TERND_LEASE6_NA, 2);
	uint64_t t1 = 0, t2 = 0;

	fx_open(f);
	put(&ch[0], &a);
	assert_int_equal(ternd_store6_commit(f->s, ch, 1), 0);
	assert_int_equal(ternd_store6_committer_shared(f->s, 0, &lost, &c), 0);
	put(&ch[0], &b); /* lost: a runs */
	assert_int_equal(ternd_committer_submit_wait_any(c, ch, 1, &t1), 0);
	b = running("2001:db8::b", TERND_LEASE6_NA, 2);
	put(&ch[0], &b); /* written */
	a = running("2001:db8::a", TERND_LEASE6_NA, 3);
	put(&ch[1], &a); /* lost */
	assert_int_equal(ternd_committer_submit_wait_any(c, ch, 2, &t2), 0);
	assert_true(t2 > t1);
	assert_int_equal(ternd_lost6_take(lost, t1, out, 4), 1);
	assert_int_equal(out[0].ticket, t1);
	assert_int_equal(out[0].change.lease.duid[9], 2);
	assert_true(out[0].have_row);
	assert_int_equal(out[0].row.duid[9], 1);
	assert_int_equal(ternd_lost6_take(lost, t1, out, 4), 0);
	assert_int_equal(ternd_lost6_take(lost, t2, out, 4), 1);
	assert_int_equal(out[0].ticket, t2);
	assert_int_equal(out[0].change.lease.duid[9], 3);
	ternd_lost6_stop(lost);
	assert_int_equal(ternd_committer_stop(c), 0);
	ternd_committer_free(c);
	ternd_lost6_free(lost);
	/* Not shared: no such committer. */
	assert_int_equal(ternd_store6_committer_shared(NULL, 0, &lost, &c),
			 -EINVAL);
}

/* The server restarts under a commit: with reconnect keys the batch is
 * stored on the new session (the v6 statements prepared again). */
static void test_pg6_reconnects_after_restart(void **state)
{
	struct fx *f = *state;
	struct ternd_pg_retry retry = {.max_tries = 30, .wait_ms = 50};
	struct ternd_pg_counters cnt;
	struct ternd_change6 ch[100];
	struct ternd_lease6 got;
	char a[64];
	size_t n = 0;
	pid_t child;
	int status;

	fx_open(f);
	assert_non_null(ternd_pg6_store(f->s));
	ternd_pg_set_retry(ternd_pg6_store(f->s), &retry);
	assert_int_equal(pgfix_stop_server(&pg), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		usleep(500 * 1000); /* the commit below meets no server */
		_exit(pgfix_start_server(&pg) == 0 ? 0 : 1);
	}
	for (int k = 0; k < 100; k++) {
		struct ternd_lease6 l;

		snprintf(a, sizeof(a), "2001:db8::%x", k + 1);
		l = mk(a, 128, TERND_LEASE6_NA, (uint32_t)k);
		put(&ch[k], &l);
	}
	assert_int_equal(ternd_store6_commit(f->s, ch, 100), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ternd_pg_counters(ternd_pg6_store(f->s), &cnt);
	assert_true(cnt.lost >= 1);
	assert_true(cnt.reconnects >= 1);
	assert_int_equal(ternd_store6_lookup(f->s, TERND_LEASE6_NA,
					     &ch[99].lease.addr, &got),
			 0);
	assert_lease6_equal(&got, &ch[99].lease);
	assert_int_equal(ternd_store6_iterate(f->s, count_cb, &n), 0);
	assert_int_equal(n, 100);
	/* Without reconnect keys a lost session fails the commit. */
	retry.max_tries = 0;
	ternd_pg_set_retry(ternd_pg6_store(f->s), &retry);
	assert_int_equal(pgfix_stop_server(&pg), 0);
	assert_int_equal(ternd_store6_commit(f->s, ch, 1), -ENOTCONN);
	assert_int_equal(pgfix_start_server(&pg), 0);
}

/* Several servers on one database each keep their own DUID: the daemon
 * names its key (docs/lease-store.md); the keys do not meet. */
static void test_pg6_meta_per_server(void **state)
{
	struct fx *f = *state;
	struct ternd_store6 *other = NULL;
	char buf[64];

	fx_open(f);
	assert_int_equal(ternd_store6_open_with(f->ops, f->where, &other), 0);
	assert_int_equal(ternd_store6_meta_set(f->s, "server-duid6@a", "00aa"),
			 0);
	assert_int_equal(ternd_store6_meta_set(other, "server-duid6@b", "00bb"),
			 0);
	assert_int_equal(ternd_store6_meta_get(other, "server-duid6@a", buf,
					       sizeof(buf)),
			 0);
	assert_string_equal(buf, "00aa");
	assert_int_equal(
		ternd_store6_meta_get(f->s, "server-duid6@b", buf, sizeof(buf)),
		0);
	assert_string_equal(buf, "00bb");
	assert_int_equal(ternd_store6_meta_set(f->s, "server-duid6@a", "00cc"),
			 0);
	assert_int_equal(ternd_store6_meta_get(other, "server-duid6@a", buf,
					       sizeof(buf)),
			 0);
	assert_string_equal(buf, "00cc");
	ternd_store6_close(other);
}
