/* Unit tests: Dhcp6 host reservations in the reader (config/dhcp6_hosts.c):
 * global reservations, the reservations-* flags and reservation-mode
 * inherited global -> network -> subnet, host-reservation-identifiers,
 * Kea's CfgHosts checks, each error at its line:column. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server/config/cfg_test.h"
#include "server/config/config6.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

static const char *good = DHCP6(
	"\"reservations-global\": true, \"reservations-out-of-pool\": true,\n"
	"\"early-global-reservations-lookup\": true,\n"
	"\"host-reservation-identifiers\": [\"duid\", \"hw-address\"],\n"
	"\"reservations\": [{\"duid\": \"01:02:03\", \"ip-addresses\": "
	"[\"2001:db8:77::1\"], \"hostname\": \"g\"},\n"
	" {\"hw-address\": \"0a:0b:0c:0d:0e:0f\", \"client-classes\": "
	"[\"gold\"]}],\n"
	"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
	"\"reservation-mode\": \"disabled\"},\n"
	" {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", "
	"\"reservations-in-subnet\": false}],\n"
	"\"shared-networks\": [{\"name\": \"n\", \"reservation-mode\": "
	"\"all\",\n"
	" \"subnet6\": [{\"id\": 3, \"subnet\": \"2001:db8:3::/64\"},\n"
	"  {\"id\": 4, \"subnet\": \"2001:db8:4::/64\", \"reservation-mode\": "
	"\"global\"}]}]");

static void pflags(const struct ternd_params6 *p, bool g, bool in, bool oop)
{
	assert_int_equal(p->res_global, g);
	assert_int_equal(p->res_in_subnet, in);
	assert_int_equal(p->res_out_of_pool, oop);
}

static void flags(const struct ternd_subnet6 *s, bool g, bool in, bool oop)
{
	assert_non_null(s);
	pflags(&s->params, g, in, oop);
}

static void test_good(void **state)
{
	struct ternd_config *cfg = NULL;
	const struct ternd_config6 *c;
	const struct ternd_reservation6 *h;
	static const uint8_t id[] = {1, 2, 3};
	static const uint8_t hw[] = {0xa, 0xb, 0xc, 0xd, 0xe, 0xf};
	struct in6_addr a;

	(void)state;
	if (load(good, &cfg) != 0)
		dump();
	assert_non_null(cfg);
	c = cfg->v6;
	pflags(&c->global, true, true, true);
	/* "disabled" sets global and in-subnet; out-of-pool inherited. */
	flags(ternd_config6_subnet_by_id(c, 1), false, false, true);
	flags(ternd_config6_subnet_by_id(c, 2), true, false, true);
	/* "all" on the network: its three flags for both subnets, the
	 * subnet's own mode over it. */
	flags(ternd_config6_subnet_by_id(c, 3), false, true, false);
	flags(ternd_config6_subnet_by_id(c, 4), true, false, false);
	assert_true(c->early_ghr);
	assert_int_equal(c->n_host_ids, 2);
	assert_int_equal(c->host_ids[0], TERND6_ID_DUID);
	assert_int_equal(c->host_ids[1], TERND6_ID_HW_ADDRESS);
	assert_int_equal(c->n_res, 2);
	h = ternd_hosts6_find(c->res, c->n_res, TERND6_ID_DUID, id, 3);
	assert_non_null(h);
	assert_string_equal(h->hostname, "g");
	/* A global host's address lies in no subnet: Kea takes it. */
	inet_pton(AF_INET6, "2001:db8:77::1", &a);
	assert_int_equal(h->n_addrs, 1);
	assert_memory_equal(&h->addrs[0], &a, 16);
	h = ternd_hosts6_find(c->res, c->n_res, TERND6_ID_HW_ADDRESS, hw, 6);
	assert_non_null(h);
	assert_int_equal(h->n_classes, 1);
	assert_null(ternd_hosts6_find(c->res, c->n_res, TERND6_ID_DUID, hw, 6));
	ternd_config_free(cfg);
}

static void test_defaults(void **state)
{
	struct ternd_config *cfg = NULL;

	(void)state;
	assert_int_equal(load(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
				    "\"2001:db8:1::/64\"}],\n"
				    "\"early-global-reservations-lookup\": "
				    "false"),
			      &cfg),
			 0);
	/* Kea 2.2's defaults; no identifiers given: the engine's
	 * default (hw-address, duid). */
	flags(&cfg->v6->subnets[0], false, true, false);
	assert_false(cfg->v6->early_ghr);
	assert_int_equal(cfg->v6->n_host_ids, 0);
	assert_int_equal(cfg->v6->n_res, 0);
	ternd_config_free(cfg);
	/* flex-id is taken (never matching: no flex_id hook). */
	assert_int_equal(load(DHCP6("\"host-reservation-identifiers\": "
				    "[\"flex-id\", \"duid\"]"),
			      &cfg),
			 0);
	assert_int_equal(cfg->v6->n_host_ids, 2);
	assert_int_equal(cfg->v6->host_ids[0], TERND6_ID_FLEX);
	assert_int_equal(cfg->v6->host_ids[1], TERND6_ID_DUID);
	ternd_config_free(cfg);
}

