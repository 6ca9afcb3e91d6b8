/* Unit tests: Dhcp6 relay-supplied-options in the reader
 * (config/dhcp6_rsoo.c): codes and standard names, 65 always, Kea's
 * errors at the line:column of the value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server/config/cfg_test.h"
#include "server/config/config6.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

static void test_good(void **state)
{
	struct ternd_config *cfg = NULL;
	const struct ternd_config6 *c;

	(void)state;
	assert_int_equal(load(DHCP6("\"relay-supplied-options\": [\"110\", "
				    "\"dns-servers\", \"+120\", \"0110\", "
				    "\"65\"]"),
			      &cfg),
			 0);
	c = cfg->v6;
	/* Sorted, each once, 65 added as Kea's CfgRSOO holds it. */
	assert_int_equal(c->n_rsoo, 4);
	assert_int_equal(c->rsoo[0], 23);
	assert_int_equal(c->rsoo[1], 65);
	assert_int_equal(c->rsoo[2], 110);
	assert_int_equal(c->rsoo[3], 120);
	ternd_config_free(cfg);
	assert_int_equal(load(DHCP6("\"relay-supplied-options\": []"), &cfg),
			 0);
	assert_int_equal(cfg->v6->n_rsoo, 1);
	assert_int_equal(cfg->v6->rsoo[0], 65);
	ternd_config_free(cfg);
	assert_int_equal(load(DHCP6("\"valid-lifetime\": 9"), &cfg), 0);
	assert_null(cfg->v6->rsoo);
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP6("\"relay-supplied-options\": [\"23\",\n\"-1\"]"), 3,
		     1, "must be a non-negative value");
	expect_error(DHCP6("\"relay-supplied-options\": [\"65536\"]"), 2, 28,
		     "must not be greater than '65535'");
	/* Not a number (nor 0): a standard DHCPv6 name or an error. */
	expect_error(DHCP6("\"relay-supplied-options\": [\"no-such\"]"), 2, 28,
		     "unable to find option code for the specified option "
		     "name 'no-such'");
	expect_error(DHCP6("\"relay-supplied-options\": [\"0\"]"), 2, 28,
		     "unable to find option code");
	expect_error(DHCP6("\"relay-supplied-options\": [\"23 \"]"), 2, 28,
		     "unable to find option code");
	expect_error(DHCP6("\"relay-supplied-options\": [23]"), 2, 28, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
