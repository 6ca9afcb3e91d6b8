/* ternd DHCPv6 on a PostgreSQL lease database: opening it, the server's
 * own DUID key, races lost to other servers (daemon6.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "server/daemon6_pg.h"
#include "server/pgdb.h"

struct ternd_races6 {
	struct ternd_lost6 *lost;
	struct ternd_lost6_entry *v; /* taken, cap */
	size_t n, cap;
	uint64_t taken, dropped;
	struct ternd_pgdb_watch watch;
};

static struct tern_ratelimit rl_races6 = TERN_RATELIMIT_INIT(10, 2);

int ternd_d6pg_open(const struct ternd_config *cfg, struct ternd_store6 **ret)
{
	struct ternd_pg_retry retry = ternd_pgdb_retry(cfg);
	int r;

	if (!cfg->store_pg.conninfo)
		return -ENOSYS;
	r = ternd_store6_open_with(&ternd_store6_postgresql_ops,
				   cfg->store_pg.conninfo, ret);
	if (r < 0) {
		ternd_pgdb_log_open_error(cfg, r);
		return r;
	}
	ternd_pg_set_retry(ternd_pg6_store(*ret), &retry);
	ternd_pgdb_log_opened(cfg);
	return 0;
}

void ternd_d6pg_duid_key(const struct ternd_config *cfg,
			 const char *config_path, char *buf, size_t len)
{
	char host[256] = "", path[PATH_MAX];

	if (cfg->store_type != TERND_STORE_POSTGRESQL) {
		snprintf(buf, len, "server-duid6");
		return;
	}
	if (cfg->store_pg.servers > 1) {
		snprintf(buf, len, "server-duid6#%u",
			 cfg->store_pg.server_index);
		return;
	}
	if (gethostname(host, sizeof(host) - 1) < 0)
		strcpy(host, "localhost");
	if (!config_path || !realpath(config_path, path))
		snprintf(path, sizeof(path), "%s",
			 config_path ? config_path : "");
	snprintf(buf, len, "server-duid6@%s:%s", host, path);
}

void ternd_d6keys_set(struct ternd_d6keys *k, const struct ternd_change6 *v,
		      size_t n)
{
	k->n = 0;
	k->overflow = n > TERND_D6_KEYS;
	for (size_t i = 0; i < n && i < TERND_D6_KEYS; i++) {
		k->type[k->n] = v[i].lease.type;
		k->addr[k->n++] = v[i].lease.addr;
	}
}

int ternd_races6_new(struct ternd_store6 *s, struct ternd_lost6 *lost,
		     struct ternd_races6 **ret)
{
	struct ternd_races6 *r = calloc(1, sizeof(*r));

	if (r)
		r->cap = ternd_lost6_capacity(lost);
	/* As large as the list: every lost change of the batches done is
	 * taken before their replies go. */
	if (!r || !(r->v = calloc(r->cap, sizeof(*r->v)))) {
		free(r);
		return -ENOMEM;
	}
	r->lost = lost;
	r->watch.st = ternd_pg6_store(s);
	*ret = r;
	return 0;
}

void ternd_races6_free(struct ternd_races6 *r)
{
	if (!r)
		return;
	free(r->v);
	free(r);
}

size_t ternd_races6_take(struct ternd_races6 *r, uint64_t done,
			 struct ternd_engine6 *e)
{
	size_t k;

	if (!r)
		return 0;
	/* The replies of what was taken before have gone (or were dropped):
	 * those entries are done with. */
	r->n = 0;
	ternd_pgdb_watch_log(&r->watch, NULL);
	k = ternd_lost6_take(r->lost, done, r->v + r->n, r->cap - r->n);
	for (size_t i = r->n; i < r->n + k; i++)
		/* The row another server wrote replaces our belief. */
		if (r->v[i].have_row)
			(void)ternd_engine6_restore(e, &r->v[i].row);
	r->n += k;
	r->taken += k;
	if (k)
		tern_log_rl(&rl_races6, LOG_INFO,
			    "%zu DHCPv6 lease changes lost to other servers "
			    "on the shared lease database (%llu so far)",
			    k, (unsigned long long)r->taken);
	return k;
}

bool ternd_races6_lost(struct ternd_races6 *r, uint64_t ticket,
		       const struct ternd_d6keys *k)
{
	if (!r)
		return false;
	/* Few: races are rare once the engines know each other's rows. */
	for (size_t i = 0; i < r->n; i++) {
		const struct ternd_lost6_entry *x = &r->v[i];

		if (x->ticket != ticket)
			continue;
		for (size_t j = 0; j < k->n; j++)
			if (k->type[j] == x->change.lease.type &&
			    memcmp(&k->addr[j], &x->change.lease.addr, 16) ==
				    0) {
				r->dropped++;
				return true;
			}
		if (k->overflow) {
			r->dropped++;
			return true;
		}
	}
	return false;
}

bool ternd_races6_lost_changes(struct ternd_races6 *r, uint64_t ticket,
			       const struct ternd_change6 *v, size_t n)
{
	struct ternd_d6keys k;

	for (size_t i = 0; r && i < n; i += TERND_D6_KEYS) {
		ternd_d6keys_set(&k, v + i,
				 n - i < TERND_D6_KEYS ? n - i : TERND_D6_KEYS);
		if (ternd_races6_lost(r, ticket, &k)) {
			r->dropped--; /* no REPLY dropped: a command's */
			return true;
		}
	}
	return false;
}

uint64_t ternd_races6_lost_count(const struct ternd_races6 *r)
{
	return r ? r->taken : 0;
}

uint64_t ternd_races6_dropped(const struct ternd_races6 *r)
{
	return r ? r->dropped : 0;
}
