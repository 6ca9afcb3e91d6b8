/* Unit tests of tern-mgr's lease handlers, MAP-T exposure and data model. */
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
#include "mgr/handlers.h"
#include "mgr/manager.h"
#include "mgr/model.h"
#include "mgr/util.h"

/* --- a recording network and an injectable clock ------------------ */

struct netlog {
	char lines[32][160];
	int n;
};

static struct netlog nl;
static int64_t fake_now = 1000000;

static int64_t now_fn(void)
{
	return fake_now;
}

static void rec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void rec(const char *fmt, ...)
{
	va_list ap;

	if (nl.n == 32)
		return;
	va_start(ap, fmt);
	vsnprintf(nl.lines[nl.n++], sizeof(nl.lines[0]), fmt, ap);
	va_end(ap);
}

static int f_addr4(void *ctx, const char *ifname, const char *addr,
		   unsigned plen, const char *brd, bool add)
{
	(void)ctx;
	rec("%s4 %s %s/%u brd %s", add ? "add" : "del", ifname, addr, plen,
	    brd ? brd : "-");
	return 0;
}

static int f_addr6(void *ctx, const char *ifname, const char *addr,
		   unsigned plen, uint32_t pref, uint32_t valid, bool add)
{
	(void)ctx;
	rec("%s6 %s %s/%u %u %u", add ? "add" : "del", ifname, addr, plen, pref,
	    valid);
	return 0;
}

static int f_mtu(void *ctx, const char *ifname, unsigned mtu)
{
	(void)ctx;
	rec("mtu %s %u", ifname, mtu);
	return 0;
}

static int f_route4(void *ctx, const char *ifname, const char *gw, bool add)
{
	(void)ctx;
	rec("%sroute %s %s", add ? "add" : "del", ifname, gw);
	return 0;
}

static const struct mgr_net_ops fake_net = {f_addr4, f_addr6, f_mtu, f_route4,
					    NULL};

static bool logged(const char *line)
{
	for (int i = 0; i < nl.n; i++)
		if (!strcmp(nl.lines[i], line))
			return true;
	return false;
}

static const char cfg_text[] =
	"{\"DHCPv4\": {\"Client\": [{\"Alias\": \"wan\", \"Interface\": "
	"\"erouter0\", \"ReqOption\": [{\"Tag\": 43}]}, {\"Interface\": "
	"\"erouter1\", \"Enable\": false}]},"
	" \"DHCPv6\": {\"Client\": [{\"Interface\": \"erouter0\", "
	"\"RequestedOptions\": \"23,24,95\"}]}}";

static int setup(void **state)
{
	struct mgr *m = calloc(1, sizeof(*m));

	assert_int_equal(
		mgr_config_parse(cfg_text, strlen(cfg_text), &m->cfg, NULL, 0),
		0);
	m->net = &fake_net;
	m->now = now_fn;
	assert_int_equal(mgr_init(m), 0);
	memset(&nl, 0, sizeof(nl));
	fake_now = 1000000;
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	mgr_fini(*state);
	free(*state);
	return 0;
}

static void v4_lease(struct tern_lease_v4 *l, const char *addr)
{
	memset(l, 0, sizeof(*l));
	strcpy(l->ifname, "erouter0");
	l->address_assigned = 1;
	l->event = TERN_LEASE_V4_BOUND;
	l->prefix_len = 24;
	strcpy(l->address, addr);
	strcpy(l->netmask, "255.255.255.0");
	strcpy(l->gateway, "192.0.2.1 192.0.2.2");
	strcpy(l->dns_servers, "192.0.2.53 192.0.2.54");
	strcpy(l->dhcp_server_id, "192.0.2.1");
	strcpy(l->dhcp_state, "bound");
	l->lease_time = 600;
}

/* --- model helpers ----------------------------------------------- */

struct kv {
	char text[65536];
	size_t len;
};

static void collect(void *arg, const char *key, const char *val)
{
	struct kv *k = arg;

	k->len += (size_t)snprintf(k->text + k->len, sizeof(k->text) - k->len,
				   "%s=%s\n", key, val);
}

