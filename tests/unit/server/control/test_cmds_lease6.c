/* Unit tests for ternd's lease6 commands (control/cmds_lease6*.c): every
 * change is handed to the store before the engine has it, a store that
 * refuses leaves everything as it was, bulk-apply is one commit, wipe
 * empties a subnet; the answers' layout. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/cmds_lease6.h"
#include "server/control/control.h"
#include "server/engine6/admin6.h"
#include "server/engine6/engine6.h"

static const char cfg_text[] =
	"{\"Dhcp6\": {\n"
	" \"preferred-lifetime\": 3000, \"valid-lifetime\": 3600,\n"
	" \"hooks-libraries\": [{\"library\": \"libdhcp_lease_cmds.so\"}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::20\"}]}]\n"
	"}}\n";

static const uint8_t server_duid[] = {0, 2, 0, 0, 9, 0xbf, 1, 2};

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine6 *e;
	struct ternd_control *c;
	struct ternd_lease6_cmds lc;
	struct ternd_change6 log[64];
	size_t n_log;
	size_t commits;
	size_t seen_before; /* changes the engine already had at commit */
	int fail;	    /* the next commits fail with this */
};

static int fx_commit(void *ctx, const struct ternd_change6 *v, size_t n)
{
	struct fx *f = ctx;

	if (f->fail)
		return f->fail;
	f->commits++;
	for (size_t i = 0; i < n; i++) {
		const struct ternd_lease6 *l = ternd_engine6_find(
			f->e, v[i].lease.type, &v[i].lease.addr);

		/* Durable first: a PUT is not in the engine as given yet, a
		 * DEL still is. */
		if (v[i].op == TERND_CHANGE6_PUT
			    ? l && memcmp(l, &v[i].lease, sizeof(*l)) == 0
			    : !l)
			f->seen_before++;
		if (f->n_log < 64)
			f->log[f->n_log++] = v[i];
	}
	return 0;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d;

	assert_non_null(f);
	memset(&d, 0, sizeof(d));
	if (ternd_config_load_buf(cfg_text, strlen(cfg_text), &f->cfg, &d)) {
		ternd_diags_print(stderr, "test", &d);
		fail_msg("config does not load");
	}
	assert_true(f->cfg->hooks.lease_cmds);
	assert_int_equal(ternd_engine6_new(f->cfg, 64, server_duid,
					   sizeof(server_duid), &f->e),
			 0);
	assert_int_equal(ternd_control_new(&f->c), 0);
	f->lc = (struct ternd_lease6_cmds){f->e, f->cfg, fx_commit, f};
	assert_int_equal(ternd_lease6_cmds_register(f->c, &f->lc), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ternd_control_free(f->c);
	ternd_engine6_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
	return 0;
}

/* Ask; check result and text; the arguments in Kea's style into args. */
static void ask(struct fx *f, const char *req, int want, const char *text,
		char *args, size_t args_len)
{
	struct tjson_doc *o = NULL;
	const struct tjson *r, *t, *a;
	char *ans = NULL;

	assert_int_equal(ternd_control_handle(f->c, req, strlen(req), &ans), 0);
	assert_int_equal(tjson_parse(ans, strlen(ans), NULL, &o, NULL), 0);
	r = tjson_get(o->root, "result");
	t = tjson_get(o->root, "text");
	assert_non_null(r);
	assert_non_null(t);
	if (r->i != want || (text && strcmp(t->s, text) != 0))
		fail_msg("%s\n -> %s\n want %d \"%s\"", req, ans, want,
			 text ? text : "");
	if (args) {
		a = tjson_get(o->root, "arguments");
		assert_non_null(a);
		assert_int_equal(
			tjson_write(a, TJSON_WRITE_KEA, args, args_len, NULL),
			0);
	}
	free(ans);
	tjson_doc_free(o);
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

#define L(...) "{\"command\": " __VA_ARGS__ "}"
#define ADD(addr, extra)                                                   \
	L("\"lease6-add\", \"arguments\": {\"ip-address\": \"" addr "\", " \
	  "\"duid\": \"01:02:03\", \"iaid\": 7" extra "}")

static void test_add_get_del(void **state)
{
	struct fx *f = *state;
	struct in6_addr a = a6("2001:db8:1::150");
	char args[2048];

	ask(f, ADD("2001:db8:1::150", ", \"expire\": 4000000000"), 0,
	    "Lease for address 2001:db8:1::150, subnet-id 1 added.", NULL, 0);
	assert_int_equal(f->commits, 1);
	assert_int_equal(f->log[0].op, TERND_CHANGE6_PUT);
	assert_int_equal(f->seen_before, 0);
	assert_non_null(ternd_engine6_find(f->e, TERND_LEASE6_NA, &a));
	ask(f,
	    L("\"lease6-get\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8:1::150\"}"),
	    0, "IPv6 lease found.", args, sizeof(args));
	/* Lease6::toElement's keys, sorted; preferred-lft is the subnet's
	 * valid lifetime (Kea 2.2's Lease6Parser). */
	assert_string_equal(
		args,
		"{ \"cltt\": 3999996400, \"duid\": \"01:02:03\", "
		"\"fqdn-fwd\": false, \"fqdn-rev\": false, \"hostname\": "
		"\"\", \"iaid\": 7, \"ip-address\": \"2001:db8:1::150\", "
		"\"preferred-lft\": 3600, \"state\": 0, \"subnet-id\": 1, "
		"\"type\": \"IA_NA\", \"valid-lft\": 3600 }");
	ask(f, ADD("2001:db8:1::150", ""), 1, "IPv6 lease already exists.",
	    NULL, 0);
	assert_int_equal(f->commits, 1);
	/* The store refuses: nothing changes, the answer says why. */
	f->fail = -EIO;
	ask(f,
	    L("\"lease6-del\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8:1::150\"}"),
	    1, "the lease store did not take the change: Input/output error",
	    NULL, 0);
	assert_non_null(ternd_engine6_find(f->e, TERND_LEASE6_NA, &a));
	ask(f, ADD("2001:db8:1::151", ""), 1, NULL, NULL, 0);
	assert_null(ternd_engine6_find(f->e, TERND_LEASE6_NA,
				       &(struct in6_addr){0}));
	assert_int_equal(ternd_engine6_count(f->e), 1);
	f->fail = 0;
	ask(f,
	    L("\"lease6-del\", \"arguments\": {\"identifier-type\": \"duid\", "
	      "\"identifier\": \"01:02:03\", \"iaid\": 7, \"subnet-id\": 1}"),
	    0, "IPv6 lease deleted.", NULL, 0);
	assert_int_equal(f->commits, 2);
	assert_int_equal(f->log[1].op, TERND_CHANGE6_DEL);
	assert_int_equal(f->seen_before, 0);
	assert_null(ternd_engine6_find(f->e, TERND_LEASE6_NA, &a));
	ask(f,
	    L("\"lease6-del\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8:1::150\"}"),
	    3, "IPv6 lease not found.", NULL, 0);
}

static void test_prefix_update(void **state)
{
	struct fx *f = *state;
	struct in6_addr p = a6("2001:db8:8000:100::");

	ask(f,
	    ADD("2001:db8:8000:100::", ", \"type\": \"IA_PD\", \"prefix-len\": "
				       "56, \"subnet-id\": 1"),
	    0, "Lease for prefix 2001:db8:8000:100::/56, subnet-id 1 added.",
	    NULL, 0);
	assert_non_null(ternd_engine6_find(f->e, TERND_LEASE6_PD, &p));
	ask(f,
	    ADD("2001:db8:8000:100::", ", \"type\": \"IA_PD\", \"prefix-len\": "
				       "56"),
	    1,
	    "Subnet-id is 0 or not specified. This is allowed for address "
	    "leases only, not prefix leases.",
	    NULL, 0);
	ask(f,
	    L("\"lease6-update\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8:8000:100::\", \"duid\": \"01:02:03\", \"iaid\": 9, "
	      "\"type\": \"IA_PD\", \"prefix-len\": 56, \"subnet-id\": 1, "
	      "\"valid-lft\": 100, \"preferred-lft\": 50}"),
	    0, "IPv6 lease updated.", NULL, 0);
	assert_int_equal(ternd_engine6_find(f->e, TERND_LEASE6_PD, &p)->iaid,
			 9);
	assert_int_equal(ternd_engine6_find(f->e, TERND_LEASE6_PD, &p)->valid,
			 100);
	ask(f,
	    L("\"lease6-update\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8:1::160\", \"duid\": \"01:02:03\", \"iaid\": 9}"),
	    1, NULL, NULL, 0);
	ask(f,
	    L("\"lease6-update\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8:1::160\", \"duid\": \"01:02:03\", \"iaid\": 9, "
	      "\"force-create\": true}"),
	    0, "IPv6 lease added.", NULL, 0);
	assert_int_equal(f->seen_before, 0);
}

static void test_bulk_apply(void **state)
{
	struct fx *f = *state;
	char args[2048];

	ask(f, ADD("2001:db8:1::150", ""), 0, NULL, NULL, 0);
	ask(f, ADD("2001:db8:1::151", ""), 0, NULL, NULL, 0);
	f->commits = f->n_log = 0;
	/* A bad lease anywhere: nothing happens. */
	ask(f,
	    L("\"lease6-bulk-apply\", \"arguments\": {\"deleted-leases\": "
	      "[{\"ip-address\": \"2001:db8:1::150\"}], \"leases\": "
	      "[{\"ip-address\": \"2001:db8:1::152\"}]}"),
	    1, NULL, NULL, 0);
	assert_int_equal(f->commits, 0);
	/* One commit for every change; the failures listed. */
	ask(f,
	    L("\"lease6-bulk-apply\", \"arguments\": {\"deleted-leases\": "
	      "[{\"ip-address\": \"2001:db8:1::150\"}, {\"ip-address\": "
	      "\"2001:db8:1::1f0\"}], \"leases\": [{\"ip-address\": "
	      "\"2001:db8:1::152\", \"duid\": \"0a:0b\", \"iaid\": 1}, "
	      "{\"ip-address\": \"2001:db8:1::151\", \"duid\": \"0a:0b\", "
	      "\"iaid\": 2}]}"),
	    0, "Bulk apply of 3 IPv6 leases completed.", args, sizeof(args));
	assert_string_equal(
		args,
		"{ \"failed-deleted-leases\": [ { \"error-message\": "
		"\"lease not found\", \"ip-address\": \"2001:db8:1::1f0\", "
		"\"result\": 3, \"type\": \"IA_NA\" } ] }");
	assert_int_equal(f->commits, 1);
	assert_int_equal(f->n_log, 3);
	assert_int_equal(f->seen_before, 0);
	assert_int_equal(ternd_engine6_count(f->e), 2);
	assert_null(ternd_engine6_find(f->e, TERND_LEASE6_NA,
				       &(struct in6_addr){0}));
	assert_null(ternd_engine6_at(f->e, &(struct in6_addr){0}));
	{
		struct in6_addr a = a6("2001:db8:1::151");

		assert_int_equal(
			ternd_engine6_find(f->e, TERND_LEASE6_NA, &a)->iaid, 2);
	}
	/* The store refuses: nothing changes. */
	f->fail = -ENOSPC;
	ask(f,
	    L("\"lease6-bulk-apply\", \"arguments\": {\"deleted-leases\": "
	      "[{\"ip-address\": \"2001:db8:1::151\"}]}"),
	    1, NULL, NULL, 0);
	assert_int_equal(ternd_engine6_count(f->e), 2);
}

static void test_wipe_page(void **state)
{
	struct fx *f = *state;
	char args[4096];

	ask(f, ADD("2001:db8:1::152", ""), 0, NULL, NULL, 0);
	ask(f, ADD("2001:db8:1::150", ""), 0, NULL, NULL, 0);
	ask(f, ADD("2001:db8:2::10", ""), 0, NULL, NULL, 0);
	ask(f,
	    L("\"lease6-get-page\", \"arguments\": {\"from\": "
	      "\"2001:db8:1::150\", \"limit\": 1}"),
	    0, "1 IPv6 lease(s) found.", args, sizeof(args));
	assert_non_null(strstr(args, "\"count\": 1"));
	assert_non_null(strstr(args, "2001:db8:1::152"));
	f->fail = -EIO;
	ask(f, L("\"lease6-wipe\", \"arguments\": {\"subnet-id\": 1}"), 1, NULL,
	    NULL, 0);
	assert_int_equal(ternd_engine6_count(f->e), 3);
	f->fail = 0;
	ask(f, L("\"lease6-wipe\", \"arguments\": {\"subnet-id\": 1}"), 0,
	    "Deleted 2 IPv6 lease(s) from subnet(s) 1", NULL, 0);
	assert_int_equal(ternd_engine6_count(f->e), 1);
	ask(f, L("\"lease6-wipe\""), 0,
	    "Deleted 1 IPv6 lease(s) from subnet(s) 1 2", NULL, 0);
	ask(f, L("\"lease6-wipe\""), 3,
	    "Deleted 0 IPv6 lease(s) from subnet(s) 1 2", NULL, 0);
	assert_int_equal(ternd_engine6_count(f->e), 0);
	assert_int_equal(f->seen_before, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_get_del, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_prefix_update, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bulk_apply, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wipe_page, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
