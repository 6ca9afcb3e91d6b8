/* Unit tests of tern-mgr's configuration: parse, reject, persist atomically. */
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

/* Write an executable (mode) file at dir/name; its path in out. */
static void make_file(const char *dir, const char *name, mode_t mode, char *out,
		      size_t cap)
{
	FILE *f;

	snprintf(out, cap, "%s/%s", dir, name);
	f = fopen(out, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	assert_int_equal(chmod(out, mode), 0);
}

/* Parse a config with the given clients and programs. */
static void cfg_with(struct mgr_config *c, const char *clients,
		     const char *udhcpc, const char *dibbler,
		     const char *plugin)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{%s \"Udhcpc\": \"%s\", \"DibblerClient\": \"%s\", "
		 "\"Plugin\": \"%s\"}",
		 clients, udhcpc, dibbler, plugin);
	assert_int_equal(mgr_config_parse(text, strlen(text), c, NULL, 0), 0);
}

static void expect_exec(const struct mgr_config *c, int r, const char *a,
			const char *b)
{
	char err[512] = "";

	assert_int_equal(mgr_config_check_exec(c, err, sizeof(err)), r);
	if (a && !strstr(err, a))
		fail_msg("error '%s' lacks '%s'", err, a);
	if (b && !strstr(err, b))
		fail_msg("error '%s' lacks '%s'", err, b);
}

static void test_exec_check(void **state)
{
	struct mgr_config *c = malloc(sizeof(*c));
	char dir[] = "/tmp/test_mgr_exec.XXXXXX", ok[128], noexec[128];
	char missing[160], err[256];
	const char *v4 = "\"DHCPv4\": {\"Client\": [{\"Interface\": "
			 "\"e0\"}]},";
	const char *v6 = "\"DHCPv6\": {\"Client\": [{\"Interface\": "
			 "\"e0\"}]},";
	const char *v6off = "\"DHCPv6\": {\"Client\": [{\"Interface\": "
			    "\"e0\", \"Enable\": false}]},";
	char *old_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_file(dir, "ok", 0755, ok, sizeof(ok));
	make_file(dir, "noexec", 0644, noexec, sizeof(noexec));
	snprintf(missing, sizeof(missing), "%s/missing", dir);

	cfg_with(c, v4, ok, missing, ok);
	expect_exec(c, 0, NULL, NULL);
	cfg_with(c, v4, ok, ok, missing);
	expect_exec(c, -ENOENT, "Plugin", missing);
	cfg_with(c, v4, ok, ok, noexec);
	expect_exec(c, -EACCES, "Plugin", "not executable");
	cfg_with(c, v4, ok, ok, dir);
	expect_exec(c, -EISDIR, "Plugin", "not a regular file");
	cfg_with(c, v4, missing, ok, ok);
	expect_exec(c, -ENOENT, "Udhcpc", missing);
	/* DHCPv6 programs only when a DHCPv6 client is enabled. */
	cfg_with(c, v6off, missing, missing, ok);
	expect_exec(c, 0, NULL, NULL);
	cfg_with(c, v6, missing, missing, ok);
	expect_exec(c, -ENOENT, "DibblerClient", missing);
	cfg_with(c, "", missing, missing, missing);
	expect_exec(c, 0, NULL, NULL);
	/* The per-client check (before each start) names the key too. */
	cfg_with(c, v6off, ok, noexec, ok);
	assert_int_equal(mgr_client_exec_check(c, 6, err, sizeof(err)),
			 -EACCES);
	assert_non_null(strstr(err, "DibblerClient"));
	assert_int_equal(mgr_client_exec_check(c, 4, err, sizeof(err)), 0);

	/* A bare name is searched in PATH. */
	setenv("PATH", dir, 1);
	cfg_with(c, v4, "ok", ok, ok);
	expect_exec(c, 0, NULL, NULL);
	cfg_with(c, v4, "missing", ok, ok);
	expect_exec(c, -ENOENT, "Udhcpc", "not found in PATH");
	cfg_with(c, v4, "noexec", ok, ok);
	expect_exec(c, -EACCES, "Udhcpc", "noexec");
	assert_int_equal(mgr_find_exec("ok", err, sizeof(err)), 0);
	assert_string_equal(err, ok);
	if (old_path)
		setenv("PATH", old_path, 1);
	else
		unsetenv("PATH");
	free(old_path);

	unlink(ok);
	unlink(noexec);
	assert_int_equal(rmdir(dir), 0);
	free(c);
}

