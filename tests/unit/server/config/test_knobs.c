/* Unit tests for Kea's knobs as ternd reads them: defaults, reservation
 * modes, T1/T2 percents, fixed fields, host-name parameters, shared-network
 * consistency. The expected values are what kea-dhcp4 2.2 -t accepts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "server/config/config.h"

#include "cfg_test.h"

static const struct ternd_subnet *by_id(const struct ternd_config *cfg,
					uint32_t id)
{
	const struct ternd_subnet *s = ternd_config_subnet_by_id(cfg, id);

	assert_non_null(s);
	return s;
}

static void test_kea_defaults(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP4("\"comment\": \"\""));
	const struct ternd_params *p = &cfg->global;

	(void)state;
	assert_true(cfg->echo_client_id);
	assert_true(cfg->ip_reservations_unique);
	assert_false(p->calculate_tee_times);
	assert_false(p->has_renew_timer);
	assert_false(p->has_rebind_timer);
	assert_true(p->t1_percent == 0.5);
	assert_true(p->t2_percent == 0.875);
	assert_false(p->res_global);
	assert_true(p->res_in_subnet);
	assert_false(p->res_out_of_pool);
	assert_false(p->store_extended_info);
	/* The host name parameters are main's ddns ones (config/ddns.c). */
	assert_string_equal(p->ddns.char_set, "[^A-Za-z0-9.-]");
	assert_non_null(p->ddns.char_re);
	assert_string_equal(p->ddns.generated_prefix, "myhost");
	ternd_config_free(cfg);

	cfg = expect_ok(DHCP4("\"echo-client-id\": false,\n"
			      "\"store-extended-info\": true,\n"
			      "\"early-global-reservations-lookup\": true,\n"
			      "\"reservations-lookup-first\": true"));
	assert_false(cfg->echo_client_id);
	assert_true(cfg->global.store_extended_info);
	assert_true(cfg->early_global_reservations_lookup);
	assert_int_equal(diags.n, 0);
	ternd_config_free(cfg);
}

static void test_reservation_modes(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	/* The old key maps onto the three flags; flags inherit one by one. */
	cfg = expect_ok(DHCP4(
		"\"reservation-mode\": \"global\",\n"
		"\"subnet4\": [\n"
		"{\"id\": 1, \"subnet\": \"10.0.1.0/24\"},\n"
		"{\"id\": 2, \"subnet\": \"10.0.2.0/24\", "
		"\"reservation-mode\": \"out-of-pool\"},\n"
		"{\"id\": 3, \"subnet\": \"10.0.3.0/24\", "
		"\"reservation-mode\": \"disabled\"},\n"
		"{\"id\": 4, \"subnet\": \"10.0.4.0/24\", "
		"\"reservation-mode\": \"all\"},\n"
		"{\"id\": 5, \"subnet\": \"10.0.5.0/24\", "
		"\"reservations-in-subnet\": true}],\n"
		"\"shared-networks\": [{\"name\": \"n\", "
		"\"reservation-mode\": \"disabled\",\n"
		"\"subnet4\": [{\"id\": 6, \"subnet\": \"10.0.6.0/24\"}]}]"));
	assert_true(by_id(cfg, 1)->params.res_global);
	assert_false(by_id(cfg, 1)->params.res_in_subnet);
	assert_false(by_id(cfg, 2)->params.res_global);
	assert_true(by_id(cfg, 2)->params.res_in_subnet);
	assert_true(by_id(cfg, 2)->params.res_out_of_pool);
	assert_false(by_id(cfg, 3)->params.res_global);
	assert_false(by_id(cfg, 3)->params.res_in_subnet);
	assert_false(by_id(cfg, 4)->params.res_global);
	assert_true(by_id(cfg, 4)->params.res_in_subnet);
	assert_false(by_id(cfg, 4)->params.res_out_of_pool);
	/* global from the global mode, in-subnet its own */
	assert_true(by_id(cfg, 5)->params.res_global);
	assert_true(by_id(cfg, 5)->params.res_in_subnet);
	assert_false(by_id(cfg, 6)->params.res_global);
	assert_false(by_id(cfg, 6)->params.res_in_subnet);
	ternd_config_free(cfg);

	/* Both in one scope is an error (either order); other values. */
	expect_error(DHCP4("\"reservation-mode\": \"all\",\n"
			   "\"reservations-global\": true"),
		     3, 1, "invalid use of both");
	expect_error(DHCP4("\"reservations-out-of-pool\": true,\n"
			   "\"reservation-mode\": \"all\""),
		     3, 1, "invalid use of both");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\",\n"
			   "\"reservations-global\": true, "
			   "\"reservation-mode\": \"all\"}]"),
		     3, 30, "invalid use of both");
	expect_error(DHCP4("\"reservation-mode\": \"bogus\""), 2, 21,
		     "not \"bogus\"");
}

