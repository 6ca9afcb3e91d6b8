/* Unit tests for BOOTP clients served as Kea's libdhcp_bootp.so serves them:
 * infinite leases, replies without DHCP options, padded to 300 bytes. */
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

#define IP(a, b, c, d)                                                    \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))
#define IF_ADDR IP(192, 0, 2, 1)
#define T0	1700000000

#define CFG(hooks)                                                        \
	"{\"Dhcp4\": {\"valid-lifetime\": 3600,\n" hooks                  \
	" \"option-data\": [{\"name\": \"routers\", \"data\": "           \
	"\"192.0.2.1\",\n"                                                \
	"   \"always-send\": true}],\n"                                   \
	" \"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"      \
	"   \"interface\": \"eth0\",\n"                                   \
	"   \"pools\": [{\"pool\": \"192.0.2.100 - 192.0.2.101\"}],\n"    \
	"   \"reservations\": [{\"hw-address\": \"02:00:00:00:00:09\",\n" \
	"     \"ip-address\": \"192.0.2.9\"}]}]}}\n"

struct fx {
	struct ternd_config *cfg;
	struct ternd_engine *e;
};

static struct fx *fx_new(const char *text)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ternd_diags d = {0};

	assert_int_equal(ternd_config_load_buf(text, strlen(text), &f->cfg, &d),
			 0);
	assert_int_equal(ternd_engine_new(f->cfg, &f->e), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	ternd_engine_free(f->e);
	ternd_config_free(f->cfg);
	free(f);
}

struct out {
	int rc;
	uint8_t buf[1500];
	struct ternd_tx tx;
	struct ternd_change ch[4];
	size_t n;
	struct tern_dhcp4_msg m;
};

/* A BOOTREQUEST with vendor extensions (the cookie) and no option 53. */
static int bootp(struct fx *f, uint8_t mac, uint32_t ciaddr, struct out *o)
{
	uint8_t pkt[600];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {0};
	struct ternd_rx rx = {0};

	tern_dhcp4_writer_init(&w, pkt, sizeof(pkt), 0, 0);
	h.op = TERN_DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x4242;
	h.ciaddr.s_addr = htonl(ciaddr);
	h.chaddr[0] = 0x02;
	h.chaddr[5] = mac;
	tern_dhcp4_write_header(&w, &h);
	rx.len = (size_t)tern_dhcp4_writer_finish(&w, true);
	rx.buf = pkt;
	rx.ifindex = 2;
	rx.ifname = "eth0";
	rx.if_addr = IF_ADDR;
	rx.src_port = 68;
	rx.now = T0;
	memset(o, 0, sizeof(*o));
	o->tx.buf = o->buf;
	o->tx.cap = sizeof(o->buf);
	o->rc = ternd_engine_handle(f->e, &rx, &o->tx, o->ch, 4, &o->n);
	if (o->rc > 0)
		assert_int_equal(
			tern_dhcp4_parse(&o->m, o->buf, o->tx.len) >= 0, 1);
	return o->rc;
}

static void assert_bootreply(const struct out *o)
{
	static const uint8_t dhcp_only[] = {50, 51, 52, 53, 54, 55,
					    56, 57, 58, 59, 61};

	assert_int_equal(o->m.hdr.op, TERN_DHCP4_BOOTREPLY);
	assert_int_equal(o->tx.len, 300);
	for (size_t i = 0; i < sizeof(dhcp_only); i++)
		assert_false(tern_dhcp4_has_opt(&o->m, dhcp_only[i]));
}

static void test_bootp_served(void **state)
{
	struct fx *f =
		fx_new(CFG("\"hooks-libraries\": [{\"library\": "
			   "\"/usr/lib/kea/hooks/libdhcp_bootp.so\"}],"));
	struct in_addr a;
	struct out o;
	uint32_t addr;

	(void)state;
	assert_int_equal(bootp(f, 1, 0, &o), TERN_DHCP4_ACK);
	assert_bootreply(&o);
	addr = ntohl(o.m.hdr.yiaddr.s_addr);
	assert_true(addr == IP(192, 0, 2, 100) || addr == IP(192, 0, 2, 101));
	/* The options Kea keeps: the mask and what is always sent. */
	assert_int_equal(tern_dhcp4_get_addr(&o.m, TERN_DHCP4_OPT_ROUTER, &a),
			 0);
	assert_int_equal(ntohl(a.s_addr), IP(192, 0, 2, 1));
	assert_true(tern_dhcp4_has_opt(&o.m, TERN_DHCP4_OPT_SUBNET_MASK));
	/* An infinite lease, durable before the reply goes. */
	assert_true(o.tx.needs_commit);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ch[0].lease.state, TERND_LEASE_BOUND);
	assert_int_equal(o.ch[0].lease.valid_lifetime, UINT32_MAX);
	assert_int_equal(o.ch[0].lease.expire, T0 + (int64_t)UINT32_MAX);
	assert_int_equal(ternd_engine_stats(f->e)->tx_offer, 0);
	assert_int_equal(ternd_engine_stats(f->e)->tx_ack, 1);

	/* The same client again: the same address. */
	assert_int_equal(bootp(f, 1, 0, &o), TERN_DHCP4_ACK);
	assert_int_equal(ntohl(o.m.hdr.yiaddr.s_addr), addr);
	/* A reserved client: its address. */
	assert_int_equal(bootp(f, 9, 0, &o), TERN_DHCP4_ACK);
	assert_int_equal(ntohl(o.m.hdr.yiaddr.s_addr), IP(192, 0, 2, 9));
	/* One left in the pool, then none: Kea's NAK, as a BOOTREPLY. */
	assert_int_equal(bootp(f, 2, 0, &o), TERN_DHCP4_ACK);
	assert_int_equal(bootp(f, 3, 0, &o), TERN_DHCP4_NAK);
	assert_bootreply(&o);
	assert_int_equal(o.m.hdr.yiaddr.s_addr, 0);
	/* A client naming its address (ciaddr): that one, or a NAK. */
	assert_int_equal(bootp(f, 1, addr, &o), TERN_DHCP4_ACK);
	assert_int_equal(ntohl(o.m.hdr.yiaddr.s_addr), addr);
	assert_int_equal(bootp(f, 4, addr, &o), TERN_DHCP4_NAK);
	fx_free(f);
}

static void test_bootp_needs_the_hook(void **state)
{
	struct fx *f = fx_new(CFG(""));
	struct out o;

	(void)state;
	assert_int_equal(bootp(f, 1, 0, &o), -EBADMSG);
	assert_int_equal(ternd_engine_stats(f->e)->drops[TERND_DROP_NO_TYPE],
			 1);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bootp_served),
		cmocka_unit_test(test_bootp_needs_the_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
