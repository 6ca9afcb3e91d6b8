/* ternd DHCPv6 lease store: the lease6 table of the SQLite store (schema
 * version 5), opened through the sqlite backend so the lock, migrations,
 * WAL and durability settings are the same as for DHCPv4. */
#ifndef TERND_STORE6_H
#define TERND_STORE6_H

#include <stddef.h>
#include <stdint.h>

#include "server/engine6/lease6.h"
#include "server/store/committer.h"
#include "server/store/store.h"

struct ternd_store6;

typedef int (*ternd_store6_cb)(void *ctx, const struct ternd_lease6 *l);

/* Open (creating or migrating) the SQLite store at path. Returns 0 or
 * -errno (-EPROTONOSUPPORT: written by a newer ternd). */
int ternd_store6_open(const char *path, struct ternd_store6 **ret);
/* Every v6 lease, in (type, address) order; a non-zero cb result stops
 * and is returned. */
int ternd_store6_iterate(struct ternd_store6 *s, ternd_store6_cb cb, void *ctx);
/* All changes in one durable transaction (synchronous=FULL): all or
 * nothing. */
int ternd_store6_commit(struct ternd_store6 *s, const struct ternd_change6 *v,
			size_t n);
/* The changes and the meta row key = value in one durable transaction,
 * all or nothing (the Kea CSV import and its note). */
int ternd_store6_commit_meta(struct ternd_store6 *s,
			     const struct ternd_change6 *v, size_t n,
			     const char *key, const char *value);
/* The store's meta table (the server DUID is kept there). */
int ternd_store6_meta_get(struct ternd_store6 *s, const char *key, char *buf,
			  size_t len);
int ternd_store6_meta_set(struct ternd_store6 *s, const char *key,
			  const char *value);
void ternd_store6_close(struct ternd_store6 *s);

/*
 * A group committer (store/committer.h) of struct ternd_change6 records
 * over s: submit them with ternd_committer_submit_any(); each batch is one
 * ternd_store6_commit() on the committer's thread, which owns s until
 * ternd_committer_stop(). max_queued 0: the default bound.
 */
int ternd_store6_committer(struct ternd_store6 *s, size_t max_queued,
			   struct ternd_committer **ret);

/* sqlite.c: the connection of an open sqlite store (a sqlite3 *). */
void *ternd_sqlite_db(struct ternd_store *st);

#endif