static void test_timers_and_percents(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	/* Kea accepts timers beyond the lease (it then sends none). */
	cfg = expect_ok(DHCP4("\"valid-lifetime\": 100, \"renew-timer\": 200, "
			      "\"rebind-timer\": 300"));
	assert_int_equal(cfg->global.rebind_timer, 300);
	ternd_config_free(cfg);
	/* Percents are only checked where calculate-tee-times is on. */
	cfg = expect_ok(DHCP4("\"t1-percent\": 1.5, \"t2-percent\": 0.2,\n"
			      "\"subnet4\": [{\"id\": 1, \"subnet\": "
			      "\"10.0.0.0/24\"}]"));
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"t1-percent\": 1.5, "
			      "\"calculate-tee-times\": true"));
	ternd_config_free(cfg);
	expect_error(DHCP4("\"t1-percent\": 1.5, \"calculate-tee-times\": "
			   "true,\n"
			   "\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\"},\n"
			   "{\"id\": 2, \"subnet\": \"10.0.1.0/24\"}]"),
		     2, 15, "greater than 0.0 and less than 1.0");
	/* A global problem is reported once, not per subnet. */
	assert_int_equal(diags.errors, 1);
	expect_error(DHCP4("\"t1-percent\": 0.9, \"t2-percent\": 0.5,\n"
			   "\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\", \"calculate-tee-times\": "
			   "true}]"),
		     2, 15, "t1-percent must be less than t2-percent");
	expect_error(DHCP4("\"shared-networks\": [{\"name\": \"n\", "
			   "\"calculate-tee-times\": true,\n"
			   "\"t2-percent\": 0.3,\n"
			   "\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\"}]}]"),
		     3, 15, "t1-percent must be less than t2-percent");
	/* Kea's grammar wants a real. */
	expect_error(DHCP4("\"t2-percent\": 1"), 2, 15, "must be a real");
}

static void test_fixed_fields(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	/* "" means inherit (Kea), 0.0.0.0 in a subnet means none. */
	cfg = expect_ok(DHCP4(
		"\"next-server\": \"10.0.0.5\", \"server-hostname\": \"srv\",\n"
		"\"boot-file-name\": \"boot.efi\",\n"
		"\"subnet4\": [\n"
		"{\"id\": 1, \"subnet\": \"10.0.1.0/24\", \"next-server\": "
		"\"\",\n"
		"\"server-hostname\": \"\", \"boot-file-name\": \"\"},\n"
		"{\"id\": 2, \"subnet\": \"10.0.2.0/24\", "
		"\"next-server\": \"0.0.0.0\",\n"
		"\"boot-file-name\": \"own.0\", \"interface\": \"\"}]"));
	assert_int_equal(by_id(cfg, 1)->params.next_server, IP(10, 0, 0, 5));
	assert_string_equal(by_id(cfg, 1)->params.server_hostname, "srv");
	assert_string_equal(by_id(cfg, 1)->params.boot_file_name, "boot.efi");
	assert_int_equal(by_id(cfg, 2)->params.next_server, 0);
	assert_string_equal(by_id(cfg, 2)->params.boot_file_name, "own.0");
	assert_null(by_id(cfg, 2)->iface);
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"next-server\": \"\", \"server-hostname\": "
			      "\"\", \"boot-file-name\": \"\""));
	assert_int_equal(cfg->global.next_server, 0);
	assert_null(cfg->global.server_hostname);
	assert_null(cfg->global.boot_file_name);
	ternd_config_free(cfg);
}

