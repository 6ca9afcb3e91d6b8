/* ternd opening a PostgreSQL lease store at start (daemon.c). */
#ifndef TERND_PGSTORE_H
#define TERND_PGSTORE_H

#include <stdbool.h>

#include "server/config/config.h"
#include "server/store/store.h"

/*
 * Connect to cfg's PostgreSQL lease database (creating or upgrading the
 * schema), with Kea's reconnection keys set; *ret_ops is the backend.
 * No lock: several servers share the database. A database that does not
 * answer at start is an error (as in Kea 2.2), logged.
 */
int ternd_pgstore_open(const struct ternd_config *cfg,
		       const struct ternd_store_ops **ret_ops,
		       struct ternd_store **ret);

/* After the store failed for good (reconnection gave up): whether ternd
 * exits (on-fail stop-retry-exit, serve-retry-exit) or runs on without
 * ACKs (serve-retry-continue). Logs the choice. */
bool ternd_pgstore_exit_on_fail(const struct ternd_config *cfg);

#endif
