/* ternd DHCPv6 lease store on PostgreSQL: the ternd_lease6 table, written
 * in pipelined batches (one transaction each) over the v4 backend's
 * connection, schema and reconnection (postgresql_int.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/pg_array.h"
#include "server/store/postgresql_int.h"
#include "server/store/store6.h"

/* Queries queued before their results are read (postgresql.c's reason:
 * neither side may fill its socket buffer waiting for the other). */
#define PIPE_CHUNK 512

/* Schema version 2 (postgresql.c runs it under its advisory lock, in the
 * upgrade's transaction). inet for people: psql shows addresses. */
const char ternd_pg_schema6_sql[] =
	"CREATE TABLE ternd_lease6 (\n"
	"  type smallint NOT NULL, -- 0 address (IA_NA) 2 prefix (IA_PD)\n"
	"  address inet NOT NULL, -- the address, or the prefix (/128)\n"
	"  prefix_len smallint NOT NULL, -- 128 for an address\n"
	"  state smallint NOT NULL, -- 0 bound 1 declined 2 "
	"expired-reclaimed\n"
	"  duid bytea NOT NULL, -- the client's; empty when declined\n"
	"  iaid bigint NOT NULL,\n"
	"  subnet_id bigint NOT NULL,\n"
	"  preferred_lifetime bigint NOT NULL, -- 4294967295 infinite\n"
	"  valid_lifetime bigint NOT NULL,\n"
	"  cltt bigint NOT NULL, -- client last transaction, Unix time\n"
	"  expire bigint NOT NULL, -- Unix time; 9223372036854775807 never\n"
	"  hostname text NOT NULL,\n"
	"  PRIMARY KEY (type, address)\n"
	");\n"
	"CREATE INDEX ternd_lease6_expire ON ternd_lease6 (expire);\n"
	"CREATE VIEW ternd_lease6_readable AS SELECT\n"
	"  CASE type WHEN 0 THEN 'IA_NA' WHEN 2 THEN 'IA_PD'\n"
	"   ELSE 'unknown-' || type END AS type,\n"
	"  set_masklen(address, prefix_len) AS address,\n"
	"  CASE state WHEN 0 THEN 'bound' WHEN 1 THEN 'declined'\n"
	"   WHEN 2 THEN 'expired-reclaimed' ELSE 'unknown-' || state END\n"
	"   AS state,\n"
	"  regexp_replace(encode(duid, 'hex'), '(..)(?!$)', '\\1:', 'g')\n"
	"   AS duid, iaid, subnet_id, preferred_lifetime, valid_lifetime,\n"
	"  to_timestamp(cltt) AS cltt,\n"
	"  CASE WHEN expire = 9223372036854775807 THEN NULL\n"
	"   ELSE to_timestamp(expire) END AS expire,\n"
	"  hostname\n"
	"FROM ternd_lease6 ORDER BY type, address;\n"
	"CREATE VIEW ternd_lease6_stat AS SELECT subnet_id,\n"
	"  count(*) FILTER (WHERE type = 0 AND state = 0 AND expire > "
	"extract(epoch FROM now())) AS assigned_nas,\n"
	"  count(*) FILTER (WHERE type = 2 AND state = 0 AND expire > "
	"extract(epoch FROM now())) AS assigned_pds,\n"
	"  count(*) FILTER (WHERE state = 1) AS declined,\n"
	"  count(*) AS rows\n"
	"FROM ternd_lease6 GROUP BY subnet_id;\n";

#define COLUMNS6                                                   \
	"type, address, prefix_len, state, duid, iaid, subnet_id," \
	" preferred_lifetime, valid_lifetime, cltt, expire, hostname"
#define SET6                                                               \
	" prefix_len = EXCLUDED.prefix_len, state = EXCLUDED.state,"       \
	" duid = EXCLUDED.duid, iaid = EXCLUDED.iaid,"                     \
	" subnet_id = EXCLUDED.subnet_id,"                                 \
	" preferred_lifetime = EXCLUDED.preferred_lifetime,"               \
	" valid_lifetime = EXCLUDED.valid_lifetime, cltt = EXCLUDED.cltt," \
	" expire = EXCLUDED.expire, hostname = EXCLUDED.hostname"
