/* Unit tests: Dhcp6 client-classes (config/dhcp6_classes.c over classes.c):
 * each key, Kea's triplet rules for the lifetimes, the errors at their
 * line:column, client-class and require-client-classes of shared networks,
 * subnets, pools and pd-pools. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server/classify/expr.h"
#include "server/config/cfg_test.h"
#include "server/config/config6.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

static const struct ternd_class *cls(const struct ternd_config *cfg,
				     const char *name, int32_t *ret_idx)
{
	int32_t i = ternd_config_class_find(cfg, name, strlen(name));

	assert_true(i >= 0);
	if (ret_idx)
		*ret_idx = i;
	return &cfg->classes.v[i];
}

/* Each key of a class without a test. */
static void test_keys(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP6(
		"\"client-classes\": [\n"
		" {\"name\": \"office\", \"comment\": \"c\",\n"
		"  \"user-context\": {\"site\": 1},\n"
		"  \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
		"\"2001:db8::53\"},\n"
		"    {\"code\": 17, \"data\": \"00000009\", \"csv-format\": "
		"false}],\n"
		"  \"preferred-lifetime\": 100, \"valid-lifetime\": 200},\n"
		" {\"name\": \"lab\", \"min-preferred-lifetime\": 50,\n"
		"  \"max-valid-lifetime\": 900},\n"
		" {\"name\": \"both\", \"preferred-lifetime\": 30,\n"
		"  \"min-preferred-lifetime\": 20, \"max-preferred-lifetime\": "
		"40, \"valid-lifetime\": 60, \"min-valid-lifetime\": 60}],\n"
		"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
		" \"client-class\": \"office\"}]"));
	const struct ternd_config6 *c6 = cfg->v6;
	const struct ternd_class *k;
	const struct ternd_option6 *o;
	int32_t i;

	(void)state;
	assert_non_null(c6->classes);
	k = cls(cfg, "office", &i);
	assert_true(k->defined);
	assert_null(k->test);
	assert_false(k->only_if_required);
	o = ternd_optlist6_find(&c6->classes[i].options, 23);
	assert_non_null(o);
	assert_int_equal(o->len, 16);
	assert_non_null(ternd_optlist6_find(&c6->classes[i].options, 17));
	assert_true(c6->classes[i].has_preferred);
	assert_int_equal(c6->classes[i].preferred, 100);
	assert_int_equal(c6->classes[i].min_preferred, 100);
	assert_int_equal(c6->classes[i].max_preferred, 100);
	assert_true(k->has_valid);
	assert_int_equal(k->valid_lifetime, 200);
	assert_true(c6->class_gives[i] & TERND_CLASS_GIVES_OPTIONS);
	assert_true(c6->class_gives[i] & TERND_CLASS_GIVES_LIFETIME);
	/* The subnet's client-class is the class's index. */
	assert_true(c6->subnets[0].cls.restricted);
	assert_int_equal(c6->subnets[0].cls.only, i);
	assert_string_equal(c6->subnets[0].client_class, "office");

	/* min only: all three are min; max only: all three are max. */
	k = cls(cfg, "lab", &i);
	assert_int_equal(c6->classes[i].preferred, 50);
	assert_int_equal(c6->classes[i].max_preferred, 50);
	assert_int_equal(k->valid_lifetime, 900);
	assert_int_equal(k->min_valid_lifetime, 900);
	assert_int_equal(c6->class_gives[i], TERND_CLASS_GIVES_LIFETIME);
	k = cls(cfg, "both", &i);
	assert_int_equal(c6->classes[i].preferred, 30);
	assert_int_equal(c6->classes[i].min_preferred, 20);
	assert_int_equal(c6->classes[i].max_preferred, 40);
	assert_int_equal(k->min_valid_lifetime, 60);
	assert_int_equal(k->max_valid_lifetime, 60);
	/* Defined classes in file order; built-ins always indexed. */
	assert_int_equal(cfg->classes.n_defs, 3);
	assert_true(cfg->classes.used);
	assert_true(cfg->classes.restricts);
	assert_int_equal(ternd_config_class_find(cfg, "DROP", 4),
			 cfg->classes.drop);
	ternd_config_free(cfg);
}

/* A class that names a built-in (no test) gives what it says. */
static void test_builtin_defined(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP6(
		"\"client-classes\": [{\"name\": \"ALL\", \"option-data\": "
		"[{\"name\": \"sntp-servers\", \"data\": "
		"\"2001:db8::123\"}]},\n"
		" {\"name\": \"KNOWN\", \"valid-lifetime\": 500}]"));
	int32_t all = ternd_config_class_find(cfg, "ALL", 3);

	(void)state;
	assert_int_equal(all, cfg->classes.all);
	assert_non_null(
		ternd_optlist6_find(&cfg->v6->classes[all].options, 31));
	assert_int_equal(cfg->classes.v[cfg->classes.known].valid_lifetime,
			 500);
	ternd_config_free(cfg);
}