static char *get1(struct mgr *m, const char *path)
{
	static struct kv k;
	char *eq;

	memset(&k, 0, sizeof(k));
	if (mgr_model_get(m, path, fake_now, collect, &k) != 1)
		return NULL;
	k.text[strcspn(k.text, "\n")] = '\0';
	eq = strchr(k.text, '=');
	return eq ? eq + 1 : NULL;
}

/* --- DHCPv4 ------------------------------------------------------ */

static void test_v4_update_renew_expire(void **state)
{
	struct mgr *m = *state;
	struct mgr_client *c = &m->c4[0];
	struct tern_lease_v4 l;

	v4_lease(&l, "192.0.2.10");
	assert_int_equal(mgr_v4_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
	assert_true(logged("add4 erouter0 192.0.2.10/24 brd 192.0.2.255"));
	/* No MTU from the server: 1500. */
	assert_true(logged("mtu erouter0 1500"));
	assert_false(logged("addroute erouter0 192.0.2.1"));
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.IPAddress"),
			    "192.0.2.10");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.DHCPStatus"),
			    "Bound");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.DNSServers"),
			    "192.0.2.53,192.0.2.54");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.IPRouters"),
			    "192.0.2.1,192.0.2.2");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.DHCPServer"),
			    "192.0.2.1");

	/* LeaseTimeRemaining counts down with the clock. */
	assert_string_equal(
		get1(m, "Device.DHCPv4.Client.1.LeaseTimeRemaining"), "600");
	fake_now += 100;
	assert_string_equal(
		get1(m, "Device.DHCPv4.Client.1.LeaseTimeRemaining"), "500");

	/* The same lease again, only times differ: a renew. */
	nl.n = 0;
	l.lease_time = 900;
	l.event = TERN_LEASE_V4_RENEW;
	assert_false(mgr_v4_changed(c, &l));
	assert_int_equal(mgr_v4_handle(m, c, &l, fake_now), MGR_EV_LEASE_RENEW);
	assert_int_equal(nl.n, 0);
	assert_string_equal(
		get1(m, "Device.DHCPv4.Client.1.LeaseTimeRemaining"), "900");

	/* While renewing the lease stays visible, DNSServers only when
	 * Bound (TR-181). */
	c->dhcp_status = MGR_DS_RENEWING;
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.IPAddress"),
			    "192.0.2.10");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.DNSServers"), "");
	c->dhcp_status = MGR_DS_BOUND;

	/* A different DNS server is a change. */
	strcpy(l.dns_servers, "192.0.2.99");
	assert_true(mgr_v4_changed(c, &l));
	assert_int_equal(mgr_v4_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);

	/* A new address replaces the old one. */
	nl.n = 0;
	v4_lease(&l, "192.0.2.11");
	l.mtu_assigned = 1;
	l.mtu_size = 1492;
	assert_int_equal(mgr_v4_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
	assert_true(logged("del4 erouter0 192.0.2.10/24 brd -"));
	assert_true(logged("add4 erouter0 192.0.2.11/24 brd 192.0.2.255"));
	assert_true(logged("mtu erouter0 1492"));

	/* The lifetime runs out: address removed, data model cleared. */
	nl.n = 0;
	assert_int_equal(mgr_lease_check_expiry(m, c, fake_now + 599),
			 MGR_EV_NONE);
	assert_int_equal(mgr_lease_check_expiry(m, c, fake_now + 600),
			 MGR_EV_LEASE_DEL);
	assert_true(logged("del4 erouter0 192.0.2.11/24 brd -"));
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.IPAddress"), "");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.DNSServers"), "");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.DHCPStatus"),
			    "Init");
	assert_string_equal(
		get1(m, "Device.DHCPv4.Client.1.LeaseTimeRemaining"), "0");
}

