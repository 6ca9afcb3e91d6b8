/* Unit tests for ternd's lease_cmds (control/cmds_lease*.c): Kea's argument
 * checks and texts, the lease JSON, durability before the answer and the
 * engine's view after it. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/json.h"
#include "server/config/config.h"
#include "server/control/cmds_lease.h"
#include "server/control/control.h"
#include "server/engine4/admin.h"
#include "server/engine4/engine.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

static const char cfg_text[] =
	"{\"Dhcp4\": {\n"
	" \"valid-lifetime\": 3600,\n"
	" \"hooks-libraries\": [{\"library\": "
	"\"/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so\"}],\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.109\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"198.51.100.0/24\", \"valid-lifetime\": "
	"2000,\n"
	"   \"match-client-id\": false,\n"
	"   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}]}]\n"
	"}}\n";

/* The store the commands commit to: every change, in order. */
struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
	struct ternd_control *c;
	struct ternd_lease_cmds lc;
	struct ternd_change log[64];
	size_t n_log;
	size_t commits;
	int fail; /* the next commit fails with this */
	size_t applied;
};

static int fx_commit(void *ctx, const struct ternd_change *v, size_t n)
{
	struct fx *f = ctx;

	if (f->fail)
		return f->fail;
	f->commits++;
	for (size_t i = 0; i < n && f->n_log < 64; i++)
		f->log[f->n_log++] = v[i];
	return 0;
}

