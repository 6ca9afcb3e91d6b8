/* Unit tests of tern-mgr's configuration: parse, reject, persist atomically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mgr/config.h"
#include "mgr/util.h"

static void test_fixture(void **state)
{
	struct mgr_config *c = malloc(sizeof(*c));
	char err[256] = "";

	(void)state;
	assert_int_equal(mgr_config_load(TERN_MGR_FIXTURES "/mgr.json", c, err,
					 sizeof(err)),
			 0);
	assert_int_equal(c->n4, 2);
	assert_int_equal(c->n6, 1);
	assert_string_equal(c->v4[0].alias, "wan4");
	assert_string_equal(c->v4[0].ifname, "erouter0");
	assert_true(c->v4[0].enable);
	assert_false(c->v4[1].enable);
	assert_int_equal(c->v4[0].n_req, 3);
	assert_int_equal(c->v4[0].req[0].tag, 42);
	assert_int_equal(c->v4[0].req[1].order, 1);
	assert_false(c->v4[0].req[2].enable);
	assert_int_equal(c->v4[0].n_sent, 3);
	assert_string_equal(c->v4[0].sent[0].value, "7465726e");
	assert_true(c->v6[0].rapid_commit);
	assert_int_equal(c->v6[0].suggested_t1, 1000);
	assert_int_equal(c->v6[0].suggested_t2, 2000);
	assert_string_equal(c->v6[0].requested_options, "23,24,95");
	assert_int_equal(c->n_hooks, 1);
	assert_int_equal(c->hook_timeout, 5);
	assert_string_equal(c->lease_addr, "tcp://127.0.0.1:50324");
	free(c);
}

static void test_defaults(void **state)
{
	struct mgr_config *c = malloc(sizeof(*c));
	const char *t = "{}";

	(void)state;
	assert_int_equal(mgr_config_parse(t, strlen(t), c, NULL, 0), 0);
	assert_int_equal(c->n4 + c->n6, 0);
	assert_string_equal(c->lease_addr, TERN_LEASE_DEFAULT_ADDR);
	assert_string_equal(c->ctl_path, MGR_DEFAULT_CTL);
	assert_string_equal(c->state_dir, MGR_DEFAULT_STATE);
	free(c);
}

static void expect_bad(const char *text, const char *needle)
{
	struct mgr_config *c = malloc(sizeof(*c));
	char err[256] = "";

	assert_int_equal(
		mgr_config_parse(text, strlen(text), c, err, sizeof(err)),
		-EINVAL);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
	free(c);
}

static void test_rejects(void **state)
{
	(void)state;
	expect_bad("{", "syntax");
	expect_bad("[]", "not an object");
	expect_bad("{\"Bogus\": 1}", "unknown key Bogus");
	expect_bad("{\"DHCPv4\": {\"Client\": [{}]}}", "Interface missing");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": \"a/b\"}]}}",
		   "valid interface");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": "
		   "\"averyveryverylongname\"}]}}",
		   "Interface");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": \"e0\"}, "
		   "{\"Interface\": \"e0\"}]}}",
		   "two clients");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": \"e0\", "
		   "\"ReqOption\": [{\"Tag\": 255}]}]}}",
		   "out of range");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": \"e0\", "
		   "\"SentOption\": [{\"Tag\": 60, \"Value\": \"abc\"}]}]}}",
		   "not hex");
	expect_bad("{\"DHCPv6\": {\"Client\": [{\"Interface\": \"e0\", "
		   "\"RequestedOptions\": \"23,x\"}]}}",
		   "RequestedOptions");
	expect_bad("{\"DHCPv6\": {\"Client\": [{\"Interface\": \"e0\", "
		   "\"SuggestedT1\": 100, \"SuggestedT2\": 50}]}}",
		   "SuggestedT2");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": \"e0\", "
		   "\"Enable\": \"yes\"}]}}",
		   "not a boolean");
	expect_bad("{\"Hooks\": [\"relative\"]}", "absolute");
	expect_bad("{\"StateDir\": \"\"}", "must not be empty");
}

static void test_persist_roundtrip(void **state)
{
	struct mgr_config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	char dir[] = "/tmp/test_mgr_config.XXXXXX", path[128], tmp[160];
	char err[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(mgr_config_load(TERN_MGR_FIXTURES "/mgr.json", a, err,
					 sizeof(err)),
			 0);
	snprintf(path, sizeof(path), "%s/mgr.json", dir);
	strcpy(a->path, path);
	a->v4[0].enable = false;
	strcpy(a->v4[0].sent[1].value, "aabb");
	a->v6[0].suggested_t1 = 1500;
	assert_int_equal(mgr_config_save(a), 0);
	/* Atomic: the temporary file is gone after the rename. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(mgr_config_load(path, b, err, sizeof(err)), 0);
	assert_false(b->v4[0].enable);
	assert_string_equal(b->v4[0].sent[1].value, "aabb");
	assert_int_equal(b->v6[0].suggested_t1, 1500);
	assert_int_equal(b->v4[0].n_req, 3);
	assert_int_equal(b->v4[0].req[1].order, 1);
	assert_string_equal(b->hooks[0], "/etc/tern/mgr-hook");
	/* Byte-identical after a second save (a stable format). */
	{
		char *t1 = NULL, *t2 = NULL;

		assert_int_equal(mgr_config_format(a, &t1), 0);
		assert_int_equal(mgr_config_format(b, &t2), 0);
		assert_string_equal(t1, t2);
		free(t1);
		free(t2);
	}
	unlink(path);
	rmdir(dir);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_persist_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
