/* ternd lease store interface: backends (SQLite now, PostgreSQL later) behind
 * one vtable. */
#ifndef TERND_STORE_H
#define TERND_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/engine4/lease.h"

/*
 * The engine never talks to a database. The daemon loads every lease at
 * start (iterate), then hands batches of changes to commit(); a batch is one
 * transaction, made durable before commit() returns (group commit: the
 * caller gathers many ACKed leases into one batch so one fsync covers
 * them all). Backends are used from one thread at a time.
 */
struct ternd_store;

/* Called by iterate for every stored lease; non-zero stops (and is
 * returned by iterate). */
typedef int (*ternd_store_cb)(void *ctx, const struct ternd_lease *lease);

struct ternd_store_ops {
	const char *name;
	/* Open (creating the schema if needed). path is backend-specific. */
	int (*open)(const char *path, struct ternd_store **ret);
	/* Every lease, in no particular order: the daemon rebuilds its pool
	 * state from it at start, the control socket lists leases with it. */
	int (*iterate)(struct ternd_store *st, ternd_store_cb cb, void *ctx);
	/* Apply all changes in one durable transaction; all or nothing. */
	int (*commit)(struct ternd_store *st, const struct ternd_change *v,
		      size_t n);
	/* One lease by address (host order): 0 found, -ENOENT, -errno. */
	int (*lookup)(struct ternd_store *st, uint32_t addr,
		      struct ternd_lease *ret);
	void (*close)(struct ternd_store *st);
	/* A small record kept beside the leases, by key (the import of Kea's
	 * lease file is noted there): its value into buf (NUL-terminated,
	 * cut to len), 0, -ENOENT, -errno. */
	int (*meta_get)(struct ternd_store *st, const char *key, char *buf,
			size_t len);
	/* commit() that also sets key to value, in the same transaction:
	 * the changes and the note are durable together or not at all. */
	int (*commit_meta)(struct ternd_store *st,
			   const struct ternd_change *v, size_t n,
			   const char *key, const char *value);
	/*
	 * A database several servers share (NULL for a single server's
	 * store): commit() in which a change applies only where the row
	 * lets it, so the database, not a server's memory, decides who
	 * holds an address. An upsert applies to a missing, free (expired,
	 * released, or past its end) or same-client row, and an expiry
	 * never ends a row that is still running; a delete never removes a
	 * running bound row. ret_lost[i] is set to 1 for each change that
	 * did not apply (another server's client holds the address), 0
	 * otherwise. Same transaction and errors as commit().
	 */
	int (*commit_shared)(struct ternd_store *st,
			     const struct ternd_change *v, size_t n,
			     uint8_t *ret_lost);
};

/* Backend by name ("sqlite"); NULL if unknown. */
const struct ternd_store_ops *ternd_store_backend(const char *name);

/*
 * One process serves a store at a time: an exclusive flock() on the store
 * file (beside SQLite's own POSIX locks, which it does not touch), held
 * while the returned descriptor is open. Returns the descriptor, -EBUSY
 * when another process holds it, or -errno.
 */
int ternd_store_lock(const char *path);

#endif