static void fx_applied(void *ctx)
{
	((struct fx *)ctx)->applied++;
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
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	assert_int_equal(ternd_control_new(&f->c), 0);
	f->lc = (struct ternd_lease_cmds){f->e, NULL,	    fx_commit,
					  NULL, fx_applied, f};
	f->lc.cfg = f->cfg;
	assert_int_equal(ternd_lease_cmds_register(f->c, &f->lc), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ternd_control_free(f->c);
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
	return 0;
}

/* Ask; check result and text; the answer's arguments in Kea's style into
 * args (when not NULL). */
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

#define L(...) "{\"command\": " __VA_ARGS__ "}"

static void test_arguments(void **state)
{
	struct fx *f = *state;

	ask(f, L("\"lease4-get\""), 1, "Parameters missing or are not a map.",
	    NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"identifier-type\": "
	      "\"hw-address\", \"identifier\": \"02:00:00:00:00:01\"}"),
	    1, "Mandatory 'subnet-id' parameter missing.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier\": \"02\"}"),
	    1,
	    "No 'ip-address' provided and 'identifier-type' is either "
	    "missing or not a string.",
	    NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier-type\": \"foo\", \"identifier\": \"02\"}"),
	    1,
	    "Incorrect identifier type: foo, the only supported values are: "
	    "address, hw-address, duid",
	    NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier-type\": \"duid\", \"identifier\": \"01:02\"}"),
	    1, "Query by duid is not allowed in v4.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"ip-address\": "
	      "\"2001:db8::1\"}"),
	    1, "Invalid IPv4 address specified: 2001:db8::1", NULL, 0);
	ask(f, L("\"lease4-get\", \"arguments\": {\"ip-address\": 5}"), 1,
	    "'ip-address' is not a string.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.100\"}"),
	    3, "Lease not found.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier-type\": \"hw-address\", \"identifier\": "
	      "\"02::01\"}"),
	    1,
	    "two consecutive separators (':') specified in a decoded string "
	    "'02::01'",
	    NULL, 0);
	ask(f,
	    L("\"lease4-get-by-client-id\", \"arguments\": {\"client-id\": "
	      "\"01\"}"),
	    1, "client-id is too short (1), at least 2 is required", NULL, 0);
	ask(f,
	    L("\"lease4-get-by-client-id\", \"arguments\": {\"client-id\": "
	      "\"0xzz\"}"),
	    1, "'0xzz' is not a valid string of hexadecimal digits", NULL, 0);
	ask(f, L("\"lease4-get-by-hw-address\", \"arguments\": {}"), 1,
	    "'hw-address' parameter not specified", NULL, 0);
	ask(f, L("\"lease4-get-by-hw-address\""), 1,
	    "Command arguments missing or a not a map.", NULL, 0);
	ask(f,
	    L("\"lease4-get-by-hostname\", \"arguments\": {\"hostname\": 1}"),
	    1, "'hostname' parameter must be a string", NULL, 0);
	ask(f,
	    L("\"lease4-get-by-hostname\", \"arguments\": {\"hostname\": "
	      "\"\"}"),
	    1, "'hostname' parameter is empty", NULL, 0);
	ask(f, L("\"lease4-get-page\", \"arguments\": {\"from\": \"start\"}"),
	    1, "'limit' parameter not specified", NULL, 0);
	ask(f,
	    L("\"lease4-get-page\", \"arguments\": {\"from\": \"bogus\", "
	      "\"limit\": 2}"),
	    1,
	    "'from' parameter value is neither 'start' keyword nor a valid "
	    "IPv4 address",
	    NULL, 0);
	ask(f,
	    L("\"lease4-get-page\", \"arguments\": {\"from\": \"start\", "
	      "\"limit\": 0}"),
	    1, "page size of retrieved leases must not be 0", NULL, 0);
	ask(f, L("\"lease4-get-all\", \"arguments\": {\"subnets\": 1}"), 1,
	    "'subnets' parameter must be a list", NULL, 0);
	ask(f, L("\"lease4-get-all\", \"arguments\": {\"subnets\": [\"x\"]}"),
	    1, "listed subnet identifiers must be numbers", NULL, 0);
	/* lease4-add: Lease4Parser's checks, positions as Kea's <wire>. */
	ask(f, L("\"lease4-add\""), 1,
	    "no parameters specified for the command", NULL, 0);
	ask(f,
	    "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":"
	    "\"192.0.2.105\"}}",
	    1, "missing parameter 'hw-address' (<wire>:0:37)", NULL, 0);
	ask(f,
	    "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":"
	    "\"192.0.2.300\",\"hw-address\":\"02:00:00:00:00:05\"}}",
	    1,
	    "Failed to convert '192.0.2.300' to address: Failed to convert "
	    "string to address '192.0.2.300': Invalid argument(<wire>:0:50)",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": \"10.9.9.9\", "
	      "\"hw-address\": \"02:00:00:00:00:05\"}"),
	    1,
	    "subnet-id not specified and failed to find a subnet for address "
	    "10.9.9.9",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:05\", "
	      "\"subnet-id\": 7}"),
	    1,
	    "Invalid subnet-id: No IPv4 subnet with subnet-id=7 currently "
	    "configured.",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:05\", "
	      "\"subnet-id\": 2}"),
	    1,
	    "The address 192.0.2.105 does not belong to subnet "
	    "198.51.100.0/24, subnet-id=2",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:05\", "
	      "\"state\": 3}"),
	    1,
	    "Invalid state value: 3, supported values are: 0 (default), 1 "
	    "(declined) and 2 (expired-reclaimed)",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:05\", "
	      "\"fqdn-fwd\": true}"),
	    1,
	    "No hostname specified and either forward or reverse fqdn was set "
	    "to true.",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:05\", "
	      "\"expire\": 10}"),
	    1,
	    "expiration time must be greater than valid lifetime for address "
	    "192.0.2.105",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"zz\"}"),
	    1, "'z' is not a valid hexadecimal digit in decoded string 'zz'",
	    NULL, 0);
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02\", \"user-context\": "
	      "{\"a\": 1}}"),
	    1, NULL, NULL, 0);
	ask(f,
	    L("\"lease4-resend-ddns\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\"}"),
	    1, "DDNS updating is not enabled", NULL, 0);
	ask(f, L("\"lease4-update\""), 1,
	    "no parameters specified for lease4-update command", NULL, 0);
	/* Nothing reached the store, nothing changed. */
	assert_int_equal(f->commits, 0);
	assert_null(ternd_engine_lease(f->e, IP(192, 0, 2, 105)));
}

