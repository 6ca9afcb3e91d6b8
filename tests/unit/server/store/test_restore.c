/* Start-up at scale: 100k leases written to the SQLite store are all rebuilt
 * into the engine. How long it takes is bench/store's figure, not a test's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/store/store.h"

#define N_LEASES 100000
#define BATCH	 1000

static const char cfg_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, \"subnet4\": [{\"id\": 1,"
	" \"subnet\": \"10.128.0.0/14\", \"interface\": \"eth0\","
	" \"pools\": [{\"pool\": \"10.128.0.10 - 10.131.255.250\"}]}]}}";

static int restore_cb(void *ctx, const struct ternd_lease *l)
{
	struct ternd_engine *e = ctx;
	static int64_t t;

	if (!t)
		t = (int64_t)time(NULL);
	assert_int_equal(ternd_engine_restore(e, l, t), 0);
	return 0;
}

static void test_restore_100k(void **state)
{
	const struct ternd_store_ops *ops = ternd_store_backend("sqlite");
	struct ternd_change *v = calloc(BATCH, sizeof(*v));
	struct ternd_config *cfg = NULL;
	struct ternd_engine *e = NULL;
	struct ternd_store *st = NULL;
	char dir[] = "/tmp/tern-restore.XXXXXX", path[64], wal[80], shm[80];
	int64_t now = (int64_t)time(NULL);

	(void)state;
	assert_non_null(v);
	assert_non_null(ops);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/leases.sqlite", dir);
	assert_int_equal(
		ternd_config_load_buf(cfg_text, strlen(cfg_text), &cfg, NULL),
		0);
	assert_int_equal(ops->open(path, &st), 0);
	/* Spread over the /14, as a long-running server's leases are. */
	for (uint32_t i = 0; i < N_LEASES; i += BATCH) {
		for (uint32_t k = 0; k < BATCH; k++) {
			struct ternd_lease *l = &v[k].lease;
			uint32_t n = i + k;

			memset(&v[k], 0, sizeof(v[k]));
			v[k].op = TERND_CHANGE_UPSERT;
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
		}
		assert_int_equal(ops->commit(st, v, BATCH), 0);
	}
	ops->close(st);
	st = NULL;

	/* What ternd does at start: open, new engine, iterate + restore. */
	assert_int_equal(ops->open(path, &st), 0);
	assert_int_equal(ternd_engine_new(cfg, &e), 0);
	assert_int_equal(ops->iterate(st, restore_cb, e), 0);
	assert_int_equal(ternd_engine_stats(e)->leases_bound, N_LEASES);
	assert_non_null(ternd_engine_lease(e, 0x0a800000u + 10 + 2 * 4242));
	/* Every lease is in place: the last one, and none twice. */
	assert_non_null(
		ternd_engine_lease(e, 0x0a800000u + 10 + 2 * (N_LEASES - 1)));
	assert_null(ternd_engine_lease(e, 0x0a800000u + 10 + 2 * N_LEASES));

	ternd_engine_free(e);
	ops->close(st);
	ternd_config_free(cfg);
	free(v);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(wal);
	unlink(shm);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restore_100k),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