/* Without client-classes nothing is allocated for them. */
static void test_none(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP6(
		"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
		" \"pools\": [{\"pool\": \"2001:db8:1::/120\", "
		"\"client-class\": "
		"\"KNOWN\"}]}]"));

	(void)state;
	assert_null(cfg->v6->classes);
	assert_null(cfg->v6->class_gives);
	assert_true(cfg->v6->subnets[0].pools[0].cls.restricted);
	assert_int_equal(cfg->v6->subnets[0].pools[0].cls.only,
			 cfg->classes.known);
	assert_false(cfg->v6->subnets[0].cls.restricted);
	ternd_config_free(cfg);
}

/* client-class and require-client-classes on every level; required
 * lists keep only defined classes with a test, in order. Without
 * tests (compiled by classify/) no class is requirable here. */
static void test_uses(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP6(
		"\"client-classes\": [{\"name\": \"a\"}],\n"
		"\"shared-networks\": [{\"name\": \"n\", \"client-class\": "
		"\"a\",\n"
		" \"require-client-classes\": [\"a\", \"undefined\"],\n"
		" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
		"  \"require-client-classes\": [],\n"
		"  \"pools\": [{\"pool\": \"2001:db8:1::/120\", "
		"\"require-client-classes\": [\"a\"]}],\n"
		"  \"pd-pools\": [{\"prefix\": \"2001:db8:8000::\", "
		"\"prefix-len\": 48, \"delegated-len\": 56,\n"
		"   \"client-class\": \"never-defined\"}]}]}]"));
	const struct ternd_config6 *c6 = cfg->v6;
	int32_t a = ternd_config_class_find(cfg, "a", 1);
	int32_t nd = ternd_config_class_find(cfg, "never-defined", 13);

	(void)state;
	assert_true(c6->networks[0].cls.restricted);
	assert_int_equal(c6->networks[0].cls.only, a);
	assert_int_equal(c6->networks[0].cls.n_required, 0);
	assert_int_equal(c6->subnets[0].pools[0].cls.n_required, 0);
	/* An undefined name still gates: nobody is in it. */
	assert_true(nd >= 0);
	assert_false(cfg->classes.v[nd].defined);
	assert_true(c6->subnets[0].pd_pools[0].cls.restricted);
	assert_int_equal(c6->subnets[0].pd_pools[0].cls.only, nd);
	ternd_config_free(cfg);
}

/* Kea's checks, each at its line:column. */
static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP6("\"client-classes\": [{\"name\": \"a\"},\n"
			   " {\"name\": \"a\"}]"),
		     3, 11, "already defined at line 2");
	expect_error(DHCP6("\"client-classes\": [{\"name\": \"\"}]"), 2, 29,
		     "must not be empty");
	expect_error(DHCP6("\"client-classes\": [{\"test\": \"true\"}]"), 2, 20,
		     "needs a \"name\"");
	expect_error(
		DHCP6("\"client-classes\": [\n"
		      " {\"name\": \"DROP\", \"only-if-required\": true}]"),
		3, 11, "cannot be only-if-required");
	expect_error(
		DHCP6("\"client-classes\": [\n"
		      " {\"name\": \"KNOWN\", \"only-if-required\": true}]"),
		3, 11, "built-in class \"KNOWN\"");
	expect_error(
		DHCP6("\"client-classes\": [\n"
		      " {\"name\": \"a\", \"next-server\": \"10.0.0.1\"}]"),
		3, 16, "DHCPv4 client class key");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"option-def\": []}]"),
		     3, 16, "DHCPv4 client class key");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"user-context\": 1}]"),
		     3, 32, "a map");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"only-if-required\": 1}]"),
		     3, 36, "");
	/* The triplets: min and max without the value, the value outside. */
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"min-preferred-lifetime\": 1,\n"
			   "  \"max-preferred-lifetime\": 5}]"),
		     3, 2,
		     "min-preferred-lifetime and max-preferred-lifetime but "
		     "no preferred-lifetime");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"valid-lifetime\": 10,\n"
			   "  \"min-valid-lifetime\": 20}]"),
		     3, 34, "valid-lifetime 10 is not within");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"preferred-lifetime\": 50,\n"
			   "  \"max-preferred-lifetime\": 40}]"),
		     3, 38, "preferred-lifetime 50 is not within");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"valid-lifetime\": -1}]"),
		     3, 34, "");
	/* A class's option-data goes through the v6 option reader. */
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"option-data\": [{\"name\": "
			   "\"no-such-option\"}]}]"),
		     3, 41, "no-such-option");
	expect_error(DHCP6("\"client-classes\": {}"), 2, 19, "a list");
	expect_error(DHCP6("\"subnet6\": [{\"id\": 1, \"subnet\": "
			   "\"2001:db8:1::/64\",\n"
			   " \"require-client-classes\": [7]}]"),
		     3, 29, "a string");
}