static void test_add_get(void **state)
{
	struct fx *f = *state;
	char a[2048];
	const struct ternd_lease *l;

	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:05\", "
	      "\"client-id\": \"01:02:00:00:00:00:05\", \"hostname\": "
	      "\"Host5.Example.\", \"fqdn-fwd\": true, \"expire\": "
	      "4000000000, \"foo\": 1}"),
	    0, "Lease for address 192.0.2.105, subnet-id 1 added.", NULL, 0);
	/* Durable first, then the engine's. */
	assert_int_equal(f->commits, 1);
	assert_int_equal(f->log[0].op, TERND_CHANGE_UPSERT);
	assert_int_equal(f->log[0].lease.addr, IP(192, 0, 2, 105));
	assert_int_equal(f->applied, 1);
	l = ternd_engine_lease(f->e, IP(192, 0, 2, 105));
	assert_non_null(l);
	assert_int_equal(l->state, TERND_LEASE_BOUND);
	assert_int_equal(l->expire, 4000000000);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\"}"),
	    0, "IPv4 lease found.", a, sizeof(a));
	assert_string_equal(
		a, "{ \"client-id\": \"01:02:00:00:00:00:05\", \"cltt\": "
		   "3999996400, \"fqdn-fwd\": true, \"fqdn-rev\": false, "
		   "\"hostname\": \"host5.example.\", \"hw-address\": "
		   "\"02:00:00:00:00:05\", \"ip-address\": \"192.0.2.105\", "
		   "\"state\": 0, \"subnet-id\": 1, \"valid-lft\": 3600 }");
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.105\", \"hw-address\": \"02:00:00:00:00:06\"}"),
	    1, "IPv4 lease already exists.", NULL, 0);
	assert_int_equal(f->commits, 1);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier-type\": \"hw-address\", \"identifier\": "
	      "\"02:00:00:00:00:05\"}"),
	    0, "IPv4 lease found.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 2, "
	      "\"identifier-type\": \"hw-address\", \"identifier\": "
	      "\"02:00:00:00:00:05\"}"),
	    3, "Lease not found.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier-type\": \"client-id\", \"identifier\": "
	      "\"01:02:00:00:00:00:05\"}"),
	    0, "IPv4 lease found.", NULL, 0);
	ask(f,
	    L("\"lease4-get-by-hostname\", \"arguments\": {\"hostname\": "
	      "\"HOST5.example.\"}"),
	    0, "1 IPv4 lease(s) found.", NULL, 0);
	ask(f,
	    L("\"lease4-get-by-hostname\", \"arguments\": {\"hostname\": "
	      "\"host5.example\"}"),
	    3, "0 IPv4 lease(s) found.", a, sizeof(a));
	assert_string_equal(a, "{ \"leases\": [  ] }");
	/* A subnet that does not match on client-id keeps none (Kea), and
	 * declined is state 1. */
	ask(f,
	    L("\"lease4-add\", \"arguments\": {\"ip-address\": "
	      "\"198.51.100.10\", \"hw-address\": \"\", \"client-id\": "
	      "\"0102\", \"state\": 1, \"expire\": 4000000000}"),
	    0, "Lease for address 198.51.100.10, subnet-id 2 added.", NULL, 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"ip-address\": "
	      "\"198.51.100.10\"}"),
	    0, "IPv4 lease found.", a, sizeof(a));
	assert_string_equal(
		a, "{ \"cltt\": 3999998000, \"fqdn-fwd\": false, \"fqdn-rev\": "
		   "false, \"hostname\": \"\", \"hw-address\": \"\", "
		   "\"ip-address\": \"198.51.100.10\", \"state\": 1, "
		   "\"subnet-id\": 2, \"valid-lft\": 2000 }");
	assert_int_equal(ternd_engine_lease(f->e, IP(198, 51, 100, 10))->state,
			 TERND_LEASE_DECLINED);
}

static void add(struct fx *f, const char *ip, const char *mac, int sub)
{
	char req[512];

	snprintf(req, sizeof(req),
		 L("\"lease4-add\", \"arguments\": {\"ip-address\": \"%s\", "
		   "\"hw-address\": \"%s\", \"subnet-id\": %d}"),
		 ip, mac, sub);
	ask(f, req, 0, NULL, NULL, 0);
}

