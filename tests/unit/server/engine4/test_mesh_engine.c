/* Unit tests for the engine's mesh hooks: the pool gate, grant and deny
 * verdicts, usage counts, run-time options. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

#define NET 0x0a460000u /* 10.70.0.0/24 */
#define T0  1700000000

static const char cfg_text[] =
	"{\"Dhcp4\": {\"valid-lifetime\": 600, \"authoritative\": true,\n"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"10.70.0.0/24\",\n"
	"  \"interface\": \"br-client\",\n"
	"  \"pools\": [{\"pool\": \"10.70.0.4 - 10.70.0.254\"}],\n"
	"  \"option-data\": [{\"name\": \"routers\", \"data\": "
	"\"10.70.0.1\"}],\n"
	"  \"reservations\": [{\"hw-address\": \"02:00:00:00:00:99\",\n"
	"                      \"ip-address\": \"10.70.0.9\"}]}]}}\n";

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(ternd_config_load_buf(cfg_text, sizeof(cfg_text) - 1,
					       &f->cfg, NULL),
			 0);
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	assert_int_equal(ternd_engine_gate(f->e, NET, NET + 255), 0);
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

struct out {
	int r;
	uint8_t buf[1500];
	size_t len;
	struct tern_dhcp4_msg m;
};

/* One request from client 02:00:00:00:00:<mac>. */
static void run(struct ternd_engine *e, uint8_t type, uint8_t mac,
		uint32_t reqip, uint32_t ciaddr, struct out *o)
{
	struct tern_dhcp4_hdr h = {.op = 1, .htype = 1, .hlen = 6};
	struct tern_dhcp4_writer w;
	struct ternd_change chg[8];
	struct ternd_tx tx = {.buf = o->buf, .cap = sizeof(o->buf)};
	struct ternd_rx rx = {.ifindex = 2,
			      .ifname = "br-client",
			      .if_addr = NET + 1,
			      .src_port = 68,
			      .now = T0};
	static const uint8_t prl[] = {1, 3, 42};
	uint8_t pkt[600];
	size_t n = 0;
	int len;

	h.xid = htonl(0x1000u + mac);
	h.chaddr[0] = 2;
	h.chaddr[5] = mac;
	h.ciaddr.s_addr = htonl(ciaddr);
	assert_int_equal(
		tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), sizeof(pkt), 0),
		0);
	tern_dhcp4_write_header(&w, &h);
	tern_dhcp4_put_msg_type(&w, type);
	if (reqip) {
		struct in_addr a = {htonl(reqip)};

		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
	}
	tern_dhcp4_put(&w, 55, prl, sizeof(prl));
	len = tern_dhcp4_writer_finish(&w, true);
	assert_true(len > 0);
	rx.buf = pkt;
	rx.len = (size_t)len;
	rx.src_addr = ciaddr;
	rx.dst_addr = ciaddr ? NET + 1 : 0xffffffffu;
	o->r = ternd_engine_handle(e, &rx, &tx, chg, 8, &n);
	o->len = tx.len;
	if (o->r > 0)
		assert_true(tern_dhcp4_parse(&o->m, o->buf, o->len) >= 0);
}

static uint32_t yiaddr(const struct out *o)
{
	return ntohl(o->m.hdr.yiaddr.s_addr);
}

static void test_gate_closed_pool(void **state)
{
	struct fx *f = *state;
	struct out o;
	uint32_t fr, le;

	run(f->e, TERN_DHCP4_DISCOVER, 1, 0, 0, &o);
	assert_int_equal(o.r, -ENOSPC);
	/* Usage ignores the gate: block 1 (.4-.7) has 4 leasable, block 2
	 * (.8-.11) 3 (the reservation), block 0 only .0-.3 outside the pool. */
	ternd_engine_usage(f->e, NET + 4, 4, &fr, &le);
	assert_int_equal(fr, 4);
	assert_int_equal(le, 0);
	ternd_engine_usage(f->e, NET + 8, 4, &fr, &le);
	assert_int_equal(fr, 3);
	ternd_engine_usage(f->e, NET, 4, &fr, &le);
	assert_int_equal(fr, 0);
	ternd_engine_usage(f->e, NET + 252, 4, &fr, &le);
	assert_int_equal(fr, 3); /* .255 is the broadcast address */
	assert_int_equal(ternd_engine_gate(f->e, NET, NET + 1), -EINVAL);
	assert_int_equal(ternd_engine_gate_set(f->e, NET, NET + 256, true),
			 -EINVAL);
}

