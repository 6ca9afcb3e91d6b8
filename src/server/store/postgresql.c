/* ternd PostgreSQL lease store: pipelined batches, one transaction each. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "server/store/pg_array.h"
#include "server/store/postgresql_int.h"

/* ternd_schema.version of the schema below; add an upgrade step in
 * schema_upgrade() with every change. */
#define SCHEMA_VERSION 2

/* Every server of a shared database takes this advisory lock (an
 * arbitrary constant, "tern" in ASCII) while it creates or upgrades the
 * schema, so two servers starting at once do not both create it. */
#define SCHEMA_LOCK "1952805486"

/* Queries queued before the results so far are read: the server writes
 * results while we write queries, and neither side may fill its socket
 * buffers waiting for the other. */
#define PIPE_CHUNK 512

/* Back-off: the wait between attempts doubles from reconnect-wait-time
 * up to RETRY_BACKOFF times it, and never beyond RETRY_WAIT_MAX_MS. */
#define RETRY_BACKOFF	  8
#define RETRY_WAIT_MAX_MS 30000

/*
 * Tables are prefixed ternd_ so the database can also hold Kea's schema
 * (lease4, lease6, ...) without a clash. Numbers are bigint, identifiers
 * bytea; the view renders them for people. No triggers: statistics are
 * counted by each server from its own state, and ternd_lease4_stat counts
 * at read time, so no row is updated by every commit.
 */
static const char schema_sql[] =
	"CREATE TABLE ternd_lease4 (\n"
	"  address bigint PRIMARY KEY, -- IPv4 as a number, 10.0.0.1 = "
	"167772161\n"
	"  subnet_id bigint NOT NULL,\n"
	"  state smallint NOT NULL, -- 2 bound 3 declined 4 expired 5 "
	"released\n"
	"  htype smallint NOT NULL,\n"
	"  hwaddr bytea NOT NULL,\n"
	"  client_id bytea NOT NULL,\n"
	"  valid_lifetime bigint NOT NULL, -- seconds granted at cltt\n"
	"  cltt bigint NOT NULL, -- client last transaction, Unix time\n"
	"  expire bigint NOT NULL, -- end of the state, Unix time\n"
	"  hostname text NOT NULL,\n"
	"  fqdn_fwd boolean NOT NULL,\n"
	"  fqdn_rev boolean NOT NULL,\n"
	"  relay_agent_info bytea NOT NULL -- store-extended-info: option 82\n"
	");\n"
	"CREATE INDEX ternd_lease4_expire ON ternd_lease4 (expire);\n"
	"CREATE TABLE ternd_meta (key text PRIMARY KEY, value text NOT "
	"NULL);\n"
	"CREATE VIEW ternd_lease4_readable AS SELECT\n"
	"  '0.0.0.0'::inet + address AS address, subnet_id,\n"
	"  CASE state WHEN 2 THEN 'bound' WHEN 3 THEN 'declined'\n"
	"   WHEN 4 THEN 'expired' WHEN 5 THEN 'released'\n"
	"   ELSE 'unknown-' || state END AS state,\n"
	"  htype, regexp_replace(encode(hwaddr, 'hex'), '(..)(?!$)', "
	"'\\1:', 'g') AS hwaddr,\n"
	"  encode(client_id, 'hex') AS client_id, hostname, valid_lifetime,\n"
	"  to_timestamp(cltt) AS cltt, to_timestamp(expire) AS expire,\n"
	"  expire - extract(epoch FROM now())::bigint AS remaining,\n"
	"  fqdn_fwd, fqdn_rev,\n"
	"  CASE WHEN length(relay_agent_info) > 0 THEN '{ \"ISC\": { "
	"\"relay-agent-info\": \"0x' || upper(encode(relay_agent_info, "
	"'hex')) || '\" } }' ELSE '' END AS user_context\n"
	"FROM ternd_lease4 ORDER BY ternd_lease4.address;\n"
	"CREATE VIEW ternd_lease4_stat AS SELECT subnet_id,\n"
	"  count(*) FILTER (WHERE state = 2 AND expire > "
	"extract(epoch FROM now())) AS assigned,\n"
	"  count(*) FILTER (WHERE state = 3) AS declined,\n"
	"  count(*) AS rows\n"
	"FROM ternd_lease4 GROUP BY subnet_id;\n";