/* store-extended-info: lease4-get shows the relay agent information as
 * Kea's user-context, between subnet-id and valid-lft. */
static void test_user_context(void **state)
{
	struct fx *f = *state;
	struct ternd_lease l;
	char a[2048];

	memset(&l, 0, sizeof(l));
	l.addr = IP(192, 0, 2, 107);
	l.subnet_id = 1;
	l.state = TERND_LEASE_BOUND;
	l.htype = 1;
	l.hw_len = 6;
	memcpy(l.hw, "\x02\0\0\0\0\x07", 6);
	l.valid_lifetime = 3600;
	l.cltt = 3999996400;
	l.expire = 4000000000;
	l.rai_len = 4;
	memcpy(l.rai, "\x01\x02\xab\xcd", 4);
	assert_int_equal(ternd_engine_lease_set(f->e, &l, 3999996400), 0);
	ask(f,
	    L("\"lease4-get\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.107\"}"),
	    0, "IPv4 lease found.", a, sizeof(a));
	assert_string_equal(
		a, "{ \"cltt\": 3999996400, \"fqdn-fwd\": false, \"fqdn-rev\": "
		   "false, \"hostname\": \"\", \"hw-address\": "
		   "\"02:00:00:00:00:07\", \"ip-address\": \"192.0.2.107\", "
		   "\"state\": 0, \"subnet-id\": 1, \"user-context\": { "
		   "\"ISC\": { \"relay-agent-info\": \"0x0102ABCD\" } }, "
		   "\"valid-lft\": 3600 }");
}

static void test_lists(void **state)
{
	struct fx *f = *state;
	char a[8192];
	struct tjson_doc *d = NULL;

	add(f, "192.0.2.107", "02:00:00:00:00:07", 1);
	add(f, "198.51.100.12", "02:00:00:00:00:07", 2);
	add(f, "192.0.2.101", "02:00:00:00:00:01", 1);
	add(f, "192.0.2.103", "02:00:00:00:00:03", 1);
	ask(f, L("\"lease4-get-all\""), 0, "4 IPv4 lease(s) found.", a,
	    sizeof(a));
	/* By address. */
	assert_non_null(strstr(a, "192.0.2.101"));
	assert_true(strstr(a, "192.0.2.101") < strstr(a, "192.0.2.103"));
	assert_true(strstr(a, "192.0.2.103") < strstr(a, "192.0.2.107"));
	assert_true(strstr(a, "192.0.2.107") < strstr(a, "198.51.100.12"));
	ask(f, L("\"lease4-get-all\", \"arguments\": {\"subnets\": [2]}"), 0,
	    "1 IPv4 lease(s) found.", NULL, 0);
	ask(f, L("\"lease4-get-all\", \"arguments\": {\"subnets\": [9]}"), 3,
	    "0 IPv4 lease(s) found.", NULL, 0);
	ask(f,
	    L("\"lease4-get-by-hw-address\", \"arguments\": {\"hw-address\": "
	      "\"02:00:00:00:00:07\"}"),
	    0, "2 IPv4 lease(s) found.", NULL, 0);
	/* Pages: from is exclusive. */
	ask(f,
	    L("\"lease4-get-page\", \"arguments\": {\"from\": \"start\", "
	      "\"limit\": 2}"),
	    0, "2 IPv4 lease(s) found.", a, sizeof(a));
	assert_int_equal(tjson_parse(a, strlen(a), NULL, &d, NULL), 0);
	assert_int_equal(tjson_get(d->root, "count")->i, 2);
	tjson_doc_free(d);
	assert_non_null(strstr(a, "192.0.2.103"));
	assert_null(strstr(a, "192.0.2.107"));
	ask(f,
	    L("\"lease4-get-page\", \"arguments\": {\"from\": \"192.0.2.103\", "
	      "\"limit\": 2}"),
	    0, "2 IPv4 lease(s) found.", a, sizeof(a));
	assert_non_null(strstr(a, "192.0.2.107"));
	assert_non_null(strstr(a, "198.51.100.12"));
	ask(f,
	    L("\"lease4-get-page\", \"arguments\": {\"from\": "
	      "\"198.51.100.12\", \"limit\": 2}"),
	    3, "0 IPv4 lease(s) found.", a, sizeof(a));
	assert_string_equal(a, "{ \"count\": 0, \"leases\": [  ] }");
}

