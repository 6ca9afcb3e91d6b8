/* Unit tests: option-def in a Dhcp6 file (config/option_def.c with Dhcp6's
 * rules, dhcp6_optdefs.c) and option-data naming what it defines, encoded
 * by the same code as for DHCPv4 (config/options.c, option_wire.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "server/config/cfg_test.h"
#include "server/config/config6.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

static void test_defined_options(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_option6 *o;
	static const uint8_t rec[] = {7, 0x20, 0x01, 0x0d, 0xb8, 0, 0,
				      0, 0,    0,    0,	   0,	 0, 0,
				      0, 0,    1,    0x68, 0x69};
	static const uint8_t names[] = {1,   'a', 7,   'e', 'x', 'a', 'm', 'p',
					'l', 'e', 3,   'c', 'o', 'm', 0,   1,
					'b', 3,	  'o', 'r', 'g', 0};
	static const uint8_t ports[] = {0, 1, 0xff, 0xff};

	(void)state;
	/* option-data before the option-def it names: Kea reads
	 * definitions first. */
	cfg = expect_ok(DHCP6(
		"\"option-data\": [{\"name\": \"site-rec\", \"data\": "
		"\"7, 2001:db8::1, hi\"},\n"
		" {\"code\": 1001, \"data\": \"a.example.com, b.org\"}],\n"
		"\"option-def\": [{\"name\": \"site-rec\", \"code\": 1000, "
		"\"type\": \"record\",\n"
		"  \"record-types\": \"uint8, ipv6-address, string\"},\n"
		" {\"name\": \"site-names\", \"code\": 1001, \"type\": "
		"\"fqdn\", "
		"\"array\": true},\n"
		" {\"name\": \"site-ports\", \"code\": 250, \"type\": "
		"\"uint16\", "
		"\"array\": true}],\n"
		"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8::/64\",\n"
		" \"option-data\": [{\"name\": \"site-ports\", \"data\": \"1, "
		"65535\"}]}]"));
	o = ternd_optlist6_find(&cfg->v6->options, 1000);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(rec));
	assert_memory_equal(o->data, rec, sizeof(rec));
	o = ternd_optlist6_find(&cfg->v6->options, 1001);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(names));
	assert_memory_equal(o->data, names, sizeof(names));
	o = ternd_optlist6_find(&cfg->v6->subnets[0].options, 250);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(ports));
	assert_memory_equal(o->data, ports, sizeof(ports));
	assert_int_equal(cfg->n_option_defs, 3);
	ternd_config_free(cfg);
}

/* A vendor-N space's definitions, for the options inside option 17. */
static void test_vendor(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_option6 *o;
	static const uint8_t rec[] = {0, 9, 'a', 'b', 'c'};

	(void)state;
	cfg = expect_ok(DHCP6(
		"\"option-def\": [{\"name\": \"vrec\", \"code\": 5, "
		"\"space\": \"vendor-12345\",\n"
		"  \"type\": \"record\", \"record-types\": \"uint16, "
		"string\"}],\n"
		"\"option-data\": [{\"space\": \"vendor-12345\", \"name\": "
		"\"vrec\", \"data\": \"9, abc\"}]"));
	o = ternd_optlist6_find_vendor(&cfg->v6->options, 12345, 5);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(rec));
	assert_memory_equal(o->data, rec, sizeof(rec));
	ternd_config_free(cfg);
	/* Kea's own vendor spaces are not open to ternd's DHCPv6 yet */
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"uint8\", \"space\": \"vendor-4491\"}]"),
		     2, 16, "space \"vendor-4491\" is not implemented");
	/* a name of a vendor space nothing defines */
	expect_error(DHCP6("\"option-data\": [{\"space\": \"vendor-7\", "
			   "\"name\": \"zz\", \"data\": \"1\"}]"),
		     2, 47, "'vendor-7.zz' having code '0' does not exist");
}

/* A custom space encapsulated by a dhcp6 option: the level's options of
 * that space inside it, first of each code, in code order, nested spaces
 * too (Kea's CfgOption::encapsulate); another level's stay out. */
