/* ternd on a PostgreSQL lease database, either family: Kea's keys to the
 * store's, the logs of opening and of the connection's news. */
#include <errno.h>
#include <string.h>

#include "common/log.h"
#include "server/pgdb.h"

struct ternd_pg_retry ternd_pgdb_retry(const struct ternd_config *cfg)
{
	struct ternd_pg_retry r = {
		.max_tries = cfg->store_pg.max_reconnect_tries,
		.wait_ms = cfg->store_pg.reconnect_wait_time,
	};

	return r;
}

void ternd_pgdb_log_open_error(const struct ternd_config *cfg, int r)
{
	tern_log(LOG_ERR, "cannot open the lease database %s: %s",
		 cfg->store_path,
		 r == -ENOTCONN		 ? "no connection"
		 : r == -EPROTONOSUPPORT ? "its schema is newer than this ternd"
					 : strerror(-r));
}

void ternd_pgdb_log_opened(const struct ternd_config *cfg)
{
	const struct ternd_pg_config *pg = &cfg->store_pg;

	tern_log(LOG_INFO,
		 "lease database %s: max-reconnect-tries %u, "
		 "reconnect-wait-time %u ms, server %u of %u",
		 cfg->store_path, pg->max_reconnect_tries,
		 pg->reconnect_wait_time, pg->server_index,
		 pg->servers ? pg->servers : 1);
}

void ternd_pgdb_watch_log(struct ternd_pgdb_watch *w, const char *extra)
{
	struct ternd_pg_counters now;

	if (!w || !w->st)
		return;
	ternd_pg_counters(w->st, &now);
	if (now.lost != w->seen.lost)
		tern_log(LOG_WARNING,
			 "lease database connection lost (%llu times so far); "
			 "replies wait until it is back",
			 (unsigned long long)now.lost);
	if (now.reconnects != w->seen.reconnects)
		tern_log(LOG_NOTICE,
			 "lease database reconnected (%llu reconnections, "
			 "%llu failed attempts so far%s)",
			 (unsigned long long)now.reconnects,
			 (unsigned long long)now.reconnect_fails,
			 extra ? extra : "");
	w->seen = now;
}
