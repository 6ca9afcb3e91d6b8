/* Unit tests: Dhcp6 shared-networks in the reader (config/dhcp6_networks.c):
 * what a network gives its subnets, the subnets' order, Kea's checks. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server/config/cfg_test.h"
#include "server/config/config6.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

static const char *good = DHCP6(
	"\"valid-lifetime\": 600, \"preferred-lifetime\": 300,\n"
	"\"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"}],\n"
	"\"subnet6\": [{\"id\": 15, \"subnet\": \"2001:db8:15::/64\"}],\n"
	"\"shared-networks\": [{\"name\": \"lab\", \"interface\": \"v6n\",\n"
	" \"relay\": {\"ip-addresses\": [\"2001:db8:ff::1\"]},\n"
	" \"rapid-commit\": true, \"valid-lifetime\": 900, "
	"\"preferred-lifetime\": 500,\n"
	" \"option-data\": [{\"name\": \"domain-search\", \"data\": "
	"\"lab.example\"}],\n"
	" \"subnet6\": [{\"id\": 20, \"subnet\": \"2001:db8:20::/64\", "
	"\"valid-lifetime\": 1000,\n"
	"   \"relay\": {\"ip-address\": \"2001:db8:20::1\"},\n"
	"   \"pools\": [{\"pool\": \"2001:db8:20::10-2001:db8:20::11\", "
	"\"client-class\": \"UNKNOWN\"}]},\n"
	"  {\"id\": 10, \"subnet\": \"2001:db8:10::/64\", \"interface\": "
	"\"v6n\",\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:a000::\", \"prefix-len\": "
	"48, \"delegated-len\": 56}]}]},\n"
	" {\"name\": \"far\", \"interface-id\": \"port9\", "
	"\"client-class\": \"VENDOR_CLASS_x\", \"subnet6\": "
	"[{\"id\": 30, \"subnet\": \"2001:db8:30::/64\", \"client-class\": "
	"\"KNOWN\"}]},\n"
	" {\"name\": \"empty\"}]");

static void test_good(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_config6 *c6;
	const struct ternd_subnet6 *s10, *s15, *s20, *s30;
	const struct ternd_network6 *lab;
	struct in6_addr a;

	(void)state;
	cfg = expect_ok(good);
	c6 = cfg->v6;
	assert_int_equal(c6->n_subnets, 4);
	/* id order, whatever the file's */
	assert_int_equal(c6->subnets[0].id, 10);
	assert_int_equal(c6->subnets[1].id, 15);
	assert_int_equal(c6->subnets[2].id, 20);
	assert_int_equal(c6->subnets[3].id, 30);
	s10 = &c6->subnets[0];
	s15 = &c6->subnets[1];
	s20 = &c6->subnets[2];
	s30 = &c6->subnets[3];
	assert_int_equal(c6->n_networks, 3);
	lab = &c6->networks[0];
	assert_string_equal(lab->name, "lab");
	assert_string_equal(c6->networks[1].name, "far");
	assert_int_equal(c6->networks[2].n_members, 0);
	assert_int_equal(lab->n_members, 2);
	assert_int_equal(lab->members[0], 0); /* id 10 */
	assert_int_equal(lab->members[1], 2); /* id 20 */
	assert_ptr_equal(s10->network, lab);
	assert_ptr_equal(s20->network, lab);
	assert_null(s15->network);
	assert_ptr_equal(s30->network, &c6->networks[1]);
	assert_true(ternd_subnet6_same_link(s10, s20));
	assert_false(ternd_subnet6_same_link(s10, s15));
	assert_false(ternd_subnet6_same_link(s10, s30));
	/* lifetimes: global -> network -> subnet */
	assert_int_equal(s15->params.valid, 600);
	assert_int_equal(s10->params.valid, 900);
	assert_int_equal(s10->params.preferred, 500);
	assert_int_equal(s20->params.valid, 1000);
	assert_int_equal(s20->params.preferred, 500);
	assert_true(s10->params.rapid_commit && s20->params.rapid_commit);
	assert_false(s15->params.rapid_commit);
	/* interface, interface-id and relays inherited */
	assert_string_equal(s20->iface, "v6n");
	assert_string_equal(s10->iface, "v6n");
	assert_null(s15->iface);
	assert_int_equal(s30->iface_id_len, 5);
	assert_memory_equal(s30->iface_id, "port9", 5);
	assert_int_equal(s20->n_relays, 2);
	inet_pton(AF_INET6, "2001:db8:ff::1", &a);
	assert_memory_equal(&s20->relays[0], &a, 16);
	inet_pton(AF_INET6, "2001:db8:20::1", &a);
	assert_memory_equal(&s20->relays[1], &a, 16);
	assert_int_equal(s10->n_relays, 1);
	/* built-in classes on pools, subnets, networks */
	assert_string_equal(s20->pools[0].client_class, "UNKNOWN");
	assert_string_equal(s30->client_class, "KNOWN");
	assert_string_equal(c6->networks[1].client_class, "VENDOR_CLASS_x");
	assert_null(s10->client_class);
	assert_null(lab->client_class);
	/* the network's own option level */
	assert_non_null(ternd_optlist6_find(&lab->options, 24));
	assert_null(ternd_optlist6_find(&s10->options, 24));
	assert_non_null(ternd_optlist6_find(&c6->options, 23));
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP6("\"shared-networks\": [\n{\"subnet6\": []}]"), 3, 1,
		     "needs a \"name\"");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\"},\n"
			   "{\"name\": \"a\"}]"),
		     3, 10, "defined twice");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\", "
			   "\"interface\": \"x\",\n\"interface-id\": \"y\"}]"),
		     3, 1, "cannot both");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\", "
			   "\"interface\": \"x\", \"subnet6\": [\n"
			   "{\"id\": 1, \"subnet\": \"2001:db8::/64\", "
			   "\"interface\": \"z\"}]}]"),
		     3, 51, "earlier subnet in shared network \"a\"");
	/* the first subnet's interface counts when the network has none */
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\", "
			   "\"subnet6\": [\n"
			   "{\"id\": 1, \"subnet\": \"2001:db8::/64\", "
			   "\"interface\": \"x\"},\n"
			   "{\"id\": 2, \"subnet\": \"2001:db9::/64\", "
			   "\"interface\": \"y\"}]}]"),
		     4, 51, "uses x");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\", "
			   "\"subnet6\": [\n"
			   "{\"id\": 1, \"subnet\": \"2001:db8::/64\", "
			   "\"rapid-commit\": true},\n"
			   "{\"id\": 2, \"subnet\": \"2001:db9::/64\"}]}]"),
		     4, 1, "same rapid-commit");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 7, \"subnet\": "
			   "\"2001:db8::/64\"}],\n"
			   "\"shared-networks\": [{\"name\": \"a\", "
			   "\"subnet6\": [\n"
			   "{\"id\": 7, \"subnet\": \"2001:db9::/64\"}]}]"),
		     2, 13, "used twice"); /* networks are built first */
	expect_error(DHCP6("\"subnet6\": [{\"id\": 7, \"subnet\": "
			   "\"2001:db8::/64\"}],\n"
			   "\"shared-networks\": [{\"name\": \"a\", "
			   "\"subnet6\": [\n"
			   "{\"id\": 8, \"subnet\": \"2001:db8::/64\"}]}]"),
		     2, 13, "same prefix");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\",\n"
			   "\"client-class\": 7}]"),
		     3, 17, "must be a string");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\",\n"
			   "\"require-client-classes\": \"x\"}]"),
		     3, 27, "a list");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"a\",\n"
			   "\"valid-lifetime\": 100, \"preferred-lifetime\": "
			   "200}]"),
		     2, 21, "greater than valid-lifetime");
	expect_error(DHCP6("\"shared-networks\": [{\"name\": \"\"}]"), 2, 30,
		     "1..255 characters");
	expect_error(DHCP6("\"shared-networks\": {}"), 2, 20, "a list");
}

/* An empty interface or interface-id is one not given, as in Kea (its
 * all-keys example has both at network and subnet level). */
static void test_blank(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP6("\"shared-networks\": [{\"name\": \"a\", "
			      "\"interface\": \"x\", \"interface-id\": \"\",\n"
			      "\"subnet6\": [{\"id\": 1, \"subnet\": "
			      "\"2001:db8::/64\", \"interface\": \"\", "
			      "\"interface-id\": \"\", \"client-class\": "
			      "\"\"}]}]"));
	assert_string_equal(cfg->v6->subnets[0].iface, "x");
	assert_null(cfg->v6->subnets[0].client_class);
	assert_int_equal(cfg->v6->subnets[0].iface_id_len, 0);
	ternd_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_blank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