static void test_v4_deconfig_nak_routes(void **state)
{
	struct mgr *m = *state;
	struct mgr_client *c = &m->c4[0];
	struct tern_lease_v4 l, d;
	char dir[] = "/tmp/test_mgr_resolv.XXXXXX", *text = NULL;

	/* Standalone router: default route and resolv.conf. */
	assert_non_null(mkdtemp(dir));
	snprintf(m->cfg.resolv_path, sizeof(m->cfg.resolv_path),
		 "%s/resolv.conf", dir);
	m->cfg.resolv_conf = true;
	m->cfg.apply_routes = true;
	v4_lease(&l, "192.0.2.10");
	assert_int_equal(mgr_v4_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
	assert_true(logged("addroute erouter0 192.0.2.1"));
	assert_true(mgr_read_file(m->cfg.resolv_path, 4096, &text) > 0);
	assert_string_equal(text, "# written by tern-mgr\n"
				  "nameserver 192.0.2.53\n"
				  "nameserver 192.0.2.54\n");
	free(text);

	memset(&d, 0, sizeof(d));
	strcpy(d.ifname, "erouter0");
	d.event = TERN_LEASE_V4_NAK;
	strcpy(d.message, "wrong network");
	assert_int_equal(mgr_v4_handle(m, c, &d, fake_now), MGR_EV_NONE);
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.X_TERN_NakCount"),
			    "1");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.X_TERN_LastNak"),
			    "wrong network");

	d.event = TERN_LEASE_V4_DECONFIG;
	d.is_expired = 1;
	nl.n = 0;
	assert_int_equal(mgr_v4_handle(m, c, &d, fake_now), MGR_EV_LEASE_DEL);
	assert_true(logged("delroute erouter0 192.0.2.1"));
	assert_true(logged("del4 erouter0 192.0.2.10/24 brd -"));
	assert_false(c->have_lease);
	/* A second deconfig (udhcpc starts with one) changes nothing. */
	assert_int_equal(mgr_v4_handle(m, c, &d, fake_now), MGR_EV_NONE);
	assert_true(mgr_read_file(m->cfg.resolv_path, 4096, &text) > 0);
	assert_string_equal(text, "# written by tern-mgr\n");
	free(text);
	unlink(m->cfg.resolv_path);
	rmdir(dir);
}

/* --- DHCPv6 ------------------------------------------------------ */

static const uint8_t mapt_ok[] = {
	0x00, 0x59, 0x00, 0x14, 0x80, 0x00, 0x18, 0xc0, 0x00, 0x02,
	0x00, 0x20, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x5d, 0x00, 0x04,
	0x00, 0x10, 0x04, 0xd2, 0x00, 0x5b, 0x00, 0x09, 0x40, 0x20,
	0x01, 0x0d, 0xb8, 0xff, 0xff, 0x00, 0x00};

static void v6_lease(struct tern_lease_v6 *l, bool na, bool pd)
{
	memset(l, 0, sizeof(*l));
	strcpy(l->ifname, "erouter0");
	l->event = TERN_LEASE_V6_ADD;
	if (na) {
		l->ia_na[0].assigned = 1;
		strcpy(l->ia_na[0].address, "fd00:250::1000");
		l->ia_na[0].preferred = 3000;
		l->ia_na[0].valid = 4000;
	}
	if (pd) {
		l->ia_pd[0].assigned = 1;
		strcpy(l->ia_pd[0].prefix, "fd00:9900::");
		l->ia_pd[0].prefix_len = 56;
		l->ia_pd[0].preferred = 3000;
		l->ia_pd[0].valid = 4000;
	}
	strcpy(l->dns_servers, "fd00:250::1");
	strcpy(l->domain_search, "example.net");
}

static void test_v6_lifetimes_merge(void **state)
{
	struct mgr *m = *state;
	struct mgr_client *c = &m->c6[0];
	struct tern_lease_v6 l;

	v6_lease(&l, true, true);
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
	assert_true(logged("add6 erouter0 fd00:250::1000/128 3000 4000"));
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.IAPDPrefix"),
			    "fd00:9900::/56");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.IANAAddress"),
			    "fd00:250::1000");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.DNSServers"),
			    "fd00:250::1");

	/* Only lifetimes moved: a renew, and the kernel gets new ones. */
	nl.n = 0;
	l.ia_na[0].preferred = 1800;
	l.ia_na[0].valid = 3600;
	l.ia_pd[0].valid = 7200;
	l.event = TERN_LEASE_V6_UPDATE;
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now), MGR_EV_LEASE_RENEW);
	assert_true(logged("add6 erouter0 fd00:250::1000/128 1800 3600"));
	assert_string_equal(
		get1(m, "Device.DHCPv6.Client.1.LeaseTimeRemaining"), "7200");

	/* A reply with the prefix only keeps the address (merge). */
	v6_lease(&l, false, true);
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now), MGR_EV_LEASE_RENEW);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.IANAAddress"),
			    "fd00:250::1000");
	/* ... and one with the address only keeps the prefix. */
	v6_lease(&l, true, false);
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now), MGR_EV_LEASE_RENEW);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.IAPDPrefix"),
			    "fd00:9900::/56");

	/* A new prefix is a change. */
	v6_lease(&l, true, true);
	strcpy(l.ia_pd[0].prefix, "fd00:9a00::");
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
}

