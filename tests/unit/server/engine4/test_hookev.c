/* Unit tests for the hook points the engine records per request (Kea's
 * lease4_renew, leases4_committed, lease4_release, lease4_decline). */
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

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/engine4/internal.h" /* e4_flex_id */

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define IF_ADDR IP(192, 0, 2, 1)
#define T0	1700000000

static const char cfg_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 3600, \"authoritative\": true,\n"
	" \"decline-probation-period\": 600,\n"
	" \"subnet4\": [\n"
	"  {\"id\": 1, \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth0\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"198.51.100.0/24\",\n"
	"   \"match-client-id\": false,\n"
	"   \"pools\": [{\"pool\": \"198.51.100.10 - 198.51.100.20\"}]}]}}\n";

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d = {0};

	assert_int_equal(
		ternd_config_load_buf(cfg_text, strlen(cfg_text), &f->cfg, &d),
		0);
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	ternd_engine_hook_events(f->e, true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
	return 0;
}

struct pk {
	uint8_t type;
	uint8_t mac;
	uint32_t ciaddr, giaddr, reqip, sid;
	bool cid;
	const char *hostname;
	const char *vendor; /* option 60 */
};

static const uint8_t cid_of[] = {1, 2, 0, 0, 0, 0, 0};

static struct in_addr ina(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

static int64_t now = T0;
/* Option 61 of the last reply. */
static uint8_t last_reply_cid[255];
static int last_reply_cid_len;

/* Handle one request; returns the reply type and the events. */
static int run(struct fx *f, const struct pk *p,
	       const struct ternd_hook_event **ev, size_t *nev,
	       uint32_t *ret_yiaddr)
{
	uint8_t pkt[600], out[1500], cid[7];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {0};
	struct ternd_rx rx = {0};
	struct ternd_tx tx = {0};
	struct ternd_change ch[8];
	struct tern_dhcp4_msg m;
	size_t n;
	int rc;

	tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), 0, 0);
	tern_dhcp4_put_msg_type(&w, p->type);
	if (p->cid) {
		memcpy(cid, cid_of, sizeof(cid));
		cid[6] = p->mac;
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cid, sizeof(cid));
	}
	if (p->reqip)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP,
				    ina(p->reqip));
	if (p->sid)
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, ina(p->sid));
	if (p->hostname)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_HOST_NAME, p->hostname,
			       strlen(p->hostname));
	if (p->vendor)
		tern_dhcp4_put(&w, 60, p->vendor, strlen(p->vendor));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x100u + p->mac;
	h.ciaddr = ina(p->ciaddr);
	h.giaddr = ina(p->giaddr);
	h.chaddr[0] = 0x02;
	h.chaddr[5] = p->mac;
	tern_dhcp4_write_header(&w, &h);
	rx.len = (size_t)tern_dhcp4_writer_finish(&w, true);
	rx.buf = pkt;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_port = 68;
	rx.now = now;
	tx.buf = out;
	tx.cap = sizeof(out);
	rc = ternd_engine_handle(f->e, &rx, &tx, ch, 8, &n);
	*nev = ternd_engine_events(f->e, ev);
	last_reply_cid_len = -1;
	if (rc > 0 && tern_dhcp4_parse(&m, out, tx.len) >= 0) {
		if (ret_yiaddr)
			*ret_yiaddr = ntohl(m.hdr.yiaddr.s_addr);
		last_reply_cid_len = tern_dhcp4_opt_copy(
			&m, TERN_DHCP4_OPT_CLIENT_ID, last_reply_cid,
			sizeof(last_reply_cid));
	} else if (ret_yiaddr) {
		*ret_yiaddr = 0;
	}
	return rc;
}

static uint32_t dora(struct fx *f, struct pk p)
{
	const struct ternd_hook_event *ev;
	size_t n;
	uint32_t a, b;

	p.type = TERN_DHCP4_DISCOVER;
	assert_int_equal(run(f, &p, &ev, &n, &a), TERN_DHCP4_OFFER);
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f, &p, &ev, &n, &b), TERN_DHCP4_ACK);
	assert_int_equal(a, b);
	return a;
}

