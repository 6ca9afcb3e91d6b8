/* ternd opening a PostgreSQL lease store at start (daemon.c). */
#include <errno.h>
#include <string.h>

#include "common/log.h"
#include "server/pgstore.h"
#include "server/store/postgresql.h"

int ternd_pgstore_open(const struct ternd_config *cfg,
		       const struct ternd_store_ops **ret_ops,
		       struct ternd_store **ret)
{
	const struct ternd_pg_config *pg = &cfg->store_pg;
	struct ternd_pg_retry retry = {
		.max_tries = pg->max_reconnect_tries,
		.wait_ms = pg->reconnect_wait_time,
	};
	const struct ternd_store_ops *ops = ternd_store_backend("postgresql");
	int r;

	if (!ops || !pg->conninfo)
		return -ENOSYS;
	r = ops->open(pg->conninfo, ret);
	if (r < 0) {
		tern_log(LOG_ERR, "cannot open the lease database %s: %s",
			 cfg->store_path,
			 r == -ENOTCONN		 ? "no connection"
			 : r == -EPROTONOSUPPORT ? "its schema is newer than "
						   "this ternd"
						 : strerror(-r));
		return r;
	}
	ternd_pg_set_retry(*ret, &retry);
	*ret_ops = ops;
	tern_log(LOG_INFO,
		 "lease database %s: max-reconnect-tries %u, "
		 "reconnect-wait-time %u ms",
		 cfg->store_path, retry.max_tries, retry.wait_ms);
	return 0;
}

bool ternd_pgstore_exit_on_fail(const struct ternd_config *cfg)
{
	if (cfg->store_type != TERND_STORE_POSTGRESQL)
		return false;
	if (cfg->store_pg.on_fail == TERND_ON_FAIL_SERVE_RETRY_CONTINUE) {
		tern_log(LOG_ERR, "lease database lost for good; on-fail "
				  "serve-retry-continue: running on, no ACKs");
		return false;
	}
	tern_log(LOG_ERR, "lease database lost for good; on-fail says exit");
	return true;
}