#define COLUMNS                                                                \
	"address, subnet_id, state, htype, hwaddr, client_id, valid_lifetime," \
	" cltt, expire, hostname, fqdn_fwd, fqdn_rev, relay_agent_info"

/*
 * One statement per batch run: the leases as 13 arrays (text-format
 * literals, pg_array.c), unnested into rows. Bytes travel as hex text.
 * A run never names an address twice (ON CONFLICT cannot touch a row
 * twice in one statement): commit_once() starts a new run instead.
 */
#define UNNEST                                                                \
	"INSERT INTO ternd_lease4 (" COLUMNS ") SELECT a, s, st, h,"          \
	" decode(hw, 'hex'), decode(c, 'hex'), v, cl, e, hn, ff, fr,"         \
	" decode(r, 'hex') FROM unnest($1::bigint[], $2::bigint[],"           \
	" $3::smallint[], $4::smallint[], $5::text[], $6::text[],"            \
	" $7::bigint[], $8::bigint[], $9::bigint[], $10::text[],"             \
	" $11::boolean[], $12::boolean[], $13::text[]) AS u(a, s, st, h, hw," \
	" c, v, cl, e, hn, ff, fr, r) ON CONFLICT (address) DO UPDATE SET"    \
	" subnet_id = EXCLUDED.subnet_id, state = EXCLUDED.state,"            \
	" htype = EXCLUDED.htype, hwaddr = EXCLUDED.hwaddr,"                  \
	" client_id = EXCLUDED.client_id,"                                    \
	" valid_lifetime = EXCLUDED.valid_lifetime, cltt = EXCLUDED.cltt,"    \
	" expire = EXCLUDED.expire, hostname = EXCLUDED.hostname,"            \
	" fqdn_fwd = EXCLUDED.fqdn_fwd, fqdn_rev = EXCLUDED.fqdn_rev,"        \
	" relay_agent_info = EXCLUDED.relay_agent_info"

static const char upsert_sql[] = UNNEST;

/*
 * Shared database: the row decides. It takes the new lease when it is
 * free (expired or released, or past its end by the database's clock,
 * the one clock all servers share) or already the same client's; an
 * expiry (state 4) never ends a bound row that still runs (another
 * server renewed it). RETURNING tells whether the row was written.
 */
#define ROW_FREE                                                   \
	"(ternd_lease4.state IN (4, 5) OR ternd_lease4.expire <= " \
	"extract(epoch FROM now())::bigint)"
#define SAME_CLIENT                                                            \
	"(ternd_lease4.hwaddr = EXCLUDED.hwaddr AND ternd_lease4.client_id = " \
	"EXCLUDED.client_id)"
/* RETURNING names the rows written: the others were lost races. */
static const char upsert_shared_sql[] = UNNEST
	" WHERE (" ROW_FREE " OR " SAME_CLIENT ") AND NOT (EXCLUDED.state"
	" = 4 AND ternd_lease4.state = 2 AND ternd_lease4.expire >"
	" extract(epoch FROM now())::bigint) RETURNING address";

static const struct {
	const char *name, *sql;
	int nparams;
} statements[] = {
	{"ternd_upsert", upsert_sql, 13},
	{"ternd_upsert_shared", upsert_shared_sql, 13},
	/* Gone, or not a running bound lease: a row comes back only when
	 * the row is still there, i.e. the delete was lost. */
	{"ternd_delete_shared",
	 "WITH d AS (DELETE FROM ternd_lease4 WHERE address = $1 AND (state"
	 " <> 2 OR expire <= extract(epoch FROM now())::bigint) RETURNING 1)"
	 " SELECT 1 FROM ternd_lease4 WHERE address = $1 AND NOT EXISTS"
	 " (SELECT 1 FROM d)",
	 1},
	{"ternd_delete", "DELETE FROM ternd_lease4 WHERE address = $1", 1},
	{"ternd_one", "SELECT " COLUMNS " FROM ternd_lease4 WHERE address = $1",
	 1},
	{"ternd_meta_get", "SELECT value FROM ternd_meta WHERE key = $1", 1},
	{"ternd_meta_set",
	 "INSERT INTO ternd_meta (key, value) VALUES ($1, $2) ON CONFLICT "
	 "(key) DO UPDATE SET value = EXCLUDED.value",
	 2},
};