static void test_v6_pd_replace_and_stale(void **state)
{
	struct mgr *m = *state;
	struct mgr_client *c = &m->c6[0];
	struct tern_lease_v6 l;

	v6_lease(&l, true, true);
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);

	/* dibbler's prefix replacement: zero lifetimes, not a loss. */
	v6_lease(&l, false, false);
	l.event = TERN_LEASE_V6_DELETE;
	l.flags = TERN_LEASE_F_PD_REPLACE;
	strcpy(l.ia_pd[0].prefix, "fd00:9900::");
	l.ia_pd[0].prefix_len = 56;
	l.ia_pd[0].flags = TERN_LEASE_IA_F_WITHDRAWN;
	memset(l.dns_servers, 0, sizeof(l.dns_servers));
	nl.n = 0;
	assert_int_not_equal(mgr_v6_handle(m, c, &l, fake_now),
			     MGR_EV_LEASE_DEL);
	assert_true(c->have_lease);
	assert_false(logged("del6 erouter0 fd00:250::1000/128 0 0"));
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.IANAAddress"),
			    "fd00:250::1000");

	/* An expiry naming an old prefix is stale: ignored. */
	v6_lease(&l, false, false);
	l.event = TERN_LEASE_V6_EXPIRE;
	l.is_expired = 1;
	strcpy(l.ia_pd[0].prefix, "fd00:1111::");
	l.ia_pd[0].prefix_len = 56;
	assert_true(mgr_v6_stale(c, &l));
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now), MGR_EV_NONE);
	assert_true(c->have_lease);

	/* The expiry of the current prefix is a loss: cleared. */
	strcpy(l.ia_pd[0].prefix, "fd00:9900::");
	nl.n = 0;
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now), MGR_EV_LEASE_DEL);
	assert_true(logged("del6 erouter0 fd00:250::1000/128 0 0"));
	assert_false(c->have_lease);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapAssigned"),
			    "false");
}

static void test_mapt(void **state)
{
	struct mgr *m = *state;
	struct mgr_client *c = &m->c6[0];
	struct tern_lease_v6 l;

	v6_lease(&l, true, true);
	memcpy(l.mapt, mapt_ok, sizeof(mapt_ok));
	l.mapt_len = sizeof(mapt_ok);
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
	assert_true(c->mapt_assigned);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapAssigned"),
			    "true");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapTransportMode"),
			    "Translation");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapBRPrefix"),
			    "2001:db8:ffff::/64");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapRuleIPv4Prefix"),
			    "192.0.2.0/24");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapRuleIPv6Prefix"),
			    "2001:db8::/32");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapEALen"), "0");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapPSIDOffset"),
			    "6");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapPSIDLen"), "16");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapPSID"), "1234");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapIsFMR"), "true");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapIpv4Address"),
			    "192.0.2.0");
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapRatio"),
			    "65536");

	/* Garbage in option 95: logged, MAP-T off, the lease stays. */
	l.mapt[1] = 0x77;
	l.mapt[3] = 0xff;
	assert_int_equal(mgr_v6_handle(m, c, &l, fake_now),
			 MGR_EV_LEASE_UPDATE);
	assert_false(c->mapt_assigned);
	assert_true(c->have_lease);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.MapAssigned"),
			    "false");
	assert_null(get1(m, "Device.DHCPv6.Client.1.MapPSID"));
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.IANAAddress"),
			    "fd00:250::1000");
}

/* --- data model get / set ---------------------------------------- */

