/* Unit tests for ternd's DDNS configuration: dhcp-ddns, the ddns-* and
 * hostname-char-* parameters, their inheritance and errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/config/config.h"

#include "cfg_test.h"

static void test_defaults(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP4(
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\"}]"));
	const struct ternd_ddns_params *p = &cfg->subnets[0].params.ddns;

	(void)state;
	assert_false(cfg->ddns.enable_updates);
	assert_true(p->send_updates);
	assert_false(p->override_no_update);
	assert_false(p->override_client_update);
	assert_false(p->update_on_renew);
	assert_true(p->use_conflict_resolution);
	assert_int_equal(p->replace_client_name, TERND_DDNS_REPLACE_NEVER);
	assert_string_equal(p->generated_prefix, "myhost");
	assert_string_equal(p->qualifying_suffix, "");
	assert_string_equal(p->char_set, "[^A-Za-z0-9.-]");
	assert_non_null(p->char_re);
	assert_ptr_equal(cfg->global.ddns.char_re, p->char_re);
	ternd_config_free(cfg);
}

/* Kea's with-ddns.json example, as it is. */
static void test_with_ddns(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP4(
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\"}],\n"
		"\"dhcp-ddns\": {\"enable-updates\": true, \"server-ip\": "
		"\"192.0.2.0\", \"server-port\": 3432, \"sender-ip\": "
		"\"192.0.2.1\", \"sender-port\": 3433, \"max-queue-size\": "
		"2048, "
		"\"ncr-protocol\": \"UDP\", \"ncr-format\": \"JSON\"},\n"
		"\"ddns-send-updates\": true, \"ddns-override-no-update\": "
		"true,\n"
		"\"ddns-override-client-update\": true,\n"
		"\"ddns-replace-client-name\": \"when-present\",\n"
		"\"ddns-generated-prefix\": \"test.prefix\",\n"
		"\"ddns-qualifying-suffix\": \"test.suffix.\",\n"
		"\"ddns-update-on-renew\": false,\n"
		"\"ddns-use-conflict-resolution\": true,\n"
		"\"hostname-char-set\": \"[^A-Za-z0-9.-]\",\n"
		"\"hostname-char-replacement\": \"x\""));
	const struct ternd_ddns_params *p = &cfg->subnets[0].params.ddns;
	const struct ternd_config_ddns *c = &cfg->ddns;

	(void)state;
	assert_true(c->enable_updates);
	assert_int_equal(c->server_family, AF_INET);
	assert_memory_equal(c->server_ip, "\xc0\0\2\0", 4);
	assert_int_equal(c->server_port, 3432);
	assert_memory_equal(c->sender_ip, "\xc0\0\2\1", 4);
	assert_int_equal(c->sender_port, 3433);
	assert_int_equal(c->max_queue_size, 2048);
	assert_true(p->override_no_update && p->override_client_update);
	assert_int_equal(p->replace_client_name,
			 TERND_DDNS_REPLACE_WHEN_PRESENT);
	assert_string_equal(p->generated_prefix, "test.prefix");
	assert_string_equal(p->qualifying_suffix, "test.suffix.");
	assert_string_equal(p->char_replacement, "x");
	assert_non_null(p->char_re);
	ternd_config_free(cfg);
}

static void test_inheritance(void **state)
{
	struct ternd_config *cfg = expect_ok(DHCP4(
		"\"ddns-qualifying-suffix\": \"global.\",\n"
		"\"ddns-send-updates\": false,\n"
		"\"shared-networks\": [{\"name\": \"n\", "
		"\"ddns-qualifying-suffix\": \"net.\", \"hostname-char-set\": "
		"\"\", \"subnet4\": [{\"id\": 1, \"subnet\": \"10.1.0.0/24\", "
		"\"ddns-send-updates\": true}]}],\n"
		"\"subnet4\": [{\"id\": 2, \"subnet\": \"10.2.0.0/24\", "
		"\"ddns-generated-prefix\": \"dyn\", \"ddns-update-on-renew\": "
		"true}]"));
	const struct ternd_ddns_params *a =
		&ternd_config_subnet_by_id(cfg, 1)->params.ddns;
	const struct ternd_ddns_params *b =
		&ternd_config_subnet_by_id(cfg, 2)->params.ddns;

	(void)state;
	assert_string_equal(a->qualifying_suffix, "net.");
	assert_true(a->send_updates);
	assert_string_equal(a->char_set, "");
	assert_null(a->char_re);
	assert_string_equal(a->generated_prefix, "myhost");
	assert_string_equal(b->qualifying_suffix, "global.");
	assert_false(b->send_updates);
	assert_true(b->update_on_renew);
	assert_string_equal(b->generated_prefix, "dyn");
	assert_non_null(b->char_re);
	ternd_config_free(cfg);
}

