/* Unit tests: the Dhcp6 configuration reader (config/dhcp6*.c). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server/config/cfg_test.h"
#include "server/config/config6.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

static const char *full = DHCP6(
	"\"interfaces-config\": {\"interfaces\": [\"v6s\"]},\n"
	"\"lease-database\": {\"type\": \"memfile\", \"name\": "
	"\"/tmp/r6/leases6.csv\", \"lfc-interval\": 0},\n"
	"\"server-id\": {\"type\": \"LLT\", \"persist\": true},\n"
	"\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	"\"renew-timer\": 150, \"rebind-timer\": 240,\n"
	"\"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53, 2001:db8::54\"},\n"
	" {\"name\": \"domain-search\", \"data\": \"example.com, "
	"example.org\"},\n"
	" {\"name\": \"aftr-name\", \"data\": \"aftr.example.com\"},\n"
	" {\"code\": 32, \"data\": \"3600\"}],\n"
	"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
	"\"interface\": \"v6s\", \"rapid-commit\": true,\n"
	" \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}],\n"
	" \"pd-pools\": [{\"prefix\": \"2001:db8:8000::\", "
	"\"prefix-len\": 48, \"delegated-len\": 56,\n"
	"   \"excluded-prefix\": \"2001:db8:8000::\", "
	"\"excluded-prefix-len\": 64}],\n"
	" \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"ip-addresses\": [\"2001:db8:1::99\"],\n"
	"   \"prefixes\": [\"2001:db8:9999::/56\"], \"hostname\": "
	"\"resv1\", \"client-classes\": [\"office\", \"lab\"]}]},\n"
	" {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"interface-id\": "
	"\"eth1\", \"relay\": {\"ip-addresses\": [\"2001:db8:2::1\"]},\n"
	"  \"valid-lifetime\": 4000, \"pools\": [{\"pool\": "
	"\"2001:db8:2::/120\"}]}]");

static void test_full(void **state)
{
	struct ternd_config *cfg = NULL;
	const struct ternd_config6 *c6;
	const struct ternd_subnet6 *s;
	const struct ternd_option6 *o;
	struct in6_addr a;
	static const uint8_t dn[] = {
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0};
	static const uint8_t duid[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0x99};

	(void)state;
	if (load(full, &cfg) != 0)
		dump();
	assert_non_null(cfg);
	assert_int_equal(diags.errors, 0);
	c6 = cfg->v6;
	assert_non_null(c6);
	assert_string_equal(cfg->ifaces[0].name, "v6s");
	assert_string_equal(cfg->store_path, "/tmp/r6/leases6.sqlite");
	/* Kea's v6 CSV beside it: imported once by daemon6. */
	assert_string_equal(cfg->store_csv_path, "/tmp/r6/leases6.csv");
	assert_int_equal(c6->global.valid, 600);
	assert_int_equal(c6->global.preferred, 300);
	assert_true(c6->global.has_renew && c6->global.has_rebind);
	assert_int_equal(c6->n_subnets, 2);
	s = &c6->subnets[0];
	assert_int_equal(s->id, 1);
	assert_int_equal(s->prefix_len, 64);
	assert_true(s->params.rapid_commit);
	assert_string_equal(s->iface, "v6s");
	assert_int_equal(s->n_pools, 1);
	inet_pton(AF_INET6, "2001:db8:1::1ff", &a);
	assert_memory_equal(&s->pools[0].last, &a, 16);
	assert_int_equal(s->n_pd_pools, 1);
	assert_int_equal(s->pd_pools[0].prefix_len, 48);
	assert_int_equal(s->pd_pools[0].delegated_len, 56);
	assert_int_equal(s->n_res, 1);
	assert_int_equal(s->res[0].n_classes, 2);
	assert_string_equal(s->res[0].classes[0], "office");
	assert_string_equal(s->res[0].classes[1], "lab");
	assert_int_equal(s->pd_pools[0].excluded_len, 64);
	assert_int_equal(s->n_res, 1);
	assert_non_null(
		ternd_subnet6_find_host(s, TERND6_ID_DUID, duid, sizeof(duid)));
	assert_int_equal(s->res[0].n_addrs, 1);
	assert_int_equal(s->res[0].n_prefixes, 1);
	assert_string_equal(s->res[0].hostname, "resv1");
	inet_pton(AF_INET6, "2001:db8:1::99", &a);
	assert_true(ternd_subnet6_addr_reserved(s, &a));
	/* Subnet 2 inherits preferred 300, sets valid 4000; /120 pool. */
	s = &c6->subnets[1];
	assert_int_equal(s->params.valid, 4000);
	assert_int_equal(s->params.preferred, 300);
	assert_false(s->params.rapid_commit);
	assert_int_equal(s->iface_id_len, 4);
	assert_memory_equal(s->iface_id, "eth1", 4);
	assert_int_equal(s->n_relays, 1);
	inet_pton(AF_INET6, "2001:db8:2::ff", &a);
	assert_memory_equal(&s->pools[0].last, &a, 16);
	assert_ptr_equal(ternd_config6_subnet_for_addr(c6, &a), s);
	/* Options as kea-dhcp6 sends them. */
	o = ternd_optlist6_find(&c6->options, 23);
	assert_non_null(o);
	assert_int_equal(o->len, 32);
	o = ternd_optlist6_find(&c6->options, 24);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(dn));
	assert_memory_equal(o->data, dn, sizeof(dn));
	o = ternd_optlist6_find(&c6->options, 32);
	assert_non_null(o);
	assert_int_equal(o->len, 4);
	assert_int_equal(o->data[2], 0x0e);
	assert_int_equal(o->data[3], 0x10);
	assert_non_null(ternd_optlist6_find(&c6->options, 64));
	ternd_config_free(cfg);
}

