/* ternd DHCPv6 lease store on SQLite: the lease6 table (schema v4, created
 * by sqlite.c's migrations) read at start and written in transactions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "server/store/store6.h"

extern const struct ternd_store_ops ternd_store_sqlite_ops;

#define COLUMNS6                                                   \
	"type, address, prefix_len, state, duid, iaid, subnet_id," \
	" preferred_lifetime, valid_lifetime, cltt, expire, hostname"

struct ternd_store6 {
	struct ternd_store *st; /* the sqlite backend's, owns the db */
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *rollback, *upsert, *del, *all;
};

static int err6(sqlite3 *db, int rc)
{
	(void)db;
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return -EACCES;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	default:
		return -EIO;
	}
}

static int prep(struct ternd_store6 *s, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    ret, NULL);

	return rc == SQLITE_OK ? 0 : err6(s->db, rc);
}

void ternd_store6_close(struct ternd_store6 *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_finalize(s->rollback);
	sqlite3_finalize(s->upsert);
	sqlite3_finalize(s->del);
	sqlite3_finalize(s->all);
	if (s->st)
		ternd_store_sqlite_ops.close(s->st);
	free(s);
}

int ternd_store6_open(const char *path, struct ternd_store6 **ret)
{
	struct ternd_store6 *s;
	int r;

	if (!path || !ret)
		return -EINVAL;
	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	r = ternd_store_sqlite_ops.open(path, &s->st);
	if (r < 0)
		goto fail;
	s->db = ternd_sqlite_db(s->st);
	r = prep(s, "BEGIN IMMEDIATE", &s->begin);
	if (r >= 0)
		r = prep(s, "COMMIT", &s->commit);
	if (r >= 0)
		r = prep(s, "ROLLBACK", &s->rollback);
	if (r >= 0)
		r = prep(s,
			 "INSERT OR REPLACE INTO lease6 (" COLUMNS6
			 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
			 " ?11, ?12)",
			 &s->upsert);
	if (r >= 0)
		r = prep(s,
			 "DELETE FROM lease6 WHERE type = ?1 AND address = ?2",
			 &s->del);
	if (r >= 0)
		r = prep(s, "SELECT " COLUMNS6 " FROM lease6", &s->all);
	if (r < 0)
		goto fail;
	*ret = s;
	return 0;
fail:
	ternd_store6_close(s);
	return r;
}

static int step_done(struct ternd_store6 *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : err6(s->db, rc);
}

/* A stored value out of range means the file was edited or is corrupt:
 * refuse it rather than serve a wrong binding. */
static int row_to_lease(sqlite3_stmt *q, struct ternd_lease6 *l)
{
	int alen = sqlite3_column_bytes(q, 1), dlen;
	const void *a = sqlite3_column_blob(q, 1), *d;
	const unsigned char *h;

	memset(l, 0, sizeof(*l));
	l->type = (uint8_t)sqlite3_column_int(q, 0);
	if (alen != 16 || !a)
		return -EBADMSG;
	memcpy(&l->addr, a, 16);
	if (sqlite3_column_int(q, 2) < 0 || sqlite3_column_int(q, 2) > 128)
		return -EBADMSG;
	l->plen = (uint8_t)sqlite3_column_int(q, 2);
	l->state = (uint8_t)sqlite3_column_int(q, 3);
	d = sqlite3_column_blob(q, 4);
	dlen = sqlite3_column_bytes(q, 4);
	if (dlen < 0 || dlen > TERND_LEASE6_DUID_MAX)
		return -EBADMSG;
	if (dlen)
		memcpy(l->duid, d, (size_t)dlen);
	l->duid_len = (uint8_t)dlen;
	l->iaid = (uint32_t)sqlite3_column_int64(q, 5);
	l->subnet_id = (uint32_t)sqlite3_column_int64(q, 6);
	l->preferred = (uint32_t)sqlite3_column_int64(q, 7);
	l->valid = (uint32_t)sqlite3_column_int64(q, 8);
	l->cltt = sqlite3_column_int64(q, 9);
	l->expire = sqlite3_column_int64(q, 10);
	h = sqlite3_column_text(q, 11);
	if (h)
		strncpy(l->hostname, (const char *)h, sizeof(l->hostname) - 1);
	return 0;
}

