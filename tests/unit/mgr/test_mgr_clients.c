/* Unit tests of tern-mgr's client command lines, client.conf, state files,
 * events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mgr/clients.h"
#include "mgr/config.h"
#include "mgr/events.h"
#include "mgr/hooks.h"
#include "mgr/manager.h"
#include "mgr/recovery.h"
#include "mgr/util.h"

static struct mgr_config *load(void)
{
	struct mgr_config *c = malloc(sizeof(*c));
	char err[256];

	assert_int_equal(mgr_config_load(TERN_MGR_FIXTURES "/mgr.json", c, err,
					 sizeof(err)),
			 0);
	return c;
}

static void join(const struct mgr_argv *a, char *out, size_t cap)
{
	out[0] = '\0';
	for (int i = 0; i < a->argc; i++) {
		if (i)
			strncat(out, " ", cap - strlen(out) - 1);
		strncat(out, a->argv[i], cap - strlen(out) - 1);
	}
}

static void test_udhcpc_argv(void **state)
{
	struct mgr_config *c = load();
	static struct mgr_argv a;
	char line[1024];

	(void)state;
	assert_int_equal(mgr_udhcpc_argv(c, &c->v4[0], &a), 0);
	join(&a, line, sizeof(line));
	/* ReqOption by Order (43 before 42), disabled ones left out;
	 * option 60 as -V text, 61 as -x hex, disabled 77 left out. */
	assert_string_equal(line,
			    "/usr/sbin/udhcpc -i erouter0 -p "
			    "/var/lib/tern/mgr/udhcpc-erouter0.pid -s "
			    "/usr/sbin/tern-plugin -O 43 -O 42 -V tern -x "
			    "0x3d:01020304 -f -R");
	assert_null(a.argv[a.argc]);
	/* Non-printable option 60 goes as hex. */
	strcpy(c->v4[0].sent[0].value, "0001");
	assert_int_equal(mgr_udhcpc_argv(c, &c->v4[0], &a), 0);
	join(&a, line, sizeof(line));
	assert_non_null(strstr(line, "-x 0x3c:0001 -x 0x3d:01020304"));
	free(c);
}

static void test_dibbler(void **state)
{
	struct mgr_config *c = load();
	static struct mgr_argv a;
	char line[1024], conf[4096];

	(void)state;
	assert_int_equal(mgr_dibbler_argv(c, &c->v6[0], &a), 0);
	join(&a, line, sizeof(line));
	assert_string_equal(line, "/usr/sbin/dibbler-client run -w "
				  "/var/lib/tern/mgr/dibbler-erouter0");
	assert_true(mgr_dibbler_conf(c, &c->v6[0], conf, sizeof(conf)) > 0);
	assert_string_equal(conf,
			    "# written by tern-mgr for erouter0; edits are "
			    "overwritten\n"
			    "log-level 6\n"
			    "log-mode full\n"
			    "script \"/var/lib/tern/mgr/dibbler-erouter0/"
			    "tern-plugin.sh\"\n"
			    "duid-type duid-ll\n"
			    "iface \"erouter0\" {\n"
			    "  ia {\n    t1 1000\n    t2 2000\n  }\n"
			    "  pd {\n    t1 1000\n    t2 2000\n  }\n"
			    "  rapid-commit 1\n"
			    "  option dns-server\n"
			    "  option domain\n"
			    "  option 0095 hex\n"
			    "  option 0016 hex 0x0000118b\n"
			    "}\n");
	c->v6[0].request_prefixes = false;
	c->v6[0].suggested_t1 = c->v6[0].suggested_t2 = -1;
	assert_true(mgr_dibbler_conf(c, &c->v6[0], conf, sizeof(conf)) > 0);
	assert_non_null(strstr(conf, "  ia\n"));
	assert_null(strstr(conf, "pd"));
	assert_int_equal(mgr_dibbler_conf(c, &c->v6[0], conf, 20), -ENOBUFS);
	assert_true(mgr_dibbler_wrapper(c, conf, sizeof(conf)) > 0);
	assert_string_equal(conf, "#!/bin/sh\n# written by tern-mgr: "
				  "dibbler-client clears the environment of "
				  "its script\nexec '/usr/sbin/tern-plugin' -a "
				  "'tcp://127.0.0.1:50324' \"$@\"\n");
	free(c);
}

