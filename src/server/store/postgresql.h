/* ternd PostgreSQL lease store: what the daemon sets beyond store.h. */
#ifndef TERND_STORE_POSTGRESQL_H
#define TERND_STORE_POSTGRESQL_H

#include <stdbool.h>
#include <stdint.h>

#include "server/store/store.h"

/*
 * Kea's reconnection keys. When the connection is lost (database
 * restarted, network gone), a commit reconnects before giving up: up to
 * max_tries attempts, the first wait_ms after the loss, each wait twice
 * the last up to 8 x wait_ms (at most 30 s), then the commit fails with
 * the cause (-ENOTCONN when nothing answered). The batch is re-sent whole
 * on the new connection: a pipeline is one implicit transaction, so a
 * batch the lost connection did not confirm was either committed whole
 * (re-sending writes the same rows again) or not at all. max_tries 0
 * (Kea's default): no reconnection.
 */
struct ternd_pg_retry {
	uint32_t max_tries;
	uint32_t wait_ms;
};

struct ternd_pg_counters {
	uint64_t reconnects;	  /* connections re-established */
	uint64_t reconnect_fails; /* attempts that failed */
	uint64_t lost;		  /* connections found broken */
	uint64_t commits_failed;  /* commits that failed (the committer may
				     retry them) */
};

/* The backend (store.c's table, "postgresql"); open() takes a libpq
 * connection string ("host=/run/pg dbname=leases user=ternd"). */
extern const struct ternd_store_ops ternd_store_postgresql_ops;

/* For a store opened by ternd_store_postgresql_ops only. */
void ternd_pg_set_retry(struct ternd_store *st, const struct ternd_pg_retry *r);
void ternd_pg_counters(struct ternd_store *st, struct ternd_pg_counters *ret);
/*
 * True from a lost connection until a commit succeeds on a new one: the
 * database is unreachable and nothing can be made durable. Any thread
 * (an atomic the committer thread writes).
 */
bool ternd_pg_unreachable(struct ternd_store *st);

#endif
