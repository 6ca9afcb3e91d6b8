/* bench/store: the SQLite lease store at scale: leases committed per second in
 * batches, and a restart's reopen + rebuild of every lease into the engine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/store/store.h"

#define BATCH 1000

static const char cfg_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, \"subnet4\": [{\"id\": 1,"
	" \"subnet\": \"10.128.0.0/14\", \"interface\": \"eth0\","
	" \"pools\": [{\"pool\": \"10.128.0.10 - 10.131.255.250\"}]}]}}";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct restore_ctx {
	struct ternd_engine *e;
	int64_t now;
	int err;
};

static int restore_cb(void *ctx, const struct ternd_lease *l)
{
	struct restore_ctx *rc = ctx;

	if (ternd_engine_restore(rc->e, l, rc->now) < 0)
		rc->err++;
	return 0;
}

static void fill(struct ternd_change *v, uint32_t first, int64_t now)
{
	for (uint32_t k = 0; k < BATCH; k++) {
		struct ternd_lease *l = &v[k].lease;
		uint32_t n = first + k;

		memset(&v[k], 0, sizeof(v[k]));
		v[k].op = TERND_CHANGE_UPSERT;
		/* Spread over the /14, as a long-running server's are. */
		l->addr = 0x0a800000u + 10 + n * 2;
		l->subnet_id = 1;
		l->state = TERND_LEASE_BOUND;
		l->htype = 1;
		l->hw_len = 6;
		l->hw[0] = 0x02;
		l->hw[3] = (uint8_t)(n >> 16);
		l->hw[4] = (uint8_t)(n >> 8);
		l->hw[5] = (uint8_t)n;
		l->valid_lifetime = 3600;
		l->cltt = now - 10;
		l->expire = now + 3590;
		if (n % 7)
			snprintf(l->hostname, sizeof(l->hostname), "host-%u",
				 n);
	}
}

static void unlink_db(const char *path)
{
	char p[300];

	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	unlink(path);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)atol(argv[1]) : 100000;
	const struct ternd_store_ops *ops = ternd_store_backend("sqlite");
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_store *st = NULL;
	struct ternd_change *v = NULL;
	struct restore_ctx rc = {.now = (int64_t)time(NULL)};
	char dir[] = "/var/tmp/tern-bench-store.XXXXXX", path[200];
	double t0, t_commit, t_open, t_restore;
	int status = 1;

	if (n < BATCH || n > 1000000 || n % BATCH) {
		fprintf(stderr,
			"usage: bench_store [LEASES: a multiple of %d"
			" up to 1000000]\n",
			BATCH);
		return 2;
	}
	v = calloc(BATCH, sizeof(*v));
	if (!v || !ops || !mkdtemp(dir)) {
		perror("bench_store");
		free(v);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/leases.sqlite", dir);
	if (ternd_config_load_buf(cfg_text, strlen(cfg_text), &cfg, NULL) < 0 ||
	    ops->open(path, &st) < 0)
		goto out;
	t0 = now_s();
	for (uint32_t i = 0; i < n; i += BATCH) {
		fill(v, i, rc.now);
		if (ops->commit(st, v, BATCH) < 0)
			goto out;
	}
	t_commit = now_s() - t0;
	ops->close(st);
	st = NULL;

	/* What ternd does at start: open, new engine, iterate + restore. */
	t0 = now_s();
	if (ops->open(path, &st) < 0 || ternd_engine_new(cfg, &e) < 0)
		goto out;
	t_open = now_s() - t0;
	rc.e = e;
	if (ops->iterate(st, restore_cb, &rc) < 0 || rc.err)
		goto out;
	t_restore = now_s() - t0;
	if (ternd_engine_stats(e)->leases_bound != n) {
		fprintf(stderr, "bench_store: restored %llu of %u leases\n",
			(unsigned long long)ternd_engine_stats(e)->leases_bound,
			n);
		goto out;
	}
	printf("store: %u leases committed in batches of %d: %.3f s"
	       " (%.0f leases/s, one fsync per batch)\n",
	       n, BATCH, t_commit, n / t_commit);
	printf("store: restart: open %.1f ms, open + restore into the engine"
	       " %.1f ms (%.0f ns per lease)\n",
	       t_open * 1e3, t_restore * 1e3, t_restore * 1e9 / n);
	status = 0;
out:
	if (status)
		fprintf(stderr, "bench_store: failed\n");
	ternd_engine_free(e);
	if (st)
		ops->close(st);
	ternd_config_free(cfg);
	free(v);
	unlink_db(path);
	rmdir(dir);
	return status;
}
