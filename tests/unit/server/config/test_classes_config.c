/* Unit tests for client-classes in ternd's configuration: classes read and
 * indexed, tests compiled, client-class and require-client-classes, every
 * error with its position (expression errors inside the JSON string). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/classify/expr.h"
#include "server/config/config.h"

#include "cfg_test.h"

#define CLASSES(body) DHCP4("\"client-classes\": [\n" body "\n]")

static const struct ternd_class *cls(const struct ternd_config *cfg,
				     const char *name)
{
	int32_t i = ternd_config_class_find(cfg, name, strlen(name));

	assert_true(i >= 0);
	assert_string_equal(cfg->classes.v[i].name, name);
	return &cfg->classes.v[i];
}

static int32_t idx(const struct ternd_config *cfg, const char *name)
{
	return ternd_config_class_find(cfg, name, strlen(name));
}

static const char full[] = DHCP4(
	"\"client-classes\": [\n"
	" {\"name\": \"pxe\", \"test\": \"substring(option[60].hex,0,9) == "
	"'PXEClient'\",\n"
	"  \"next-server\": \"192.0.2.9\", \"server-hostname\": \"boot\",\n"
	"  \"boot-file-name\": \"pxelinux.0\",\n"
	"  \"option-data\": [{\"name\": \"domain-name\", \"data\": "
	"\"pxe.example\"}]},\n"
	" {\"name\": \"agent\", \"test\": \"relay4[1].hex == 'port-1'\",\n"
	"  \"valid-lifetime\": 600, \"max-valid-lifetime\": 900},\n"
	" {\"name\": \"known-pxe\", \"test\": \"member('pxe') and "
	"member('KNOWN')\"},\n"
	" {\"name\": \"indirect\", \"test\": \"member('known-pxe')\"},\n"
	" {\"name\": \"late\", \"test\": \"member('ALL')\", "
	"\"only-if-required\": true,\n"
	"  \"min-valid-lifetime\": 100},\n"
	" {\"name\": \"plain\"},\n"
	" {\"name\": \"VENDOR_CLASS_MSFT 5.0\", \"server-hostname\": \"\"},\n"
	" {\"name\": \"ALL\", \"option-data\": [{\"name\": \"ntp-servers\", "
	"\"data\": \"192.0.2.123\"}]},\n"
	" {\"name\": \"DROP\", \"test\": \"pkt4.msgtype == 7\"},\n"
	" {\"name\": \"vend\", \"test\": "
	"\"member('VENDOR_CLASS_docsis3.0')\"}],\n"
	"\"shared-networks\": [{\"name\": \"n\", \"client-class\": \"agent\",\n"
	" \"require-client-classes\": [\"late\", \"nowhere\", \"plain\"],\n"
	" \"subnet4\": [{\"id\": 2, \"subnet\": \"10.2.0.0/24\",\n"
	"  \"require-client-classes\": [\"late\"]}]}],\n"
	"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.1.0.0/24\",\n"
	" \"client-class\": \"pxe\",\n"
	" \"require-client-classes\": [\"late\", \"pxe\"],\n"
	" \"pools\": [{\"pool\": \"10.1.0.10 - 10.1.0.20\", "
	"\"client-class\": \"UNKNOWN\"},\n"
	"  {\"pool\": \"10.1.0.30 - 10.1.0.40\", \"client-class\": "
	"\"undefined-one\",\n"
	"   \"require-client-classes\": [\"agent\"]},\n"
	"  {\"pool\": \"10.1.0.50 - 10.1.0.60\", \"client-class\": \"\"}],\n"
	" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:01\",\n"
	"  \"client-classes\": [\"pxe\", \"not-a-class\"]}]}]");

static void test_classes_read(void **state)
{
	struct ternd_config *cfg = expect_ok(full);
	const struct ternd_classes *c = &cfg->classes;
	const struct ternd_class *k;
	const struct ternd_subnet *s;
	char dump[256];

	(void)state;
	assert_true(c->used);
	/* The built-ins and DROP always have an index. */
	assert_string_equal(c->v[c->all].name, "ALL");
	assert_string_equal(c->v[c->known].name, "KNOWN");
	assert_string_equal(c->v[c->unknown].name, "UNKNOWN");
	assert_string_equal(c->v[c->bootp].name, "BOOTP");
	assert_string_equal(c->v[c->drop].name, "DROP");
	/* Defined classes in file order. */
	assert_int_equal(c->n_defs, 10);
	assert_string_equal(c->v[c->defs[0]].name, "pxe");
	assert_string_equal(c->v[c->defs[5]].name, "plain");
	assert_string_equal(c->v[c->defs[7]].name, "ALL");
	assert_int_equal(c->defs[7], c->all);
	assert_int_equal(c->defs[8], c->drop);

	k = cls(cfg, "pxe");
	assert_true(k->defined);
	assert_non_null(k->test);
	assert_false(k->depends_known);
	assert_false(k->only_if_required);
	ternd_expr_dump(k->test, dump, sizeof(dump));
	assert_string_equal(dump, "option[60].hex (string); substring 0 9; "
				  "'PXEClient'; ==");
	assert_int_equal(k->next_server, IP(192, 0, 2, 9));
	assert_string_equal(k->server_hostname, "boot");
	assert_string_equal(k->boot_file_name, "pxelinux.0");
	assert_int_equal(k->options.n, 1);
	assert_int_equal(k->options.v[0].code, 15);
	assert_false(k->has_valid);

	/* valid and max: min = valid (Kea's triplet). */
	k = cls(cfg, "agent");
	assert_true(k->has_valid);
	assert_int_equal(k->valid_lifetime, 600);
	assert_int_equal(k->min_valid_lifetime, 600);
	assert_int_equal(k->max_valid_lifetime, 900);
	/* min only: all three are min. */
	k = cls(cfg, "late");
	assert_true(k->only_if_required);
	assert_true(k->has_valid);
	assert_int_equal(k->valid_lifetime, 100);
	assert_int_equal(k->max_valid_lifetime, 100);

	/* KNOWN, directly and through another class. */
	assert_true(cls(cfg, "known-pxe")->depends_known);
	assert_true(cls(cfg, "indirect")->depends_known);
	assert_false(cls(cfg, "vend")->depends_known);
	k = cls(cfg, "plain");
	assert_null(k->test);
	/* "" is no value. */
	assert_null(cls(cfg, "VENDOR_CLASS_MSFT 5.0")->server_hostname);
	assert_int_equal(cls(cfg, "ALL")->options.n, 1);

	/* Names used but not defined have an index too. */
	assert_false(cls(cfg, "VENDOR_CLASS_docsis3.0")->defined);
	assert_false(cls(cfg, "undefined-one")->defined);
	/* Reservation class names are looked up at run time only. */
	assert_true(idx(cfg, "not-a-class") < 0);
	assert_true(idx(cfg, "nowhere") < 0);
	/* VENDOR_CLASS_ lookups by option 60's bytes. */
	assert_int_equal(
		ternd_config_vendor_class(cfg, (const uint8_t *)"MSFT 5.0", 8),
		idx(cfg, "VENDOR_CLASS_MSFT 5.0"));
	assert_int_equal(
		ternd_config_vendor_class(cfg, (const uint8_t *)"docsis3.0", 9),
		idx(cfg, "VENDOR_CLASS_docsis3.0"));
	assert_true(ternd_config_vendor_class(cfg, (const uint8_t *)"MSFT 5.",
					      7) < 0);
	assert_true(ternd_config_vendor_class(cfg, (const uint8_t *)"MSFT 5.00",
					      9) < 0);

	/* Subnets, pools, networks. */
	s = ternd_config_subnet_by_id(cfg, 1);
	assert_true(s->cls.restricted);
	assert_int_equal(s->cls.only, idx(cfg, "pxe"));
	/* Required: defined classes with a test only. */
	assert_int_equal(s->cls.n_required, 2);
	assert_int_equal(s->cls.required[0], idx(cfg, "late"));
	assert_int_equal(s->cls.required[1], idx(cfg, "pxe"));
	assert_int_equal(s->n_pools, 3);
	assert_true(s->pools[0].cls.restricted);
	assert_int_equal(s->pools[0].cls.only, c->unknown);
	assert_int_equal(s->pools[1].cls.only, idx(cfg, "undefined-one"));
	assert_int_equal(s->pools[1].cls.n_required, 1);
	assert_int_equal(s->pools[1].cls.required[0], idx(cfg, "agent"));
	assert_false(s->pools[2].cls.restricted);
	assert_int_equal(s->reservations[0].n_classes, 2);
	assert_string_equal(s->reservations[0].classes[1], "not-a-class");
	s = ternd_config_subnet_by_id(cfg, 2);
	assert_false(s->cls.restricted);
	assert_non_null(s->network_of);
	assert_true(s->network_of->cls.restricted);
	assert_int_equal(s->network_of->cls.only, idx(cfg, "agent"));
	assert_int_equal(s->network_of->cls.n_required, 1);
	assert_int_equal(s->network_of->cls.required[0], idx(cfg, "late"));
	ternd_config_free(cfg);
}