static void test_defaults(void **state)
{
	struct ternd_config *cfg = NULL;

	(void)state;
	assert_int_equal(load(DHCP6("\"valid-lifetime\": 800"), &cfg), 0);
	/* preferred never set: 0.625 x valid, as Kea. */
	assert_int_equal(cfg->v6->global.preferred, 500);
	assert_true(cfg->v6->global.calculate_tee_times);
	assert_true(cfg->v6->global.t2_percent > 0.79 &&
		    cfg->v6->global.t2_percent < 0.81);
	assert_null(cfg->store_csv_path);
	ternd_config_free(cfg);
	/* Subnets without "id": 1, 2, ... in order, as kea-dhcp6 2.2. */
	assert_int_equal(
		load(DHCP6("\"subnet6\": [{\"subnet\": "
			   "\"2001:db8:1::/64\"},\n"
			   "{\"id\": 5, \"subnet\": \"2001:db8:2::/64\"},"
			   " {\"subnet\": \"2001:db8:3::/64\"}]"),
		     &cfg),
		0);
	assert_int_equal(cfg->v6->n_subnets, 3);
	/* (kept in id order) */
	assert_int_equal(cfg->v6->subnets[0].id, 1);
	assert_int_equal(cfg->v6->subnets[0].prefix.s6_addr[5], 1);
	assert_int_equal(cfg->v6->subnets[1].id, 2);
	assert_int_equal(cfg->v6->subnets[1].prefix.s6_addr[5], 3);
	assert_int_equal(cfg->v6->subnets[2].id, 5);
	ternd_config_free(cfg);
	/* Shared networks' subnets are numbered first, as kea-dhcp6. */
	assert_int_equal(load(DHCP6("\"subnet6\": [{\"subnet\": "
				    "\"2001:db8:1::/64\"}],\n"
				    "\"shared-networks\": [{\"name\": \"n\", "
				    "\"subnet6\": [{\"subnet\": "
				    "\"2001:db8:4::/64\"}]}]"),
			      &cfg),
			 0);
	assert_int_equal(cfg->v6->subnets[0].id, 1);
	assert_int_equal(cfg->v6->subnets[0].prefix.s6_addr[5], 4);
	assert_int_equal(cfg->v6->subnets[1].id, 2);
	ternd_config_free(cfg);
	/* A Dhcp4 file has no v6 part. */
	assert_int_equal(load(DHCP4("\"valid-lifetime\": 800"), &cfg), 0);
	assert_null(cfg->v6);
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("{\"Dhcp4\": {\"valid-lifetime\": 1},\n\"Dhcp6\": {}}", 2,
		     1, "one family per process");
	/* Without "id", numbered 1, 2, ... as kea-dhcp6 2.2 does; a given
	 * id equal to a generated one is a duplicate. */
	expect_error(DHCP6("\"subnet6\": [{\"subnet\": \"2001:db8::/64\"},\n"
			   "{\"id\": 1, \"subnet\": \"2001:db9::/64\"}]"),
		     3, 1, "used twice");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"pools\": [{\"pool\": "
			   "\"2001:db9::1-2001:db9::9\"}]}]"),
		     3, 20, "not inside the subnet");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\", \"interface\": \"a\",\n"
			   "\"interface-id\": \"x\"}]"),
		     3, 1, "cannot both");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"pd-pools\": [{\"prefix\": "
			   "\"2001:db8:8000::\", \"prefix-len\": 56, "
			   "\"delegated-len\": 48}]}]"),
		     3, 14, "shorter than prefix-len");
	expect_error(DHCP6("\"preferred-lifetime\": 900, \"valid-lifetime\": "
			   "600"),
		     1, 11, "greater than valid-lifetime");
	expect_error(DHCP6("\"hosts-databases\": []"), 2, 1,
		     "does not implement");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservations\": [{\"duid\": "
			   "\"01:02\", \"client-classes\": \"a\"}]}]"),
		     3, 54, "a list");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservations\": [{\"duid\": "
			   "\"01:02\", \"client-classes\": [\"a\", 3]}]}]"),
		     3, 60, "a string");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservations\": [{\"duid\": "
			   "\"01:02\", \"client-classes\": [\"\"]}]}]"),
		     3, 55, "client class name is empty");
	expect_error(DHCP6("\"option-data\": [{\"name\": \"dns-servers\", "
			   "\"data\": \"10.0.0.1\"}]"),
		     2, 49, "is not divisible by 16");
	expect_error(DHCP6("\"option-data\": [{\"name\": \"ntp-server\"}]"), 2,
		     26,
		     "definition for the option 'dhcp6.ntp-server' having "
		     "code '0' does not exist");
	expect_error(
		DHCP6("\"option-data\": [{\"space\": \"s46-rule-options\", "
		      "\"name\": \"s46-portparams\", \"data\": \"6, 256/8\"}]"),
		2, 81, "invalid PSID value 256 for a specified PSID length 8");
	expect_error(DHCP6("\"option-data\": [{\"space\": "
			   "\"s46-cont-mapt-options\", \"name\": \"s46-rule\", "
			   "\"data\": \"128, 16, 24, 192.0.2.0\"}]"),
		     2, 80, "number of data fields for the option type '89'");
	expect_error(DHCP6("\"option-data\": [{\"space\": "
			   "\"s46-cont-mapt-options\", \"name\": \"s46-br\", "
			   "\"data\": \"2001:db8::1\"}]"),
		     2, 60,
		     "definition for the option 's46-cont-mapt-options.s46-br' "
		     "having code '0' does not exist");
	expect_error(
		DHCP6("\"option-data\": [{\"space\": \"vendor-4491\", "
		      "\"name\": \"tftp-servers\", \"data\": \"::1, x\"}]"),
		2, 74, "Failed to convert string to address 'x'");
	expect_error(DHCP6("\"option-data\": [{\"space\": \"vendor-x-\", "
			   "\"code\": 1, \"data\": \"01\"}]"),
		     2, 27, "invalid option space name 'vendor-x-'");
	expect_error(DHCP6("\"option-data\": [{\"name\": \"s46-cont-mapt\", "
			   "\"data\": \"12\"}]"),
		     2, 51, "attempt to write invalid option data field type");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\"},\n{\"id\": 1, \"subnet\": "
			   "\"2001:db9::/64\"}]"),
		     3, 1, "used twice");
}