static void test_custom_space(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_option6 *o;
	static const uint8_t glob[] = {0, 2, 0, 1, 'a', 0, 3, 0, 5,   0,
				       0, 0, 1, 9, 0,	9, 0, 1, 0xee};
	static const uint8_t sub[] = {0, 2, 0, 1, 's'};

	(void)state;
	cfg = expect_ok(DHCP6(
		"\"option-def\": [{\"name\": \"box\", \"code\": 900, "
		"\"type\": \"empty\", \"encapsulate\": \"sp\"},\n"
		" {\"name\": \"t\", \"code\": 2, \"space\": \"sp\", "
		"\"type\": \"string\"},\n"
		" {\"name\": \"n\", \"code\": 3, \"space\": \"sp\", "
		"\"type\": \"empty\", \"encapsulate\": \"in\"},\n"
		" {\"name\": \"z\", \"code\": 0, \"space\": \"in\", "
		"\"type\": \"uint8\"}],\n"
		"\"option-data\": [{\"name\": \"box\"},\n"
		" {\"space\": \"sp\", \"code\": 9, \"csv-format\": false, "
		"\"data\": \"ee\"},\n"
		" {\"space\": \"sp\", \"name\": \"t\", \"data\": \"a\"},\n"
		" {\"space\": \"sp\", \"name\": \"t\", \"data\": \"b\"},\n"
		" {\"space\": \"sp\", \"name\": \"n\"},\n"
		" {\"space\": \"in\", \"name\": \"z\", \"data\": \"9\"}],\n"
		"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8::/64\",\n"
		" \"option-data\": [{\"name\": \"box\"},\n"
		"  {\"space\": \"sp\", \"name\": \"t\", \"data\": \"s\"}]}]"));
	o = ternd_optlist6_find(&cfg->v6->options, 900);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(glob));
	assert_memory_equal(o->data, glob, sizeof(glob));
	/* sub-options are not options of the level */
	assert_null(ternd_optlist6_find(&cfg->v6->options, 2));
	o = ternd_optlist6_find(&cfg->v6->subnets[0].options, 900);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(sub));
	assert_memory_equal(o->data, sub, sizeof(sub));
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 23, "
			   "\"type\": \"uint8\"}]"),
		     2, 38, "unable to override definition of option '23'");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"dns-servers\", "
			   "\"code\": 999, \"type\": \"uint8\"}]"),
		     2, 25, "override definition of option 'dns-servers'");
	expect_error(
		DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 70000, "
		      "\"type\": \"uint8\"}]"),
		2, 38, "greater than '65535'");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 0, "
			   "\"type\": \"uint8\"}]"),
		     2, 38, "reserved value");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"uint8\", \"array\": true, "
			   "\"encapsulate\": \"foo\"}]"),
		     2, 16, "may not encapsulate any option space");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 9, "
			   "\"type\": \"empty\", \"space\": \"foo\", "
			   "\"encapsulate\": \"foo\"}]"),
		     2, 16, "must not encapsulate an option space it belongs");
	/* spaces encapsulating each other: Kea 2.2 recurses without end */
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"empty\", \"encapsulate\": \"la\"},\n"
			   "{\"name\": \"b\", \"code\": 1, \"space\": \"la\", "
			   "\"type\": \"empty\", \"encapsulate\": \"lb\"},\n"
			   "{\"name\": \"c\", \"code\": 1, \"space\": \"lb\", "
			   "\"type\": \"empty\", \"encapsulate\": \"la\"}],\n"
			   "\"option-data\": [{\"name\": \"a\"}, {\"space\": "
			   "\"la\", \"name\": \"b\"},\n{\"space\": \"lb\", "
			   "\"name\": \"c\"}]"),
		     5, 16, "option 900 is inside itself");
	/* code 0 is reserved in "dhcp6" only */
	expect_error(DHCP6("\"option-data\": [{\"code\": 0, \"csv-format\": "
			   "false, \"data\": \"01\"}]"),
		     2, 17, "invalid option code '0'");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"uint8\"},\n"
			   "{\"name\": \"b\", \"code\": 900, \"type\": "
			   "\"uint8\"}]"),
		     3, 23,
		     "code '900' already exists in option space "
		     "'dhcp6'");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"bogus\"}]"),
		     2, 51, "option type 'bogus' not supported");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"typo\": 1}]"),
		     2, 43, "unknown key \"typo\"");
	/* data that does not fit the definition */
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"uint8\"}],\n"
			   "\"option-data\": [{\"name\": \"a\", \"data\": "
			   "\"300\"}]"),
		     3, 39,
		     "(space: dhcp6, code: 900): unable to convert '300'");
	expect_error(DHCP6("\"option-def\": [{\"name\": \"a\", \"code\": 900, "
			   "\"type\": \"ipv6-address\"}],\n"
			   "\"option-data\": [{\"code\": 900, \"data\": "
			   "\"10.0.0.1\"}]"),
		     3, 39,
		     "(space: dhcp6, code: 900): option buffer truncated");
	/* a code option-def does not define still needs hex */
	expect_error(DHCP6("\"option-data\": [{\"code\": 901, \"data\": "
			   "\"1\"}]"),
		     2, 17, "having code '901' does not exist");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defined_options),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_custom_space),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
