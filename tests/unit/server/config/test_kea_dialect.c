/* Unit tests for ternd's reading of Kea's dialect: every case of
 * tests/fixtures/kea-dialect (each also run against kea-dhcp4 -t by
 * test_kea_examples.sh) with its line:column, included files in the
 * diagnostics, and what happens to each kind of key (kea_keys.c). */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/config/keys.h"

#define CASES	    TERN_FIXTURES "/kea-dialect"
#define DHCP4(body) "{\"Dhcp4\": {\n" body "\n}}\n"

static struct ternd_diags diags;

static void dump(void)
{
	ternd_diags_print(stderr, "test", &diags);
}

static int load(const char *text, struct ternd_config **cfg)
{
	memset(&diags, 0, sizeof(diags));
	return ternd_config_load_buf(text, strlen(text), cfg, &diags);
}

/* A diagnostic of this level at [file:]line:col (where) holding what. */
static bool has(enum ternd_diag_level level, const char *where,
		const char *what)
{
	for (size_t i = 0; i < diags.n; i++) {
		const struct ternd_diag *d = &diags.v[i];
		char at[300];

		if (d->file[0])
			snprintf(at, sizeof(at), "%s:%u:%u", d->file, d->line,
				 d->col);
		else
			snprintf(at, sizeof(at), "%u:%u", d->line, d->col);
		if (d->level == level && strcmp(at, where) == 0 &&
		    strstr(d->msg, what))
			return true;
	}
	return false;
}

static void expect_error(const char *text, const char *where, const char *what)
{
	struct ternd_config *cfg = NULL;
	int rc = load(text, &cfg);

	if (rc != -EBADMSG || !has(TERND_DIAG_ERROR, where, what)) {
		print_error("wanted error %s \"%s\", got %d:\n", where, what,
			    rc);
		dump();
	}
	assert_int_equal(rc, -EBADMSG);
	assert_null(cfg);
	assert_true(has(TERND_DIAG_ERROR, where, what));
}

/* Loads; warnings allowed, none of them an error. */
static struct ternd_config *expect_ok(const char *text)
{
	struct ternd_config *cfg = NULL;
	int rc = load(text, &cfg);

	if (rc != 0)
		dump();
	assert_int_equal(rc, 0);
	assert_int_equal(diags.errors, 0);
	return cfg;
}

/* ---- the cases, against their line in cases.txt ---- */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static void run_case(const char *file, const char *expect)
{
	struct ternd_config *cfg = NULL;
	char buf[256], *lvl, *where, *what;
	int rc;

	memset(&diags, 0, sizeof(diags));
	rc = ternd_config_load_file(file, &cfg, &diags);
	snprintf(buf, sizeof(buf), "%s", expect);
	lvl = strtok(buf, " ");
	where = strtok(NULL, " ");
	what = where ? where + strlen(where) + 1 : NULL;
	if (strcmp(lvl, "accept") == 0) {
		if (rc != 0 || diags.n != 0) {
			print_error("%s: wanted no diagnostic:\n", file);
			dump();
		}
		assert_int_equal(rc, 0);
		assert_int_equal(diags.n, 0);
	} else if (strcmp(lvl, "warning") == 0) {
		if (rc != 0 || !has(TERND_DIAG_WARNING, where, what)) {
			print_error("%s: wanted warning %s \"%s\":\n", file,
				    where, what);
			dump();
		}
		assert_int_equal(rc, 0);
		assert_true(has(TERND_DIAG_WARNING, where, what));
	} else {
		assert_string_equal(lvl, "error");
		if (rc != -EBADMSG || !has(TERND_DIAG_ERROR, where, what)) {
			print_error("%s: wanted error %s \"%s\", rc %d:\n",
				    file, where, what, rc);
			dump();
		}
		assert_int_equal(rc, -EBADMSG);
		assert_null(cfg);
		assert_true(has(TERND_DIAG_ERROR, where, what));
	}
	ternd_config_free(cfg);
}

