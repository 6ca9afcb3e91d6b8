/* Unit tests for hooks-libraries: Kea's libraries by file name, their
 * parameters checked as the libraries check them, the others refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/config/config.h"

#include "cfg_test.h"

/* The first content line is line 2; the hooks list starts at column 1. */
#define HOOKS(body)                                                   \
	"{\"Dhcp4\": {\n\"hooks-libraries\": [" body "],\n"           \
	"\"subnet4\": [{\"id\": 7, \"subnet\": \"10.0.0.0/24\", "     \
	"\"user-context\": {\"legal-logging\": false}}, {\"id\": 3, " \
	"\"subnet\": \"10.0.1.0/24\"}]\n}}\n"

static char dir[64];
static char script[96];
static char plain[96];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tern-hooks-cfg.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(script, sizeof(script), "%s/hook.sh", dir);
	snprintf(plain, sizeof(plain), "%s/plain.txt", dir);
	f = fopen(script, "w");
	if (!f)
		return -1;
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	chmod(script, 0755);
	f = fopen(plain, "w");
	if (!f)
		return -1;
	fclose(f);
	chmod(plain, 0644);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(script);
	unlink(plain);
	rmdir(dir);
	return 0;
}

static void test_builtin_by_file_name(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	/* Any directory, or none: the file name says which library. */
	cfg = expect_ok(HOOKS("{\"library\": \"/usr/lib/x86_64-linux-gnu/kea/"
			      "hooks/libdhcp_lease_cmds.so\"},"
			      "{\"library\": \"libdhcp_stat_cmds.so\", "
			      "\"parameters\": {}},"
			      "{\"library\": \"/opt/libdhcp_bootp.so\"}"));
	assert_true(cfg->hooks.lease_cmds);
	assert_true(cfg->hooks.stat_cmds);
	assert_true(cfg->hooks.bootp);
	assert_null(cfg->hooks.run_script);
	assert_false(cfg->hooks.legal_log);
	assert_false(cfg->hooks.flex_id);
	ternd_config_free(cfg);

	/* No hook: nothing on. */
	cfg = expect_ok("{\"Dhcp4\": {\"hooks-libraries\": []}}");
	assert_false(cfg->hooks.lease_cmds || cfg->hooks.bootp);
	ternd_config_free(cfg);

	/* Parameters a library does not read: a warning, as Kea ignores
	 * them. */
	cfg = expect_ok(HOOKS("{\"library\": \"libdhcp_bootp.so\", "
			      "\"parameters\": {\"x\": 1}}"));
	assert_true(has_diag(TERND_DIAG_WARNING, 2, 68, "\"x\" ignored"));
	ternd_config_free(cfg);
}

static void test_refused(void **state)
{
	(void)state;
	expect_error(HOOKS("{\"library\": \"/usr/lib/kea/hooks/libdhcp_ha.so\","
			   " \"parameters\": {\"high-availability\": []}}"),
		     2, 33,
		     "libdhcp_ha.so (High Availability) is not supported");
	expect_error(HOOKS("{\"library\": \"/x/libdhcp_radius.so\"}"), 2, 33,
		     "libdhcp_radius.so (RADIUS)");
	expect_error(HOOKS("{\"library\": \"/x/libdhcp_host_cmds.so\"}"), 2, 33,
		     "host reservation commands");
	expect_error(
		HOOKS("{\"library\": \"/x/libdhcp_whatever.so\"}"), 2, 33,
		"libdhcp_whatever.so is not supported by ternd (built in:");
	expect_error(HOOKS("{\"library\": \"/opt/lib/security.so\"}"), 2, 33,
		     "\"/opt/lib/security.so\" is not one of Kea's");
	expect_error(HOOKS("{\"parameters\": {}}"), 2, 21, "needs \"library\"");
	expect_error(HOOKS("{\"library\": \"\"}"), 2, 33, "must not be empty");
	expect_error(HOOKS("{\"library\": 5}"), 2, 33, "must be a string");
	expect_error(HOOKS("{\"library\": \"libdhcp_bootp.so\", "
			   "\"parameters\": []}"),
		     2, 67, "must be a map");
	expect_error(HOOKS("{\"library\": \"libdhcp_bootp.so\", \"x\": 1}"), 2,
		     53, "unknown key \"x\" in a hooks-libraries entry");
	expect_error(HOOKS("{\"library\": \"libdhcp_bootp.so\"},"
			   "{\"library\": \"/b/libdhcp_bootp.so\"}"),
		     2, 65, "libdhcp_bootp.so is loaded twice");
}

/* The first content line is line 2; the hooks list starts at column 1. */
#define HOOKS6(body)                                        \
	"{\"Dhcp6\": {\n\"hooks-libraries\": [" body "],\n" \
	"\"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\"}]\n}}\n"

/* A Dhcp6 ternd has lease_cmds and stat_cmds; every other library is
 * refused by name, at its position. */
