/* Unit tests for a Dhcp6 ternd's reconfiguration (reload6.c) without a
 * daemon: config-set and config-reload through the control channel swap
 * in a new engine with every binding and the same server DUID, after the
 * drain; refused configurations (loader errors, another family, a moved
 * lease file, a missing interface) change nothing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/config/config.h"
#include "server/control/control.h"
#include "server/engine6/engine6.h"
#include "server/net/io6.h"
#include "server/reload6.h"

#define CONF(VALID, IFACE, DB)                                                 \
	"{\"Dhcp6\": {\"interfaces-config\": {\"interfaces\": [" IFACE "]},\n" \
	" \"lease-database\": {\"type\": \"memfile\", \"name\": \"" DB         \
	"\"},\n"                                                               \
	" \"valid-lifetime\": " VALID ",\n"                                    \
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"        \
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}]}]}}"

static const uint8_t duid[] = {0, 1, 0, 1, 1, 2, 3, 4, 2, 0, 0, 0, 0, 1};

struct fx {
	const struct ternd_config *cfg;
	struct ternd_config *first; /* the daemon's: freed by the test */
	struct ternd_engine6 *eng;
	struct ternd_io6 *io;
	struct ternd_reload6 *rl;
	struct ternd_control *ctl;
	char path[64];
	int drains, swaps;
	const struct ternd_engine6 *old_seen;
};

static void drain(void *ctx)
{
	((struct fx *)ctx)->drains++;
}