#define NOW6 "extract(epoch FROM now())::bigint"
/* Free: expired-reclaimed, or past its end by the database's clock (the
 * one clock every server shares). */
#define ROW_FREE6 "(ternd_lease6.state = 2 OR ternd_lease6.expire <= " NOW6 ")"

/* One statement per run of upserts (postgresql.c's reason): the leases as
 * 12 text-format arrays (pg_array.c), the DUID as hex. */
#define UNNEST6                                                                \
	"INSERT INTO ternd_lease6 (" COLUMNS6 ") SELECT t, a, pl, st,"         \
	" decode(d, 'hex'), i, sid, pr, va, cl, e, hn FROM unnest("            \
	"$1::smallint[], $2::inet[], $3::smallint[], $4::smallint[],"          \
	" $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[]," \
	" $10::bigint[], $11::bigint[], $12::text[]) AS u(t, a, pl, st, d, i," \
	" sid, pr, va, cl, e, hn) ON CONFLICT (type, address) DO UPDATE "      \
	"SET" SET6

static const struct {
	const char *name, *sql;
	int nparams;
} statements6[] = {
	{"ternd6_upsert", UNNEST6, 12},
	/* The row decides; RETURNING names the rows written. A decline
	 * (state 1) says the address is in use on the link: it always
	 * applies. */
	{"ternd6_upsert_shared",
	 UNNEST6
	 " WHERE (" ROW_FREE6
	 " OR EXCLUDED.state = 1 OR (ternd_lease6.duid = EXCLUDED.duid AND"
	 " ternd_lease6.iaid = EXCLUDED.iaid)) AND NOT (EXCLUDED.state = 2 AND"
	 " ternd_lease6.state = 0 AND ternd_lease6.expire > " NOW6
	 ") RETURNING type, host(address)",
	 12},
	{"ternd6_delete",
	 "DELETE FROM ternd_lease6 WHERE type = $1 AND address = $2", 2},
	/* A row comes back only when it is still there: the delete was
	 * lost. The same client's row goes unless it is newer than what
	 * this server deleted (another server renewed it). */
	{"ternd6_delete_shared",
	 "WITH d AS (DELETE FROM ternd_lease6 WHERE type = $1 AND address ="
	 " $2 AND (" ROW_FREE6 " OR ($3::smallint = 0 AND duid = $4 AND"
	 " iaid = $5 AND expire <= $6)) RETURNING 1) SELECT 1 FROM"
	 " ternd_lease6 WHERE type = $1 AND address = $2 AND NOT EXISTS"
	 " (SELECT 1 FROM d)",
	 6},
	/* host(): inet's text would add a /128 that says nothing. */
	{"ternd6_one",
	 "SELECT type, host(address), prefix_len, state, duid, iaid,"
	 " subnet_id, preferred_lifetime, valid_lifetime, cltt, expire,"
	 " hostname FROM ternd_lease6 WHERE type = $1 AND address = $2",
	 2},
	{"ternd6_meta_get", "SELECT value FROM ternd_meta WHERE key = $1", 1},
	{"ternd6_meta_set",
	 "INSERT INTO ternd_meta (key, value) VALUES ($1, $2) ON CONFLICT "
	 "(key) DO UPDATE SET value = EXCLUDED.value",
	 2},
};

struct pg6 {
	struct ternd_store6 base; /* first: the handle callers hold */
	struct ternd_store *st;	  /* the v4 backend's: connection, retry */
	bool prepared;		  /* statements6 on the current session */
};

#define P6(x) ((struct pg6 *)(x))

static PGconn *conn(const struct pg6 *s)
{
	return ternd_pg_conn(s->st);
}

static bool conn_ok(const struct pg6 *s)
{
	return conn(s) && PQstatus(conn(s)) == CONNECTION_OK;
}