static void test_new_and_renew(void **state)
{
	struct fx *f = *state;
	const struct ternd_hook_event *ev;
	struct pk p = {.type = TERN_DHCP4_DISCOVER,
		       .mac = 1,
		       .cid = true,
		       .hostname = "pc1"};
	size_t n;
	uint32_t a, y;

	now = T0;
	/* A new client: nothing on DISCOVER (Kea resets the context). */
	assert_int_equal(run(f, &p, &ev, &n, &a), TERN_DHCP4_OFFER);
	assert_int_equal(n, 0);
	/* Its REQUEST: leases4_committed with the new lease only. */
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_ACK);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASES4_COMMITTED);
	assert_int_equal(ev[0].n_leases, 1);
	assert_int_equal(ev[0].n_deleted, 0);
	assert_int_equal(ev[0].lease.l.addr, a);
	assert_int_equal(ev[0].lease.kea_state, TERND_KEA_DEFAULT);
	assert_int_equal(ev[0].lease.l.cid_len, 7);
	assert_int_equal(ev[0].lease.l.valid_lifetime, 3600);
	assert_int_equal(ev[0].lease.l.cltt, T0);
	assert_string_equal(ev[0].lease.l.hostname, "pc1");

	/* A bound client's DISCOVER: lease4_renew (a fake allocation). */
	now = T0 + 100;
	p.type = TERN_DHCP4_DISCOVER;
	p.reqip = p.sid = 0;
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_OFFER);
	assert_int_equal(y, a);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASE4_RENEW);
	assert_int_equal(ev[0].lease.l.addr, a);
	assert_int_equal(ev[0].lease.l.cltt, T0 + 100);
	assert_int_equal(ev[0].lease.kea_state, TERND_KEA_DEFAULT);
	assert_true(ev[0].pass_client_id);

	/* Its renewal: lease4_renew, then leases4_committed. */
	now = T0 + 200;
	p.type = TERN_DHCP4_REQUEST;
	p.ciaddr = a;
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_ACK);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASE4_RENEW);
	assert_int_equal(ev[0].lease.l.cltt, T0 + 200);
	assert_int_equal(ev[1].point, TERND_HOOK_LEASES4_COMMITTED);
	assert_int_equal(ev[1].n_leases, 1);
	assert_int_equal(ev[1].lease.l.addr, a);

	/* Off: nothing recorded. */
	ternd_engine_hook_events(f->e, false);
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_ACK);
	assert_int_equal(n, 0);
	ternd_engine_hook_events(f->e, true);
}

static void test_moves_and_naks(void **state)
{
	struct fx *f = *state;
	const struct ternd_hook_event *ev;
	struct pk p = {.mac = 2};
	size_t n;
	uint32_t a, y, other = IP(192, 0, 2, 150);

	now = T0;
	a = dora(f, p);
	assert_true(a != other);
	/* SELECTING another free address: the old lease is deleted. */
	p.type = TERN_DHCP4_REQUEST;
	p.reqip = other;
	p.sid = IF_ADDR;
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_ACK);
	assert_int_equal(y, other);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASES4_COMMITTED);
	assert_int_equal(ev[0].lease.l.addr, other);
	assert_int_equal(ev[0].n_deleted, 1);
	assert_int_equal(ev[0].deleted.l.addr, a);
	assert_int_equal(ev[0].deleted.kea_state, TERND_KEA_DEFAULT);

	/* INIT-REBOOT for an address outside the pools: NAK, and
	 * leases4_committed with no lease. */
	p.mac = 3;
	p.sid = 0;
	p.reqip = IP(192, 0, 2, 50);
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_NAK);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASES4_COMMITTED);
	assert_int_equal(ev[0].n_leases + ev[0].n_deleted, 0);

	/* A REQUEST for another server: nothing (Kea drops it too). */
	p.sid = IP(192, 0, 2, 9);
	p.reqip = IP(192, 0, 2, 120);
	assert_int_equal(run(f, &p, &ev, &n, &y), 0);
	assert_int_equal(n, 0);
}

