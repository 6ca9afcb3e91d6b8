/* ternd on a PostgreSQL lease database, either family (pgstore.c for
 * DHCPv4, daemon6_pg.c for DHCPv6): Kea's keys, the logs of opening and
 * of the connection's news. */
#ifndef TERND_PGDB_H
#define TERND_PGDB_H

#include "server/config/config.h"
#include "server/store/postgresql.h"

/* Kea's max-reconnect-tries and reconnect-wait-time as the store takes
 * them (connect-timeout is in the connection string). */
struct ternd_pg_retry ternd_pgdb_retry(const struct ternd_config *cfg);

/* Log why the lease database could not be opened (r from open). */
void ternd_pgdb_log_open_error(const struct ternd_config *cfg, int r);

/* Log the keys in force once the database is open. */
void ternd_pgdb_log_opened(const struct ternd_config *cfg);

/* The store's connection counters as last logged: the committer thread
 * counts, the daemon's thread logs when they moved (library code never
 * logs). st NULL: nothing to watch. */
struct ternd_pgdb_watch {
	struct ternd_store *st;
	struct ternd_pg_counters seen;
};
/* extra: appended to the reconnection line (NULL: nothing). */
void ternd_pgdb_watch_log(struct ternd_pgdb_watch *w, const char *extra);

#endif