static void test_update_del_wipe(void **state)
{
	struct fx *f = *state;
	const struct ternd_lease *l;

	ask(f,
	    L("\"lease4-update\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.108\", \"hw-address\": \"02:00:00:00:00:08\"}"),
	    1,
	    "failed to update the lease with address 192.0.2.108 either "
	    "because the lease has been deleted or it has changed in the "
	    "database, in both cases a retry might succeed",
	    NULL, 0);
	ask(f,
	    L("\"lease4-update\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.108\", \"hw-address\": \"02:00:00:00:00:08\", "
	      "\"force-create\": true}"),
	    0, "IPv4 lease added.", NULL, 0);
	ask(f,
	    L("\"lease4-update\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.108\", \"hw-address\": \"02:00:00:00:00:09\", "
	      "\"hostname\": \"nine\", \"valid-lft\": 99}"),
	    0, "IPv4 lease updated.", NULL, 0);
	l = ternd_engine_lease(f->e, IP(192, 0, 2, 108));
	assert_non_null(l);
	assert_string_equal(l->hostname, "nine");
	assert_int_equal(l->valid_lifetime, 99);
	assert_int_equal(l->hw[5], 9);
	assert_int_equal(f->log[f->n_log - 1].lease.valid_lifetime, 99);
	/* A failed commit: error, the engine as before. */
	f->fail = -EIO;
	ask(f,
	    L("\"lease4-del\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.108\"}"),
	    1, "the lease store did not take the change: Input/output error",
	    NULL, 0);
	assert_non_null(ternd_engine_lease(f->e, IP(192, 0, 2, 108)));
	f->fail = 0;
	ask(f,
	    L("\"lease4-del\", \"arguments\": {\"subnet-id\": 1, "
	      "\"identifier-type\": \"hw-address\", \"identifier\": "
	      "\"02:00:00:00:00:09\"}"),
	    0, "IPv4 lease deleted.", NULL, 0);
	assert_int_equal(f->log[f->n_log - 1].op, TERND_CHANGE_DELETE);
	assert_int_equal(f->log[f->n_log - 1].lease.addr, IP(192, 0, 2, 108));
	assert_null(ternd_engine_lease(f->e, IP(192, 0, 2, 108)));
	ask(f,
	    L("\"lease4-del\", \"arguments\": {\"ip-address\": "
	      "\"192.0.2.108\"}"),
	    3, "IPv4 lease not found.", NULL, 0);
	add(f, "192.0.2.101", "02:00:00:00:00:01", 1);
	add(f, "192.0.2.102", "02:00:00:00:00:02", 1);
	add(f, "198.51.100.12", "02:00:00:00:00:07", 2);
	ask(f, L("\"lease4-wipe\", \"arguments\": {\"subnet-id\": 1}"), 0,
	    "Deleted 2 IPv4 lease(s) from subnet(s) 1", NULL, 0);
	assert_null(ternd_engine_lease(f->e, IP(192, 0, 2, 101)));
	assert_non_null(ternd_engine_lease(f->e, IP(198, 51, 100, 12)));
	ask(f, L("\"lease4-wipe\", \"arguments\": {\"subnet-id\": 1}"), 3,
	    "Deleted 0 IPv4 lease(s) from subnet(s) 1", NULL, 0);
	ask(f, L("\"lease4-wipe\""), 0,
	    "Deleted 1 IPv4 lease(s) from subnet(s) 1 2", NULL, 0);
	ask(f, L("\"lease4-get-all\""), 3, "0 IPv4 lease(s) found.", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arguments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_add_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_context, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_del_wipe, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