/* Kea moves dhcp-ddns's old keys to the global level unless set there. */
static void test_deprecated_keys(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4("\"dhcp-ddns\": {\"enable-updates\": false, "
			      "\"qualifying-suffix\": \"old.\", "
			      "\"replace-client-name\": \"always\", "
			      "\"generated-prefix\": \"gen\"},\n"
			      "\"ddns-generated-prefix\": \"new\""));
	assert_string_equal(cfg->global.ddns.qualifying_suffix, "old.");
	assert_int_equal(cfg->global.ddns.replace_client_name,
			 TERND_DDNS_REPLACE_ALWAYS);
	assert_string_equal(cfg->global.ddns.generated_prefix, "new");
	assert_true(has_diag(TERND_DIAG_WARNING, 2, 40, "deprecated"));
	ternd_config_free(cfg);
	/* The global value set first wins too. */
	cfg = expect_ok(DHCP4("\"ddns-qualifying-suffix\": \"new.\",\n"
			      "\"dhcp-ddns\": {\"enable-updates\": false, "
			      "\"qualifying-suffix\": \"old.\"}"));
	assert_string_equal(cfg->global.ddns.qualifying_suffix, "new.");
	ternd_config_free(cfg);
	/* IPv6 for kea-dhcp-ddns; the sender follows its family. */
	cfg = expect_ok(DHCP4("\"dhcp-ddns\": {\"enable-updates\": true, "
			      "\"server-ip\": \"::1\"}"));
	assert_int_equal(cfg->ddns.server_family, AF_INET6);
	assert_int_equal(cfg->ddns.sender_family, AF_INET6);
	assert_int_equal(cfg->ddns.server_port, 53001);
	assert_int_equal(cfg->ddns.max_queue_size, 1024);
	ternd_config_free(cfg);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(DHCP4("\"dhcp-ddns\": {\"enable-updates\": true, "
			   "\"ncr-protocol\": \"TCP\"}"),
		     2, 55, "\"TCP\" is not supported");
	expect_error(DHCP4("\"dhcp-ddns\": {\"server-ip\": \"127.0.0.1\"}"), 2,
		     14, "needs \"enable-updates\"");
	expect_error(DHCP4("\"dhcp-ddns\": {\"enable-updates\": true, "
			   "\"server-ip\": \"::1\", \"sender-ip\": "
			   "\"127.0.0.1\"}"),
		     2, 72, "same address family");
	expect_error(DHCP4("\"dhcp-ddns\": {\"enable-updates\": true, "
			   "\"sender-ip\": \"127.0.0.1\", \"sender-port\": "
			   "53001}"),
		     2, 52, "cannot share");
	expect_error(DHCP4("\"dhcp-ddns\": {\"enable-updates\": true, "
			   "\"server-port\": 70000}"),
		     2, 54, "out of range");
	expect_error(DHCP4("\"ddns-replace-client-name\": true"), 2, 29,
		     "\"ddns-replace-client-name\" must be");
	expect_error(DHCP4("\"ddns-replace-client-name\": \"sometimes\""), 2,
		     29, "must be \"when-present\", \"never\"");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\", \"hostname-char-set\": \"[a-\"}]"),
		     2, 69, "not a valid regular expression");
	expect_error(DHCP4("\"ddns-send-updates\": \"yes\""), 2, 22,
		     "true or false");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_with_ddns),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_deprecated_keys),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