static void swapped(void *ctx, const struct ternd_engine6 *old)
{
	struct fx *f = ctx;

	f->swaps++;
	f->old_seen = old;
	/* The old engine is alive still: its table can be read. */
	assert_true(ternd_engine6_count(old) > 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
	static const char first[] = CONF("600", "", "/tmp/r6u/leases6.csv");
	struct ternd_diags d = {0};
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_lease6 l = {.type = TERND_LEASE6_NA,
				 .plen = 128,
				 .duid_len = 3,
				 .duid = {1, 2, 3},
				 .subnet_id = 1,
				 .valid = 600,
				 .cltt = 1000,
				 .expire = 1600};

	if (!f)
		return -1;
	snprintf(f->path, sizeof(f->path), "/tmp/tern-reload6.XXXXXX");
	if (mkstemp(f->path) < 0)
		return -1;
	write_file(f->path, first);
	if (ternd_config_load_buf(first, strlen(first), &f->first, &d) < 0)
		return -1;
	f->cfg = f->first;
	if (ternd_engine6_new(f->cfg, 64, duid, sizeof(duid), &f->eng) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		l.addr.s6_addr[0] = 0x20;
		l.addr.s6_addr[1] = 0x01;
		l.addr.s6_addr[15] = (uint8_t)(0x10 + i);
		if (ternd_engine6_restore(f->eng, &l) < 0)
			return -1;
	}
	/* Port 0, no interface: a socket that needs no privilege. */
	if (ternd_io6_open(f->cfg, 0, &f->io) < 0)
		return -1;
	{
		const struct ternd_reload6_live live = {
			.cfg = &f->cfg,
			.engine = &f->eng,
			.io = f->io,
			.duid = duid,
			.duid_len = sizeof(duid),
			.max_leases = 64,
			.path = f->path,
			.ctx = f,
			.drain = drain,
			.swapped = swapped,
		};

		if (ternd_reload6_new(&live, &f->rl) < 0)
			return -1;
	}
	if (ternd_control_new(&f->ctl) < 0 ||
	    ternd_reload6_register(f->rl, f->ctl) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ternd_control_free(f->ctl);
	ternd_engine6_free(f->eng);
	ternd_io6_close(f->io);
	ternd_reload6_free(f->rl);
	ternd_config_free(f->first);
	unlink(f->path);
	free(f);
	return 0;
}

static char *ask(struct fx *f, const char *req)
{
	char *ans = NULL;

	assert_int_equal(ternd_control_handle(f->ctl, req, strlen(req), &ans),
			 0);
	return ans;
}

static void expect(struct fx *f, const char *req, const char *want)
{
	char *ans = ask(f, req);

	if (!strstr(ans, want))
		fail_msg("answer %s lacks %s", ans, want);
	free(ans);
}

static void test_set(void **state)
{
	struct fx *f = *state;
	struct ternd_engine6 *before = f->eng;
	struct in6_addr a = {{{0x20, 0x01}}};

	expect(f,
	       "{\"command\": \"config-set\", \"arguments\": " CONF(
		       "900", "", "/tmp/r6u/leases6.csv") "}",
	       "\"result\": 0, \"text\": \"Configuration successful.\"");
	assert_int_equal(f->drains, 1);
	assert_int_equal(f->swaps, 1);
	assert_ptr_equal(f->old_seen, before);
	assert_ptr_not_equal(f->eng, before);
	assert_ptr_not_equal(f->cfg, f->first);
	assert_int_equal(f->cfg->v6->global.valid, 900);
	/* Every binding, as it was. */
	assert_int_equal(ternd_engine6_count(f->eng), 3);
	a.s6_addr[15] = 0x11;
	assert_non_null(ternd_engine6_find(f->eng, TERND_LEASE6_NA, &a));
	assert_int_equal(ternd_reload6_count(f->rl), 1);
	assert_non_null(ternd_reload6_source(f->rl));

	/* config-reload: the file (valid 600) again. */
	expect(f, "{\"command\": \"config-reload\"}",
	       "\"Configuration successful.\"");
	assert_int_equal(f->cfg->v6->global.valid, 600);
	assert_int_equal(ternd_engine6_count(f->eng), 3);
	assert_int_equal(f->drains, 2);
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	struct ternd_engine6 *before = f->eng;
	const struct ternd_config *cfg = f->cfg;
	char err[512];

	expect(f,
	       "{\"command\": \"config-set\", \"arguments\": {\"Dhcp6\": {\n"
	       "\"subnet6\": [{\"id\": 1, \"subnet\": \"bogus\"}]}}}",
	       "\"result\": 1, \"text\": \"config-set:2:33: error: ");
	expect(f,
	       "{\"command\": \"config-set\", \"arguments\": {\"Dhcp4\": {}}}",
	       "Missing mandatory 'Dhcp6' parameter.");
	expect(f, "{\"command\": \"config-set\"}",
	       "Missing mandatory 'arguments' parameter.");
	expect(f,
	       "{\"command\": \"config-set\", \"arguments\": " CONF(
		       "900", "", "/tmp/r6u/other6.csv") "}",
	       "lease-database cannot change while ternd runs");
	expect(f,
	       "{\"command\": \"config-set\", \"arguments\": " CONF(
		       "900", "\"nosuch0\"", "/tmp/r6u/leases6.csv") "}",
	       "an interface named does not exist");
	expect(f,
	       "{\"command\": \"config-set\", \"arguments\": {\"Dhcp6\": {"
	       "\"lease-database\": {\"type\": \"memfile\", \"name\": "
	       "\"/tmp/r6u/leases6.csv\"}, \"hooks-libraries\": [{\"library\": "
	       "\"/usr/lib/x86_64-linux-gnu/kea/hooks/"
	       "libdhcp_lease_cmds.so\"}],"
	       " \"subnet6\": [{\"id\": 1, \"subnet\": "
	       "\"2001:db8:1::/64\"}]}}}",
	       "hooks-libraries cannot change while ternd runs");
	/* A Dhcp4 file: the family cannot change. */
	write_file(f->path, "{\"Dhcp4\": {\"subnet4\": []}}");
	assert_int_equal(ternd_reload6_file(f->rl, "SIGHUP", err, sizeof(err)),
			 -EOPNOTSUPP);
	assert_non_null(strstr(err, "a Dhcp4 configuration cannot replace a "
				    "Dhcp6 one"));
	expect(f, "{\"command\": \"config-reload\"}",
	       "Config reload failed: a Dhcp4 configuration");
	/* Nothing changed, nothing drained. */
	assert_ptr_equal(f->eng, before);
	assert_ptr_equal(f->cfg, cfg);
	assert_int_equal(f->drains, 0);
	assert_int_equal(ternd_reload6_count(f->rl), 0);
	/* config-test: checked, not applied; not compared with the running
	 * configuration, as Kea's. */
	assert_int_equal(ternd_reload6_test(f->rl, "{\"Dhcp6\": {}}", 13, err,
					    sizeof(err)),
			 0);
	assert_true(ternd_reload6_test(f->rl, "{\"Dhcp4\": {}}", 13, err,
				       sizeof(err)) < 0);
	assert_ptr_equal(f->eng, before);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_set),
		T(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