static void test_cases(void **state)
{
	(void)state;
	char old[PATH_MAX], line[512], cmd[PATH_MAX + 64];
	FILE *f, *ls;
	size_t n = 0, files = 0;

	/* As Kea, includes are relative to the working directory. */
	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(CASES), 0);
	f = fopen("cases.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *file, *kea, *ternd;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		file = trim(strtok(line, "|"));
		kea = strtok(NULL, "|");
		ternd = strtok(NULL, "|");
		assert_non_null(kea);
		assert_non_null(ternd);
		kea = trim(kea);
		assert_true(strcmp(kea, "accept") == 0 ||
			    strcmp(kea, "refuse") == 0);
		/* Kea's and ternd's verdicts agree, but for ternd's own
		 * rule: a key Kea does not know is a warning. */
		if (strcmp(kea, "accept") == 0)
			assert_null(strstr(ternd, "error"));
		else if (!strstr(ternd, "unknown key"))
			assert_non_null(strstr(ternd, "error"));
		run_case(file, trim(ternd));
		n++;
	}
	fclose(f);
	/* every case file has its line */
	snprintf(cmd, sizeof(cmd), "ls *.json | wc -l");
	ls = popen(cmd, "r");
	assert_non_null(ls);
	assert_int_equal(fscanf(ls, "%zu", &files), 1);
	pclose(ls);
	assert_int_equal(files, n);
	assert_true(n > 100);
	assert_int_equal(chdir(old), 0);
}

/* ---- what the accepted cases mean ---- */

static void test_case_values(void **state)
{
	(void)state;
	char old[PATH_MAX];
	struct ternd_config *cfg = NULL;

	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(CASES), 0);
	assert_int_equal(
		ternd_config_load_file("ok_leading_zero.json", &cfg, &diags),
		0);
	assert_int_equal(cfg->global.valid_lifetime, 400);
	ternd_config_free(cfg);
	assert_int_equal(
		ternd_config_load_file("ok_include_value.json", &cfg, &diags),
		0);
	assert_int_equal(cfg->global.valid_lifetime, 4000);
	ternd_config_free(cfg);
	assert_int_equal(
		ternd_config_load_file("ok_include_frag.json", &cfg, &diags),
		0);
	assert_int_equal(cfg->global.renew_timer, 1000);
	assert_int_equal(cfg->global.rebind_timer, 2000);
	ternd_config_free(cfg);
	assert_int_equal(ternd_config_load_file("ok_include_nested_11.json",
						&cfg, &diags),
			 0);
	assert_int_equal(cfg->global.valid_lifetime, 4000);
	ternd_config_free(cfg);
	assert_int_equal(
		ternd_config_load_file("ok_real_forms.json", &cfg, &diags), 0);
	assert_true(cfg->global.t1_percent == 0.5);
	ternd_config_free(cfg);
	assert_int_equal(
		ternd_config_load_file("ok_comments.json", &cfg, &diags), 0);
	assert_int_equal(cfg->global.valid_lifetime, 4000);
	assert_int_equal(cfg->global.renew_timer, 1000);
	assert_false(cfg->global.authoritative);
	ternd_config_free(cfg);
	assert_int_equal(chdir(old), 0);
}

/* ---- includes in the diagnostics ---- */

static void test_include_diags(void **state)
{
	(void)state;
	char old[PATH_MAX], *out = NULL, abs[PATH_MAX];
	size_t len = 0;
	struct ternd_config *cfg = NULL;
	FILE *mem;

	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(CASES), 0);
	/* a JSON error inside an included file */
	memset(&diags, 0, sizeof(diags));
	assert_int_equal(ternd_config_load_file("include_error_inside.json",
						&cfg, &diags),
			 -EBADMSG);
	assert_int_equal(diags.n, 1);
	assert_string_equal(diags.v[0].file, "inc/bad.json");
	assert_string_equal(diags.v[0].from,
			    "included from include_error_inside.json:3:1");
	mem = open_memstream(&out, &len);
	assert_non_null(mem);
	ternd_diags_print(mem, "include_error_inside.json", &diags);
	fclose(mem);
	assert_string_equal(out, "inc/bad.json:2:18: error: ',' or '}' "
				 "expected (included from "
				 "include_error_inside.json:3:1)\n");
	free(out);

	/* warnings from an included file, in file order with the rest */
	memset(&diags, 0, sizeof(diags));
	assert_int_equal(
		ternd_config_load_file("ok_include_commas.json", &cfg, &diags),
		0);
	assert_int_equal(diags.n, 2);
	assert_string_equal(diags.v[0].file, "inc/commas.json");
	assert_int_equal(diags.v[0].line, 2);
	assert_int_equal(diags.v[0].col, 20);
	/* the last comma of commas.json is followed by the includer's '}' */
	assert_int_equal(diags.v[1].line, 3);
	assert_int_equal(diags.v[1].col, 21);
	assert_string_equal(diags.v[1].from,
			    "included from ok_include_commas.json:2:1");
	ternd_config_free(cfg);

	/* a semantic error in an included file names it too */
	expect_error(DHCP4("<?include \"inc/timers.json\"?>,\n"
			   "\"valid-lifetime\": 500"),
		     "inc/timers.json:1:16",
		     "renew-timer (3000) is greater than rebind-timer (2000)");

	/* names are relative to the working directory, not to the file */
	assert_non_null(realpath("ok_include_value.json", abs));
	assert_int_equal(chdir("/"), 0);
	memset(&diags, 0, sizeof(diags));
	assert_int_equal(ternd_config_load_file(abs, &cfg, &diags), -EBADMSG);
	assert_true(has(TERND_DIAG_ERROR, "2:29",
			"cannot open include file \"inc/v.json\""));
	assert_int_equal(chdir(old), 0);
}