static void test_release_decline(void **state)
{
	struct fx *f = *state;
	const struct ternd_hook_event *ev;
	struct pk p = {.mac = 4, .cid = true};
	size_t n;
	uint32_t a, b;

	now = T0;
	a = dora(f, p);
	now = T0 + 10;
	p.type = TERN_DHCP4_RELEASE;
	p.ciaddr = a;
	p.sid = IF_ADDR;
	assert_int_equal(run(f, &p, &ev, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASE4_RELEASE);
	assert_int_equal(ev[0].lease.l.addr, a);
	assert_int_equal(ev[0].lease.l.cltt, T0); /* the lease as it was */
	assert_int_equal(ev[1].point, TERND_HOOK_LEASES4_COMMITTED);
	assert_int_equal(ev[1].n_leases, 0);
	assert_int_equal(ev[1].n_deleted, 1);
	assert_int_equal(ev[1].deleted.l.addr, a);
	/* Nothing to release: still leases4_committed, empty. */
	assert_int_equal(run(f, &p, &ev, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].n_leases + ev[0].n_deleted, 0);
	/* For another server: nothing. */
	p.sid = IP(192, 0, 2, 9);
	assert_int_equal(run(f, &p, &ev, &n, NULL), 0);
	assert_int_equal(n, 0);

	p.mac = 5;
	p.ciaddr = 0;
	p.sid = 0;
	b = dora(f, p);
	now = T0 + 20;
	p.type = TERN_DHCP4_DECLINE;
	p.reqip = b;
	p.sid = IF_ADDR;
	assert_int_equal(run(f, &p, &ev, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASE4_DECLINE);
	assert_int_equal(ev[0].lease.l.hw_len, 6);
	assert_int_equal(ev[0].lease.kea_state, TERND_KEA_DEFAULT);
	/* Lease4::decline: no identity, the probation as its lifetime. */
	assert_int_equal(ev[1].point, TERND_HOOK_LEASES4_COMMITTED);
	assert_int_equal(ev[1].n_leases, 1);
	assert_int_equal(ev[1].lease.kea_state, TERND_KEA_DECLINED);
	assert_int_equal(ev[1].lease.l.hw_len, 0);
	assert_int_equal(ev[1].lease.l.htype, 1);
	assert_int_equal(ev[1].lease.l.cid_len, 0);
	assert_int_equal(ev[1].lease.l.valid_lifetime, 600);
	assert_int_equal(ev[1].lease.l.cltt, T0 + 20);
}

/* match-client-id false: Kea keeps no client-id in the lease, and does not
 * pass the query's to lease4_renew. */
static void test_no_client_id(void **state)
{
	struct fx *f = *state;
	const struct ternd_hook_event *ev;
	struct pk p = {.mac = 6, .cid = true, .giaddr = IP(198, 51, 100, 1)};
	size_t n;
	uint32_t a, y;

	now = T0;
	a = dora(f, p);
	p.type = TERN_DHCP4_REQUEST;
	p.ciaddr = a;
	assert_int_equal(run(f, &p, &ev, &n, &y), TERN_DHCP4_ACK);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASE4_RENEW);
	assert_false(ev[0].pass_client_id);
	assert_int_equal(ev[0].lease.l.cid_len, 0);
	assert_int_equal(ev[1].lease.l.cid_len, 0);
	assert_int_equal(ev[1].lease.l.subnet_id, 2);
}

/* flex_id: the identifier from identifier-expression, once per request;
 * with replace-client-id the lease follows it, the reply echoes what the
 * client sent. */
static void test_flex_id(void **state)
{
	static const char text[] =
		"{\"Dhcp4\": {\"hooks-libraries\": [{\"library\": "
		"\"libdhcp_flex_id.so\", \"parameters\": "
		"{\"identifier-expression\": \"option[60].hex\","
		" \"replace-client-id\": true}}],"
		" \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\","
		" \"interface\": \"eth0\","
		" \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.199\"}]}]}}";
	struct fx *f = *state;
	struct fx g = {0};
	struct ternd_diags d = {0};
	const struct ternd_hook_event *ev;
	struct pk p = {.mac = 7, .cid = true, .vendor = "dev-42"};
	struct req q = {0};
	const uint8_t *id = (const uint8_t *)"x";
	size_t n;
	uint32_t a;

	(void)state;
	/* No flex_id library: no identifier. */
	assert_int_equal(e4_flex_id(f->e, &q, &id), 0);
	assert_null(id);

	assert_int_equal(ternd_config_load_buf(text, strlen(text), &g.cfg, &d),
			 0);
	assert_int_equal(ternd_engine_new(g.cfg, &g.e), 0);
	ternd_engine_hook_events(g.e, true);
	now = T0;
	a = dora(&g, p);
	p.type = TERN_DHCP4_REQUEST;
	p.ciaddr = a;
	assert_int_equal(run(&g, &p, &ev, &n, NULL), TERN_DHCP4_ACK);
	/* The lease's client-id: 0, then "dev-42". */
	assert_int_equal(ev[n - 1].lease.l.cid_len, 7);
	assert_memory_equal(ev[n - 1].lease.l.cid, "\0dev-42", 7);
	assert_memory_equal(last_reply_cid, cid_of, 6); /* echoed as sent */
	assert_int_equal(last_reply_cid_len, 7);
	/* Another client-id, the same identifier: the same lease. */
	p.mac = 8;
	p.ciaddr = 0;
	p.type = TERN_DHCP4_DISCOVER;
	assert_int_equal(run(&g, &p, &ev, &n, &a), TERN_DHCP4_OFFER);
	assert_int_equal(a, ev[0].lease.l.addr);
	assert_int_equal(ev[0].point, TERND_HOOK_LEASE4_RENEW);
	ternd_engine_free(g.e);
	ternd_config_free(g.cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_and_renew, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_moves_and_naks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_release_decline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_client_id, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flex_id, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