static void test_no_classes(void **state)
{
	struct ternd_config *cfg =
		expect_ok(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
				"\"10.1.0.0/24\"}]"));

	(void)state;
	/* Nothing to classify: the engine skips it all. */
	assert_false(cfg->classes.used);
	assert_int_equal(cfg->classes.n_defs, 0);
	assert_int_equal(cfg->classes.n, 5);
	ternd_config_free(cfg);
	/* A restriction alone turns it on. */
	cfg = expect_ok(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			      "\"10.1.0.0/24\", \"client-class\": \"x\"}]"));
	assert_true(cfg->classes.used);
	ternd_config_free(cfg);
}

static void test_expression_errors(void **state)
{
	(void)state;
	/* The column is the expression's own, inside the string: the test
	 * value's quote is at column 23, so its byte 1 is column 24. */
	expect_error(
		CLASSES("{\"name\": \"a\", \"test\": \"pkt4.mac == and\"}"), 3,
		36,
		"test of client class \"a\": syntax error, unexpected "
		"and");
	expect_error(
		CLASSES("{\"name\": \"a\", \"test\": \"option[12].text\"}"), 3,
		39, "syntax error, unexpected end of file");
	/* Escaped characters take more than one column. */
	expect_error(CLASSES("{\"name\": \"a\", \"test\": \"\\t'x' == "
			     "\\\"y\\\"\"}"),
		     3, 33, "Invalid character: \"");
	expect_error(CLASSES("{\"name\": \"a\", \"test\": \"member('b')\"},\n"
			     "{\"name\": \"b\"}"),
		     3, 31, "Not defined client class 'b'");
	/* A class cannot name itself, nor DROP undefined. */
	expect_error(CLASSES("{\"name\": \"a\", \"test\": \"member('a')\"}"), 3,
		     31, "Not defined client class 'a'");
	expect_error(CLASSES("{\"name\": \"a\", \"test\": \"member('DROP')\"}"),
		     3, 31, "Not defined client class 'DROP'");
	expect_error(CLASSES("{\"name\": \"a\", \"test\": \"known\"}"), 3, 24,
		     "Invalid character: k");
	expect_error(CLASSES("{\"name\": \"a\", \"test\": 1}"), 3, 23,
		     "\"test\" must be a string");
}