int ternd_store6_iterate(struct ternd_store6 *s, ternd_store6_cb cb, void *ctx)
{
	struct ternd_lease6 l;
	int rc, r = 0;

	while ((rc = sqlite3_step(s->all)) == SQLITE_ROW) {
		r = row_to_lease(s->all, &l);
		if (r < 0 || (r = cb(ctx, &l)) != 0)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = err6(s->db, rc);
	sqlite3_reset(s->all);
	return r;
}

static int apply(struct ternd_store6 *s, const struct ternd_change6 *c)
{
	const struct ternd_lease6 *l = &c->lease;
	sqlite3_stmt *q = c->op == TERND_CHANGE6_DEL ? s->del : s->upsert;

	sqlite3_bind_int(q, 1, l->type);
	sqlite3_bind_blob(q, 2, &l->addr, 16, SQLITE_STATIC);
	if (c->op == TERND_CHANGE6_PUT) {
		sqlite3_bind_int(q, 3, l->plen);
		sqlite3_bind_int(q, 4, l->state);
		sqlite3_bind_blob(q, 5, l->duid, l->duid_len, SQLITE_STATIC);
		sqlite3_bind_int64(q, 6, l->iaid);
		sqlite3_bind_int64(q, 7, l->subnet_id);
		sqlite3_bind_int64(q, 8, l->preferred);
		sqlite3_bind_int64(q, 9, l->valid);
		sqlite3_bind_int64(q, 10, l->cltt);
		sqlite3_bind_int64(q, 11, l->expire);
		sqlite3_bind_text(
			q, 12, l->hostname,
			(int)strnlen(l->hostname, sizeof(l->hostname)),
			SQLITE_STATIC);
	} else if (c->op != TERND_CHANGE6_DEL) {
		return -EINVAL;
	}
	return step_done(s, q);
}

int ternd_store6_commit(struct ternd_store6 *s, const struct ternd_change6 *v,
			size_t n)
{
	int r;

	if (!s || (!v && n))
		return -EINVAL;
	if (!n)
		return 0;
	r = step_done(s, s->begin);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if ((r = apply(s, &v[i])) < 0) {
			step_done(s, s->rollback);
			return r;
		}
	r = step_done(s, s->commit);
	if (r < 0 && !sqlite3_get_autocommit(s->db))
		step_done(s, s->rollback);
	return r;
}

int ternd_store6_commit_meta(struct ternd_store6 *s,
			     const struct ternd_change6 *v, size_t n,
			     const char *key, const char *value)
{
	sqlite3_stmt *q = NULL;
	int r;

	if (!s || (!v && n) || !key || !value)
		return -EINVAL;
	r = prep(s, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
		 &q);
	if (r < 0)
		return r;
	if ((r = step_done(s, s->begin)) < 0)
		goto out;
	for (size_t i = 0; i < n && r >= 0; i++)
		r = apply(s, &v[i]);
	if (r >= 0) {
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
		r = step_done(s, q);
	}
	if (r >= 0)
		r = step_done(s, s->commit);
	if (r < 0 && !sqlite3_get_autocommit(s->db))
		step_done(s, s->rollback);
out:
	sqlite3_finalize(q);
	return r;
}

int ternd_store6_meta_get(struct ternd_store6 *s, const char *key, char *buf,
			  size_t len)
{
	return ternd_store_sqlite_ops.meta_get(s->st, key, buf, len);
}

int ternd_store6_meta_set(struct ternd_store6 *s, const char *key,
			  const char *value)
{
	return ternd_store_sqlite_ops.commit_meta(s->st, NULL, 0, key, value);
}

static int commit_records(void *ctx, const void *v, size_t n)
{
	return ternd_store6_commit(ctx, v, n);
}

int ternd_store6_committer(struct ternd_store6 *s, size_t max_queued,
			   struct ternd_committer **ret)
{
	if (!s)
		return -EINVAL;
	return ternd_committer_new_fn(commit_records, s,
				      sizeof(struct ternd_change6), max_queued,
				      ret);
}