static struct mgr *mk_mgr(const char *dir)
{
	struct mgr *m = calloc(1, sizeof(*m));
	const char *t = "{\"DHCPv4\": {\"Client\": [{\"Interface\": \"lo\"}]},"
			"\"DHCPv6\": {\"Client\": [{\"Interface\": \"lo\"}]}}";

	assert_int_equal(mgr_config_parse(t, strlen(t), &m->cfg, NULL, 0), 0);
	strcpy(m->cfg.state_dir, dir);
	assert_int_equal(mgr_init(m), 0);
	return m;
}

static int n_del;
static int nop_addr4(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, const char *brd, bool add)
{
	(void)ctx, (void)ifname, (void)addr, (void)plen, (void)brd;
	n_del += !add;
	return 0;
}

static int nop_addr6(void *ctx, const char *ifname, const char *addr,
		     unsigned plen, uint32_t pref, uint32_t valid, bool add)
{
	(void)ctx, (void)ifname, (void)addr, (void)plen, (void)pref,
		(void)valid, (void)add;
	return 0;
}

static int nop_mtu(void *ctx, const char *ifname, unsigned mtu)
{
	(void)ctx, (void)ifname, (void)mtu;
	return 0;
}

static int nop_route(void *ctx, const char *ifname, const char *gw, bool add)
{
	(void)ctx, (void)ifname, (void)gw, (void)add;
	return 0;
}

static const struct mgr_net_ops nop_net = {nop_addr4, nop_addr6, nop_mtu,
					   nop_route, NULL};

static void test_state_roundtrip(void **state)
{
	char dir[] = "/tmp/test_mgr_state.XXXXXX", path[256], buf[64];
	struct mgr_saved *s = calloc(1, sizeof(*s));
	struct mgr *m, *m2;
	struct mgr_client *c;
	enum mgr_event ev;
	char *text = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	m = mk_mgr(dir);
	m->net = &nop_net;
	c = &m->c4[0];
	c->have_lease = true;
	assert_int_equal(tern_lease_msg_init(&c->lease, TERN_LEASE_V4, "lo"),
			 0);
	c->lease.data.v4.address_assigned = 1;
	c->lease.data.v4.event = TERN_LEASE_V4_BOUND;
	strcpy(c->lease.data.v4.address, "127.0.0.99");
	strcpy(c->lease.data.v4.netmask, "255.0.0.0");
	strcpy(c->lease.data.v4.dhcp_state, "bound");
	c->lease.data.v4.lease_time = 600;
	c->lease_start = m->now();
	c->expiry = c->lease_start + 600;
	/* Our own pid stands in for a running udhcpc. */
	c->pid = getpid();
	assert_int_equal(mgr_state_save(m, c), 0);

	assert_int_equal(mgr_state_load(&m->cfg, 4, "lo", s), 0);
	assert_int_equal(s->pid, getpid());
	assert_true(s->starttime > 0);
	assert_true(s->have_lease);
	assert_string_equal(s->lease.data.v4.address, "127.0.0.99");
	assert_int_equal(s->expiry, c->expiry);

	/* The format version is checked. */
	mgr_state_path(&m->cfg, 4, "lo", path, sizeof(path));
	assert_true(mgr_read_file(path, 1 << 16, &text) > 0);
	assert_int_equal(strncmp(text, "tern-mgr-state 1\n", 17), 0);
	text[15] = '9';
	assert_int_equal(mgr_state_parse(text, s), -EPROTO);
	text[15] = '1';
	/* A corrupted lease is refused by libtern's validator. */
	{
		char *l = strstr(text, "lease ");

		assert_non_null(l);
		memcpy(l + 6 + 64, "ff", 2); /* the version field */
		assert_int_equal(mgr_state_parse(text, s), -EBADMSG);
	}
	free(text);

	/* Restart while the lease is valid: restored, not adopted (our
	 * pid is not udhcpc), so the client must be started. */
	m2 = mk_mgr(dir);
	m2->net = &nop_net;
	assert_int_equal(mgr_recover_client(m2, &m2->c4[0], m->now(), &ev), 0);
	assert_int_equal(ev, MGR_EV_LEASE_UPDATE);
	assert_true(m2->c4[0].have_lease);
	assert_string_equal(m2->c4[0].lease.data.v4.address, "127.0.0.99");
	mgr_fini(m2);
	free(m2);

	/* Restart after the lifetime ran out: expired, address removed. */
	m2 = mk_mgr(dir);
	m2->net = &nop_net;
	n_del = 0;
	assert_int_equal(
		mgr_recover_client(m2, &m2->c4[0], m->now() + 601, &ev), 0);
	assert_int_equal(ev, MGR_EV_LEASE_DEL);
	assert_false(m2->c4[0].have_lease);
	assert_int_equal(n_del, 1);
	mgr_fini(m2);
	free(m2);

	/* No state file: nothing to restore. */
	assert_int_equal(mgr_recover_client(m, &m->c6[0], m->now(), &ev), 0);
	assert_int_equal(ev, MGR_EV_NONE);

	mgr_state_remove(&m->cfg, 4, "lo");
	snprintf(buf, sizeof(buf), "%s", dir);
	assert_int_equal(rmdir(buf), 0);
	mgr_fini(m);
	free(m);
	free(s);
}