static int prepare(struct pg6 *s)
{
	PGresult *res;
	int r = 0;

	if (s->prepared)
		return 0;
	if (!conn_ok(s))
		return -ENOTCONN;
	for (size_t i = 0;
	     r >= 0 && i < sizeof(statements6) / sizeof(statements6[0]); i++) {
		res = PQprepare(conn(s), statements6[i].name,
				statements6[i].sql, statements6[i].nparams,
				NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			r = ternd_pg_res_err(s->st, res);
		PQclear(res);
	}
	s->prepared = r >= 0;
	return r;
}

/* A session with the v6 statements: reconnect (the store's policy) when
 * the connection is gone. */
static int ready(struct pg6 *s)
{
	int r;

	if (!conn_ok(s)) {
		s->prepared = false;
		if ((r = ternd_pg_reconnect(s->st)) < 0)
			return r;
	}
	return prepare(s);
}

static void pg6_close(struct ternd_store6 *b)
{
	struct pg6 *s = P6(b);

	if (!s)
		return;
	if (s->st)
		ternd_store_postgresql_ops.close(s->st);
	free(s);
}

static int pg6_open(const char *conninfo, struct ternd_store6 **ret)
{
	struct pg6 *s;
	int r;

	if (!conninfo || !ret)
		return -EINVAL;
	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	s->base.ops = &ternd_store6_postgresql_ops;
	r = ternd_store_postgresql_ops.open(conninfo, &s->st);
	if (r >= 0)
		r = prepare(s);
	if (r < 0) {
		pg6_close(&s->base);
		return r;
	}
	*ret = &s->base;
	return 0;
}

/* Text for numbers and the address, binary for the DUID. */
struct params6 {
	char num[10][24];
	char addr[INET6_ADDRSTRLEN];
	const char *val[12];
	int len[12];
	int fmt[12];
};

static bool lease6_valid(const struct ternd_lease6 *l)
{
	return (l->type == TERND_LEASE6_NA || l->type == TERND_LEASE6_PD) &&
	       l->plen <= 128 && l->state <= TERND_LEASE6_EXPIRED &&
	       l->duid_len <= TERND_LEASE6_DUID_MAX &&
	       memchr(l->hostname, '\0', sizeof(l->hostname)) != NULL;
}

static void bind_key(struct params6 *p, const struct ternd_lease6 *l)
{
	memset(p->fmt, 0, sizeof(p->fmt));
	memset(p->len, 0, sizeof(p->len));
	snprintf(p->num[0], sizeof(p->num[0]), "%u", l->type);
	inet_ntop(AF_INET6, &l->addr, p->addr, sizeof(p->addr));
	p->val[0] = p->num[0];
	p->val[1] = p->addr;
}

/* Upserts in one statement at most, and the hash set that finds an
 * address named twice (ON CONFLICT cannot touch a row twice). */
#define RUN_MAX 512
#define RUN_SET 1024

static bool same_key(const struct ternd_lease6 *a, const struct ternd_lease6 *b)
{
	return a->type == b->type && !memcmp(&a->addr, &b->addr, 16);
}

static size_t run_len6(const struct ternd_change6 *v, size_t n)
{
	uint16_t slot[RUN_SET]; /* index + 1, 0 = free */
	size_t j;

	memset(slot, 0, sizeof(slot));
	for (j = 0; j < n && j < RUN_MAX && v[j].op == TERND_CHANGE6_PUT; j++) {
		uint32_t h = v[j].lease.type;

		for (int k = 0; k < 16; k++)
			h = h * 31 + v[j].lease.addr.s6_addr[k];
		h %= RUN_SET;
		while (slot[h] && !same_key(&v[slot[h] - 1].lease, &v[j].lease))
			h = (h + 1) % RUN_SET;
		if (slot[h])
			break;
		slot[h] = (uint16_t)(j + 1);
	}
	return j;
}

static int send_run6(struct pg6 *s, const struct ternd_change6 *v, size_t len,
		     bool shared)
{
	struct ternd_pg_array a[12];
	const char *val[12];
	char addr[INET6_ADDRSTRLEN];
	int r = 0;

	for (int k = 0; k < 12; k++)
		ternd_pg_array_init(&a[k]);
	for (size_t i = 0; i < len; i++) {
		const struct ternd_lease6 *l = &v[i].lease;

		inet_ntop(AF_INET6, &l->addr, addr, sizeof(addr));
		ternd_pg_array_num(&a[0], l->type);
		ternd_pg_array_text(&a[1], addr);
		ternd_pg_array_num(&a[2], l->plen);
		ternd_pg_array_num(&a[3], l->state);
		ternd_pg_array_hex(&a[4], l->duid, l->duid_len);
		ternd_pg_array_num(&a[5], l->iaid);
		ternd_pg_array_num(&a[6], l->subnet_id);
		ternd_pg_array_num(&a[7], l->preferred);
		ternd_pg_array_num(&a[8], l->valid);
		ternd_pg_array_num(&a[9], (long long)l->cltt);
		ternd_pg_array_num(&a[10], (long long)l->expire);
		ternd_pg_array_text(&a[11], l->hostname);
	}
	for (int k = 0; k < 12; k++)
		if (!(val[k] = ternd_pg_array_end(&a[k])))
			r = -ENOMEM;
	if (r == 0 && !PQsendQueryPrepared(conn(s),
					   shared ? "ternd6_upsert_shared"
						  : "ternd6_upsert",
					   12, val, NULL, NULL, 0))
		r = -ENOTCONN;
	for (int k = 0; k < 12; k++)
		ternd_pg_array_free(&a[k]);
	return r;
}

static int send_delete6(struct pg6 *s, const struct ternd_change6 *c,
			bool shared)
{
	struct params6 p;
	const char *name = "ternd6_delete";
	int n = 2;

	bind_key(&p, &c->lease);
	if (shared) {
		snprintf(p.num[2], sizeof(p.num[2]), "%u", c->lease.state);
		snprintf(p.num[3], sizeof(p.num[3]), "%u", c->lease.iaid);
		snprintf(p.num[8], sizeof(p.num[8]), "%lld",
			 (long long)c->lease.expire);
		p.val[2] = p.num[2];
		p.val[3] = (const char *)c->lease.duid;
		p.len[3] = c->lease.duid_len;
		p.fmt[3] = 1;
		p.val[4] = p.num[3];
		p.val[5] = p.num[8];
		name = "ternd6_delete_shared";
		n = 6;
	}
	return PQsendQueryPrepared(conn(s), name, n, p.val, p.len, p.fmt, 0)
		       ? 0
		       : -ENOTCONN;
}

/* One queued statement: changes v[first .. first + n). */
struct query6 {
	size_t first, n;
};

/* A shared statement's rows: an upsert run names the rows it wrote
 * (searched from after the last one found), a delete returns a row when
 * it was lost. */
static void mark_rows6(const struct ternd_change6 *v, const struct query6 *q,
		       const PGresult *res, uint8_t *rows)
{
	struct ternd_lease6 key;
	size_t at = 0;

	if (v[q->first].op != TERND_CHANGE6_PUT) {
		rows[q->first] = PQntuples(res) > 0;
		return;
	}
	for (int t = 0; t < PQntuples(res); t++) {
		key.type = (uint8_t)atoi(PQgetvalue(res, t, 0));
		if (inet_pton(AF_INET6, PQgetvalue(res, t, 1), &key.addr) != 1)
			continue;
		for (size_t k = 0; k < q->n; k++, at = (at + 1) % q->n)
			if (same_key(&v[q->first + at].lease, &key)) {
				rows[q->first + at] = 1;
				break;
			}
	}
}

/* Read the results of nq queued statements; the first error wins. rows
 * (NULL unless shared) gets, per change, whether its row came back. */
static int read_results6(struct pg6 *s, const struct ternd_change6 *v,
			 const struct query6 *q, size_t nq, int r,
			 uint8_t *rows)
{
	PGresult *res;

	for (size_t i = 0; i < nq; i++) {
		while ((res = PQgetResult(conn(s))) != NULL) {
			ExecStatusType st = PQresultStatus(res);

			if (r >= 0 && st != PGRES_COMMAND_OK &&
			    st != PGRES_TUPLES_OK)
				r = st == PGRES_PIPELINE_ABORTED
					    ? -EIO
					    : ternd_pg_res_err(s->st, res);
			if (rows && st == PGRES_TUPLES_OK)
				mark_rows6(v, &q[i], res, rows);
			PQclear(res);
		}
		if (!conn_ok(s))
			return -ENOTCONN;
	}
	return r;
}

/* One batch as one pipeline and one Sync: an implicit transaction,
 * committed whole (WAL flushed) or rolled back whole at the first error. */
static int commit_once6(struct pg6 *s, const struct ternd_change6 *v, size_t n,
			const char *key, const char *value, uint8_t *lost)
{
	struct query6 q[PIPE_CHUNK];
	size_t i, nq = 0, rows = 0;
	bool sync_seen = false, meta_sent = false;
	PGresult *res;
	int r = 0;

	if (!PQenterPipelineMode(conn(s)))
		return -EIO;
	for (i = 0; i < n && r >= 0;) {
		size_t len = v[i].op == TERND_CHANGE6_PUT
				     ? run_len6(&v[i], n - i)
				     : 1;

		r = v[i].op == TERND_CHANGE6_PUT
			    ? send_run6(s, &v[i], len, lost != NULL)
			    : send_delete6(s, &v[i], lost != NULL);
		if (r < 0)
			break;
		q[nq].first = i;
		q[nq++].n = len;
		i += len;
		rows += len;
		if (rows >= PIPE_CHUNK || nq == PIPE_CHUNK) {
			if (!PQsendFlushRequest(conn(s)) ||
			    PQflush(conn(s)) != 0) {
				r = -ENOTCONN;
				break;
			}
			r = read_results6(s, v, q, nq, r, lost);
			nq = rows = 0;
		}
	}
	if (r >= 0 && key) {
		const char *kv[2] = {key, value};

		if (PQsendQueryPrepared(conn(s), "ternd6_meta_set", 2, kv, NULL,
					NULL, 0))
			meta_sent = true;
		else
			r = -ENOTCONN;
	}
	/* The Sync ends the implicit transaction, even after an error. */
	if (!PQpipelineSync(conn(s))) {
		r = -ENOTCONN;
		goto out;
	}
	r = read_results6(s, v, q, nq, r, lost);
	if (meta_sent)
		r = read_results6(s, v, q, 1, r, NULL);
	if (!conn_ok(s)) {
		r = -ENOTCONN;
		goto out;
	}
	while ((res = PQgetResult(conn(s))) != NULL) {
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC)
			sync_seen = true;
		else if (r >= 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			r = ternd_pg_res_err(s->st, res);
		PQclear(res);
		if (sync_seen)
			break;
	}
	if (!sync_seen && r >= 0)
		r = -ENOTCONN;
	/* An upsert that returned no row did not apply; a delete returns
	 * the row it had to leave. */
	for (i = 0; lost && r >= 0 && i < n; i++)
		lost[i] = v[i].op == TERND_CHANGE6_PUT ? !lost[i] : lost[i];
out:
	if (!PQexitPipelineMode(conn(s)) && r >= 0)
		r = -ENOTCONN; /* out of step: a new session is needed */
	return r;
}

static int commit_all6(struct pg6 *s, const struct ternd_change6 *v, size_t n,
		       const char *key, const char *value, uint8_t *lost)
{
	uint32_t tries = ternd_pg_get_retry(s->st).max_tries;
	int r;

	if (!s || (n && !v))
		return -EINVAL;
	/* All or nothing: refuse a bad change before anything is sent. */
	for (size_t i = 0; i < n; i++)
		if ((v[i].op != TERND_CHANGE6_PUT &&
		     v[i].op != TERND_CHANGE6_DEL) ||
		    !lease6_valid(&v[i].lease))
			return -EINVAL;
	if (!n && !key)
		return 0;
	/* Bounded, as the v4 store: the batch was committed whole or not
	 * at all, so re-sending it on a new session is safe. */
	for (uint32_t round = 0;; round++) {
		if (lost)
			memset(lost, 0, n);
		r = ready(s);
		if (r >= 0)
			r = commit_once6(s, v, n, key, value, lost);
		if (r != -ENOTCONN || round >= tries)
			return r;
		s->prepared = false;
		if ((r = ternd_pg_reconnect(s->st)) < 0)
			return r;
	}
}

static int pg6_commit(struct ternd_store6 *b, const struct ternd_change6 *v,
		      size_t n)
{
	return commit_all6(P6(b), v, n, NULL, NULL, NULL);
}

static int pg6_commit_shared(struct ternd_store6 *b,
			     const struct ternd_change6 *v, size_t n,
			     uint8_t *ret_lost)
{
	if (!ret_lost && n)
		return -EINVAL;
	return commit_all6(P6(b), v, n, NULL, NULL, ret_lost);
}

static int pg6_commit_meta(struct ternd_store6 *b,
			   const struct ternd_change6 *v, size_t n,
			   const char *key, const char *value)
{
	return commit_all6(P6(b), v, n, key, value, NULL);
}

static int hexnib(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool parse_i64(const char *t, int64_t lo, int64_t hi, int64_t *ret)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(t, &end, 10);
	if (errno || end == t || *end || v < lo || v > hi)
		return false;
	*ret = v;
	return true;
}

/* A text-format row -> lease; a value out of range means the table was
 * edited by hand: refuse it rather than serve a wrong binding. */
static int row_to_lease6(const PGresult *res, int row, struct ternd_lease6 *l)
{
	int64_t type, plen, state, iaid, subnet, pref, valid, cltt, expire;
	const char *duid, *host;
	size_t dlen;

	if (PQnfields(res) != 12)
		return -EUCLEAN;
	for (int c = 0; c < 12; c++)
		if (PQgetisnull(res, row, c))
			return -EUCLEAN;
	memset(l, 0, sizeof(*l));
	if (!parse_i64(PQgetvalue(res, row, 0), 0, 2, &type) ||
	    (type != TERND_LEASE6_NA && type != TERND_LEASE6_PD) ||
	    inet_pton(AF_INET6, PQgetvalue(res, row, 1), &l->addr) != 1 ||
	    !parse_i64(PQgetvalue(res, row, 2), 0, 128, &plen) ||
	    !parse_i64(PQgetvalue(res, row, 3), 0, TERND_LEASE6_EXPIRED,
		       &state) ||
	    !parse_i64(PQgetvalue(res, row, 5), 0, UINT32_MAX, &iaid) ||
	    !parse_i64(PQgetvalue(res, row, 6), 0, UINT32_MAX, &subnet) ||
	    !parse_i64(PQgetvalue(res, row, 7), 0, UINT32_MAX, &pref) ||
	    !parse_i64(PQgetvalue(res, row, 8), 0, UINT32_MAX, &valid) ||
	    !parse_i64(PQgetvalue(res, row, 9), INT64_MIN, INT64_MAX, &cltt) ||
	    !parse_i64(PQgetvalue(res, row, 10), INT64_MIN, INT64_MAX, &expire))
		return -EUCLEAN;
	/* bytea in text: "\x" then hex. */
	duid = PQgetvalue(res, row, 4);
	dlen = strlen(duid);
	if (dlen < 2 || duid[0] != '\\' || duid[1] != 'x' || dlen % 2 ||
	    (dlen - 2) / 2 > TERND_LEASE6_DUID_MAX)
		return -EUCLEAN;
	for (size_t i = 0; i < (dlen - 2) / 2; i++) {
		int hi = hexnib(duid[2 + 2 * i]), lo = hexnib(duid[3 + 2 * i]);

		if (hi < 0 || lo < 0)
			return -EUCLEAN;
		l->duid[i] = (uint8_t)(hi << 4 | lo);
	}
	l->duid_len = (uint8_t)((dlen - 2) / 2);
	host = PQgetvalue(res, row, 11);
	if (strlen(host) >= sizeof(l->hostname))
		return -EUCLEAN;
	strcpy(l->hostname, host);
	l->type = (uint8_t)type;
	l->plen = (uint8_t)plen;
	l->state = (uint8_t)state;
	l->iaid = (uint32_t)iaid;
	l->subnet_id = (uint32_t)subnet;
	l->preferred = (uint32_t)pref;
	l->valid = (uint32_t)valid;
	l->cltt = cltt;
	l->expire = expire;
	return 0;
}

static int pg6_iterate(struct ternd_store6 *b, ternd_store6_cb cb, void *ctx)
{
	struct pg6 *s = P6(b);
	struct ternd_lease6 l;
	PGresult *res;
	int r;

	if (!cb)
		return -EINVAL;
	if ((r = ready(s)) < 0)
		return r;
	/* Row by row: a restart with many leases never holds them all. */
	if (!PQsendQueryParams(conn(s),
			       "SELECT type, host(address), prefix_len, state,"
			       " duid, iaid, subnet_id, preferred_lifetime,"
			       " valid_lifetime, cltt, expire, hostname FROM"
			       " ternd_lease6 ORDER BY type, address",
			       0, NULL, NULL, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(conn(s)))
		return -ENOTCONN;
	while ((res = PQgetResult(conn(s))) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		if (r == 0 && st == PGRES_SINGLE_TUPLE) {
			r = row_to_lease6(res, 0, &l);
			if (r == 0)
				r = cb(ctx, &l);
		} else if (r == 0 && st != PGRES_TUPLES_OK) {
			r = ternd_pg_res_err(s->st, res);
		}
		PQclear(res);
		if (r != 0) {
			/* Stop the server sending the rest, drain. */
			PGcancel *c = PQgetCancel(conn(s));
			char err[64];

			if (c) {
				PQcancel(c, err, sizeof(err));
				PQfreeCancel(c);
			}
			while ((res = PQgetResult(conn(s))) != NULL)
				PQclear(res);
			break;
		}
	}
	return r;
}

static int pg6_lookup(struct ternd_store6 *b, uint8_t type,
		      const struct in6_addr *addr, struct ternd_lease6 *ret)
{
	struct pg6 *s = P6(b);
	struct ternd_lease6 key = {.type = type, .addr = *addr}, l;
	struct params6 p;
	PGresult *res;
	int r;

	if ((r = ready(s)) < 0)
		return r;
	bind_key(&p, &key);
	res = PQexecPrepared(conn(s), "ternd6_one", 2, p.val, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		r = ternd_pg_res_err(s->st, res);
	else if (PQntuples(res) == 0)
		r = -ENOENT;
	else if ((r = row_to_lease6(res, 0, &l)) == 0)
		*ret = l;
	PQclear(res);
	return r;
}

static int pg6_meta_get(struct ternd_store6 *b, const char *key, char *buf,
			size_t len)
{
	struct pg6 *s = P6(b);
	const char *val[1] = {key};
	PGresult *res;
	size_t n;
	int r;

	if ((r = ready(s)) < 0)
		return r;
	res = PQexecPrepared(conn(s), "ternd6_meta_get", 1, val, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		r = ternd_pg_res_err(s->st, res);
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

static int pg6_meta_set(struct ternd_store6 *b, const char *key,
			const char *value)
{
	struct pg6 *s = P6(b);
	const char *val[2] = {key, value};
	PGresult *res;
	int r;

	if ((r = ready(s)) < 0)
		return r;
	/* One statement: its own transaction, durable on return. */
	res = PQexecPrepared(conn(s), "ternd6_meta_set", 2, val, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		r = ternd_pg_res_err(s->st, res);
	PQclear(res);
	return r;
}

const struct ternd_store6_ops ternd_store6_postgresql_ops = {
	.name = "postgresql",
	.open = pg6_open,
	.iterate = pg6_iterate,
	.commit = pg6_commit,
	.commit_shared = pg6_commit_shared,
	.commit_meta = pg6_commit_meta,
	.lookup = pg6_lookup,
	.meta_get = pg6_meta_get,
	.meta_set = pg6_meta_set,
	.close = pg6_close,
};

/* For a store opened by ternd_store6_postgresql_ops only: the v4 handle
 * underneath, for its retry keys and counters (postgresql.h). */
struct ternd_store *ternd_pg6_store(struct ternd_store6 *s)
{
	return s && s->ops == &ternd_store6_postgresql_ops ? P6(s)->st : NULL;
}