static void test_dhcp6(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(HOOKS6("{\"library\": \"/usr/lib/x86_64-linux-gnu/"
			       "kea/hooks/libdhcp_lease_cmds.so\"},"
			       "{\"library\": \"libdhcp_stat_cmds.so\"}"));
	assert_non_null(cfg->v6);
	assert_true(cfg->hooks.lease_cmds);
	assert_true(cfg->hooks.stat_cmds);
	ternd_config_free(cfg);
	cfg = expect_ok("{\"Dhcp6\": {\"hooks-libraries\": []}}");
	assert_false(cfg->hooks.lease_cmds || cfg->hooks.stat_cmds);
	ternd_config_free(cfg);
	expect_error(HOOKS6("{\"library\": \"/x/libdhcp_run_script.so\"}"), 2,
		     33,
		     "libdhcp_run_script.so is not supported by ternd for "
		     "DHCPv6 (built in: lease_cmds, stat_cmds)");
	expect_error(HOOKS6("{\"library\": \"/x/libdhcp_bootp.so\"}"), 2, 33,
		     "libdhcp_bootp.so is not supported by ternd for DHCPv6");
	expect_error(HOOKS6("{\"library\": \"/x/libdhcp_ha.so\"}"), 2, 33,
		     "libdhcp_ha.so is not supported by ternd for DHCPv6");
	expect_error(HOOKS6("{\"library\": \"/opt/lib/security.so\"}"), 2, 33,
		     "\"/opt/lib/security.so\" is not one of Kea's");
	expect_error(HOOKS6("{\"library\": \"libdhcp_lease_cmds.so\"},"
			    "{\"library\": \"/b/libdhcp_lease_cmds.so\"}"),
		     2, 70, "libdhcp_lease_cmds.so is loaded twice");
	expect_error(HOOKS6("{\"library\": \"libdhcp_lease_cmds.so\", "
			    "\"x\": 1}"),
		     2, 58, "unknown key \"x\" in a hooks-libraries entry");
	expect_error("{\"Dhcp6\": {\"hooks-libraries\": {}}}", 1, 31, "a list");
}

static void test_run_script(void **state)
{
	char text[1024];
	struct ternd_config *cfg;

	(void)state;
	snprintf(text, sizeof(text),
		 HOOKS("{\"library\": \"libdhcp_run_script.so\", "
		       "\"parameters\": {\"name\": \"%s\", \"sync\": false}}"),
		 script);
	cfg = expect_ok(text);
	assert_string_equal(cfg->hooks.run_script, script);
	assert_false(cfg->hooks.run_script_sync);
	ternd_config_free(cfg);

	expect_error(HOOKS("{\"library\": \"libdhcp_run_script.so\", "
			   "\"parameters\": {\"sync\": true}}"),
		     2, 72, "The 'name' parameter is mandatory");
	expect_error(HOOKS("{\"library\": \"libdhcp_run_script.so\"}"), 2, 33,
		     "The 'name' parameter is mandatory");
	expect_error(HOOKS("{\"library\": \"libdhcp_run_script.so\", "
			   "\"parameters\": {\"name\": 1}}"),
		     2, 81, "The 'name' parameter must be a string");
	expect_error(HOOKS("{\"library\": \"libdhcp_run_script.so\", "
			   "\"parameters\": {\"name\": \"/no/such/script\"}}"),
		     2, 81,
		     "Invalid 'name' parameter: File not found: "
		     "/no/such/script");
	snprintf(text, sizeof(text),
		 HOOKS("{\"library\": \"libdhcp_run_script.so\", "
		       "\"parameters\": {\"name\": \"%s\"}}"),
		 plain);
	expect_error(text, 2, 81, "File not executable");
	snprintf(text, sizeof(text),
		 HOOKS("{\"library\": \"libdhcp_run_script.so\", "
		       "\"parameters\": {\"name\": \"%s\", \"sync\": 1}}"),
		 script);
	expect_error(text, 2, 81 + strlen(script) + 12,
		     "'sync' parameter must be a boolean");
}