static void test_event_text(void **state)
{
	char dir[] = "/tmp/test_mgr_ev.XXXXXX", buf[4096], store[4096];
	char *env[64];
	struct mgr *m;
	struct mgr_client *c;
	bool found = false;

	(void)state;
	assert_non_null(mkdtemp(dir));
	m = mk_mgr(dir);
	c = &m->c4[0];
	c->have_lease = true;
	tern_lease_msg_init(&c->lease, TERN_LEASE_V4, "lo");
	strcpy(c->lease.data.v4.address, "127.0.0.99");
	strcpy(c->lease.data.v4.dns_servers, "1.1.1.1 8.8.8.8");
	c->expiry = 1100;
	assert_true(mgr_event_format(c, "lo", MGR_EV_LEASE_UPDATE, 1000, buf,
				     sizeof(buf)) > 0);
	assert_int_equal(
		strncmp(buf, "TERN-MGR/1 LEASE_UPDATE DHCPv4 1 lo\n", 36), 0);
	assert_non_null(strstr(buf, "\nIPAddress=127.0.0.99\n"));
	assert_non_null(strstr(buf, "\nDNSServers=1.1.1.1,8.8.8.8\n"));
	assert_non_null(strstr(buf, "\nLeaseTimeRemaining=100\n"));
	assert_true(mgr_event_format(c, "lo", MGR_EV_LEASE_DEL, 1000, buf,
				     sizeof(buf)) > 0);
	assert_string_equal(buf, "TERN-MGR/1 LEASE_DEL DHCPv4 1 lo\n");
	assert_int_equal(
		mgr_event_format(c, "lo", MGR_EV_LEASE_UPDATE, 1000, buf, 40),
		-ENOBUFS);
	assert_true(mgr_hook_env(c, "lo", MGR_EV_LEASE_UPDATE, 1000, env, 64,
				 store, sizeof(store)) > 4);
	for (int i = 0; env[i]; i++)
		if (!strcmp(env[i], "TERN_IPAddress=127.0.0.99"))
			found = true;
	assert_true(found);
	assert_string_equal(env[0], "TERN_EVENT=LEASE_UPDATE");
	rmdir(dir);
	mgr_fini(m);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udhcpc_argv),
		cmocka_unit_test(test_dibbler),
		cmocka_unit_test(test_state_roundtrip),
		cmocka_unit_test(test_event_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