/* A flex-id reservation: read (Kea's 'text' or hex), warned about at its
 * value, never found by identifier, its address still reserved. */
static void test_flex_id(void **state)
{
	struct ternd_config *cfg = NULL;
	const struct ternd_subnet6 *s;
	struct in6_addr a;

	(void)state;
	assert_int_equal(
		load(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservations\": "
			   "[{\"flex-id\": \"'somevalue'\", \"ip-addresses\": "
			   "[\"2001:db8::cafe\"]},\n"
			   " {\"flex-id\": \"01:02:03\", \"hostname\": "
			   "\"f\"}]}]"),
		     &cfg),
		0);
	assert_true(has_diag(TERND_DIAG_WARNING, 3, 30, "never matches"));
	assert_true(has_diag(TERND_DIAG_WARNING, 4, 14, "never matches"));
	assert_int_equal(diags.warnings, 2);
	s = &cfg->v6->subnets[0];
	assert_int_equal(s->n_res, 2);
	assert_null(ternd_subnet6_find_host(s, TERND6_ID_FLEX,
					    (const uint8_t *)"somevalue", 9));
	assert_null(ternd_subnet6_find_host(s, TERND6_ID_DUID,
					    (const uint8_t *)"somevalue", 9));
	inet_pton(AF_INET6, "2001:db8::cafe", &a);
	assert_true(ternd_subnet6_addr_reserved(s, &a));
	ternd_config_free(cfg);
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservations\": "
			   "[{\"flex-id\": \"zz\"}]}]"),
		     3, 30, "invalid host identifier value");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8::/64\",\n\"reservations\": "
			   "[{\"flex-id\": \"01\", \"hostname\": \"a\"},\n"
			   "{\"flex-id\": \"01\", \"hostname\": \"b\"}]}]"),
		     4, 1, "a second reservation for the same identifier");
}

