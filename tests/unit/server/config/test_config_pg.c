/* Unit tests for lease-database of type "postgresql": Kea's keys, the libpq
 * connection string, errors at their line:column. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/config/config.h"

#define DHCP4(body) "{\"Dhcp4\": {\n" body "\n}}\n"

static struct ternd_diags diags;

static int load(const char *text, struct ternd_config **cfg)
{
	memset(&diags, 0, sizeof(diags));
	return ternd_config_load_buf(text, strlen(text), cfg, &diags);
}

static bool has_error(unsigned line, unsigned col, const char *what)
{
	for (size_t i = 0; i < diags.n; i++)
		if (diags.v[i].level == TERND_DIAG_ERROR &&
		    diags.v[i].line == line && diags.v[i].col == col &&
		    strstr(diags.v[i].msg, what))
			return true;
	return false;
}

static void expect_error(const char *text, unsigned line, unsigned col,
			 const char *what)
{
	struct ternd_config *cfg = NULL;

	assert_int_equal(load(text, &cfg), -EBADMSG);
	if (!has_error(line, col, what))
		ternd_diags_print(stderr, "test", &diags);
	assert_true(has_error(line, col, what));
	assert_null(cfg);
}

static struct ternd_config *expect_ok(const char *text)
{
	struct ternd_config *cfg = NULL;

	if (load(text, &cfg) != 0)
		ternd_diags_print(stderr, "test", &diags);
	assert_non_null(cfg);
	return cfg;
}

static void test_every_key(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4(
		"\"lease-database\": {\"type\": \"postgresql\", "
		"\"name\": \"leases\", \"host\": \"/run/pg\", \"port\": 55432, "
		"\"user\": \"ternd\", \"password\": \"it's \\\\secret\", "
		"\"connect-timeout\": 3, \"max-reconnect-tries\": 10, "
		"\"reconnect-wait-time\": 500, "
		"\"on-fail\": \"serve-retry-continue\"}"));
	assert_int_equal(cfg->store_type, TERND_STORE_POSTGRESQL);
	assert_true(cfg->store_persist);
	assert_string_equal(cfg->store_pg.conninfo,
			    "dbname='leases' host='/run/pg' port='55432' "
			    "user='ternd' password='it\\'s \\\\secret' "
			    "connect_timeout='3' application_name='ternd'");
	/* Logged where the SQLite path is: never the password. */
	assert_string_equal(cfg->store_path,
			    "postgresql://ternd@[/run/pg]:55432/leases");
	assert_int_equal(cfg->store_pg.connect_timeout, 3);
	assert_int_equal(cfg->store_pg.max_reconnect_tries, 10);
	assert_int_equal(cfg->store_pg.reconnect_wait_time, 500);
	assert_int_equal(cfg->store_pg.on_fail,
			 TERND_ON_FAIL_SERVE_RETRY_CONTINUE);
	ternd_config_free(cfg);
}

/* Kea's defaults: localhost, libpq's port, 5 s, no reconnection,
 * stop-retry-exit. */
static void test_defaults(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4("\"lease-database\": {\"name\": \"kea\", "
			      "\"type\": \"postgresql\"}"));
	assert_string_equal(cfg->store_pg.conninfo,
			    "dbname='kea' host='localhost' "
			    "connect_timeout='5' application_name='ternd'");
	assert_string_equal(cfg->store_path, "postgresql://localhost:5432/kea");
	assert_int_equal(cfg->store_pg.max_reconnect_tries, 0);
	assert_int_equal(cfg->store_pg.reconnect_wait_time, 0);
	assert_int_equal(cfg->store_pg.on_fail, TERND_ON_FAIL_STOP_RETRY_EXIT);
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\", "
			   "\"name\": \"x\", \"port\": 70000}"),
		     2, 63, "port");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\", "
			   "\"name\": \"x\", \"on-fail\": \"retry\"}"),
		     2, 66, "\"on-fail\" must be");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\", "
			   "\"name\": \"x\", \"persist\": true}"),
		     2, 55, "memfile key");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\", "
			   "\"name\": \"x\", \"cert-file\": \"/c\"}"),
		     2, 55, "TLS");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\", "
			   "\"name\": 5}"),
		     2, 50, "a string");
	expect_error(DHCP4("\"lease-database\": {\"type\": \"postgresql\", "
			   "\"name\": \"x\", \"max-reconnect-tries\": -1}"),
		     2, 78, "max-reconnect-tries");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