static void test_class_errors(void **state)
{
	(void)state;
	expect_error(CLASSES("{\"test\": \"member('ALL')\"}"), 3, 1,
		     "needs \"name\"");
	expect_error(CLASSES("{\"name\": \"\"}"), 3, 10,
		     "\"name\" must not be empty");
	expect_error(CLASSES("{\"name\": \"a\"},\n{\"name\": \"a\"}"), 4, 10,
		     "client class \"a\" is already defined at line 3");
	expect_error(
		CLASSES("{\"name\": \"KNOWN\", \"test\": \"member('ALL')\"}"),
		3, 10, "built-in class \"KNOWN\" can have no test");
	expect_error(CLASSES("{\"name\": \"ALL\", \"only-if-required\": true}"),
		     3, 10, "built-in class \"ALL\"");
	expect_error(CLASSES("{\"name\": \"DROP\", \"only-if-required\": true, "
			     "\"test\": \"member('ALL')\"}"),
		     3, 10, "\"DROP\" cannot be only-if-required");
	expect_error(CLASSES("{\"name\": \"a\", \"next-server\": \"\"}"), 3, 30,
		     "\"next-server\": \"\" is not an IPv4 address");
	expect_error(
		CLASSES("{\"name\": \"a\", \"next-server\": \"2001:db8::1\"}"),
		3, 30, "is not an IPv4 address");
	expect_error(CLASSES("{\"name\": \"a\", \"next-server\": "
			     "\"255.255.255.255\"}"),
		     3, 30, "must not be a broadcast");
	expect_error(CLASSES("{\"name\": \"a\", \"server-hostname\": "
			     "\"0123456789012345678901234567890123456789"
			     "012345678901234567890123\"}"),
		     3, 34, "\"server-hostname\" must be at most 63 bytes");
	expect_error(CLASSES("{\"name\": \"a\", \"min-valid-lifetime\": 10, "
			     "\"max-valid-lifetime\": 20}"),
		     3, 1, "no valid-lifetime");
	expect_error(CLASSES("{\"name\": \"a\", \"valid-lifetime\": 10, "
			     "\"min-valid-lifetime\": 20}"),
		     3, 33, "not within");
	expect_error(CLASSES("{\"name\": \"a\", \"valid-lifetime\": -1}"), 3,
		     33, "must not be negative");
	expect_error(CLASSES("{\"name\": \"a\", \"only-if-required\": 1}"), 3,
		     35, "must be true or false");
	expect_error(CLASSES("{\"name\": \"a\", \"option-def\": [{\"name\": "
			     "\"x\", \"code\": 100, \"type\": \"uint8\"}]}"),
		     3, 30, "Not allowed option definition for code '100'");
	expect_error(CLASSES("{\"name\": \"a\", \"option-def\": [{\"name\": "
			     "\"x\", \"code\": 230, \"type\": \"uint8\"}], "
			     "\"option-data\": [{\"name\": \"x\", \"data\": "
			     "\"300\"}]}"),
		     3, 114, "unable to convert '300'");
	expect_error(
		CLASSES("{\"name\": \"a\", \"option-data\": [{\"code\": 3, "
			"\"data\": \"x\"}]}"),
		3, 51, "Failed to convert string to address 'x'");
	/* A class with an error is still defined: no second error where a
	 * later test names it. */
	expect_error(CLASSES("{\"name\": \"a\", \"next-server\": \"x\"},\n"
			     "{\"name\": \"b\", \"test\": \"member('a')\"}"),
		     3, 30, "is not an IPv4 address");
	assert_int_equal(diags.errors, 1);
	expect_error(DHCP4("\"client-classes\": {}"), 2, 19, "must be a list");
	/* Where classes are used. */
	expect_error(
		DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/8\", "
		      "\"client-class\": 7}]"),
		2, 63, "\"client-class\" must be a string");
	expect_error(
		DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/8\", "
		      "\"require-client-classes\": \"a\"}]"),
		2, 73, "must be a list");
	expect_error(
		DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/8\", "
		      "\"pools\": [{\"pool\": \"10.0.0.0/24\", "
		      "\"require-client-classes\": [1]}]}]"),
		2, 108, "must be a string");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, "
			   "\"subnet\": \"10.0.0.0/8\", \"reservations\": "
			   "[{\"hw-address\": \"02:00:00:00:00:01\", "
			   "\"client-classes\": \"a\"}]}]"),
		     2, 118, "must be a list");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes_read),
		cmocka_unit_test(test_no_classes),
		cmocka_unit_test(test_expression_errors),
		cmocka_unit_test(test_class_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