/* ---- what happens to each kind of key ---- */

static void test_unknown_keys(void **state)
{
	(void)state;
	struct ternd_config *cfg;

	/* A key Kea 2.2 does not know: a warning, wherever it is. */
	cfg = expect_ok(DHCP4(
		"\"foo\": 1,\n"
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", "
		"\"bar\": 2,\n"
		"  \"pools\": [{\"pool\": \"10.0.0.9 - 10.0.0.20\", \"x\": "
		"3}],\n"
		"  \"reservations\": [{\"hw-address\": \"01:02:03:04:05:06\", "
		"\"y\": 4, \"hostname\": \"h\"}],\n"
		"  \"option-data\": [{\"code\": 6, \"data\": \"10.0.0.1\", "
		"\"z\": 5}]}],\n"
		"\"multi-threading\": {\"enable-multi-threading\": false, "
		"\"w\": 6}"));
	assert_int_equal(diags.warnings, 6);
	assert_true(has(TERND_DIAG_WARNING, "2:1", "\"foo\" in Dhcp4"));
	assert_true(has(TERND_DIAG_WARNING, "3:48", "\"bar\" in subnet4"));
	assert_true(has(TERND_DIAG_WARNING, "4:46", "\"x\" in pool"));
	assert_true(has(TERND_DIAG_WARNING, "5:56", "\"y\" in reservation"));
	assert_true(has(TERND_DIAG_WARNING, "6:51", "\"z\" in option-data"));
	assert_true(
		has(TERND_DIAG_WARNING, "7:54", "\"w\" in multi-threading"));
	ternd_config_free(cfg);

	/* ternd's own keys are not unknown */
	cfg = expect_ok(DHCP4("\"offer-lifetime\": 10,\n"
			      "\"option-data\": [{\"code\": 6, \"never-send\": "
			      "true}]"));
	assert_int_equal(diags.n, 0);
	ternd_config_free(cfg);
	/* Kea's dhcp-queue-control takes any key */
	cfg = expect_ok(DHCP4("\"dhcp-queue-control\": {\"enable-queue\": "
			      "true, \"anything\": {}}"));
	assert_int_equal(diags.n, 0);
	ternd_config_free(cfg);
}

static void test_not_implemented(void **state)
{
	(void)state;
	struct ternd_config *cfg;

	/* Kea's keys ternd does not implement are errors naming them ... */
	expect_error(DHCP4("\"hosts-database\": {\"type\": \"mysql\"}"), "2:1",
		     "\"hosts-database\" in Dhcp4 is a Kea key");
	/* ... members of maps ternd does not read included */
	expect_error(DHCP4("\"config-control\": {\"config-databases\": "
			   "[{\"type\": \"mysql\"}]}"),
		     "2:20", "\"config-databases\" in config-control");
	/* ... and refused ones say why */
	expect_error(DHCP4("\"dhcp4o6-port\": 6767"), "2:1",
		     "refused: ternd does not serve DHCPv4-over-DHCPv6");
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/24\",\n \"4o6-subnet\": "
			   "\"2001:db8::/64\"}]"),
		     "3:2", "\"4o6-subnet\" in subnet4 is refused");

	/* The value ternd has anyway is accepted: the key then asks for
	 * nothing ternd does not do. */
	cfg = expect_ok(DHCP4(
		"\"echo-client-id\": true, \"hosts-databases\": [],\n"
		"\"dhcp4o6-port\": 0, \"reservation-mode\": \"all\",\n"
		"\"ddns-replace-client-name\": \"Never\", "
		"\"hooks-libraries\": [],\n"
		"\"reservations\": [], \"option-def\": [],\n"
		"\"config-control\": {\"config-databases\": []},\n"
		"\"interfaces-config\": {\"outbound-interface\": "
		"\"use-routing\", \"service-sockets-require-all\": true}"));
	assert_int_equal(diags.n, 0);
	ternd_config_free(cfg);
}