struct ternd_store {
	PGconn *conn;
	char *conninfo;
	struct ternd_pg_retry retry;
	/* Read by other threads (statistics): atomics. */
	struct ternd_pg_counters counters;
	bool unreachable; /* atomic: see ternd_pg_unreachable() */
};

static void count(uint64_t *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

static bool conn_ok(const struct ternd_store *st)
{
	return st->conn && PQstatus(st->conn) == CONNECTION_OK;
}

/* A failed result -> negative errno. Errors of the server's own making
 * (disk full, no permission) are told apart from a lost connection,
 * which is what reconnecting can cure. */
static int res_err(const struct ternd_store *st, const PGresult *res)
{
	const char *state;

	if (!conn_ok(st))
		return -ENOTCONN;
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state)
		return -EIO;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return -ENOTCONN; /* connection exception, admin shutdown */
	if (strcmp(state, "53100") == 0)
		return -ENOSPC;
	if (strncmp(state, "53", 2) == 0)
		return -ENOMEM;
	if (strcmp(state, "42501") == 0)
		return -EACCES;
	if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
		return -EINVAL;
	return -EIO;
}

/* Run SQL that returns no rows (or rows we ignore), outside a pipeline. */
static int exec(struct ternd_store *st, const char *sql)
{
	PGresult *res = PQexec(st->conn, sql);
	int r = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		r = res_err(st, res);
	PQclear(res);
	return r;
}

/* A single integer from a query (0 when it returns no row). */
static int query_int(struct ternd_store *st, const char *sql, long *ret)
{
	PGresult *res = PQexec(st->conn, sql);
	int r = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		r = res_err(st, res);
	else
		*ret = PQntuples(res) ? strtol(PQgetvalue(res, 0, 0), NULL, 10)
				      : 0;
	PQclear(res);
	return r;
}

/*
 * Create the schema in an empty database, refuse a newer one. One
 * transaction under an advisory lock: servers sharing the database may
 * start together, and a half-created schema is never visible.
 */
static int schema_upgrade(struct ternd_store *st)
{
	long version = 0, exists = 0;
	int r;

	r = exec(st, "BEGIN");
	if (r < 0)
		return r;
	r = exec(st, "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK ")");
	if (r >= 0)
		r = query_int(st,
			      "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
			      "tablename = 'ternd_schema' AND schemaname = "
			      "current_schema()",
			      &exists);
	if (r >= 0 && exists)
		r = query_int(st, "SELECT max(version) FROM ternd_schema",
			      &version);
	if (r < 0)
		goto rollback;
	if (version > SCHEMA_VERSION || version < 0) {
		/* Written by a newer ternd: guessing could lose leases. */
		r = -EPROTONOSUPPORT;
		goto rollback;
	}
	if (!exists)
		r = exec(st, "CREATE TABLE ternd_schema (version integer NOT "
			     "NULL); INSERT INTO ternd_schema VALUES (0)");
	if (r >= 0 && version < 1)
		r = exec(st, schema_sql);
	if (r >= 0 && version < 2)
		r = exec(st, ternd_pg_schema6_sql); /* DHCPv6: postgresql6.c */
	if (r >= 0 && version != SCHEMA_VERSION) {
		char sql[64];

		snprintf(sql, sizeof(sql),
			 "UPDATE ternd_schema SET version = %d",
			 SCHEMA_VERSION);
		r = exec(st, sql);
	}
	if (r >= 0)
		r = exec(st, "COMMIT");
	if (r >= 0)
		return 0;
rollback:
	if (conn_ok(st))
		exec(st, "ROLLBACK");
	return r;
}

/*
 * A session ready for commits: durability on whatever the server's
 * default (an ACK leaves only after the WAL is flushed), the schema in
 * place, statements prepared (they live as long as the session).
 */
