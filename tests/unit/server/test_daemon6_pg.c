/* Unit tests: daemon6_pg.c's pieces that need no database: the key of the
 * server DUID (one per server on a shared database) and the changes a
 * held REPLY is matched by. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "server/daemon6_pg.h"

static void test_duid_key(void **state)
{
	struct ternd_config *cfg = calloc(1, sizeof(*cfg));
	char key[PATH_MAX + 320], want[PATH_MAX + 320], host[256] = "",
							path[PATH_MAX];

	(void)state;
	assert_non_null(cfg);
	/* A file store: one server's, the old key. */
	cfg->store_type = TERND_STORE_SQLITE;
	ternd_d6pg_duid_key(cfg, "/etc/x.json", key, sizeof(key));
	assert_string_equal(key, "server-duid6");
	/* Shared, with server-index: by index. */
	cfg->store_type = TERND_STORE_POSTGRESQL;
	cfg->store_pg.servers = 3;
	cfg->store_pg.server_index = 2;
	ternd_d6pg_duid_key(cfg, "/etc/x.json", key, sizeof(key));
	assert_string_equal(key, "server-duid6#2");
	/* Shared, without: the host and the configuration's real path, so
	 * two servers of one host differ by their files. */
	cfg->store_pg.servers = 0;
	cfg->store_pg.server_index = 0;
	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	assert_non_null(realpath(".", path));
	ternd_d6pg_duid_key(cfg, ".", key, sizeof(key));
	snprintf(want, sizeof(want), "server-duid6@%s:%s", host, path);
	assert_string_equal(key, want);
	ternd_d6pg_duid_key(cfg, "/nonexistent/b.json", want, sizeof(want));
	assert_string_not_equal(key, want);
	free(cfg);
}

static void test_keys(void **state)
{
	struct ternd_change6 v[10];
	struct ternd_d6keys k;

	(void)state;
	memset(v, 0, sizeof(v));
	for (int i = 0; i < 10; i++) {
		v[i].lease.type = i % 2 ? TERND_LEASE6_PD : TERND_LEASE6_NA;
		v[i].lease.addr.s6_addr[15] = (uint8_t)i;
	}
	ternd_d6keys_set(&k, v, 2);
	assert_int_equal(k.n, 2);
	assert_false(k.overflow);
	assert_int_equal(k.type[1], TERND_LEASE6_PD);
	assert_int_equal(k.addr[1].s6_addr[15], 1);
	ternd_d6keys_set(&k, v, 10);
	assert_int_equal(k.n, TERND_D6_KEYS);
	assert_true(k.overflow);
	/* No shared database: nothing is ever lost. */
	assert_false(ternd_races6_lost(NULL, 1, &k));
	assert_int_equal(ternd_races6_take(NULL, 1, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duid_key),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