static void test_hostname_params(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_params *p;

	(void)state;
	cfg = expect_ok(
		DHCP4("\"hostname-char-set\": \"[^[:alnum:]-]+\",\n"
		      "\"hostname-char-replacement\": \"x\",\n"
		      "\"ddns-qualifying-suffix\": \"Example.ORG.\",\n"
		      "\"ddns-generated-prefix\": \"host\",\n"
		      "\"ddns-replace-client-name\": \"When-Present\",\n"
		      "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.1.0/24\",\n"
		      "\"hostname-char-set\": \"\"},\n"
		      "{\"id\": 2, \"subnet\": \"10.0.2.0/24\",\n"
		      "\"hostname-char-set\": \"\\\\_\", "
		      "\"ddns-replace-client-name\": \"never\"},\n"
		      "{\"id\": 3, \"subnet\": \"10.0.3.0/24\",\n"
		      "\"hostname-char-set\": \"[]a-c]\"}]"));
	/* Inherited global -> subnet as Kea does (config/ddns.c). */
	p = &cfg->global;
	assert_string_equal(p->ddns.qualifying_suffix, "Example.ORG.");
	assert_string_equal(p->ddns.generated_prefix, "host");
	assert_int_equal(p->ddns.replace_client_name,
			 TERND_DDNS_REPLACE_WHEN_PRESENT);
	assert_non_null(p->ddns.char_re);
	assert_string_equal(p->ddns.char_replacement, "x");
	/* "" = no sanitising */
	assert_null(by_id(cfg, 1)->params.ddns.char_re);
	assert_string_equal(by_id(cfg, 1)->params.ddns.qualifying_suffix,
			    "Example.ORG.");
	p = &by_id(cfg, 2)->params;
	assert_non_null(p->ddns.char_re);
	assert_string_equal(p->ddns.char_replacement, "x"); /* inherited */
	assert_int_equal(p->ddns.replace_client_name, TERND_DDNS_REPLACE_NEVER);
	ternd_config_free(cfg);

	expect_error(DHCP4("\"ddns-replace-client-name\": \"sometimes\""), 2,
		     29, "");
}

static void test_shared_network_checks(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	/* A subnet's own authoritative must agree with its network's own
	 * (unset = false), whatever the global value. */
	expect_error(DHCP4("\"authoritative\": true,\n"
			   "\"shared-networks\": [{\"name\": \"a\", "
			   "\"subnet4\": [\n"
			   "{\"id\": 1, \"subnet\": \"10.0.0.0/24\", "
			   "\"authoritative\": true},\n"
			   "{\"id\": 2, \"subnet\": \"10.0.1.0/24\"}]}]"),
		     4, 53, "(they must agree)");
	expect_error(DHCP4("\"shared-networks\": [{\"name\": \"a\", "
			   "\"authoritative\": true, \"subnet4\": [\n"
			   "{\"id\": 1, \"subnet\": \"10.0.0.0/24\"},\n"
			   "{\"id\": 2, \"subnet\": \"10.0.1.0/24\", "
			   "\"authoritative\": false}]}]"),
		     4, 53, "(they must agree)");
	cfg = expect_ok(DHCP4("\"authoritative\": true,\n"
			      "\"shared-networks\": [{\"name\": \"a\", "
			      "\"subnet4\": [\n"
			      "{\"id\": 1, \"subnet\": \"10.0.0.0/24\"},\n"
			      "{\"id\": 2, \"subnet\": \"10.0.1.0/24\"}]}]"));
	/* Effective value: inherited from the global level. */
	assert_true(by_id(cfg, 1)->params.authoritative);
	ternd_config_free(cfg);
	expect_error(DHCP4("\"shared-networks\": [{\"name\": \"a\", "
			   "\"subnet4\": [\n"
			   "{\"id\": 2, \"subnet\": \"10.0.0.0/24\", "
			   "\"interface\": \"eth1\"},\n"
			   "{\"id\": 1, \"subnet\": \"10.0.1.0/24\", "
			   "\"interface\": \"eth0\"}]}]"),
		     3, 21, "but an earlier subnet");
	/* A subnet with an empty relay list uses its network's. */
	cfg = expect_ok(DHCP4("\"shared-networks\": [{\"name\": \"a\", "
			      "\"relay\": {\"ip-addresses\": [\"10.9.9.9\"]},\n"
			      "\"subnet4\": [{\"id\": 1, \"subnet\": "
			      "\"10.0.0.0/24\",\n"
			      "\"relay\": {\"ip-addresses\": []}}]}]"));
	assert_int_equal(by_id(cfg, 1)->n_relays, 1);
	assert_int_equal(by_id(cfg, 1)->relays[0], IP(10, 9, 9, 9));
	ternd_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kea_defaults),
		cmocka_unit_test(test_reservation_modes),
		cmocka_unit_test(test_timers_and_percents),
		cmocka_unit_test(test_fixed_fields),
		cmocka_unit_test(test_hostname_params),
		cmocka_unit_test(test_shared_network_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