/* mac-sources: Kea's names (two for three sources), in order. */
static void test_mac_sources(void **state)
{
	struct ternd_config *cfg = NULL;

	(void)state;
	assert_int_equal(load(DHCP6("\"mac-sources\": [\"rfc4649\", "
				    "\"ipv6-link-local\", \"any\", "
				    "\"docsis-cmts\", \"rfc4580\"]"),
			      &cfg),
			 0);
	assert_int_equal(cfg->v6->n_mac_sources, 5);
	assert_int_equal(cfg->v6->mac_sources[0], TERND6_MAC_REMOTE_ID);
	assert_int_equal(cfg->v6->mac_sources[1], TERND6_MAC_LINK_LOCAL);
	assert_int_equal(cfg->v6->mac_sources[2], TERND6_MAC_ANY);
	assert_int_equal(cfg->v6->mac_sources[3], TERND6_MAC_DOCSIS_CMTS);
	assert_int_equal(cfg->v6->mac_sources[4], TERND6_MAC_SUBSCRIBER_ID);
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	/* reservation-mode with a flag at one level, either order. */
	expect_error(DHCP6("\"reservations-global\": true,\n"
			   "\"reservation-mode\": \"all\""),
		     3, 1, "invalid use of both");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservation-mode\": \"all\", "
			   "\"reservations-out-of-pool\": true}]"),
		     3, 28, "invalid use of both");
	expect_error(DHCP6("\"reservation-mode\": \"off\""), 2, 21,
		     "is not one of disabled, out-of-pool, global, all");
	expect_error(DHCP6("\"reservations-in-subnet\": 1"), 2, 27, "");
	/* host-reservation-identifiers (Kea's messages). */
	expect_error(DHCP6("\"host-reservation-identifiers\": [\"duid\",\n"
			   "\"circuit-id\"]"),
		     3, 1, "unsupported identifier 'circuit-id'");
	expect_error(DHCP6("\"host-reservation-identifiers\": [\"duid\", "
			   "\"duid\"]"),
		     2, 42, "duplicate host identifier 'duid'");
	expect_error(DHCP6("\"host-reservation-identifiers\": [\"auto\"]"), 2,
		     34, "unsupported identifier 'auto'");
	expect_error(DHCP6("\"host-reservation-identifiers\": []"), 2, 33,
		     "must not be empty");
	/* Kea's CfgHosts: an identifier or an address twice among the
	 * global hosts, or in one subnet; a host without a resource. */
	expect_error(DHCP6("\"reservations\": [{\"duid\": \"01\", "
			   "\"hostname\": \"a\"},\n"
			   "{\"duid\": \"01\", \"hostname\": \"b\"}]"),
		     3, 1, "a second reservation for the same identifier");
	expect_error(DHCP6("\"reservations\": [{\"duid\": \"01\", "
			   "\"ip-addresses\": [\"2001:db8::1\"]},\n"
			   "{\"duid\": \"02\", \"ip-addresses\": "
			   "[\"2001:db8::1\"]}]"),
		     3, 1, "already reserved for another host");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\", \"reservations\": [\n"
			   "{\"duid\": \"01\", \"prefixes\": "
			   "[\"2001:db8:1::/56\"]},\n"
			   "{\"duid\": \"02\", \"prefixes\": "
			   "[\"2001:db8:1::/56\"]}]}]"),
		     4, 1, "already reserved for another host");
	expect_error(DHCP6("\"reservations\": [\n{\"duid\": \"01\"}]"), 3, 1,
		     "must include at least one resource");
	expect_error(DHCP6("\"reservations\": [\n{\"duid\": \"01\", "
			   "\"hostname\": \"\"}]"),
		     3, 1, "must include at least one resource");
	/* mac-sources (Kea's messages). */
	expect_error(DHCP6("\"mac-sources\": [\"duid\", \"mac\"]"), 2, 25,
		     "Failed to convert 'mac' to any recognized MAC source");
	expect_error(DHCP6("\"mac-sources\": [\"rfc6939\",\n"
			   "\"client-link-addr-option\"]"),
		     3, 1,
		     "The mac-sources value 'client-link-addr-option' was "
		     "specified twice");
	expect_error(DHCP6("\"mac-sources\": []"), 2, 16,
		     "MAC Sources cannot be empty");
	expect_error(DHCP6("\"reservations\": {}"), 2, 17, "");
}

/* ip-reservations-unique false: Kea lets two hosts reserve one address,
 * whichever key comes first. */
static void test_not_unique(void **state)
{
	struct ternd_config *cfg = NULL;

	(void)state;
	assert_int_equal(load(DHCP6("\"reservations\": [{\"duid\": \"01\", "
				    "\"ip-addresses\": [\"2001:db8::1\"]},\n"
				    "{\"duid\": \"02\", \"ip-addresses\": "
				    "[\"2001:db8::1\"]}],\n"
				    "\"ip-reservations-unique\": false"),
			      &cfg),
			 0);
	assert_int_equal(cfg->v6->n_res, 2);
	ternd_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_mac_sources),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_not_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