static void test_mkdir_p(void **state)
{
	char dir[] = "/tmp/test_mgr_mkdir.XXXXXX", path[256], file[160];
	struct stat st;
	mode_t old = umask(077);

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* Exact modes whatever the umask: parents 0755, the leaf as asked. */
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(tern_mkdir_p(path, 0700), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	/* An existing directory is left as it is. */
	assert_int_equal(tern_mkdir_p(path, 0700), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	/* A file in the way is an error, as the leaf or as a parent. */
	snprintf(file, sizeof(file), "%s/f", dir);
	fclose(fopen(file, "w"));
	assert_int_equal(tern_mkdir_p(file, 0755), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/f/x", dir);
	assert_int_equal(tern_mkdir_p(path, 0755), -ENOTDIR);
	umask(old);

	unlink(file);
	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	rmdir(path);
	assert_int_equal(rmdir(dir), 0);
}

static void test_ipc_dir(void **state)
{
	char d[64];

	(void)state;
	assert_int_equal(
		mgr_ipc_dir("ipc:///run/tern/mgr-events", d, sizeof(d)), 1);
	assert_string_equal(d, "/run/tern");
	assert_int_equal(mgr_ipc_dir("ipc:///sock", d, sizeof(d)), 1);
	assert_string_equal(d, "/");
	assert_int_equal(mgr_ipc_dir("ipc://sock", d, sizeof(d)), 0);
	assert_int_equal(mgr_ipc_dir("tcp://127.0.0.1:50324", d, sizeof(d)), 0);
}

/* A load error names the file, whatever went wrong. */
static void test_load_errors(void **state)
{
	struct mgr_config *c = malloc(sizeof(*c));
	char dir[] = "/tmp/test_mgr_cfg.XXXXXX", path[128], err[256];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mgr.json", dir);
	assert_int_equal(mgr_config_load(path, c, err, sizeof(err)), -ENOENT);
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"x\":", f);
	fclose(f);
	assert_int_equal(mgr_config_load(path, c, err, sizeof(err)), -EINVAL);
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	assert_non_null(strstr(err, "JSON syntax error"));
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	free(c);
}

/* Errors say where (LINE:COL), as ternd's do; a key twice is an error. */
static void test_error_places(void **state)
{
	(void)state;
	expect_bad(
		"{\n  \"DHCPv4\": {\"Client\": [\n    {\"Interface\": \"e0\", "
		"\"Bogus\": 1}]}}",
		"3:25: DHCPv4.Client: unknown key Bogus");
	expect_bad("{\"HookTimeout\": 0}", "1:17: HookTimeout: out of range");
	expect_bad("{\"DHCPv4\": {\"Client\": [{\"Interface\": \"e0\", "
		   "\"SentOption\": [{\"Tag\": 60, \"Value\": \"abc\"}]}]}}",
		   "1:24: DHCPv4.Client: SentOption.1.Value: not hex");
	expect_bad("{\"Udhcpc\": \"/a\",\n \"Udhcpc\": \"/b\"}",
		   "2:2: JSON syntax error: duplicate key \"Udhcpc\"");
	expect_bad("{\"LeaseAddress\": \"x\",}",
		   "1:22: JSON syntax error: trailing comma");
	/* Kea's comment forms are read as in ternd's configuration. */
	{
		struct mgr_config *c = malloc(sizeof(*c));
		const char *t = "# tern-mgr\n{\"HookTimeout\": 7 /* s */, "
				"// end\n \"Hooks\": []}";

		assert_int_equal(mgr_config_parse(t, strlen(t), c, NULL, 0), 0);
		assert_int_equal(c->hook_timeout, 7);
		free(c);
	}
}

/* Any text an Alias holds survives a save and a load; bytes that are not
 * UTF-8 text cannot be saved as JSON and are refused when set. */
static void test_save_text(void **state)
{
	struct mgr_config *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	char err[256], *t1 = NULL, *t2 = NULL;

	(void)state;
	assert_int_equal(mgr_config_load(TERN_MGR_FIXTURES "/mgr.json", a, err,
					 sizeof(err)),
			 0);
	strcpy(a->v4[0].alias, "caf\xc3\xa9 \"q\" \\ \t\x01 \xe2\x82\xac");
	strcpy(a->v4[0].req[0].alias, "/slash/");
	assert_int_equal(mgr_config_format(a, &t1), 0);
	assert_int_equal(mgr_config_parse(t1, strlen(t1), b, err, sizeof(err)),
			 0);
	assert_string_equal(b->v4[0].alias, a->v4[0].alias);
	assert_string_equal(b->v4[0].req[0].alias, "/slash/");
	assert_int_equal(memcmp(a->v4, b->v4, sizeof(a->v4)), 0);
	assert_int_equal(memcmp(a->v6, b->v6, sizeof(a->v6)), 0);
	assert_int_equal(mgr_config_format(b, &t2), 0);
	assert_string_equal(t1, t2);
	assert_int_equal(t1[strlen(t1) - 1], '\n');
	strcpy(a->v4[0].sent[0].alias, "bad \xff");
	assert_int_equal(mgr_client_cfg_check(&a->v4[0], 4, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "SentOption.1.Alias"));
	free(t1);
	free(t2);
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
		cmocka_unit_test(test_exec_check),
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_ipc_dir),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_error_places),
		cmocka_unit_test(test_save_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
