/* ternd DHCPv6 lease store interface: backends (SQLite, PostgreSQL) behind
 * one vtable, as store.h is for DHCPv4. */
#ifndef TERND_STORE6_H
#define TERND_STORE6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/engine6/lease6.h"
#include "server/store/committer.h"
#include "server/store/store.h"

/* Every backend's handle starts with this (the backend's own struct
 * embeds it first). */
struct ternd_store6 {
	const struct ternd_store6_ops *ops;
};

typedef int (*ternd_store6_cb)(void *ctx, const struct ternd_lease6 *l);

struct ternd_store6_ops {
	const char *name;
	/* Open (creating or upgrading the schema). path: a file (sqlite)
	 * or a libpq connection string (postgresql). -EPROTONOSUPPORT: the
	 * schema was written by a newer ternd. */
	int (*open)(const char *path, struct ternd_store6 **ret);
	/* Every v6 lease, in (type, address) order; a non-zero cb result
	 * stops and is returned. */
	int (*iterate)(struct ternd_store6 *s, ternd_store6_cb cb, void *ctx);
	/* All changes in one durable transaction: all or nothing. */
	int (*commit)(struct ternd_store6 *s, const struct ternd_change6 *v,
		      size_t n);
	/*
	 * A database several servers share (NULL for a single server's
	 * store): commit() in which a change applies only where the row
	 * lets it. A PUT applies to a missing row, a free one (expired-
	 * reclaimed, or past its end by the database's clock) or the same
	 * client's (DUID, IAID and type); an expiry (a PUT of state
	 * expired) never ends a bound row that still runs; a decline
	 * always applies (the address is in use on the link). A DEL
	 * applies to a missing or free row, or to the same client's row
	 * when it is not newer than the lease deleted. ret_lost[i] is set
	 * to 1 for each change that did not apply, 0 otherwise.
	 */
	int (*commit_shared)(struct ternd_store6 *s,
			     const struct ternd_change6 *v, size_t n,
			     uint8_t *ret_lost);
	/* commit() that also sets the meta row key = value in the same
	 * transaction: all or nothing (the Kea CSV import and its note). */
	int (*commit_meta)(struct ternd_store6 *s,
			   const struct ternd_change6 *v, size_t n,
			   const char *key, const char *value);
	/* One row by (type, address): 0, -ENOENT or -errno. */
	int (*lookup)(struct ternd_store6 *s, uint8_t type,
		      const struct in6_addr *addr, struct ternd_lease6 *ret);
	/* The store's meta records (the server DUID is kept there). */
	int (*meta_get)(struct ternd_store6 *s, const char *key, char *buf,
			size_t len);
	int (*meta_set)(struct ternd_store6 *s, const char *key,
			const char *value);
	void (*close)(struct ternd_store6 *s);
};

extern const struct ternd_store6_ops ternd_store6_sqlite_ops;
extern const struct ternd_store6_ops ternd_store6_postgresql_ops;

/* Backend by the lease-database type ("sqlite", "memfile",
 * "postgresql"); NULL if unknown. */
const struct ternd_store6_ops *ternd_store6_backend(const char *name);

/* Open the SQLite store at path (creating or migrating it). Returns 0 or
 * -errno (-EPROTONOSUPPORT: written by a newer ternd). */
int ternd_store6_open(const char *path, struct ternd_store6 **ret);
/* Open with the given backend. */
int ternd_store6_open_with(const struct ternd_store6_ops *ops, const char *path,
			   struct ternd_store6 **ret);
/* The operations of s's backend (below) dispatch through s->ops. */
int ternd_store6_iterate(struct ternd_store6 *s, ternd_store6_cb cb, void *ctx);
int ternd_store6_commit(struct ternd_store6 *s, const struct ternd_change6 *v,
			size_t n);
/* The changes and the meta row key = value in one durable transaction,
 * all or nothing (the Kea CSV import and its note). */
int ternd_store6_commit_meta(struct ternd_store6 *s,
			     const struct ternd_change6 *v, size_t n,
			     const char *key, const char *value);
/* -EOPNOTSUPP on a backend that is not shared. */
int ternd_store6_commit_shared(struct ternd_store6 *s,
			       const struct ternd_change6 *v, size_t n,
			       uint8_t *ret_lost);
int ternd_store6_lookup(struct ternd_store6 *s, uint8_t type,
			const struct in6_addr *addr, struct ternd_lease6 *ret);
int ternd_store6_meta_get(struct ternd_store6 *s, const char *key, char *buf,
			  size_t len);
int ternd_store6_meta_set(struct ternd_store6 *s, const char *key,
			  const char *value);
/* Accepts NULL. */
void ternd_store6_close(struct ternd_store6 *s);

/*
 * A group committer (store/committer.h) of struct ternd_change6 records
 * over s: submit them with ternd_committer_submit_any(); each batch is one
 * ternd_store6_commit() on the committer's thread, which owns s until
 * ternd_committer_stop(). max_queued 0: the default bound.
 */
int ternd_store6_committer(struct ternd_store6 *s, size_t max_queued,
			   struct ternd_committer **ret);

/*
 * The same over a shared database (s's backend has commit_shared): each
 * batch is one commit_shared(), and every change it lost is kept, with
 * its batch's ticket and the row as the database had it just after,
 * before the ticket counts as done. After reading the committer's done,
 * the daemon takes the lost changes of the batches up to it
 * (ternd_lost6_take) and must not send the replies they were for.
 * *ret_lost is freed by ternd_lost6_free after the committer.
 */
struct ternd_lost6;
struct ternd_lost6_entry {
	uint64_t ticket;
	struct ternd_change6 change; /* the change that did not apply */
	bool have_row;
	struct ternd_lease6 row; /* the row now (have_row) */
};
#define TERND_LOST6_MAX 4096
int ternd_store6_committer_shared(struct ternd_store6 *s, size_t max_queued,
				  struct ternd_lost6 **ret_lost,
				  struct ternd_committer **ret);
/* Move up to max lost changes of tickets <= done into out (oldest
 * first); returns how many. The daemon must take every one of them
 * before it sends the replies of those tickets: out should have room for
 * ternd_lost6_capacity() entries. */
size_t ternd_lost6_take(struct ternd_lost6 *l, uint64_t done,
			struct ternd_lost6_entry *out, size_t max);
/* How many lost changes the list holds at most (at least a whole batch,
 * and TERND_LOST6_MAX). */
size_t ternd_lost6_capacity(const struct ternd_lost6 *l);
/* Changes lost so far. */
uint64_t ternd_lost6_count(struct ternd_lost6 *l);
/* Before stopping the committer: a full list no longer waits (the batch
 * fails instead). */
void ternd_lost6_stop(struct ternd_lost6 *l);
void ternd_lost6_free(struct ternd_lost6 *l);

/* postgresql6.c: the DHCPv4 handle under a store opened by
 * ternd_store6_postgresql_ops (its retry keys and counters, postgresql.h);
 * NULL for another backend. */
struct ternd_store *ternd_pg6_store(struct ternd_store6 *s);

/* sqlite.c: the connection of an open sqlite store (a sqlite3 *). */
void *ternd_sqlite_db(struct ternd_store *st);

#endif
