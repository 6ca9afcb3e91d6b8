/* Unit tests for engine4/admin.c: an operator's lease (lease_cmds) takes
 * its address from the pool at once, its client renews it (by client-id,
 * or by hardware address when the lease has none), a dropped lease's
 * address is offered again, and the stored view. */
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
#include "server/engine4/admin.h"
#include "server/engine4/engine.h"

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define IF_ADDR IP(192, 0, 2, 1)
#define T0	1700000000

/* Two pool addresses: which one a DISCOVER gets says which is free. */
static const char cfg_text[] =
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"eth0\"]},\n"
	" \"valid-lifetime\": 3600, \"authoritative\": true,\n"
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
	"   \"interface\": \"eth0\",\n"
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.101\"}],\n"
	"   \"reservations\": [{\"hw-address\": \"02:00:00:00:00:aa\",\n"
	"     \"ip-address\": \"192.0.2.10\"}]}]}}\n";

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

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
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
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

/* A DISCOVER or REQUEST from 02:00:00:00:00:MAC (with option 61 when
 * cid); the reply's type, *ret_yiaddr its address. */
static int ask(struct fx *f, uint8_t type, uint8_t mac, bool cid,
	       uint32_t reqip, uint32_t *ret_yiaddr)
{
	uint8_t pkt[600], reply[1500], id[7] = {1, 2, 0, 0, 0, 0, mac};
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	struct ternd_change ch[8];
	struct ternd_tx tx = {.buf = reply, .cap = sizeof(reply)};
	struct ternd_rx rx = {0};
	struct tern_dhcp4_msg m;
	size_t n = 0;
	int r;

	tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), 0, 0);
	tern_dhcp4_put_msg_type(&w, type);
	if (cid)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, id, sizeof(id));
	if (reqip) {
		struct in_addr a = {htonl(reqip)}, s = {htonl(IF_ADDR)};

		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, a);
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, s);
	}
	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x77u + mac;
	h.chaddr[0] = 0x02;
	h.chaddr[5] = mac;
	tern_dhcp4_write_header(&w, &h);
	r = tern_dhcp4_writer_finish(&w, true);
	assert_true(r > 0);
	rx.buf = pkt;
	rx.len = (size_t)r;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_port = 68;
	rx.now = T0;
	r = ternd_engine_handle(f->e, &rx, &tx, ch, 8, &n);
	if (r > 0 && ret_yiaddr) {
		assert_true(tern_dhcp4_parse(&m, reply, tx.len) >= 0);
		*ret_yiaddr = ntohl(m.hdr.yiaddr.s_addr);
	}
	return r;
}

static struct ternd_lease lease(uint32_t addr, uint8_t mac, bool cid)
{
	struct ternd_lease l;

	memset(&l, 0, sizeof(l));
	l.addr = addr;
	l.subnet_id = 1;
	l.state = TERND_LEASE_BOUND;
	l.htype = 1;
	l.hw_len = 6;
	l.hw[0] = 2;
	l.hw[5] = mac;
	if (cid) {
		uint8_t id[7] = {1, 2, 0, 0, 0, 0, mac};

		memcpy(l.cid, id, sizeof(id));
		l.cid_len = sizeof(id);
	}
	l.valid_lifetime = 3600;
	l.cltt = T0;
	l.expire = T0 + 3600;
	return l;
}

static void test_set_drop(void **state)
{
	struct fx *f = *state;
	struct ternd_lease l = lease(IP(192, 0, 2, 100), 0x11, false), got;
	uint32_t y = 0;

	assert_false(ternd_engine_stored(f->e, l.addr, &got));
	assert_int_equal(ternd_engine_lease_reserve(f->e, 1), 0);
	assert_int_equal(ternd_engine_lease_set(f->e, &l, T0), 0);
	assert_true(ternd_engine_stored(f->e, l.addr, &got));
	assert_int_equal(got.state, TERND_LEASE_BOUND);
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 1);
	/* Another client is offered the other address... */
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0x22, true, 0, &y), 2);
	assert_int_equal(y, IP(192, 0, 2, 101));
	/* ...and is refused the operator's. */
	assert_int_equal(
		ask(f, TERN_DHCP4_REQUEST, 0x33, true, IP(192, 0, 2, 100), &y),
		6);
	/* The lease's client, sending a client-id the lease does not have,
	 * renews it (Kea's belongsToClient: by hardware address). */
	assert_int_equal(
		ask(f, TERN_DHCP4_REQUEST, 0x11, true, IP(192, 0, 2, 100), &y),
		5);
	assert_int_equal(y, IP(192, 0, 2, 100));
	/* Dropped: free again, the next DISCOVER gets it. */
	assert_int_equal(ternd_engine_lease_drop(f->e, l.addr), 0);
	assert_int_equal(ternd_engine_lease_drop(f->e, l.addr), -ENOENT);
	assert_false(ternd_engine_stored(f->e, l.addr, &got));
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0x44, false, 0, &y), 2);
	assert_int_equal(y, IP(192, 0, 2, 100));
}

static void test_replace_offer(void **state)
{
	struct fx *f = *state;
	struct ternd_lease l = lease(IP(192, 0, 2, 100), 0x55, true), got;
	uint32_t y = 0;

	/* An open offer is not a stored lease; a lease put there replaces
	 * it, and the offered client is refused. */
	assert_int_equal(ask(f, TERN_DHCP4_DISCOVER, 0x66, true, 0, &y), 2);
	assert_int_equal(y, IP(192, 0, 2, 100));
	assert_false(ternd_engine_stored(f->e, y, &got));
	assert_int_equal(ternd_engine_lease_reserve(f->e, 1), 0);
	assert_int_equal(ternd_engine_lease_set(f->e, &l, T0), 0);
	assert_int_equal(
		ask(f, TERN_DHCP4_REQUEST, 0x66, true, IP(192, 0, 2, 100), &y),
		6);
	assert_int_equal(
		ask(f, TERN_DHCP4_REQUEST, 0x55, true, IP(192, 0, 2, 100), &y),
		5);
	/* Updated in place: declined now. */
	l.state = TERND_LEASE_DECLINED;
	assert_int_equal(ternd_engine_lease_set(f->e, &l, T0), 0);
	assert_true(ternd_engine_stored(f->e, l.addr, &got));
	assert_int_equal(got.state, TERND_LEASE_DECLINED);
	assert_int_equal(ternd_engine_stats(f->e)->leases_bound, 0);
}

static void test_check(void **state)
{
	struct fx *f = *state;
	struct ternd_lease l = lease(IP(192, 0, 2, 10), 0xaa, false);

	assert_int_equal(ternd_engine_lease_check(f->e, &l), 0); /* reserved */
	l.addr = IP(192, 0, 2, 50);
	assert_int_equal(ternd_engine_lease_check(f->e, &l), -ERANGE);
	l.addr = IP(192, 0, 2, 255);
	assert_int_equal(ternd_engine_lease_check(f->e, &l), -EADDRNOTAVAIL);
	l.addr = IP(10, 0, 0, 1);
	assert_int_equal(ternd_engine_lease_check(f->e, &l), -EDOM);
	l.subnet_id = 9;
	assert_int_equal(ternd_engine_lease_check(f->e, &l), -ENOENT);
	assert_int_equal(ternd_engine_lease_set(f->e, &l, T0), -ENOENT);
	l = lease(IP(192, 0, 2, 100), 1, false);
	l.state = TERND_LEASE_OFFERED;
	assert_int_equal(ternd_engine_lease_set(f->e, &l, T0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_set_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_offer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