static void test_open_block_serves(void **state)
{
	struct fx *f = *state;
	struct out o;
	uint32_t fr, le, a;

	assert_int_equal(ternd_engine_gate_set(f->e, NET + 8, NET + 11, true),
			 0);
	run(f->e, TERN_DHCP4_DISCOVER, 1, 0, 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_OFFER);
	a = yiaddr(&o);
	assert_true(a >= NET + 8 && a <= NET + 11 && a != NET + 9);
	run(f->e, TERN_DHCP4_REQUEST, 1, a, 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	ternd_engine_usage(f->e, NET + 8, 4, &fr, &le);
	assert_int_equal(le, 1);
	assert_int_equal(fr, 2);
	/* A second and third client fill the block; the fourth finds none
	 * (the reserved .9 is not for them). */
	run(f->e, TERN_DHCP4_DISCOVER, 2, 0, 0, &o);
	run(f->e, TERN_DHCP4_REQUEST, 2, yiaddr(&o), 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	run(f->e, TERN_DHCP4_DISCOVER, 3, 0, 0, &o);
	run(f->e, TERN_DHCP4_REQUEST, 3, yiaddr(&o), 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	run(f->e, TERN_DHCP4_DISCOVER, 4, 0, 0, &o);
	assert_true(o.r == -ENOSPC);
	/* The block goes to a peer: bindings stay, nothing new is given. */
	assert_int_equal(ternd_engine_gate_set(f->e, NET + 8, NET + 11, false),
			 0);
	run(f->e, TERN_DHCP4_REQUEST, 1, a, 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), a);
	run(f->e, TERN_DHCP4_DISCOVER, 5, 0, 0, &o);
	assert_int_equal(o.r, -ENOSPC);
}

static void test_grant_and_deny(void **state)
{
	struct fx *f = *state;
	struct out o;

	/* INIT-REBOOT for an address in a closed block: NAK... */
	run(f->e, TERN_DHCP4_REQUEST, 7, NET + 20, 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_NAK);
	assert_true(tern_dhcp4_has_opt(&o.m, TERN_DHCP4_OPT_SERVER_ID));
	/* ...unless its owner granted it. */
	ternd_engine_grant(f->e, NET + 20);
	run(f->e, TERN_DHCP4_REQUEST, 7, NET + 20, 0, &o);
	ternd_engine_grant(f->e, 0);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	assert_int_equal(yiaddr(&o), NET + 20);
	/* Renewing then is ours to answer (a live lease)... */
	run(f->e, TERN_DHCP4_REQUEST, 7, 0, NET + 20, &o);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	/* ...until the owner says no. */
	ternd_engine_deny(f->e, NET + 20);
	run(f->e, TERN_DHCP4_REQUEST, 7, 0, NET + 20, &o);
	ternd_engine_deny(f->e, 0);
	assert_int_equal(o.r, TERN_DHCP4_NAK);
	/* A grant does not open the rest of the block. */
	run(f->e, TERN_DHCP4_DISCOVER, 8, 0, 0, &o);
	assert_int_equal(o.r, -ENOSPC);
}

static uint32_t router(const struct out *o)
{
	struct in_addr a;

	if (tern_dhcp4_get_addr(&o->m, 3, &a) < 0)
		return 0;
	return ntohl(a.s_addr);
}

static void test_runtime_options(void **state)
{
	struct fx *f = *state;
	static const uint8_t r2[4] = {10, 70, 0, 2};
	static const uint8_t ntp[4] = {10, 70, 0, 123};
	struct ternd_option v[2] = {{.code = 3, .len = 4, .data = r2},
				    {.code = 42, .len = 4, .data = ntp}};
	struct ternd_option bad[2] = {v[1], v[0]};
	struct out o;
	struct in_addr a;

	assert_int_equal(ternd_engine_gate_set(f->e, NET + 4, NET + 7, true),
			 0);
	run(f->e, TERN_DHCP4_DISCOVER, 1, 0, 0, &o);
	assert_int_equal(router(&o), NET + 1);
	assert_false(tern_dhcp4_has_opt(&o.m, 42));
	assert_int_equal(ternd_engine_set_options(f->e, bad, 2), -EINVAL);
	assert_int_equal(ternd_engine_set_options(f->e, v, 2), 0);
	run(f->e, TERN_DHCP4_DISCOVER, 1, 0, 0, &o);
	assert_int_equal(router(&o), NET + 2);
	assert_int_equal(tern_dhcp4_get_addr(&o.m, 42, &a), 0);
	assert_int_equal(ntohl(a.s_addr), NET + 123);
	assert_int_equal(ternd_engine_set_options(f->e, NULL, 0), 0);
	run(f->e, TERN_DHCP4_DISCOVER, 1, 0, 0, &o);
	assert_int_equal(router(&o), NET + 1);
}

/* ddhcpd's -o 51 and -o 54: the lease time and the server identifier. */
static void test_lease_time_and_server_id(void **state)
{
	struct fx *f = *state;
	static const uint8_t lt[4] = {0, 0, 0x0e, 0x10}; /* 3600 */
	static const uint8_t sid[4] = {10, 70, 0, 250};
	static const uint8_t short_lt[2] = {1, 2};
	struct ternd_option v[2] = {{.code = 51, .len = 4, .data = lt},
				    {.code = 54, .len = 4, .data = sid}};
	struct ternd_option bad[1] = {{.code = 51, .len = 2, .data = short_lt}};
	const uint8_t *p;
	struct out o;
	struct in_addr a;
	uint32_t secs;
	size_t n54 = 0;

	assert_int_equal(ternd_engine_gate_set(f->e, NET + 4, NET + 7, true),
			 0);
	assert_int_equal(ternd_engine_set_options(f->e, bad, 1), -EINVAL);
	assert_int_equal(ternd_engine_set_options(f->e, v, 2), 0);
	run(f->e, TERN_DHCP4_DISCOVER, 1, 0, 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_OFFER);
	assert_int_equal(tern_dhcp4_get_lease_time(&o.m, &secs), 0);
	assert_int_equal(secs, 3600);
	assert_int_equal(tern_dhcp4_get_addr(&o.m, 54, &a), 0);
	assert_int_equal(ntohl(a.s_addr), NET + 250);
	/* Written once, by the engine, not again as a plain option. */
	for (size_t i = 0; i + 1 < o.len; i++) {
		p = o.buf + i;
		if (i >= 240 && p[0] == 54 && p[1] == 4 && p[2] == 10 &&
		    p[5] == 250)
			n54++;
	}
	assert_int_equal(n54, 1);
	/* A REQUEST naming that identifier is for us. */
	run(f->e, TERN_DHCP4_REQUEST, 1, yiaddr(&o), 0, &o);
	assert_int_equal(o.r, TERN_DHCP4_ACK);
	assert_int_equal(tern_dhcp4_get_lease_time(&o.m, &secs), 0);
	assert_int_equal(secs, 3600);
	assert_int_equal(ternd_engine_set_options(f->e, NULL, 0), 0);
	run(f->e, TERN_DHCP4_DISCOVER, 2, 0, 0, &o);
	assert_int_equal(tern_dhcp4_get_lease_time(&o.m, &secs), 0);
	assert_int_equal(secs, 600);
	assert_int_equal(tern_dhcp4_get_addr(&o.m, 54, &a), 0);
	assert_int_equal(ntohl(a.s_addr), NET + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gate_closed_pool, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_block_serves, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_grant_and_deny, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runtime_options, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_lease_time_and_server_id,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