/* outbound-interface: use-routing takes effect with udp sockets only,
 * as in Kea (net/io.c sends replies to relays by routing). */
static void test_outbound(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4("\"interfaces-config\": {\"dhcp-socket-type\": "
			      "\"udp\",\n\"outbound-interface\": "
			      "\"use-routing\"}"));
	assert_true(cfg->outbound_use_routing);
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"interfaces-config\": {\"dhcp-socket-type\": "
			      "\"raw\",\n\"outbound-interface\": "
			      "\"use-routing\"}"));
	assert_false(cfg->outbound_use_routing);
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"interfaces-config\": {\"dhcp-socket-type\": "
			      "\"udp\",\n\"outbound-interface\": "
			      "\"same-as-inbound\"}"));
	assert_false(cfg->outbound_use_routing);
	ternd_config_free(cfg);
}

/* service-sockets-max-retries / -retry-wait-time: read (net/open_retry.c
 * uses them), Kea's defaults 0 and 5000 ms, integers cast as Kea does. */
static void test_lenient(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4("\"compatibility\": {\"lenient-option-parsing\": "
			      "true}"));
	assert_true(cfg->lenient_option_parsing);
	ternd_config_free(cfg);
	expect_error(DHCP4("\"compatibility\": {\"lenient-option-parsing\": "
			   "1}"),
		     "2:45", "\"lenient-option-parsing\"");
}

static void test_socket_retries(void **state)
{
	struct ternd_config *cfg;

	(void)state;
	cfg = expect_ok(DHCP4("\"interfaces-config\": {\"interfaces\": []}"));
	assert_false(cfg->lenient_option_parsing);
	assert_int_equal(cfg->socket_max_retries, 0);
	assert_int_equal(cfg->socket_retry_wait_ms, 5000);
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"interfaces-config\": {\"interfaces\": [],\n"
			      "\"service-sockets-max-retries\": 5, "
			      "\"service-sockets-retry-wait-time\": 250}"));
	assert_int_equal(cfg->socket_max_retries, 5);
	assert_int_equal(cfg->socket_retry_wait_ms, 250);
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"interfaces-config\": {\"interfaces\": [],\n"
			      "\"service-sockets-max-retries\": -1}"));
	assert_int_equal(cfg->socket_max_retries, UINT32_MAX);
	ternd_config_free(cfg);
	expect_error(DHCP4("\"interfaces-config\": {\"interfaces\": [],\n "
			   "\"service-sockets-retry-wait-time\": 1.5}"),
		     "3:37", "\"service-sockets-retry-wait-time\"");
	expect_error(DHCP4("\"interfaces-config\": {\"interfaces\": [],\n "
			   "\"service-sockets-max-retries\": \"5\"}"),
		     "3:33", "\"service-sockets-max-retries\"");
}

static void test_no_effect(void **state)
{
	(void)state;
	struct ternd_config *cfg;

	/* Accepted, checked as Kea checks them, no diagnostic. */
	cfg = expect_ok(DHCP4(
		"\"comment\": \"x\", \"server-tag\": \"a\",\n"
		"\"statistic-default-sample-count\": 5,\n"
		"\"parked-packet-limit\": 0,\n"
		"\"sanity-checks\": {\"lease-checks\": \"del\"},\n"
		"\"expired-leases-processing\": {\"max-reclaim-time\": 50},\n"
		"\"lease-database\": {\"type\": \"memfile\", \"persist\": "
		"false, "
		"\"max-row-errors\": 100, \"host\": \"db\"},\n"
		"\"interfaces-config\": {\"re-detect\": false, "
		"\"user-context\": {}},\n"
		"\"loggers\": [{\"name\": \"kea-dhcp4\", \"output_options\": "
		"[{\"output\": \"stderr\", \"flush\": true, \"maxsize\": 10, "
		"\"maxver\": 2, \"pattern\": \"%m\"}], \"comment\": \"c\"}]"));
	assert_int_equal(diags.n, 0);
	ternd_config_free(cfg);
	/* ... and their values as Kea wants them */
	expect_error(DHCP4("\"server-tag\": 5"), "2:15",
		     "\"server-tag\" must be a string");
	expect_error(DHCP4("\"expired-leases-processing\": {\"max-reclaim-"
			   "time\": \"50\"}"),
		     "2:51", "must be an integer");
}

