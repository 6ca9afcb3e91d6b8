/* ternd DHCPv6 lease store on SQLite: the lease6 table (schema v5, created
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

struct sqlite6 {
	struct ternd_store6 base; /* first: the handle callers hold */
	struct ternd_store *st;	  /* the sqlite backend's, owns the db */
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *rollback, *upsert, *del, *all, *one;
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

static int prep(struct sqlite6 *s, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    ret, NULL);

	return rc == SQLITE_OK ? 0 : err6(s->db, rc);
}

static void s6_close(struct sqlite6 *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->begin);
	sqlite3_finalize(s->commit);
	sqlite3_finalize(s->rollback);
	sqlite3_finalize(s->upsert);
	sqlite3_finalize(s->del);
	sqlite3_finalize(s->all);
	sqlite3_finalize(s->one);
	if (s->st)
		ternd_store_sqlite_ops.close(s->st);
	free(s);
}

static int s6_open(const char *path, struct ternd_store6 **ret)
{
	struct sqlite6 *s;
	int r;

	if (!path || !ret)
		return -EINVAL;
	if (!(s = calloc(1, sizeof(*s))))
		return -ENOMEM;
	s->base.ops = &ternd_store6_sqlite_ops;
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
	if (r >= 0)
		r = prep(s,
			 "SELECT " COLUMNS6
			 " FROM lease6 WHERE type = ?1 AND address = ?2",
			 &s->one);
	if (r < 0)
		goto fail;
	*ret = &s->base;
	return 0;
fail:
	s6_close(s);
	return r;
}

static int step_done(struct sqlite6 *s, sqlite3_stmt *st)
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

static int s6_iterate(struct sqlite6 *s, ternd_store6_cb cb, void *ctx)
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

static int apply(struct sqlite6 *s, const struct ternd_change6 *c)
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

static int s6_commit(struct sqlite6 *s, const struct ternd_change6 *v, size_t n)
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

static int s6_commit_meta(struct sqlite6 *s, const struct ternd_change6 *v,
			  size_t n, const char *key, const char *value)
{
	sqlite3_stmt *q = NULL;
	int r;

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

static int s6_meta_get(struct sqlite6 *s, const char *key, char *buf,
		       size_t len)
{
	return ternd_store_sqlite_ops.meta_get(s->st, key, buf, len);
}

static int s6_meta_set(struct sqlite6 *s, const char *key, const char *value)
{
	return ternd_store_sqlite_ops.commit_meta(s->st, NULL, 0, key, value);
}

static int s6_lookup(struct sqlite6 *s, uint8_t type,
		     const struct in6_addr *addr, struct ternd_lease6 *ret)
{
	struct ternd_lease6 l;
	int rc, r;

	sqlite3_bind_int(s->one, 1, type);
	sqlite3_bind_blob(s->one, 2, addr, 16, SQLITE_STATIC);
	rc = sqlite3_step(s->one);
	if (rc == SQLITE_ROW)
		r = row_to_lease(s->one, &l);
	else
		r = rc == SQLITE_DONE ? -ENOENT : err6(s->db, rc);
	sqlite3_reset(s->one);
	if (r == 0)
		*ret = l;
	return r;
}

/* The vtable takes the base handle; each backend casts back to its own. */
#define S6(x) ((struct sqlite6 *)(x))

static int v_open(const char *path, struct ternd_store6 **ret)
{
	return s6_open(path, ret);
}
static int v_iterate(struct ternd_store6 *s, ternd_store6_cb cb, void *ctx)
{
	return s6_iterate(S6(s), cb, ctx);
}
static int v_commit(struct ternd_store6 *s, const struct ternd_change6 *v,
		    size_t n)
{
	return s6_commit(S6(s), v, n);
}
static int v_commit_meta(struct ternd_store6 *s, const struct ternd_change6 *v,
			 size_t n, const char *key, const char *value)
{
	return s6_commit_meta(S6(s), v, n, key, value);
}
static int v_lookup(struct ternd_store6 *s, uint8_t type,
		    const struct in6_addr *addr, struct ternd_lease6 *ret)
{
	return s6_lookup(S6(s), type, addr, ret);
}
static int v_meta_get(struct ternd_store6 *s, const char *key, char *buf,
		      size_t len)
{
	return s6_meta_get(S6(s), key, buf, len);
}
static int v_meta_set(struct ternd_store6 *s, const char *key,
		      const char *value)
{
	return s6_meta_set(S6(s), key, value);
}
static void v_close(struct ternd_store6 *s)
{
	s6_close(S6(s));
}

const struct ternd_store6_ops ternd_store6_sqlite_ops = {
	.name = "sqlite",
	.open = v_open,
	.iterate = v_iterate,
	.commit = v_commit,
	.commit_shared = NULL, /* one server per file (flock) */
	.commit_meta = v_commit_meta,
	.lookup = v_lookup,
	.meta_get = v_meta_get,
	.meta_set = v_meta_set,
	.close = v_close,
};