static int session_setup(struct ternd_store *st)
{
	PGresult *res;
	size_t i;
	int r;

	if (!conn_ok(st))
		return -ENOTCONN;
	r = exec(st, "SET synchronous_commit = on; "
		     "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	if (r >= 0)
		r = schema_upgrade(st);
	for (i = 0; r >= 0 && i < sizeof(statements) / sizeof(statements[0]);
	     i++) {
		res = PQprepare(st->conn, statements[i].name, statements[i].sql,
				statements[i].nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			r = res_err(st, res);
		PQclear(res);
	}
	return r;
}

static int connect_once(struct ternd_store *st)
{
	if (st->conn)
		PQfinish(st->conn);
	st->conn = PQconnectdb(st->conninfo);
	if (!st->conn)
		return -ENOMEM;
	if (PQstatus(st->conn) != CONNECTION_OK)
		return -ENOTCONN;
	return session_setup(st);
}

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Kea's reconnection: up to max_tries attempts, waiting between them. */
static int reconnect(struct ternd_store *st)
{
	uint32_t wait = st->retry.wait_ms, cap;
	int r = -ENOTCONN;

	cap = wait > RETRY_WAIT_MAX_MS / RETRY_BACKOFF ? RETRY_WAIT_MAX_MS
						       : wait * RETRY_BACKOFF;

	count(&st->counters.lost);
	__atomic_store_n(&st->unreachable, true, __ATOMIC_RELAXED);
	for (uint32_t i = 0; i < st->retry.max_tries; i++) {
		sleep_ms(wait);
		r = connect_once(st);
		if (r >= 0) {
			count(&st->counters.reconnects);
			return 0;
		}
		count(&st->counters.reconnect_fails);
		if (r != -ENOTCONN)
			return r; /* connected but refused: no use retrying */
		wait = wait > cap / 2 ? cap : wait * 2;
	}
	return r;
}

static void pg_close(struct ternd_store *st)
{
	if (!st)
		return;
	if (st->conn)
		PQfinish(st->conn);
	free(st->conninfo);
	free(st);
}

static int pg_open(const char *conninfo, struct ternd_store **ret)
{
	struct ternd_store *st;
	int r;

	if (!conninfo || !ret)
		return -EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->conninfo = strdup(conninfo);
	if (!st->conninfo) {
		r = -ENOMEM;
		goto out;
	}
	r = connect_once(st);
	if (r < 0)
		goto out;
	*ret = st;
	st = NULL;
out:
	pg_close(st);
	return r;
}

PGconn *ternd_pg_conn(struct ternd_store *st)
{
	return st->conn;
}

int ternd_pg_reconnect(struct ternd_store *st)
{
	return reconnect(st);
}

int ternd_pg_res_err(struct ternd_store *st, const PGresult *res)
{
	return res_err(st, res);
}

struct ternd_pg_retry ternd_pg_get_retry(struct ternd_store *st)
{
	return st->retry;
}

int ternd_pg_schema_version(void)
{
	return SCHEMA_VERSION;
}

void ternd_pg_set_retry(struct ternd_store *st, const struct ternd_pg_retry *r)
{
	st->retry = *r;
}

void ternd_pg_counters(struct ternd_store *st, struct ternd_pg_counters *ret)
{
	ret->reconnects =
		__atomic_load_n(&st->counters.reconnects, __ATOMIC_RELAXED);
	ret->reconnect_fails = __atomic_load_n(&st->counters.reconnect_fails,
					       __ATOMIC_RELAXED);
	ret->lost = __atomic_load_n(&st->counters.lost, __ATOMIC_RELAXED);
	ret->commits_failed =
		__atomic_load_n(&st->counters.commits_failed, __ATOMIC_RELAXED);
}

bool ternd_pg_unreachable(struct ternd_store *st)
{
	return st && __atomic_load_n(&st->unreachable, __ATOMIC_RELAXED);
}

static bool lease_valid(const struct ternd_lease *l)
{
	return l->state <= TERND_LEASE_RELEASED &&
	       l->hw_len <= TERND_LEASE_HW_MAX &&
	       l->cid_len <= TERND_LEASE_CID_MAX &&
	       memchr(l->hostname, '\0', sizeof(l->hostname)) != NULL;
}

/* Leases in one statement at most (pg_array.c's ternd_pg_run_len). */
#define RUN_MAX 512

/* Queue one statement for the upserts v[0..len); 0 or -errno. */
static int send_run(struct ternd_store *st, const struct ternd_change *v,
		    size_t len, bool shared)
{
	struct ternd_pg_array a[13];
	const char *val[13];
	int r = 0;

	for (int k = 0; k < 13; k++)
		ternd_pg_array_init(&a[k]);
	for (size_t i = 0; i < len; i++) {
		const struct ternd_lease *l = &v[i].lease;

		ternd_pg_array_num(&a[0], l->addr);
		ternd_pg_array_num(&a[1], l->subnet_id);
		ternd_pg_array_num(&a[2], l->state);
		ternd_pg_array_num(&a[3], l->htype);
		ternd_pg_array_hex(&a[4], l->hw, l->hw_len);
		ternd_pg_array_hex(&a[5], l->cid, l->cid_len);
		ternd_pg_array_num(&a[6], l->valid_lifetime);
		ternd_pg_array_num(&a[7], (long long)l->cltt);
		ternd_pg_array_num(&a[8], (long long)l->expire);
		ternd_pg_array_text(&a[9], l->hostname);
		ternd_pg_array_bool(&a[10], l->fqdn_fwd);
		ternd_pg_array_bool(&a[11], l->fqdn_rev);
		ternd_pg_array_hex(&a[12], l->rai, l->rai_len);
	}
	for (int k = 0; k < 13; k++)
		if (!(val[k] = ternd_pg_array_end(&a[k])))
			r = -ENOMEM;
	if (r == 0 && !PQsendQueryPrepared(st->conn,
					   shared ? "ternd_upsert_shared"
						  : "ternd_upsert",
					   13, val, NULL, NULL, 0))
		r = -ENOTCONN;
	for (int k = 0; k < 13; k++)
		ternd_pg_array_free(&a[k]);
	return r;
}

/* Queue one delete; 0 or -errno. */
static int send_delete(struct ternd_store *st, const struct ternd_change *ch,
		       bool shared)
{
	char num[16];
	const char *val[1] = {num};

	snprintf(num, sizeof(num), "%u", ch->lease.addr);
	return PQsendQueryPrepared(st->conn,
				   shared ? "ternd_delete_shared"
					  : "ternd_delete",
				   1, val, NULL, NULL, 0)
		       ? 0
		       : -ENOTCONN;
}

/* One queued statement: changes v[first .. first + n). */
struct query {
	size_t first, n;
};

/* The rows a shared statement returned: an upsert run names the
 * addresses it wrote (mostly in input order: the search starts after the
 * last one found), a delete returns a row when it was lost. */
static void mark_rows(const struct ternd_change *v, const struct query *q,
		      const PGresult *res, uint8_t *rows)
{
	size_t at = 0;

	if (v[q->first].op != TERND_CHANGE_UPSERT) {
		rows[q->first] = PQntuples(res) > 0;
		return;
	}
	for (int t = 0; t < PQntuples(res); t++) {
		uint32_t addr =
			(uint32_t)strtoul(PQgetvalue(res, t, 0), NULL, 10);

		for (size_t k = 0; k < q->n; k++, at = (at + 1) % q->n)
			if (v[q->first + at].lease.addr == addr) {
				rows[q->first + at] = 1;
				break;
			}
	}
}

/* Read the results of nq queued statements; the first error wins (the
 * rest of the pipeline then comes back aborted). rows (NULL unless
 * shared) gets, per change, whether its statement returned its row. */
static int read_results(struct ternd_store *st, const struct ternd_change *v,
			const struct query *q, size_t nq, int r, uint8_t *rows)
{
	PGresult *res;

	for (size_t i = 0; i < nq; i++) {
		while ((res = PQgetResult(st->conn)) != NULL) {
			ExecStatusType s = PQresultStatus(res);

			if (r >= 0 && s != PGRES_COMMAND_OK &&
			    s != PGRES_TUPLES_OK)
				r = s == PGRES_PIPELINE_ABORTED
					    ? -EIO
					    : res_err(st, res);
			if (rows && s == PGRES_TUPLES_OK)
				mark_rows(v, &q[i], res, rows);
			PQclear(res);
		}
		if (!conn_ok(st))
			return -ENOTCONN;
	}
	return r;
}

/*
 * One batch: the changes queued in a pipeline, consecutive upserts as one
 * multi-row statement each (run_len), deletes one by one, then one Sync.
 * Up to the Sync the statements run as one implicit transaction,
 * committed (WAL flushed: synchronous_commit is on) before the Sync's
 * answer comes back, and rolled back whole at the first error. Results
 * are read every PIPE_CHUNK changes, so a batch costs one round trip per
 * chunk, never one per lease.
 */
static int commit_once(struct ternd_store *st, const struct ternd_change *v,
		       size_t n, const char *key, const char *value,
		       uint8_t *lost)
{
	struct query q[PIPE_CHUNK];
	size_t i, nq = 0, rows = 0;
	PGresult *res;
	int r = 0;
	bool sync_seen = false, meta_sent = false;

	/* All or nothing: a change refused half-way through would leave
	 * the Sync to commit the part already sent. */
	for (i = 0; i < n; i++)
		if ((v[i].op != TERND_CHANGE_UPSERT &&
		     v[i].op != TERND_CHANGE_DELETE) ||
		    (v[i].op == TERND_CHANGE_UPSERT &&
		     !lease_valid(&v[i].lease)))
			return -EINVAL;
	if (!conn_ok(st))
		return -ENOTCONN;
	if (!PQenterPipelineMode(st->conn))
		return -EIO;
	for (i = 0; i < n && r >= 0;) {
		size_t len = v[i].op == TERND_CHANGE_UPSERT
				     ? ternd_pg_run_len(&v[i], n - i, RUN_MAX)
				     : 1;

		r = v[i].op == TERND_CHANGE_UPSERT
			    ? send_run(st, &v[i], len, lost != NULL)
			    : send_delete(st, &v[i], lost != NULL);
		if (r < 0)
			break;
		q[nq].first = i;
		q[nq++].n = len;
		i += len;
		rows += len;
		if (rows >= PIPE_CHUNK || nq == PIPE_CHUNK) {
			if (!PQsendFlushRequest(st->conn) ||
			    PQflush(st->conn) != 0) {
				r = -ENOTCONN;
				break;
			}
			r = read_results(st, v, q, nq, r, lost);
			nq = rows = 0;
		}
	}
	if (r >= 0 && key) {
		const char *kv[2] = {key, value};

		if (PQsendQueryPrepared(st->conn, "ternd_meta_set", 2, kv, NULL,
					NULL, 0))
			meta_sent = true;
		else
			r = -ENOTCONN;
	}
	/* The Sync ends (commits or rolls back) the implicit transaction:
	 * sent even after an error, so the server discards the rest. */
	if (!PQpipelineSync(st->conn)) {
		r = -ENOTCONN;
		goto out;
	}
	r = read_results(st, v, q, nq, r, lost);
	if (meta_sent)
		r = read_results(st, v, q, 1, r, NULL);
	if (!conn_ok(st)) {
		r = -ENOTCONN;
		goto out;
	}
	while ((res = PQgetResult(st->conn)) != NULL) {
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC)
			sync_seen = true;
		else if (r >= 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			r = res_err(st, res);
		PQclear(res);
		if (sync_seen)
			break;
	}
	if (!sync_seen && r >= 0)
		r = -ENOTCONN;
	/* Rows returned -> lost: an upsert that returned none did not
	 * apply, a delete returns the row it had to leave. */
	for (i = 0; lost && r >= 0 && i < n; i++)
		lost[i] = v[i].op == TERND_CHANGE_UPSERT ? !lost[i] : lost[i];
out:
	if (!PQexitPipelineMode(st->conn) && conn_ok(st)) {
		/* Unread results: the session is out of step, start over. */
		PQfinish(st->conn);
		st->conn = NULL;
		if (r >= 0)
			r = -ENOTCONN;
	}
	return r;
}

static int commit_all(struct ternd_store *st, const struct ternd_change *v,
		      size_t n, const char *key, const char *value,
		      uint8_t *lost)
{
	int r;

	if (!st || (n && !v) || (key && !value))
		return -EINVAL;
	if (n == 0 && !key)
		return 0;
	/* Bounded: a server that accepts connections and drops them again
	 * still runs out of tries. */
	for (uint32_t round = 0;; round++) {
		if (lost)
			memset(lost, 0, n);
		r = commit_once(st, v, n, key, value, lost);
		if (r >= 0)
			__atomic_store_n(&st->unreachable, false,
					 __ATOMIC_RELAXED);
		else
			count(&st->counters.commits_failed);
		if (r == -ENOTCONN)
			__atomic_store_n(&st->unreachable, true,
					 __ATOMIC_RELAXED);
		/* Only a lost connection is worth a new one; the batch was
		 * committed whole or not at all, so re-sending is safe. */
		if (r != -ENOTCONN || round >= st->retry.max_tries)
			return r;
		r = reconnect(st);
		if (r < 0)
			return r;
	}
}

static int pg_commit(struct ternd_store *st, const struct ternd_change *v,
		     size_t n)
{
	return commit_all(st, v, n, NULL, NULL, NULL);
}

static int pg_commit_shared(struct ternd_store *st,
			    const struct ternd_change *v, size_t n,
			    uint8_t *ret_lost)
{
	if (!ret_lost)
		return -EINVAL;
	return commit_all(st, v, n, NULL, NULL, ret_lost);
}

static int pg_commit_meta(struct ternd_store *st, const struct ternd_change *v,
			  size_t n, const char *key, const char *value)
{
	if (!key)
		return -EINVAL;
	return commit_all(st, v, n, key, value, NULL);
}

/* Binary results: integers in network order. */
static int64_t col_int(const PGresult *res, int row, int col)
{
	const unsigned char *p =
		(const unsigned char *)PQgetvalue(res, row, col);
	int len = PQgetlength(res, row, col);
	uint64_t v = 0;

	for (int i = 0; i < len; i++)
		v = v << 8 | p[i];
	if (len == 2)
		return (int16_t)v;
	if (len == 4)
		return (int32_t)v;
	return (int64_t)v;
}

static int row_to_lease(const PGresult *res, int row, struct ternd_lease *l)
{
	int64_t addr, subnet, state, htype, valid;
	int hw_len, cid_len, host_len, rai_len;

	if (PQnfields(res) != 13)
		return -EUCLEAN;
	for (int c = 0; c < 13; c++)
		if (PQgetisnull(res, row, c))
			return -EUCLEAN;
	addr = col_int(res, row, 0);
	subnet = col_int(res, row, 1);
	state = col_int(res, row, 2);
	htype = col_int(res, row, 3);
	hw_len = PQgetlength(res, row, 4);
	cid_len = PQgetlength(res, row, 5);
	valid = col_int(res, row, 6);
	host_len = PQgetlength(res, row, 9);
	rai_len = PQgetlength(res, row, 12);
	if (rai_len > TERND_LEASE_RAI_MAX || addr < 0 || addr > UINT32_MAX ||
	    subnet < 0 || subnet > UINT32_MAX || state < 0 ||
	    state > TERND_LEASE_RELEASED || htype < 0 || htype > UINT8_MAX ||
	    valid < 0 || valid > UINT32_MAX || hw_len > TERND_LEASE_HW_MAX ||
	    cid_len > TERND_LEASE_CID_MAX ||
	    host_len >= TERND_LEASE_HOSTNAME_MAX)
		return -EUCLEAN;
	memset(l, 0, sizeof(*l));
	l->addr = (uint32_t)addr;
	l->subnet_id = (uint32_t)subnet;
	l->state = (uint8_t)state;
	l->htype = (uint8_t)htype;
	l->hw_len = (uint8_t)hw_len;
	memcpy(l->hw, PQgetvalue(res, row, 4), (size_t)hw_len);
	l->cid_len = (uint8_t)cid_len;
	memcpy(l->cid, PQgetvalue(res, row, 5), (size_t)cid_len);
	l->valid_lifetime = (uint32_t)valid;
	l->cltt = col_int(res, row, 7);
	l->expire = col_int(res, row, 8);
	memcpy(l->hostname, PQgetvalue(res, row, 9), (size_t)host_len);
	l->fqdn_fwd = PQgetvalue(res, row, 10)[0] != 0;
	l->fqdn_rev = PQgetvalue(res, row, 11)[0] != 0;
	l->rai_len = (uint8_t)rai_len;
	memcpy(l->rai, PQgetvalue(res, row, 12), (size_t)rai_len);
	return 0;
}

/* Rows fetched per round trip by iterate: memory stays bounded whatever
 * the table's size. */
#define ITERATE_FETCH 2000

/*
 * A cursor, not single-row mode: libpq 15 carries single-row mode over to
 * the next query sent in pipeline mode, so the first commit after a
 * restore got a stray SINGLE_TUPLE result, failed, and waited out the
 * committer's retry pause (100 ms of ACKs held, then sent in one burst).
 * FETCH keeps every query an ordinary one.
 */
static int pg_iterate(struct ternd_store *st, ternd_store_cb cb, void *ctx)
{
	char fetch[64];
	struct ternd_lease l;
	PGresult *res;
	int r = 0, rows;

	if (!st || !cb)
		return -EINVAL;
	if (!conn_ok(st) && (r = reconnect(st)) < 0)
		return r;
	r = exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if (r >= 0)
		r = exec(st,
			 "DECLARE ternd_it NO SCROLL CURSOR FOR SELECT " COLUMNS
			 " FROM ternd_lease4 ORDER BY address");
	snprintf(fetch, sizeof(fetch), "FETCH %d FROM ternd_it", ITERATE_FETCH);
	while (r == 0) {
		res = PQexecParams(st->conn, fetch, 0, NULL, NULL, NULL, NULL,
				   1);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			r = res_err(st, res);
			PQclear(res);
			break;
		}
		rows = PQntuples(res);
		for (int i = 0; r == 0 && i < rows; i++) {
			r = row_to_lease(res, i, &l);
			if (r == 0)
				r = cb(ctx, &l);
		}
		PQclear(res);
		if (rows < ITERATE_FETCH)
			break;
	}
	/* Read-only: ending it either way changes nothing. */
	if (conn_ok(st))
		(void)exec(st, r == 0 ? "COMMIT" : "ROLLBACK");
	return r;
}

static int pg_lookup(struct ternd_store *st, uint32_t addr,
		     struct ternd_lease *ret)
{
	char num[16];
	const char *val[1] = {num};
	struct ternd_lease l;
	PGresult *res;
	int r;

	if (!st || !ret)
		return -EINVAL;
	if (!conn_ok(st) && (r = reconnect(st)) < 0)
		return r;
	snprintf(num, sizeof(num), "%u", addr);
	res = PQexecPrepared(st->conn, "ternd_one", 1, val, NULL, NULL, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		r = res_err(st, res);
	else if (PQntuples(res) == 0)
		r = -ENOENT;
	else if ((r = row_to_lease(res, 0, &l)) == 0)
		*ret = l;
	PQclear(res);
	return r;
}

static int pg_meta_get(struct ternd_store *st, const char *key, char *buf,
		       size_t len)
{
	const char *val[1] = {key};
	PGresult *res;
	size_t n;
	int r = 0;

	if (!st || !key || !buf || !len)
		return -EINVAL;
	if (!conn_ok(st) && (r = reconnect(st)) < 0)
		return r;
	res = PQexecPrepared(st->conn, "ternd_meta_get", 1, val, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		r = res_err(st, res);
	} else if (PQntuples(res) == 0) {
		r = -ENOENT;
	} else {
		n = (size_t)PQgetlength(res, 0, 0);
		if (n >= len)
			n = len - 1;
		memcpy(buf, PQgetvalue(res, 0, 0), n);
		buf[n] = '\0';
	}
	PQclear(res);
	return r;
}

const struct ternd_store_ops ternd_store_postgresql_ops = {
	.name = "postgresql",
	.open = pg_open,
	.iterate = pg_iterate,
	.commit = pg_commit,
	.lookup = pg_lookup,
	.close = pg_close,
	.meta_get = pg_meta_get,
	.commit_meta = pg_commit_meta,
	.commit_shared = pg_commit_shared,
};