static void test_host_ids(void **state)
{
	(void)state;
	struct ternd_config *cfg;

	/* Every identifier of Kea's, in the order given. */
	cfg = expect_ok(DHCP4("\"host-reservation-identifiers\": [\"duid\", "
			      "\"client-id\", \"flex-id\", \"hw-address\"]"));
	assert_int_equal(cfg->n_host_ids, 4);
	assert_int_equal(cfg->host_ids[0], TERND_ID_DUID);
	assert_int_equal(cfg->host_ids[1], TERND_ID_CLIENT_ID);
	assert_int_equal(cfg->host_ids[2], TERND_ID_FLEX_ID);
	assert_int_equal(cfg->host_ids[3], TERND_ID_HW_ADDRESS);
	ternd_config_free(cfg);
	cfg = expect_ok(DHCP4("\"host-reservation-identifiers\": "
			      "[\"flex-id\"]"));
	assert_int_equal(cfg->n_host_ids, 1);
	ternd_config_free(cfg);
	expect_error(DHCP4("\"host-reservation-identifiers\": [\"duid\", "
			   "\"duid\"]"),
		     "2:42", "duplicate host identifier");
}

/* ---- the table itself ---- */

static bool in_docs(const char *text, const char *key)
{
	char pat[128];

	snprintf(pat, sizeof(pat), "`%s`", key);
	return strstr(text, pat) != NULL;
}

static void test_table(void **state)
{
	(void)state;
	FILE *f = fopen(TERN_FIXTURES "/../../docs/config.md", "r");
	char *docs;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	rewind(f);
	docs = calloc(1, (size_t)size + 1);
	assert_non_null(docs);
	assert_int_equal(fread(docs, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (size_t i = 0; ld_kea_contexts[i]; i++) {
		const struct ld_kctx *c = ld_kea_contexts[i];

		assert_ptr_equal(ld_kctx_find(c->name), c);
		for (size_t g = 0; c->groups[g]; g++) {
			for (const struct ld_key *k = c->groups[g]; k->name;
			     k++) {
				struct tjson_doc *d = NULL;

				/* one entry per key and context */
				assert_ptr_equal(ld_key_find(c, k->name), k);
				if (k->type == KT_MAP || k->type == KT_MAPS)
					assert_non_null(k->sub);
				if (k->type == KT_ENUM || k->type == KT_ENUMS)
					assert_non_null(k->vals);
				if (k->status == KS_IMPL)
					assert_non_null(k->by);
				else
					assert_non_null(k->why);
				/* what the reader of the file is told is in
				 * docs/config.md */
				if (k->status != KS_IMPL &&
				    !in_docs(docs, k->name)) {
					print_error("%s: %s is not in "
						    "docs/config.md\n",
						    c->name, k->name);
					fail();
				}
				if (!k->dflt)
					continue;
				/* the accepted value is of the key's type */
				assert_int_equal(tjson_parse(k->dflt,
							     strlen(k->dflt),
							     NULL, &d, NULL),
						 0);
				switch (k->type) {
				case KT_BOOL:
					assert_int_equal(d->root->type,
							 TJSON_BOOL);
					break;
				case KT_INT:
					assert_true(d->root->is_int);
					break;
				case KT_STR:
				case KT_ENUM:
					assert_int_equal(d->root->type,
							 TJSON_STRING);
					break;
				default:
					assert_int_equal(d->root->type,
							 TJSON_ARRAY);
				}
				tjson_doc_free(d);
			}
		}
	}
	free(docs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_case_values),
		cmocka_unit_test(test_include_diags),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_not_implemented),
		cmocka_unit_test(test_no_effect),
		cmocka_unit_test(test_outbound),
		cmocka_unit_test(test_socket_retries),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_host_ids),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