static void test_legal_log(void **state)
{
	char text[1024];
	struct ternd_config *cfg;

	(void)state;
	/* Kea's defaults. */
	cfg = expect_ok(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			      "\"parameters\": {\"path\": \"/tmp\"}}"));
	assert_true(cfg->hooks.legal_log);
	assert_string_equal(cfg->hooks.legal_path, "/tmp");
	assert_string_equal(cfg->hooks.legal_base_name, "kea-legal");
	assert_int_equal(cfg->hooks.legal_unit, TERND_LEGAL_DAY);
	assert_int_equal(cfg->hooks.legal_count, 1);
	assert_string_equal(cfg->hooks.legal_timestamp, "%Y-%m-%d %H:%M:%S %Z");
	assert_null(cfg->hooks.legal_prerotate);
	/* Subnet 7 said "legal-logging": false. */
	assert_int_equal(cfg->hooks.n_legal_off, 1);
	assert_int_equal(cfg->hooks.legal_off[0], 7);
	ternd_config_free(cfg);

	snprintf(
		text, sizeof(text),
		HOOKS("{\"library\": \"libdhcp_legal_log.so\", \"parameters\": "
		      "{\"path\": \"%s\", \"base-name\": \"kea-forensic4\", "
		      "\"time-unit\": \"second\", \"count\": 3600, "
		      "\"postrotate\": \"%s\", \"timestamp-format\": \"%%s\", "
		      "\"type\": \"logfile\"}}"),
		dir, script);
	cfg = expect_ok(text);
	assert_string_equal(cfg->hooks.legal_path, dir);
	assert_string_equal(cfg->hooks.legal_base_name, "kea-forensic4");
	assert_int_equal(cfg->hooks.legal_unit, TERND_LEGAL_SECOND);
	assert_int_equal(cfg->hooks.legal_count, 3600);
	assert_string_equal(cfg->hooks.legal_postrotate, script);
	assert_string_equal(cfg->hooks.legal_timestamp, "%s");
	ternd_config_free(cfg);

	expect_error(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			   "\"parameters\": {\"path\": \"/tmp\", \"time-unit\":"
			   " \"week\"}}"),
		     2, 101,
		     "unknown time unit type: week, expected one of: "
		     "second, day, month, year");
	expect_error(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			   "\"parameters\": {\"path\": \"/tmp\", \"count\": "
			   "-1}}"),
		     2, 97, "count value: -1 is out of range");
	expect_error(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			   "\"parameters\": {\"path\": \"/no/such/dir\"}}"),
		     2, 80, "is not a directory");
	expect_error(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			   "\"parameters\": {\"path\": \"/tmp\", \"type\": "
			   "\"mysql\"}}"),
		     2, 96, "\"mysql\" backend is not supported");
	/* Custom formats: Kea's string expressions. */
	cfg = expect_ok(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			      "\"parameters\": {\"path\": \"/tmp\", "
			      "\"request-parser-format\": "
			      "\"hexstring(pkt4.mac, ':')\", "
			      "\"response-parser-format\": "
			      "\"addrtotext(pkt4.yiaddr)\"}}"));
	assert_non_null(cfg->hooks.legal_request_x);
	assert_non_null(cfg->hooks.legal_response_x);
	ternd_config_free(cfg);
	expect_error(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			   "\"parameters\": {\"path\": \"/tmp\", "
			   "\"request-parser-format\": \"pkt4.mac ==\"}}"),
		     2, 123,
		     "request-parser-format: [pkt4.mac ==] error: syntax "
		     "error, unexpected ==");
	expect_error(HOOKS("{\"library\": \"libdhcp_legal_log.so\", "
			   "\"parameters\": {\"path\": \"/tmp\", \"base-name\":"
			   " \"a/b\"}}"),
		     2, 101, "base-name must be a file name");
}

static void test_flex_id(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
			      "\"parameters\": {\"identifier-expression\": "
			      "\"\", \"replace-client-id\": true}}"));
	assert_true(cfg->hooks.flex_id);
	assert_string_equal(cfg->hooks.flex_id_expr, "");
	assert_true(cfg->hooks.flex_id_replace_client_id);
	assert_true(has_diag(TERND_DIAG_WARNING, 2, 95, "expression is empty"));
	ternd_config_free(cfg);

	expect_error(HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
			   "\"parameters\": {}}"),
		     2, 69, "'identifier-expression' parameter is mandatory");
	expect_error(HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
			   "\"parameters\": {\"identifier-expression\": 3}}"),
		     2, 95, "must be a string");
	expect_error(HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
			   "\"parameters\": {\"identifier-expression\": "
			   "\"\", \"replace-client-id\": \"yes\"}}"),
		     2, 120, "'replace-client-id' parameter must be a boolean");
	/* Compiled as Kea's string expressions are. */
	cfg = expect_ok(
		HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
		      "\"parameters\": {\"identifier-expression\": "
		      "\"substring(option[82].option[1].hex, 0, 4)\"}}"));
	assert_non_null(cfg->hooks.flex_id_x);
	assert_false(cfg->hooks.flex_id_replace_client_id);
	ternd_config_free(cfg);
	/* Kea's parser's message, at its column inside the string. */
	expect_error(HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
			   "\"parameters\": {\"identifier-expression\": "
			   "\"option[82].hexx\"}}"),
		     2, 110,
		     "flex_id: expression: [option[82].hexx] error: Invalid "
		     "character: x");
	/* A boolean is not an identifier. */
	expect_error(HOOKS("{\"library\": \"libdhcp_flex_id.so\", "
			   "\"parameters\": {\"identifier-expression\": "
			   "\"option[60].exists\"}}"),
		     2, 107,
		     "unexpected exists, expecting option or text or hex");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_by_file_name),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_run_script),
		cmocka_unit_test(test_legal_log),
		cmocka_unit_test(test_flex_id),
		cmocka_unit_test(test_dhcp6),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