/* Tests compiled in family 6: the passes (KNOWN-dependent second,
 * only-if-required in none), what require-client-classes keeps. */
static void test_tests(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP6(
		"\"client-classes\": [\n"
		" {\"name\": \"vc\", \"test\": \"option[16].exists\"},\n"
		" {\"name\": \"port7\", \"test\": "
		"\"relay6[0].option[18].hex == 'port7'\"},\n"
		" {\"name\": \"kvc\", \"test\": \"member('vc') and "
		"member('KNOWN')\"},\n"
		" {\"name\": \"late\", \"test\": \"member('kvc')\"},\n"
		" {\"name\": \"req\", \"test\": \"pkt6.msgtype == 1\", "
		"\"only-if-required\": true},\n"
		" {\"name\": \"DROP\", \"test\": \"option[65000].exists\"},\n"
		" {\"name\": \"plain\"}],\n"
		"\"shared-networks\": [{\"name\": \"n\",\n"
		" \"require-client-classes\": [\"req\", \"plain\", \"none\", "
		"\"vc\"],\n"
		" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
		"  \"require-client-classes\": [\"req\"],\n"
		"  \"pd-pools\": [{\"prefix\": \"2001:db8:8000::\", "
		"\"prefix-len\": 48, \"delegated-len\": 56,\n"
		"   \"require-client-classes\": [\"late\"]}]}]}]"));
	const struct ternd_classes *cl = &cfg->classes;
	const struct ternd_config6 *c6 = cfg->v6;
	int32_t vc, port7, kvc, late, req, plain;

	(void)state;
	cls(cfg, "vc", &vc);
	cls(cfg, "port7", &port7);
	cls(cfg, "kvc", &kvc);
	cls(cfg, "late", &late);
	cls(cfg, "req", &req);
	cls(cfg, "plain", &plain);
	assert_int_equal(ternd_expr_family(cl->v[vc].test), 6);
	assert_int_equal(ternd_expr_family(cl->v[port7].test), 6);
	assert_false(cl->v[vc].depends_known);
	assert_true(cl->v[kvc].depends_known);
	assert_true(cl->v[late].depends_known); /* through member('kvc') */
	assert_true(cl->v[req].only_if_required);
	assert_null(cl->v[plain].test);
	/* First pass: vc, port7, DROP; second: kvc, late; req in none. */
	assert_int_equal(cl->n_pass[0], 3);
	assert_int_equal(cl->pass[0][0], vc);
	assert_int_equal(cl->pass[0][1], port7);
	assert_int_equal(cl->pass[0][2], cl->drop);
	assert_int_equal(cl->n_pass[1], 2);
	assert_int_equal(cl->pass[1][0], kvc);
	assert_int_equal(cl->pass[1][1], late);
	assert_null(cl->batch); /* DHCPv6 tests are evaluated one by one */
	/* Kept: defined classes with a test, in order. */
	assert_int_equal(c6->networks[0].cls.n_required, 2);
	assert_int_equal(c6->networks[0].cls.required[0], req);
	assert_int_equal(c6->networks[0].cls.required[1], vc);
	assert_int_equal(c6->subnets[0].cls.n_required, 1);
	assert_int_equal(c6->subnets[0].pd_pools[0].cls.n_required, 1);
	assert_int_equal(c6->subnets[0].pd_pools[0].cls.required[0], late);
	ternd_config_free(cfg);
}

/* A test's errors at the file's line:column of the faulty token. */
static void test_test_errors(void **state)
{
	(void)state;
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"test\": \"member('b')\"},\n"
			   " {\"name\": \"b\", \"test\": \"true\"}]"),
		     3, 32, "Not defined client class 'b'");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"test\": \"member('nope')\"}]"),
		     3, 32, "Not defined client class 'nope'");
	expect_error(
		DHCP6("\"client-classes\": [\n"
		      " {\"name\": \"a\", \"test\": \"option[16].hex == \"}]"),
		3, 43, "syntax error");
	expect_error(
		DHCP6("\"client-classes\": [\n"
		      " {\"name\": \"a\", \"test\": \"pkt4.mac == 0x01\"}]"),
		3, 25, "DHCPv4");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"ALL\", \"test\": \"true\"}]"),
		     3, 11, "built-in class \"ALL\"");
	expect_error(DHCP6("\"client-classes\": [\n"
			   " {\"name\": \"a\", \"test\": 1}]"),
		     3, 24, "a string");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_builtin_defined),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_uses),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tests),
		cmocka_unit_test(test_test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