static void test_model(void **state)
{
	struct mgr *m = *state;
	static struct kv k;
	char err[128];

	assert_string_equal(get1(m, "Device.DHCPv4.ClientNumberOfEntries"),
			    "2");
	assert_string_equal(get1(m, "Device.DHCPv6.ClientNumberOfEntries"),
			    "1");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.Alias"), "wan");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.Status"),
			    "Enabled");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.2.Status"),
			    "Disabled");
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.ReqOption.1.Tag"),
			    "43");

	/* A partial path lists the subtree, and only it. */
	memset(&k, 0, sizeof(k));
	assert_true(mgr_model_get(m, "Device.DHCPv4.Client.2.", fake_now,
				  collect, &k) > 10);
	assert_non_null(strstr(k.text, "Device.DHCPv4.Client.2.Interface="
				       "erouter1\n"));
	assert_null(strstr(k.text, "Client.1."));
	assert_int_equal(mgr_model_get(m, "Device.DHCPv4.Client.3.", fake_now,
				       collect, &k),
			 -ENOENT);
	assert_int_equal(mgr_model_get(m, "Device.Nope", fake_now, collect, &k),
			 -ENOENT);
	memset(&k, 0, sizeof(k));
	assert_true(mgr_model_get(m, "", fake_now, collect, &k) > 40);
	assert_non_null(strstr(k.text, "Device.DHCPv6.Client.1.DUID="));
	assert_non_null(
		strstr(k.text, "Device.X_TERN_Manager.LeasesReceived="));

	/* Writable parameters. */
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Alias",
				       "uplink", err, sizeof(err)),
			 0);
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.Alias"), "uplink");
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Enable",
				       "false", err, sizeof(err)),
			 0);
	assert_true(m->c4[0].pending & MGR_ACT_STOP);
	assert_string_equal(get1(m, "Device.DHCPv4.Client.1.Status"),
			    "Disabled");
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Renew",
				       "true", err, sizeof(err)),
			 -EPERM);
	m->c4[0].pending = 0;
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Enable",
				       "true", err, sizeof(err)),
			 0);
	assert_true(m->c4[0].pending & MGR_ACT_START);
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Renew",
				       "true", err, sizeof(err)),
			 0);
	assert_true(m->c4[0].pending & MGR_ACT_RENEW);
	assert_int_equal(mgr_model_set(m,
				       "Device.DHCPv4.Client.1.X_RDK_Release",
				       "true", err, sizeof(err)),
			 0);
	assert_true(m->c4[0].pending & MGR_ACT_RELEASE);
	assert_int_equal(mgr_model_set(m,
				       "Device.DHCPv4.Client.1.X_RDK_Restart",
				       "1", err, sizeof(err)),
			 0);
	assert_true(m->c4[0].pending & MGR_ACT_RESTART);
	assert_int_equal(mgr_model_set(m,
				       "Device.DHCPv4.Client.1.ReqOption.1.Tag",
				       "44", err, sizeof(err)),
			 0);
	assert_int_equal(m->cfg.v4[0].req[0].tag, 44);
	assert_int_equal(mgr_model_set(m,
				       "Device.DHCPv4.Client.1.ReqOption.1.Tag",
				       "300", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Interface",
				       "erouter1", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.IPAddress",
				       "1.2.3.4", err, sizeof(err)),
			 -EACCES);
	assert_int_equal(mgr_model_set(m, "Device.DHCPv4.Client.1.Bogus", "1",
				       err, sizeof(err)),
			 -ENOENT);
	assert_int_equal(mgr_model_set(m, "Device.DHCPv6.Client.1.SuggestedT1",
				       "100", err, sizeof(err)),
			 0);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.SuggestedT1"),
			    "100");
	assert_int_equal(
		mgr_model_set(m, "Device.DHCPv6.Client.1.RequestedOptions",
			      "23,nope", err, sizeof(err)),
		-EINVAL);
	assert_string_equal(get1(m, "Device.DHCPv6.Client.1.RequestedOptions"),
			    "23,24,95");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v4_update_renew_expire,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_deconfig_nak_routes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_v6_lifetimes_merge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v6_pd_replace_and_stale,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_mapt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