static void test_unknown_warned(void **state)
{
	struct ternd_config *cfg = NULL;

	(void)state;
	assert_int_equal(load(DHCP6("\"frobnicate\": 1,\n\"multi-threading\": "
				    "{\"enable-multi-threading\": false}"),
			      &cfg),
			 0);
	assert_true(has_diag(TERND_DIAG_WARNING, 2, 1, "unknown key"));
	assert_int_equal(diags.warnings, 1);
	ternd_config_free(cfg);
}

/* user-context.ternd: user and group taken (the privilege drop), the
 * DHCPv4-only extensions refused with their position. */
static void test_user_context(void **state)
{
	struct ternd_config *cfg = NULL;

	(void)state;
	assert_int_equal(load(DHCP6("\"user-context\": {\"ternd\": "
				    "{\"user\": \"nobody\", \"group\": "
				    "\"nogroup\"}, \"note\": 1}"),
			      &cfg),
			 0);
	assert_string_equal(cfg->user, "nobody");
	assert_string_equal(cfg->group, "nogroup");
	ternd_config_free(cfg);
	/* /metrics: as for Dhcp4 (Stork's kea_dhcp6_* names). */
	assert_int_equal(load(DHCP6("\"user-context\": {\"ternd\": "
				    "{\"metrics\": {\"http-port\": 9548}}}"),
			      &cfg),
			 0);
	assert_true(cfg->metrics.enabled);
	assert_int_equal(cfg->metrics.port, 9548);
	ternd_config_free(cfg);
	expect_error(DHCP6("\"user-context\": {\"ternd\": {\"mesh\": "
			   "{}}}"),
		     2, 28, "not implemented for DHCPv6");
	assert_int_equal(load(DHCP6("\"user-context\": {\"ternd\": "
				    "{\"server-index\": 1, \"servers\": 3}}"),
			      &cfg),
			 0);
	assert_int_equal(cfg->store_pg.server_index, 1);
	assert_int_equal(cfg->store_pg.servers, 3);
	ternd_config_free(cfg);
	expect_error(DHCP6("\"user-context\": {\"ternd\": "
			   "{\"server-index\": 2, \"servers\": 2}}"),
		     2, 27, "\"server-index\" must be below \"servers\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_flex_id),
		cmocka_unit_test(test_unknown_warned),
		cmocka_unit_test(test_user_context),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
